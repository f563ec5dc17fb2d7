// Views taken before an in-place write on their base (or on a sibling view) get a fresh history
// that reads their slice of the base's new history, as in PyTorch. Each scenario mirrors
// test/fixtures/gen/view-regeneration.py; its PyTorch 1.13 output is
// test/fixtures/view-regeneration.json.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';

interface Expected {
  before?: unknown;
  after: [string | null, string | null];
  grad: unknown;
  gradS?: unknown;
  value?: unknown;
  requiresGrad?: boolean;
  grad2?: unknown;
}
const expected = JSON.parse(readFileSync(new URL('./fixtures/view-regeneration.json', import.meta.url), 'utf8')) as Record<string, Expected>;

const values = (t: torch.Tensor): number[] => Array.from(t.dataSync());
const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
const names = (t: torch.Tensor): [string | null, string | null] => {
  const fn = t.gradFn;
  return [fn?.name() ?? null, fn?.nextFunctions[0]![0]?.name() ?? null];
};

describe('views regenerate their history after an in-place write on the base', () => {
  it('a write on the base', () => {
    const e = expected.baseWritten!;
    const a = torch.tensor([-1, 2, -3, 4], { requiresGrad: true });
    const b = a.mul(1);
    const v = b.index([0, 2]);
    expect(v.gradFn!.name()).toBe(e.before);
    b.mul_(2);
    expect(names(v)).toEqual(e.after);
    v.mul(torch.tensor([1, 10])).sum().backward();
    expect(values(a.grad!)).toEqual(flat(e.grad));
    expect(values(v)).toEqual(flat(e.value));
  });

  it('a write through a sibling view', () => {
    const e = expected.siblingWritten!;
    const a = torch.tensor([1, 2, 3, 4], { requiresGrad: true });
    const b = a.mul(1);
    const v = b.index([0, 2]);
    const w = b.index([1, 3]);
    v.mul_(3);
    expect(names(w)).toEqual(e.after);
    w.mul(torch.tensor([1, 10])).sum().backward();
    expect(values(a.grad!)).toEqual(flat(e.grad));
    expect(values(w)).toEqual(flat(e.value));
  });

  it('a view used both before and after the write', () => {
    const e = expected.usedBeforeAndAfter!;
    const a = torch.tensor([1, 2, 3, 4], { requiresGrad: true });
    const s = torch.tensor([0.5, -1, 2, 3], { requiresGrad: true });
    const b = a.mul(1);
    const v = b.index([1, 3]);
    const y1 = v.mul(2);
    b.mul_(s);
    y1.sum().add(v.mul(torch.tensor([3, 5])).sum()).backward();
    expect(names(v)).toEqual(e.after);
    expect(values(a.grad!)).toEqual(flat(e.grad));
    expect(values(s.grad!)).toEqual(flat(e.gradS));
  });

  it('a view of a view, after writes through another view and on the base', () => {
    const e = expected.viewOfView!;
    const a = torch.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const b = a.mul(1);
    const r = b.index(1);
    const c = r.index([0, 2]);
    b.index(0).add_(b.index(1));
    b.mul_(torch.tensor([[1, 2, 3], [4, 5, 6]]));
    expect(names(c)).toEqual(e.after);
    c.mul(torch.tensor([7, 11])).sum().backward();
    expect(values(a.grad!)).toEqual(flat(e.grad));
    expect(values(c)).toEqual(flat(e.value));
  });

  it('a transposed view', () => {
    const e = expected.transposedView!;
    const a = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const b = a.mul(1);
    const v = b.t();
    b.div_(torch.tensor([[2, 4], [5, 8]]));
    expect(names(v)).toEqual(e.after);
    v.mul(torch.tensor([[1, 2], [3, 4]])).sum().backward();
    expect(values(a.grad!)).toEqual(flat(e.grad));
    expect(values(v)).toEqual(flat(e.value));
  });

  it('a base that gains a history through copy_', () => {
    const e = expected.baseGainsGrad!;
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    const c = torch.zeros(3);
    const u = c.index([0, 2]);
    expect([u.gradFn, u.requiresGrad]).toEqual(e.before);
    c.copy_(x.mul(2));
    expect(names(u)).toEqual(e.after);
    expect(u.requiresGrad).toBe(e.requiresGrad);
    u.mul(torch.tensor([1, 10])).sum().backward();
    expect(values(x.grad!)).toEqual(flat(e.grad));
  });

  it('double backward through a regenerated view', () => {
    const e = expected.doubleBackward!;
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    const b = x.mul(1);
    const v = b.index([1, 3]);
    b.mul_(x);
    const [g] = torch.autograd.grad(v.pow(2).sum(), x, null, { createGraph: true });
    const [h] = torch.autograd.grad(g!.sum(), x);
    expect(values(g!)).toEqual(flat(e.grad));
    expect(values(h!)).toEqual(flat(e.grad2));
  });
});

describe('views made in no-grad mode (PyTorch forbids tracking writes that reach them)', () => {
  const direct = 'A view was created in no_grad mode and is being modified inplace with grad mode enabled.';
  const indirect = 'A view was created in no_grad mode and its base or another view of its base has been modified inplace with grad mode enabled.';

  it('writing into one with grad mode on is an error when the write would be recorded', () => {
    const x = torch.ones(2, { requiresGrad: true });
    const c = torch.zeros(3);
    const u = torch.noGrad(() => c.index([0, 2]));
    expect(() => u.copy_(x)).toThrow(direct);
    expect(values(u.mul_(2))).toEqual([0, 0]);
    const b = torch.ones(4, { requiresGrad: true }).mul(1);
    const v = torch.noGrad(() => b.index([0, 2]));
    expect(() => v.mul_(2)).toThrow(direct);
    expect(() => torch.noGrad(() => v.mul_(2))).not.toThrow();
  });

  it('using one after its base was written is an error', () => {
    const a = torch.ones(4, { requiresGrad: true });
    const b = a.mul(1);
    const v = torch.noGrad(() => b.index([0, 2]));
    const w = torch.noGrad(() => v.index([0, 1]));
    torch.noGrad(() => v.mul_(2));
    expect(b.gradFn!.name()).toBe('MulBackward0');
    expect(() => w.gradFn).toThrow(indirect);
    b.mul_(2);
    expect(() => v.mul(2)).toThrow(indirect);
  });
});
