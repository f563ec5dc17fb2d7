/**
 * The example runner: `pnpm examples` runs every example, `pnpm examples NAME...` the named ones.
 * With one example, its output is printed exactly; with several, each is preceded by a header.
 */
import { show } from './example.js';
import { examples, findExample } from './registry.js';

async function main(names: string[]): Promise<number> {
  const chosen = names.length === 0 ? examples : names.map((n) => findExample(n) ?? n);
  const unknown = chosen.filter((e) => typeof e === 'string');
  if (unknown.length > 0) {
    console.error(`unknown example(s): ${unknown.join(', ')}; available: ${examples.map((e) => e.name).join(', ')}`);
    return 2;
  }
  for (const e of chosen) {
    if (typeof e === 'string') continue;
    if (chosen.length > 1) console.log(`=== ${e.name}: ${e.description}`);
    await e.run((...args) => console.log(args.map(show).join(' ')));
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2).filter((a) => a !== '--'));
