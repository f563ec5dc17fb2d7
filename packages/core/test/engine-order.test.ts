// The engine runs ready nodes in PyTorch's order: AccumulateGrad as soon as it is ready, then the
// most recently created node. Each scenario mirrors test/fixtures/gen/engine-order.py, whose
// PyTorch 1.13 output is test/fixtures/engine-order.json; the order is observed through hooks.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';

const expected = JSON.parse(readFileSync(new URL('./fixtures/engine-order.json', import.meta.url), 'utf8')) as Record<string, string[]>;

function hooked(t: torch.Tensor, name: string, order: string[]): torch.Tensor {
  t.registerHook(() => { order.push(name); });
  return t;
}

describe("backward runs nodes in PyTorch's order", () => {
  it('a leaf gradient is accumulated as soon as it is ready', () => {
    const order: string[] = [];
    const c = torch.ones(2, { requiresGrad: true });
    c.mul(1);
    const a = torch.ones(2, { requiresGrad: true });
    const op1 = hooked(a.mul(3), 'op1', order);
    const op2 = hooked(c.mul(5), 'op2', order);
    hooked(a, 'a', order);
    hooked(c, 'c', order);
    op1.sum().add(op2.sum()).backward();
    expect(order).toEqual(expected.leavesFirst);
  });

  it('the latest-created ready node runs first', () => {
    const order: string[] = [];
    const x = torch.tensor([0.5, 1.5], { requiresGrad: true });
    const p = hooked(x.exp(), 'p', order);
    const q = hooked(x.sin(), 'q', order);
    const r = hooked(x.mul(2), 'r', order);
    const s = hooked(q.mul(p), 's', order);
    const t = hooked(r.add(p), 't', order);
    hooked(x, 'x', order);
    s.sum().add(t.sum()).backward();
    expect(order).toEqual(expected.latestFirst);
  });

  it('a diamond over two leaves', () => {
    const order: string[] = [];
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const w = torch.tensor([3, 4], { requiresGrad: true });
    const a = hooked(x.mul(w), 'a', order);
    const b = hooked(a.tanh(), 'b', order);
    const c = hooked(x.cos(), 'c', order);
    const d = hooked(b.mul(c).add(a), 'd', order);
    hooked(w, 'w', order);
    hooked(x, 'x', order);
    d.sum().backward();
    expect(order).toEqual(expected.diamondTwoLeaves);
  });

  it('autograd.grad', () => {
    const order: string[] = [];
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = torch.tensor([3, 4], { requiresGrad: true });
    const u = hooked(x.mul(y), 'u', order);
    const v = hooked(y.exp(), 'v', order);
    torch.autograd.grad(u.add(v).sum(), [x, y]);
    expect(order).toEqual(expected.autogradGrad);
  });
});

describe('wide graphs', () => {
  it('backward over 32,000 stacked leaves', () => {
    const leaves = Array.from({ length: 32_000 }, (_, i) => torch.tensor(i, { requiresGrad: true }));
    const y = torch.stack(leaves);
    y.mul(y).sum().backward();
    expect(leaves.every((t, i) => t.grad!.dataSync()[0] === 2 * i)).toBe(true);
  }, 60_000);

  it('autograd.grad with respect to 32,000 leaves', () => {
    const leaves = Array.from({ length: 32_000 }, (_, i) => torch.tensor(i, { requiresGrad: true }));
    const grads = torch.autograd.grad(torch.stack(leaves).sum(), leaves);
    expect(grads.every((g) => g!.dataSync()[0] === 1)).toBe(true);
  }, 60_000);
});
