/**
 * The example runner: `pnpm examples` runs and checks every example, `pnpm examples NAME...` the
 * named ones, on `--device cpu` (default) or `--device workers`. With one example its output is
 * printed exactly; with several, each is preceded by a header. Each check's verdict goes to
 * stderr, and the exit code is 1 when any example fails its check (see OutputCheck).
 */
import { disposeWorkers, registerWorkersBackend } from '@kindling/backend-workers';
import { checkOutput } from './check.js';
import { parseDevice, show, type Example } from './example.js';
import { examples, findExample } from './registry.js';

async function runChecked(e: Example, device: 'cpu' | 'workers'): Promise<boolean> {
  const lines: string[] = [];
  const started = performance.now();
  let problems: string[];
  let metrics = '';
  try {
    const result = await e.run((...args) => {
      const line = args.map(show).join(' ');
      lines.push(line);
      console.log(line);
    }, { device });
    problems = checkOutput(e, device, lines, result);
    if (result) metrics = Object.entries(result.metrics).map(([k, v]) => `, ${k} ${v}`).join('');
  } catch (err) {
    problems = [`threw ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`];
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (problems.length === 0) console.error(`ok ${e.name} [${device}] (${e.check.kind} check${metrics}) in ${seconds} s`);
  else console.error(`FAILED ${e.name} [${device}] in ${seconds} s:\n  ${problems.join('\n  ')}`);
  return problems.length === 0;
}

async function main(argv: string[]): Promise<number> {
  const { device, rest } = parseDevice(argv);
  const chosen = rest.length === 0 ? examples : rest.map((n) => findExample(n) ?? n);
  const unknown = chosen.filter((e) => typeof e === 'string');
  if (unknown.length > 0) {
    console.error(`unknown example(s): ${unknown.join(', ')}; available: ${examples.map((e) => e.name).join(', ')}`);
    return 2;
  }
  if (device === 'workers') registerWorkersBackend();
  let failed = 0;
  try {
    for (const e of chosen) {
      if (typeof e === 'string') continue;
      if (chosen.length > 1) console.log(`=== ${e.name}: ${e.description}`);
      if (!(await runChecked(e, device))) failed++;
    }
  } finally {
    await disposeWorkers();
  }
  if (chosen.length > 1) console.error(failed === 0 ? `all ${chosen.length} examples passed their checks` : `${failed} of ${chosen.length} examples failed their checks`);
  return failed === 0 ? 0 : 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 2;
}
