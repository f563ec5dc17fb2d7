// Graph depth is bounded by memory, never by the JavaScript stack: backward, autograd.grad and
// double backward walk the graph iteratively.
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';

function chain(x: torch.Tensor, n: number): torch.Tensor {
  let y = x;
  for (let i = 0; i < n; i++) y = y.mul(1);
  return y;
}

describe('deep graphs', () => {
  it('autograd.grad through 100,000 chained ops', () => {
    const x = torch.tensor(3, { requiresGrad: true });
    const y = chain(x, 100_000).mul(x);
    const [g] = torch.autograd.grad(y, x);
    expect(g!.dataSync()[0]).toBe(6);
  }, 120_000);

  it('double backward through 20,000 chained ops', () => {
    const x = torch.tensor(3, { requiresGrad: true });
    const y = chain(x, 20_000).pow(3);
    const [g] = torch.autograd.grad(y, x, null, { createGraph: true });
    expect(g!.dataSync()[0]).toBe(27);
    g!.backward();
    expect(x.grad!.dataSync()[0]).toBe(18);
  }, 120_000);

  it('backward through 1,000,000 chained views', () => {
    const x = torch.tensor([2], { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 1_000_000; i++) y = y.view(1);
    y.mul(x).sum().backward();
    expect(x.grad!.dataSync()[0]).toBe(4);
  }, 120_000);

  it('retained gradients and hooks deep in a chain', () => {
    const x = torch.tensor(2, { requiresGrad: true });
    const mid = chain(x, 50_000);
    mid.retainGrad();
    let seen: number | undefined;
    mid.registerHook((g) => { seen = g.dataSync()[0]!; });
    chain(mid, 50_000).mul(5).backward();
    expect(mid.grad!.dataSync()[0]).toBe(5);
    expect(seen).toBe(5);
    expect(x.grad!.dataSync()[0]).toBe(5);
  }, 120_000);
});
