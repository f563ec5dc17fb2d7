/**
 * The ops of fixtures/torch-ops-linalg.json beyond what the corpus runner checks (the corpus
 * kit runs its op cases on every backend): PyTorch's errors for bad arguments, in-place ops on
 * a view of a non-leaf (CopySlices) against PyTorch's values and gradients, and the behaviour
 * JSON cannot carry (p = inf, new_empty, the in-place driver's checks, maxNorm's write).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import {
  camelCase, compareTensor, gradcheck, gradgradcheck, prepareCase, tensorFromJson,
  type ArgJson, type CorpusCase, type TensorArg, type TensorJson,
} from '../src/testing/index.js';

interface ErrorCase {
  id: string;
  op: string;
  args: ArgJson[];
  kwargs: Record<string, ArgJson>;
  error_type: string;
  message: string;
}

interface InplaceViewCase {
  id: string;
  method: string;
  a: TensorJson;
  extra: ArgJson[];
  kwargs: Record<string, ArgJson>;
  lo: number;
  hi: number;
  w: TensorJson;
  b: TensorJson;
  grad_fn: string;
  grads: TensorJson[];
}

const fixture = JSON.parse(readFileSync(new URL('../src/testing/corpus/torch-ops-linalg.json', import.meta.url), 'utf8')) as {
  error_cases: ErrorCase[];
  inplace_view_cases: InplaceViewCase[];
};

describe("PyTorch's errors for bad arguments (fixtures/torch-ops-linalg.json error_cases)", () => {
  for (const c of fixture.error_cases) {
    it(c.id, () => {
      const asCase = { ...c, out: { shape: [], dtype: 'float32', data: [] }, grad_fn: null, grad_output: null, atol: 0, rtol: 0, pyFloatScalars: [] } as CorpusCase;
      const p = prepareCase(asCase);
      let thrown: unknown = null;
      try {
        p.call();
      } catch (e) {
        thrown = e;
      }
      expect(thrown, `${c.id} should throw`).toBeInstanceOf(Error);
      const e = thrown as Error;
      expect(e.name).toBe(c.error_type);
      expect(e.message.split('\n')[0]).toBe(c.message);
    });
  }
});

function isTensorArg(a: ArgJson): a is TensorArg {
  return a !== null && typeof a === 'object' && !Array.isArray(a) && 'tensor' in a;
}

describe('in-place ops on a view of a non-leaf match PyTorch (values, gradients, CopySlices)', () => {
  for (const c of fixture.inplace_view_cases) {
    it(c.id, async () => {
      const a = tensorFromJson(c.a).requiresGrad_(true);
      const leaves: Tensor[] = [];
      const extra = c.extra.map((e) => {
        if (!isTensorArg(e)) return e;
        const t = tensorFromJson(e.tensor);
        if (e.requires_grad) leaves.push(t.requiresGrad_(true));
        return t;
      });
      const kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [camelCase(k), v]));
      const b = a.mul(1.5);
      const view = b.index([c.lo, c.hi]);
      const method = (view as unknown as Record<string, (...args: unknown[]) => Tensor>)[camelCase(c.method)]!;
      const returned = method.call(view, ...extra, ...(Object.keys(kwargs).length > 0 ? [kwargs] : []));
      expect(returned).toBe(view);
      expect(await compareTensor(b, c.b, 1e-6, 1e-5)).toBeNull();
      // PyTorch's name() spells it with its C++ namespace (torch::autograd::CopySlices).
      expect(b.gradFn?.name()).toBe(c.grad_fn.replace('torch::autograd::', ''));
      b.mul(tensorFromJson(c.w)).sum().backward();
      const grads = [a, ...leaves].map((t) => t.grad);
      for (let i = 0; i < c.grads.length; i++) expect(await compareTensor(grads[i], c.grads[i]!, 1e-5, 1e-4), `gradient ${i}`).toBeNull();
    });
  }
});

const f64 = (data: number[], shape: number[]): Tensor => torch.tensor(data, { dtype: 'float64' }).reshape(shape).requiresGrad_(true);

describe('in-place twins go through the in-place driver', () => {
  it('bump the version, so a tensor saved for backward and then changed is caught', () => {
    const a = torch.tensor([0.5, 1.5], { requiresGrad: true });
    const b = a.mul(2);
    const y = b.sin(); // saves b
    const before = b.storage.version;
    b.exp_();
    expect(b.storage.version).toBe(before + 1);
    expect(() => y.sum().backward()).toThrow(/modified by an inplace operation/);
  });

  it('refuse a leaf that requires grad, and a view of one', () => {
    const a = torch.tensor([0.5, 1.5], { requiresGrad: true });
    expect(() => a.sigmoid_()).toThrow('a leaf Variable that requires grad is being used in an in-place operation.');
    expect(() => a.index([0, 1]).tanh_()).toThrow('a view of a leaf Variable that requires grad is being used in an in-place operation.');
    expect(() => a.addcmul_(a, a)).toThrow('a leaf Variable that requires grad is being used in an in-place operation.');
    torch.noGrad(() => a.mul_(2).sqrt_());
    expect(a.tolist()).toEqual([1, Math.fround(Math.sqrt(3))]);
  });

  it('torch.exp_(x) is x.exp_(), returning x', () => {
    const x = torch.tensor([0, 1]);
    expect(torch.exp_(x)).toBe(x);
    expect(x.tolist()).toEqual([1, Math.fround(Math.E)]);
  });
});

describe('what JSON cannot carry', () => {
  it('cdist with p = Infinity is the largest coordinate difference, with its gradient', async () => {
    const x = f64([0, 1, 2, -1, 0.5, 3], [3, 2]), y = f64([1, 1, -2, 0.25], [2, 2]);
    const d = torch.cdist(x, y, Infinity);
    expect(d.tolist()).toEqual([[1, 2], [2, 4], [2, 2.75]]);
    expect(gradcheck((a: Tensor, b: Tensor) => torch.cdist(a, b, { p: Infinity }), [x, y])).toBe(true);
  });

  it('newEmpty has the shape, dtype and device asked for', () => {
    const x = torch.zeros([2], { dtype: 'float64' });
    const e = x.newEmpty(3, 2);
    expect([e.shape, e.dtype, e.device]).toEqual([[3, 2], 'float64', 'cpu']);
    const f = x.newEmpty([4], { dtype: 'int32', requiresGrad: false });
    expect([f.shape, f.dtype]).toEqual([[4], 'int32']);
    expect(x.newZeros([2], { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('embedding maxNorm renormalizes the referenced rows of the weight in place, without recording', () => {
    const w = torch.tensor([[3, 4], [0.3, 0.4], [6, 8]], { requiresGrad: true });
    const version = w.storage.version;
    torch.nn.functional.embedding(torch.tensor([0, 1, 0], { dtype: 'int64' }), w, { maxNorm: 1 });
    expect(w.storage.version).toBe(version + 1);
    expect(w.isLeaf).toBe(true);
    const rows = w.tolist() as number[][];
    expect(rows[0]![0]).toBeCloseTo(0.6, 6);
    expect(rows[1]).toEqual([Math.fround(0.3), Math.fround(0.4)]);
    expect(rows[2]).toEqual([6, 8]); // not referenced: unchanged
  });

  it('diagonal is a view: writes through it reach the base', () => {
    const x = torch.zeros(3, 3);
    const d = x.diagonal();
    d.fill_(1);
    expect(x.tolist()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(x.diagonal(1).shape).toEqual([2]);
  });

  it('einsum takes its operands as varargs or as one list', () => {
    const a = torch.arange(6, { dtype: 'float32' }).reshape(2, 3), b = torch.ones(3, 2);
    expect(torch.einsum('ij,jk->ik', [a, b]).tolist()).toEqual(torch.einsum('ij,jk->ik', a, b).tolist());
    expect(torch.einsum('ij,jk->ik', a, b).tolist()).toEqual([[3, 3], [12, 12]]);
  });
});

describe('gradgradcheck of the new differentiable ops (float64)', () => {
  const x = (shape: number[], seed: number): Tensor => {
    const n = shape.reduce((p, q) => p * q, 1);
    const data = Array.from({ length: n }, (_, i) => Math.sin(seed * 7.1 + i * 1.37) * 1.5 + (i % 2 === 0 ? 0.3 : -0.2));
    return f64(data, shape);
  };
  const cases: [string, (...ts: Tensor[]) => Tensor, () => Tensor[]][] = [
    ['diagonal', (a) => a.diagonal(1, 0, 2), () => [x([3, 2, 4], 1)]],
    ['diag vector', (a) => torch.diag(a, -1), () => [x([3], 2)]],
    ['diag matrix', (a) => torch.diag(a, 1), () => [x([3, 4], 3)]],
    ['diagEmbed', (a) => torch.diagEmbed(a, 1, 0, 2), () => [x([2, 3], 4)]],
    ['trace', (a) => torch.trace(a), () => [x([3, 2], 5)]],
    ['cross', (a, b) => torch.cross(a, b, -1), () => [x([2, 3], 6), x([1, 3], 7)]],
    ['kron', (a, b) => torch.kron(a, b), () => [x([2, 2], 8), x([3], 9)]],
    ['rot90', (a) => torch.rot90(a, 3, [1, 0]), () => [x([2, 3], 10)]],
    ['einsum bilinear', (a, b, c) => torch.einsum('bn,anm,bm->ba', a, b, c), () => [x([2, 3], 11), x([2, 3, 2], 12), x([2, 2], 13)]],
    ['einsum diagonal and ellipsis', (a, b) => torch.einsum('...ii,...i->...', a, b), () => [x([2, 3, 3], 14), x([3], 15)]],
    ['cdist p=2', (a, b) => torch.cdist(a, b), () => [x([3, 2], 16), x([2, 2], 17)]],
    ['cdist p=3', (a, b) => torch.cdist(a, b, 3), () => [x([3, 2], 18), x([2, 2], 19)]],
    ['cdist matmul path', (a, b) => torch.cdist(a, b, { computeMode: 'use_mm_for_euclid_dist' }), () => [x([3, 2], 20), x([2, 2], 21)]],
    ['addcmul', (a, b, c) => torch.addcmul(a, b, c, { value: 0.5 }), () => [x([2, 3], 22), x([3], 23), x([2, 1], 24)]],
    ['addcdiv', (a, b, c) => torch.addcdiv(a, b, c, { value: -2 }), () => [x([2, 3], 25), x([3], 26), x([2, 1], 27).detach().add(3).requiresGrad_(true)]],
    ['scatterReduce amax', (a, s) => torch.scatterReduce(a, 0, torch.tensor([0, 2, 2], { dtype: 'int64' }), s, 'amax', { includeSelf: false }), () => [x([3], 28), x([3], 29)]],
    ['scatterReduce prod', (a, s) => a.scatterReduce(0, torch.tensor([0, 0, 1], { dtype: 'int64' }), s, 'prod'), () => [x([2], 30), x([3], 31)]],
    ['scatterReduce mean', (a, s) => a.scatterReduce(0, torch.tensor([1, 1, 0], { dtype: 'int64' }), s, 'mean'), () => [x([2], 32), x([3], 33)]],
    ['exp_ on a non-leaf', (a) => a.mul(1).exp_(), () => [x([3], 34)]],
    ['lerp_ on a view of a non-leaf', (a, e) => { const b = a.mul(1); b.index([0, 2]).lerp_(e, 0.3); return b; }, () => [x([3], 35), x([2], 36)]],
  ];
  for (const [name, fn, inputs] of cases) {
    it(name, () => {
      expect(gradcheck(fn as never, inputs())).toBe(true);
      expect(gradgradcheck(fn as never, inputs())).toBe(true);
    });
  }
});
