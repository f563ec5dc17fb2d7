import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { FunctionCtx, Tensor } from '../src/index.js';

class Cube extends torch.autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.pow(3);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return g.mul(x!.pow(2).mul(3));
  }
}

/** Two outputs and a non-tensor argument. */
class ScaledPair extends torch.autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor, k: number): Tensor[] {
    ctx.saveForBackward(x);
    (ctx as FunctionCtx & { k: number }).k = k;
    return [x.mul(k), x.exp()];
  }
  static override backward(ctx: FunctionCtx, ga: Tensor, gb: Tensor): (Tensor | null)[] {
    const [x] = ctx.savedTensors;
    return [ga.mul((ctx as FunctionCtx & { k: number }).k).add(gb.mul(x!.exp())), null];
  }
}

function close(a: Tensor, b: Tensor, tol = 1e-9): void {
  const x = a.dataSync(), y = b.dataSync();
  expect(a.shape).toEqual(b.shape);
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! - y[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(y[i]!)));
}

describe('autograd.Function', () => {
  it('records a node named <Class>Backward and computes gradients', () => {
    const x = torch.tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const y = Cube.apply(x);
    expect(y.gradFn!.name()).toBe('CubeBackward');
    expect(y.gradFn!.nextFunctions[0]![0]!.name()).toBe('AccumulateGrad');
    y.sum().backward();
    close(x.grad!, torch.tensor([3, 12, 27], { dtype: 'float64' }));
  });

  it('supports several outputs, non-tensor arguments and missing output gradients', () => {
    const x = torch.tensor([0.5, -1], { dtype: 'float64', requiresGrad: true });
    const [a, b] = ScaledPair.apply(x, 3);
    a!.sum().backward();
    close(x.grad!, torch.tensor([3, 3], { dtype: 'float64' }));
    x.grad = null;
    const [, b2] = ScaledPair.apply(x, 3);
    b2!.sum().backward();
    close(x.grad!, x.detach().exp());
    expect(b).toBeInstanceOf(Tensor);
  });

  it('is differentiable twice when its backward is recorded under createGraph', () => {
    const x = torch.tensor([1.5, -2], { dtype: 'float64', requiresGrad: true });
    const [g] = torch.autograd.grad(Cube.apply(x).sum(), x, null, { createGraph: true });
    close(g!, torch.tensor([6.75, 12], { dtype: 'float64' }));
    const [h] = torch.autograd.grad(g!.sum(), x);
    close(h!, torch.tensor([9, -12], { dtype: 'float64' })); // d2/dx2 x^3 = 6x
  });

  it('rejects a backward that returns the wrong number of gradients', () => {
    class Bad extends torch.autograd.Function {
      static override forward(_ctx: FunctionCtx, x: Tensor, y: Tensor): Tensor { return x.add(y); }
      static override backward(_ctx: FunctionCtx, g: Tensor): Tensor { return g; }
    }
    const x = torch.ones(2, { requiresGrad: true });
    expect(() => Bad.apply(x, x).sum().backward()).toThrow('function BadBackward returned an incorrect number of gradients (expected 2, got 1)');
  });

  it('detects a saved input modified in place', () => {
    const x = torch.ones(3, { requiresGrad: true });
    const h = x.mul(1);
    const y = Cube.apply(h);
    h.add_(1);
    expect(() => y.sum().backward()).toThrow(/modified by an inplace operation/);
  });
});

describe('Hessian-vector product through a small MLP', () => {
  const d = { dtype: 'float64' as const };
  const xs = torch.tensor([[0.3, -1.2, 0.8], [1.1, 0.4, -0.6], [-0.2, 0.9, 0.5], [0.7, -0.3, -1.4]], d);
  const w1 = torch.tensor([[0.2, -0.5, 0.1, 0.7], [0.4, 0.3, -0.6, 0.2], [-0.3, 0.8, 0.5, -0.1]], d);
  const w2 = torch.tensor([[0.6], [-0.4], [0.9], [0.3]], d);
  const v1 = torch.tensor([[0.1, 0.2, -0.3, 0.4], [-0.5, 0.6, 0.7, -0.8], [0.9, -1.0, 0.2, 0.3]], d);
  const v2 = torch.tensor([[0.5], [-0.2], [0.1], [0.4]], d);
  const loss = (a: Tensor, b: Tensor): Tensor => xs.matmul(a).tanh().matmul(b).sigmoid().pow(2).mean();
  const gradAt = (a: Tensor, b: Tensor): Tensor[] => {
    const pa = a.detach().requiresGrad_(), pb = b.detach().requiresGrad_();
    return torch.autograd.grad(loss(pa, pb), [pa, pb]) as Tensor[];
  };

  it('equals central differences of the gradient', () => {
    const a = w1.detach().requiresGrad_(), b = w2.detach().requiresGrad_();
    const [ga, gb] = torch.autograd.grad(loss(a, b), [a, b], null, { createGraph: true }) as Tensor[];
    const gv = ga!.mul(v1).sum().add(gb!.mul(v2).sum());
    const [ha, hb] = torch.autograd.grad(gv, [a, b]) as Tensor[];
    const eps = 1e-5;
    const [pa, pb] = gradAt(w1.add(v1.mul(eps)), w2.add(v2.mul(eps)));
    const [ma, mb] = gradAt(w1.sub(v1.mul(eps)), w2.sub(v2.mul(eps)));
    close(ha!, pa!.sub(ma!).div(2 * eps), 1e-6);
    close(hb!, pb!.sub(mb!).div(2 * eps), 1e-6);
  });
});
