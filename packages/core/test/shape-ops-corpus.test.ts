/**
 * The corpus cases (torch-golden.json, PyTorch 1.13) of the shape, indexing, cumulative and
 * extra pointwise ops, forward and backward, through the generic corpus runner.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCorpus, runCorpusCase } from '../src/testing/corpus.js';

const OPS = new Set([
  'Tensor.repeat', 'flip', 'roll', 'tril', 'triu', 'split', 'chunk', 'cat', 'stack', 'gather', 'index_select',
  'masked_fill', 'cumsum', 'cumprod', 'Tensor.__getitem__', 'clamp', 'lerp', 'atan2', 'remainder', 'fmod', 'outer',
]);

const cases = loadCorpus(readFileSync(new URL('../src/testing/corpus/torch-golden.json', import.meta.url), 'utf8')).filter((c) => OPS.has(c.op));

describe('corpus: shape, indexing, cumulative and extra pointwise ops', () => {
  it('covers every op of the group', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(OPS);
  });
  for (const c of cases) {
    it(c.id, async () => {
      const r = await runCorpusCase(c);
      expect(r.detail).toBe('');
      expect(r.status).toBe('pass');
      expect(r.gradFnMismatch).toBeUndefined();
    });
  }
});
