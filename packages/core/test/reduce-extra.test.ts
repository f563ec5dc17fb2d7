/** var, std, logsumexp, norm, softmax, logSoftmax: values, arguments, errors, first and second derivatives. */
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { gradcheck, gradgradcheck } from '../src/testing/index.js';

const f64 = (shape: number[], seed = 0): Tensor => {
  torch.manualSeed(seed);
  return torch.randn(shape, { dtype: 'float64' }).requiresGrad_();
};

const close = (t: Tensor, want: number[], tol = 1e-6): void => {
  const got = Array.from(t.dataSync());
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(tol));
};

describe('var / std', () => {
  const x = torch.tensor([[1, 2, 3, 4], [2, 4, 6, 8]]);

  it('computes unbiased and biased variances over dims', () => {
    close(torch.var(x), [37.5 / 7]);
    close(x.var(1), [5 / 3, 20 / 3]);
    close(x.var(1, false), [1.25, 5]);
    close(x.var({ dim: 0, keepdim: true }), [0.5, 2, 4.5, 8]);
    expect(x.var({ dim: 0, keepdim: true }).shape).toEqual([1, 4]);
    close(x.var(false), [37.5 / 8]);
    close(x.var({ dim: 1, correction: 2 }), [2.5, 10]);
    close(x.std(1), [Math.sqrt(5 / 3), Math.sqrt(20 / 3)]);
    close(x.std([0, 1], true, true), [Math.sqrt(37.5 / 7)]);
  });

  it('gives nan for a single element with correction 1 and rejects integers', () => {
    expect(Number.isNaN(torch.tensor([3]).var().item() as number)).toBe(true);
    expect(() => torch.tensor([1, 2], { dtype: 'int64' }).var()).toThrow('var(): input dtype should be either floating point or complex dtypes. Got Long instead.');
  });

  it('records VarBackward0 / StdBackward0', () => {
    const a = f64([3, 4]);
    expect(a.var(1).gradFn?.name()).toBe('VarBackward0');
    expect(a.std().gradFn?.name()).toBe('StdBackward0');
  });

  it('gradcheck and gradgradcheck', () => {
    const a = f64([3, 4]);
    for (const fn of [
      (t: Tensor) => t.var(),
      (t: Tensor) => t.var(1, false, true),
      (t: Tensor) => t.var({ dim: [0, 1], correction: 2 }),
      (t: Tensor) => t.std(0),
      (t: Tensor) => t.std(),
    ]) {
      expect(gradcheck(fn, [a])).toBe(true);
      expect(gradgradcheck(fn, [a])).toBe(true);
    }
  });
});

describe('logsumexp', () => {
  it('is stable for large and infinite values', () => {
    close(torch.logsumexp(torch.tensor([1000, 1000]), 0), [1000 + Math.log(2)], 1e-3);
    const r = torch.tensor([[-Infinity, -Infinity], [0, Math.log(3)]], { dtype: 'float64' }).logsumexp(1).dataSync();
    expect(r[0]).toBe(-Infinity);
    expect(Math.abs(r[1]! - Math.log(4))).toBeLessThan(1e-12);
    expect(torch.tensor([Infinity, 1]).logsumexp(0).item()).toBe(Infinity);
  });

  it('keeps dims and accepts options', () => {
    const x = torch.ones([2, 3]);
    expect(x.logsumexp(1, true).shape).toEqual([2, 1]);
    expect(x.logsumexp({ dim: [0, 1] }).shape).toEqual([]);
    close(x.logsumexp({ dim: 0, keepdim: false }), [1 + Math.log(2), 1 + Math.log(2), 1 + Math.log(2)]);
  });

  it('gradcheck and gradgradcheck', () => {
    const a = f64([2, 3]);
    expect(gradcheck((t: Tensor) => t.logsumexp(1), [a])).toBe(true);
    expect(gradgradcheck((t: Tensor) => t.logsumexp([0, 1]), [a])).toBe(true);
  });
});

