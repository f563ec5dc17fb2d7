// Every in-place op run on a view of a non-leaf, against PyTorch 1.13: the values written
// through the view, the gradients, and the grad_fn names of base and view afterwards. The cases
// and their inputs come from test/fixtures/gen/inplace-views.py (output:
// test/fixtures/inplace-views.json); each case name maps to the same call here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { compareTensor, tensorFromJson, type TensorJson } from '../src/testing/corpus.js';

type Input = TensorJson & { requiresGrad: boolean };
interface Case {
  case: string;
  view: 'rows' | 'col';
  inputs: Record<string, Input>;
  base: TensorJson | null;
  gradA: TensorJson;
  grads: Record<string, TensorJson>;
  gradFns: [string, string];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/inplace-views.json', import.meta.url), 'utf8')) as { a: TensorJson; g: TensorJson; cases: Case[] };

type Inputs = Record<string, torch.Tensor>;
const F = torch.nn.functional;
const ops: Record<string, (v: torch.Tensor, i: Inputs) => unknown> = {
  add_tensor: (v, i) => v.add_(i.o!, { alpha: 2 }),
  add_scalar: (v) => v.add_(1.5),
  sub_tensor: (v, i) => v.sub_(i.o!, { alpha: 0.5 }),
  sub_scalar: (v) => v.sub_(2),
  mul_tensor: (v, i) => v.mul_(i.o!),
  mul_scalar: (v) => v.mul_(3),
  mul_broadcast: (v, i) => v.mul_(i.orow!),
  div_tensor: (v, i) => v.div_(i.odiv!),
  div_scalar: (v) => v.div_(4),
  fill_: (v) => v.fill_(2.5),
  zero_: (v) => v.zero_(),
  copy_: (v, i) => v.copy_(i.o!),
  copy_broadcast: (v, i) => v.copy_(i.orow!),
  clamp_: (v) => v.clamp_(-0.5, 0.8),
  clamp_tensor: (v, i) => v.clamp_({ min: i.o!.sub(1.5) }),
  clamp_min_: (v) => v.clampMin_(0),
  clamp_max_: (v) => v.clampMax_(0.3),
  clip_: (v) => v.clip_(-1, 1),
  masked_fill_scalar: (v, i) => v.maskedFill_(i.mask!, 0.7),
  masked_fill_tensor: (v, i) => v.maskedFill_(i.mask!, i.scalar!),
  index_add_: (v, i) => v.indexAdd_(0, i.idxDup!, i.src3!, { alpha: 2 }),
  index_put_: (v, i) => v.indexPut_([i.idxPerm!], i.srcN!),
  index_put_accumulate: (v, i) => v.indexPut_([i.idxDup!], i.src3!, true),
  scatter_src: (v, i) => v.scatter_(0, i.scatterIdx!, i.srcN!),
  scatter_value: (v, i) => v.scatter_(0, i.scatterIdx!.index([0, 1]), 1.25),
  scatter_add_: (v, i) => v.scatterAdd_(0, i.scatterIdx!, i.srcN!),
  setitem_basic: (v, i) => v.setIndex(0, i.orow!),
  setitem_scalar: (v) => v.setIndex('0:1', 3),
  setitem_advanced: (v, i) => v.setIndex(i.idxPerm!, i.srcN!),
  setitem_mask: (v, i) => v.setIndex(i.mask!, i.scalar!),
  normal_: (v) => v.normal_(0.5, 2),
  uniform_: (v) => v.uniform_(-1, 3),
  bernoulli_scalar: (v) => v.bernoulli_(0.5),
  bernoulli_tensor: (v, i) => v.bernoulli_(i.probs!),
  relu: (v) => F.relu(v, { inplace: true }),
  silu: (v) => F.silu(v, { inplace: true }),
  elu: (v) => F.elu(v, 1.5, true),
  leaky_relu: (v) => F.leakyRelu(v, 0.2, true),
  dropout_p1: (v) => F.dropout(v, 1, true, true),
};
const views = {
  rows: (b: torch.Tensor) => b.index([1, 3]),
  col: (b: torch.Tensor) => b.index(':', 1),
};

async function expectClose(actual: torch.Tensor | null, expected: TensorJson, what: string): Promise<void> {
  expect(await compareTensor(actual, expected, 1e-5, 1e-5), what).toBeNull();
}

describe('every in-place op on a view of a non-leaf matches PyTorch', () => {
  it('covers every case of the fixture', () => {
    expect(Object.keys(ops).sort()).toEqual([...new Set(fixture.cases.map((c) => c.case))].sort());
  });

  for (const c of fixture.cases) {
    it(`${c.case} on ${c.view}`, async () => {
      torch.manualSeed(7);
      const a = tensorFromJson(fixture.a).requiresGrad_();
      const b = a.mul(1);
      const v = views[c.view](b);
      const inputs: Inputs = {};
      for (const [k, j] of Object.entries(c.inputs)) inputs[k] = tensorFromJson(j).requiresGrad_(j.requiresGrad);
      ops[c.case]!(v, inputs);
      expect([b.gradFn?.name(), v.gradFn?.name()]).toEqual(c.gradFns);
      b.mul(tensorFromJson(fixture.g)).sum().add(v.mul(v).sum()).backward();
      if (c.base) await expectClose(b, c.base, 'values');
      await expectClose(a.grad, c.gradA, 'a.grad');
      for (const [k, t] of Object.entries(inputs)) {
        if (!t.requiresGrad) continue;
        if (c.grads[k]) await expectClose(t.grad, c.grads[k], `${k}.grad`);
        else expect(t.grad, `${k}.grad`).toBeNull();
      }
    });
  }
});

describe("nn's in-place forms go through the in-place driver", () => {
  const leafError = 'a leaf Variable that requires grad is being used in an in-place operation.';

  it('relu on a view of a non-leaf rebases the base (PyTorch: a.grad = [1, 1, 0, 1])', () => {
    const a = torch.tensor([-1, 2, -3, 4], { requiresGrad: true });
    const b = a.mul(1);
    F.relu(b.index([1, 3]), { inplace: true });
    b.sum().backward();
    expect(Array.from(a.grad!.dataSync())).toEqual([1, 1, 0, 1]);
  });

  it('refuse a leaf that requires grad', () => {
    const leaf = torch.ones(4, { requiresGrad: true });
    expect(() => F.dropout(leaf, { p: 0.5, training: true, inplace: true })).toThrow(leafError);
    expect(() => F.relu(leaf, { inplace: true })).toThrow(leafError);
    expect(() => F.silu(leaf, { inplace: true })).toThrow(leafError);
    expect(() => F.elu(leaf, { inplace: true })).toThrow(leafError);
    expect(() => F.leakyRelu(leaf, { inplace: true })).toThrow(leafError);
    expect(leaf.isLeaf).toBe(true);
    expect(() => F.relu(leaf.index([0, 2]), { inplace: true })).toThrow('a view of a leaf Variable that requires grad is being used in an in-place operation.');
  });

  it('in-place dropout on a view: the gradient is the mask, scaled', () => {
    torch.manualSeed(3);
    const a = torch.ones(4, 3, { requiresGrad: true });
    const b = a.mul(1);
    F.dropout(b.index([1, 3]), { p: 0.5, training: true, inplace: true });
    expect(b.gradFn!.name()).toBe('CopySlices');
    b.sum().backward();
    expect(Array.from(a.grad!.dataSync())).toEqual(Array.from(b.dataSync()));
  });

  it('bump the version, so a saved input that was overwritten is detected', () => {
    const a = torch.tensor([1, 2, 3], { requiresGrad: true });
    const b = a.mul(1);
    const y = b.exp();
    F.relu(b, { inplace: true });
    expect(() => y.sum().add(b.mul(b).sum()).backward()).not.toThrow();
    const c = a.mul(1);
    const z = c.sin();
    F.relu(c, { inplace: true });
    expect(() => z.sum().backward()).toThrow('one of the variables needed for gradient computation has been modified by an inplace operation');
  });
});
