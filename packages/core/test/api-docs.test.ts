/**
 * The API reference stays honest: every public export, namespace member (`F.*`, `autograd.*`)
 * and public class member (Tensor's included, with the methods ops/ merge in) has TSDoc, and
 * docs/API.md is what the generator writes from it today (`pnpm run docs` regenerates it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkApiReference, collectApi, firstSentence, outputPath, repoRoot, type ApiItem } from '../scripts/api-reference.mjs';

describe('API reference (docs/API.md)', () => {
  let items: ApiItem[] = [];
  let check: ReturnType<typeof checkApiReference>;

  beforeAll(() => {
    items = collectApi();
    check = checkApiReference();
  }, 120_000);

  it('every public function, method and export has a TSDoc comment', () => {
    expect(check.missing, `add a /** ... */ comment to each of these:\n${check.missing.join('\n')}`).toEqual([]);
  });

  it('docs/API.md is up to date (run `pnpm run docs`)', () => {
    const actual = readFileSync(join(repoRoot, outputPath), 'utf8').split('\n');
    const expected = check.expected.split('\n');
    const first = expected.findIndex((line, i) => line !== actual[i]);
    const at = first === -1 ? expected.length : first;
    const detail = `first difference at line ${at + 1}:\n  file:      ${actual[at] ?? '<end of file>'}\n  generated: ${expected[at] ?? '<end of file>'}`;
    expect(check.stale, detail).toBe(false);
  });

  it('covers the Tensor methods merged in from ops/ and the namespaces', () => {
    const names = new Set(items.map((i) => i.display));
    for (const n of ['torch.tensor', 'Tensor.add', 'Tensor.neg', 'Tensor.setIndex', 'Tensor.var', 'Tensor.backward', 'F.conv2d',
      'torch.autograd.grad', 'gradcheck', 'registerWorkersBackend', 'Tensor.toString', 'Tensor.item']) {
      expect(names.has(n), n).toBe(true);
    }
    // Internal members stay out.
    expect(names.has('Tensor._grad')).toBe(false);
    expect(names.has('Tensor.gradEdge')).toBe(false);
    expect(items.every((i) => i.group !== null)).toBe(true);
  });

  it('lists the differences from PyTorch recorded in the TSDoc', () => {
    const noted = items.filter((i) => i.notes.length > 0).map((i) => i.display);
    for (const n of ['torch.tensor', 'Tensor.max', 'Tensor.dataSync', 'torch.scatter']) expect(noted, n).toContain(n);
  });

  it('takes the first sentence of a summary', () => {
    expect(firstSentence('Adds `a.b` to c, e.g. x. Then more.')).toBe('Adds `a.b` to c, e.g. x.');
    expect(firstSentence('No period')).toBe('No period');
    expect(firstSentence('Intro:\n- item. one\n- two')).toBe('Intro:');
  });
});