describe('norm', () => {
  const x = torch.tensor([[3, -4], [0, 12]]);
  it('p = 2 (default, fro), 1, inf, -inf, 0 and general p', () => {
    close(x.norm(), [13]);
    close(torch.norm(x, 'fro'), [13]);
    close(x.norm(1), [19]);
    close(x.norm(Infinity), [12]);
    close(x.norm(-Infinity), [0]);
    close(x.norm(0), [3]);
    close(x.norm(3), [Math.cbrt(27 + 64 + 1728)], 1e-3);
    close(x.norm(2, 1), [5, 12]);
    close(x.norm({ p: 1, dim: 0, keepdim: true }), [3, 16]);
    expect(x.norm({ p: 1, dim: 0, keepdim: true }).shape).toEqual([1, 2]);
  });

  it('records NormBackward1, rejects integer input and matrix norms', () => {
    expect(f64([3]).norm().gradFn?.name()).toBe('NormBackward1');
    expect(() => torch.tensor([1, 2], { dtype: 'int64' }).norm()).toThrow('linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long');
    expect(() => x.norm('nuc' as never)).toThrow("norm with p='nuc'");
  });

  it('has a zero gradient at the zero vector for p = 2', () => {
    const z = torch.zeros(3, { dtype: 'float64', requiresGrad: true });
    z.norm().backward();
    expect(Array.from(z.grad!.dataSync())).toEqual([0, 0, 0]);
  });

  it('gradcheck and gradgradcheck for p = 2, 1, 3, 1.5, inf', () => {
    const a = f64([2, 3], 3);
    for (const p of [2, 1, 3, 1.5, Infinity]) {
      expect(gradcheck((t: Tensor) => t.norm(p, 1), [a])).toBe(true);
      if (p !== 1 && p !== Infinity) expect(gradgradcheck((t: Tensor) => t.norm(p), [a])).toBe(true);
    }
  });
});

describe('softmax / logSoftmax', () => {
  it('matches the definition along every dim', () => {
    const x = torch.tensor([[1, 2, 3], [1, 1, 1]], { dtype: 'float64' });
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const s = e[0]! + e[1]! + e[2]!;
    close(x.softmax(1), [e[0]! / s, e[1]! / s, e[2]! / s, 1 / 3, 1 / 3, 1 / 3], 1e-12);
    close(torch.logSoftmax(x, -1), [1 - Math.log(s), 2 - Math.log(s), 3 - Math.log(s), -Math.log(3), -Math.log(3), -Math.log(3)], 1e-12);
    close(x.softmax(0).sum(0), [1, 1, 1], 1e-12);
  });

  it('is stable for huge logits and handles -inf', () => {
    close(torch.softmax(torch.tensor([1000, 0]), 0), [1, 0]);
    close(torch.tensor([0, -Infinity]).softmax(0), [1, 0]);
    expect(torch.tensor([0, -Infinity]).logSoftmax(0).dataSync()[1]).toBe(-Infinity);
  });

  it('accepts dtype, options and the functional form', () => {
    const x = torch.tensor([1, 2]);
    expect(torch.softmax(x, 0, 'float64').dtype).toBe('float64');
    expect(x.softmax({ dim: 0, dtype: 'float64' }).dtype).toBe('float64');
    expect(torch.nn.functional.softmax(x, { dim: 0 }).shape).toEqual([2]);
    expect(torch.F.logSoftmax(x, 0, 3, 'float64').dtype).toBe('float64');
    expect(() => torch.softmax(torch.tensor([1, 2], { dtype: 'int64' }), 0)).toThrow(`"softmax_lastdim_kernel_impl" not implemented for 'Long'`);
  });

  it('records SoftmaxBackward0 / LogSoftmaxBackward0', () => {
    const a = f64([2, 3]);
    expect(a.softmax(1).gradFn?.name()).toBe('SoftmaxBackward0');
    expect(a.logSoftmax(1).gradFn?.name()).toBe('LogSoftmaxBackward0');
  });

  it('gradcheck and gradgradcheck', () => {
    const a = f64([2, 3, 2], 1);
    for (const d of [0, 1, -1]) {
      expect(gradcheck((t: Tensor) => t.softmax(d), [a])).toBe(true);
      expect(gradcheck((t: Tensor) => t.logSoftmax(d), [a])).toBe(true);
    }
    expect(gradgradcheck((t: Tensor) => t.softmax(1), [a])).toBe(true);
    expect(gradgradcheck((t: Tensor) => t.logSoftmax(2), [a])).toBe(true);
  });
});

describe('argmax / argmin / all / any over dims', () => {
  const x = torch.tensor([[1, 5, 2], [7, 0, 7]]);
  it('argmax / argmin with dim and keepdim (first index on ties)', () => {
    expect(x.argmax().item()).toBe(3);
    expect(x.argmax(1).tolist()).toEqual([1, 0]);
    expect(x.argmin(0, true).tolist()).toEqual([[0, 1, 0]]);
    expect(torch.argmin(x, { dim: 1, keepdim: false }).dtype).toBe('int64');
  });
  it('all / any with dims', () => {
    const b = x.gt(1);
    expect(b.all(1).tolist()).toEqual([false, false]);
    expect(b.any(1, true).tolist()).toEqual([[true], [true]]);
    expect(x.all(0).tolist()).toEqual([true, false, true]);
    expect(torch.any(x.eq(0), { dim: 0 }).tolist()).toEqual([false, true, false]);
  });
});
