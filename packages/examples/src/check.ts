/** The runner's checks of an example's output (see OutputCheck), shared by `pnpm examples` and the unit tests. */
import { readFileSync } from 'node:fs';
import type { Device, Example, ExampleResult } from './example.js';

/** The expected text of a `text` example: expected/<name>.txt, what PyTorch (or the notebook) printed. */
export function expectedText(name: string): string {
  const text = readFileSync(new URL(`../expected/${name}.txt`, import.meta.url), 'utf8');
  return text.endsWith('\n') ? text : text + '\n';
}

/** A tensor repr on the workers device differs from cpu's only by this annotation. */
function withoutDeviceAnnotation(text: string): string {
  return text.replaceAll(", device='workers'", '');
}

/** Checks one run; returns the problems found (none when the example passes). */
export function checkOutput(example: Example, device: Device, lines: readonly string[], result: void | ExampleResult): string[] {
  const check = example.check;
  if (check.kind === 'text') {
    const text = lines.join('\n') + '\n';
    const got = device === 'workers' ? withoutDeviceAnnotation(text) : text;
    const want = expectedText(example.name);
    if (got === want) return [];
    const g = got.split('\n');
    const w = want.split('\n');
    const i = g.findIndex((line, k) => line !== w[k]);
    return [`output differs from expected/${example.name}.txt at line ${i + 1}:\n  expected: ${w[i] ?? '(end)'}\n  got:      ${g[i] ?? '(end)'}`];
  }
  if (check.kind === 'metrics') {
    const metrics = result?.metrics ?? {};
    return Object.entries(check.minimum).flatMap(([name, min]) => {
      const v = metrics[name];
      return v !== undefined && v >= min ? [] : [`${name} ${v ?? 'missing'} is below the required ${min}`];
    });
  }
  const problems: string[] = [];
  if (lines.length !== check.lines.length) problems.push(`expected ${check.lines.length} lines, got ${lines.length}`);
  check.lines.forEach((pattern, i) => {
    if (i < lines.length && !pattern.test(lines[i]!)) problems.push(`line ${i + 1} does not match ${pattern}: ${lines[i]}`);
  });
  return problems;
}
