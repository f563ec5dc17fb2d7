/**
 * Sorting, selection, scans, value tests, searching and the normal / multinomial / poisson
 * samplers: PyTorch's random streams, argument errors, the iterable results, double backward,
 * and a custom backend without the optional sort family running the generated corpus.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { createCpuBackend } from '../src/backend/cpu.js';
import { backendTestKit, gradcheck, gradgradcheck, loadCorpus, tensorFromJson, type TensorJson } from '../src/testing/index.js';

const opsSort = loadCorpus(readFileSync(new URL('../src/testing/corpus/torch-ops-sort.json', import.meta.url), 'utf8'));

// A custom backend that has every family but sort: core's default sort stands in.
torch.registerBackend('nosort', () => {
  const b = { ...createCpuBackend(), name: 'nosort' };
  delete b.sort;
  return b;
});
backendTestKit({ device: 'nosort', describe, it, corpus: opsSort });

interface Step { call: string; args: unknown[]; out: TensorJson }
const streams = (JSON.parse(readFileSync(new URL('./fixtures/torch-random-ops-sort.json', import.meta.url), 'utf8')) as {
  cases: { id: string; seed: number; steps: Step[] }[];
}).cases;

const arg = (a: unknown): unknown => (a !== null && typeof a === 'object' && 'shape' in a ? tensorFromJson(a as TensorJson) : a);

function call(step: Step): torch.Tensor {
  const a = step.args.map(arg) as [never, never, never];
  switch (step.call) {
    case 'normal': return torch.normal(...a);
    case 'multinomial': return torch.multinomial(...a);
    case 'poisson': return torch.poisson(a[0]);
    case 'rand': return torch.rand(...a);
    default: throw new Error(`unknown call ${step.call}`);
  }
}

describe('random streams after manualSeed match PyTorch 1.13 exactly', () => {
  for (const c of streams) {
    it(c.id, () => {
      torch.manualSeed(c.seed);
      for (const step of c.steps) {
        const got = call(step);
        expect(got.shape).toEqual(step.out.shape);
        expect(got.dtype).toBe(step.out.dtype);
        expect(Array.from(got.dataSync())).toEqual(step.out.data);
      }
    });
  }
});

describe('sorting and selection', () => {
  it('results destructure as { values, indices } and index 0 / 1', () => {
    const x = torch.tensor([[3, 1, 2], [0, 5, 4]]);
    const { values, indices } = x.sort(1, true);
    expect(values.tolist()).toEqual([[3, 2, 1], [5, 4, 0]]);
    expect(indices.tolist()).toEqual([[0, 2, 1], [1, 2, 0]]);
    const r = torch.topk(x, 1, { dim: 0 });
    expect(r[0].tolist()).toEqual([[3, 5, 4]]);
    expect(r[1].tolist()).toEqual([[0, 1, 1]]);
    expect(x.argsort({ dim: 0 }).tolist()).toEqual([[1, 0, 0], [0, 1, 1]]);
    expect(torch.msort(x).tolist()).toEqual([[0, 1, 2], [3, 5, 4]]);
  });

  it('gives PyTorch errors for bad arguments', () => {
    const x = torch.zeros(3);
    expect(() => torch.sort(x, 2)).toThrow(torch.IndexError);
    expect(() => torch.sort(x, 2)).toThrow('Dimension out of range (expected to be in range of [-1, 0], but got 2)');
    expect(() => torch.topk(x, 4)).toThrow('selected index k out of range');
    expect(() => torch.topk(x, 1.5)).toThrow(torch.TypeError);
    expect(() => torch.topk(x, 1.5)).toThrow("topk(): argument 'k' must be int, not float");
    expect(() => torch.multinomial(torch.ones(3), 0)).toThrow('cannot sample n_sample <= 0 samples');
    expect(() => torch.kthvalue(x, 4)).toThrow('kthvalue(): selected number k out of range for dimension 0');
    expect(() => torch.mode(torch.zeros(0))).toThrow('mode(): Expected reduction dim 0 to have non-zero size.');
    expect(() => torch.multinomial(torch.ones(3), 4)).toThrow('cannot sample n_sample > prob_dist.size(-1) samples without replacement');
    expect(() => torch.multinomial(torch.tensor([1, -1]), 1)).toThrow('probability tensor contains either `inf`, `nan` or element < 0');
    expect(() => torch.bincount(torch.tensor([-1], { dtype: 'int64' }))).toThrow('bincount only supports 1-d non-negative integral inputs.');
    expect(() => torch.bincount(torch.tensor([1]))).toThrow(`"bincount_cpu" not implemented for 'Float'`);
    expect(() => torch.searchsorted(torch.tensor([1, 2]), torch.tensor([1]), { side: 'left', right: true }))
      .toThrow("torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True");
    expect(() => torch.isclose(torch.tensor([1]), torch.tensor([1], { dtype: 'int64' }))).toThrow('Long did not match Float');
    expect(() => torch.unique(x, { dim: 1 })).toThrow('Dimension out of range (expected to be in range of [-1, 0], but got 1)');
    expect(() => torch.normal(torch.zeros(2), -1)).toThrow('normal expects std >= 0.0, but found std -1');
    expect(() => torch.poisson(torch.tensor([-1]))).toThrow('invalid Poisson rate, expected rate to be non-negative');
  });

  it('allclose returns a boolean', () => {
    const a = torch.tensor([1, 2, NaN]);
    expect(torch.allclose(a, torch.tensor([1, 2.000001, NaN]))).toBe(false);
    expect(a.allclose(torch.tensor([1, 2.000001, NaN]), { equalNan: true })).toBe(true);
    expect(torch.allclose(a, a.add(0.5), 0, 0.6, true)).toBe(true);
  });

  it('gradients pass gradcheck and gradgradcheck', () => {
    const x = torch.randn([3, 5], { dtype: 'float64', generator: new torch.Generator(7) }).requiresGrad_();
    const ops: Record<string, (t: torch.Tensor) => torch.Tensor> = {
      sort: (t) => t.sort(1).values,
      topk: (t) => t.topk(2, 0).values,
      kthvalue: (t) => t.kthvalue(2, 1).values,
      median: (t) => t.median(0).values,
      medianAll: (t) => t.median(),
      mode: (t) => t.mode(1).values,
      cummax: (t) => t.cummax(1).values,
      cummin: (t) => t.cummin(0).values,
      logcumsumexp: (t) => t.logcumsumexp(1),
    };
    for (const [name, f] of Object.entries(ops)) {
      expect([name, gradcheck(f, [x])]).toEqual([name, true]);
      expect([name, gradgradcheck(f, [x])]).toEqual([name, true]);
    }
  }, 60_000);
});
