/**
 * The random factories through the public Tensor API: every case of torch-random.json replayed
 * with torch.manualSeed + rand / randn / randint / randperm / normal_ / uniform_ / bernoulli, and
 * the same streams through an explicit Generator.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import type { DType, Tensor } from '../src/index.js';

interface TensorOut { shape: number[]; dtype: DType; data: number[] }
interface Step { call: string; args: unknown[]; out: TensorOut }
interface Case { id: string; seed: number; steps: Step[] }

const fixture = JSON.parse(readFileSync(new URL('./fixtures/torch-random.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** Runs one recorded call through the public API, on `generator` when given. */
function run(step: Step, generator?: torch.Generator): Tensor {
  const g = generator ? { generator } : {};
  const a = step.args;
  switch (step.call) {
    case 'rand': return torch.rand((a[0] as number[][])[0]!, { dtype: a[1] as DType, ...g });
    case 'randn': return torch.randn((a[0] as number[][])[0]!, { dtype: a[1] as DType, ...g });
    case 'randint': return torch.randint(a[0] as number, a[1] as number, a[2] as number[], g);
    case 'randperm': return torch.randperm(a[0] as number, g);
    case 'normal_': return torch.empty((a[0] as number[][])[0]!).normal_(a[1] as number, a[2] as number, g);
    case 'uniform_': return torch.empty((a[0] as number[][])[0]!).uniform_(a[1] as number, a[2] as number, g);
    case 'bernoulli': return torch.bernoulli(torch.full(a[0] as number[], a[1] as number), g);
    default: throw new Error(`unknown call ${step.call}`);
  }
}

function check(t: Tensor, out: TensorOut, label: string): void {
  expect(t.shape, `${label} shape`).toEqual(out.shape);
  expect(t.dtype, `${label} dtype`).toBe(out.dtype);
  // toEqual compares numbers with Object.is: the values must be bit-for-bit PyTorch's.
  expect(Array.from(t.dataSync()), label).toEqual(out.data);
}

describe('torch-random.json through the Tensor API (default generator)', () => {
  for (const c of fixture.cases) {
    it(c.id, () => {
      torch.manualSeed(c.seed);
      c.steps.forEach((step, k) => check(run(step), step.out, `step ${k} (${step.call})`));
    });
  }
});

describe('torch-random.json through an explicit Generator', () => {
  for (const c of fixture.cases) {
    it(c.id, () => {
      const gen = new torch.Generator().manualSeed(c.seed);
      torch.manualSeed(c.seed + 1); // the default generator must not be used
      c.steps.forEach((step, k) => check(run(step, gen), step.out, `step ${k} (${step.call})`));
    });
  }
});

describe('random factories', () => {
  it('accept varargs shapes and keep the default stream order', () => {
    torch.manualSeed(0);
    const a = torch.rand(3, 4);
    torch.manualSeed(0);
    const b = torch.rand([3, 4]);
    expect(a.shape).toEqual([3, 4]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
  });

  it('randint(high, size) draws from [0, high)', () => {
    torch.manualSeed(0);
    const a = torch.randint(10, [12]);
    torch.manualSeed(0);
    const b = torch.randint(0, 10, [12]);
    expect(a.dtype).toBe('int64');
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
  });

  it('randint honours dtype', () => {
    const t = torch.randint(0, 5, [20], { dtype: 'int32' });
    expect(t.dtype).toBe('int32');
    for (const v of t.dataSync()) expect(v >= 0 && v < 5).toBe(true);
  });

  it('randperm is a permutation', () => {
    const p = Array.from(torch.randperm(50).dataSync()).sort((x, y) => x - y);
    expect(p).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('randLike / randnLike / randintLike follow the tensor', () => {
    const x = torch.zeros([2, 3], { dtype: 'float64' });
    expect(torch.randLike(x).dtype).toBe('float64');
    expect(torch.randnLike(x).shape).toEqual([2, 3]);
    const r = torch.randintLike(x, 3, 7);
    for (const v of r.dataSync()) expect(v >= 3 && v < 7).toBe(true);
  });

  it('requiresGrad makes a leaf', () => {
    const w = torch.randn(3, { requiresGrad: true });
    expect(w.requiresGrad).toBe(true);
    expect(w.isLeaf).toBe(true);
  });

  it('float64 normal_ / uniform_ match the float64 generator paths', () => {
    torch.manualSeed(5);
    const a = torch.empty([20], { dtype: 'float64' }).normal_();
    torch.manualSeed(5);
    const b = torch.randn([20], { dtype: 'float64' });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
  });

  it('uniform_ stays in range and bumps the version', () => {
    const t = torch.zeros(100);
    const v0 = t.storage.version;
    t.uniform_(-2, 3);
    expect(t.storage.version).toBeGreaterThan(v0);
    for (const v of t.dataSync()) expect(v >= -2 && v < 3).toBe(true);
  });

  it('bernoulli_ with a scalar or tensor probability gives 0/1', () => {
    const t = torch.zeros(64).bernoulli_(0.5);
    for (const v of t.dataSync()) expect(v === 0 || v === 1).toBe(true);
    const u = torch.zeros([2, 3]).bernoulli_(torch.tensor([0, 1, 0]));
    expect(u.tolist()).toEqual([[0, 1, 0], [0, 1, 0]]);
    expect(torch.tensor([0, 1, 1, 0]).bernoulli().tolist()).toEqual([0, 1, 1, 0]);
  });

  it('in-place samplers on a leaf requiring grad fail like PyTorch, and work under noGrad', () => {
    const w = torch.zeros(3, { requiresGrad: true });
    expect(() => w.normal_()).toThrow('a leaf Variable that requires grad is being used in an in-place operation.');
    torch.noGrad(() => w.normal_(0, 0.02));
    expect(w.requiresGrad).toBe(true);
  });

  it('errors', () => {
    expect(() => torch.rand(3, { dtype: 'int64' })).toThrow(`"check_uniform_bounds" not implemented for 'Long'`);
    expect(() => torch.randn(3, { dtype: 'int64' })).toThrow(`"normal_kernel_cpu" not implemented for 'Long'`);
    expect(() => torch.randint(5, 5, [2])).toThrow("random_ expects 'from' to be less than 'to', but got from=5 >= to=5");
    expect(() => torch.bernoulli(torch.tensor([1.5]))).toThrow('Expected p_in >= 0 && p_in <= 1 to be true');
    expect(() => torch.zeros(2).normal_(0, -1)).toThrow('normal expects std >= 0.0');
  });

  it('normal_ on a non-contiguous tensor fills every element', () => {
    const t = torch.zeros([4, 20]).t();
    t.normal_();
    const v = Array.from(t.contiguous().dataSync());
    expect(v.every((x) => x !== 0)).toBe(true);
  });
});
