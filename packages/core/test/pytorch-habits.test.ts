/** PyTorch habits that ported code relies on (issue 7): getters, named tuples, dtype constants, custom Functions. */
import { describe, expect, it, vi } from 'vitest';
import * as torch from '../src/index.js';
import type { FunctionCtx, Tensor } from '../src/index.js';

const x = (): Tensor => torch.arange(6, { dtype: 'float32' }).reshape(2, 3);

describe('x.T, x.mT, x.H, x.mH', () => {
  it('transpose matrices as views, recorded like PyTorch', () => {
    const a = x().requiresGrad_();
    expect(a.T.shape).toEqual([3, 2]);
    expect(a.T.tolist()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(a.T.storage).toBe(a.storage);
    expect(a.T.gradFn?.name()).toBe('PermuteBackward0');
    expect(a.mT.gradFn?.name()).toBe('TransposeBackward0');
    expect(a.H.gradFn?.name()).toBe('TransposeBackward0');
    expect(a.mH.tolist()).toEqual(a.T.tolist());
  });
  it('T reverses every dim (warning once for ranks other than 0 and 2); mT swaps the last two', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const b = torch.zeros(2, 3, 4);
    expect(b.T.shape).toEqual([4, 3, 2]);
    expect(torch.ones(3).T.shape).toEqual([3]);
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('x.T'))).toHaveLength(1);
    warn.mockRestore();
    expect(b.mT.shape).toEqual([2, 4, 3]);
    expect(b.mH.shape).toEqual([2, 4, 3]);
    expect(torch.tensor(5).H.item()).toBe(5);
  });
});

describe('shape and strides are read-only', () => {
  it('push and assignment throw; the tensor keeps working', () => {
    const a = x();
    expect(() => (a.shape as number[]).push(7)).toThrow(TypeError);
    expect(() => { (a.strides as number[])[0] = 1; }).toThrow(TypeError);
    expect(a.shape).toEqual([2, 3]);
    expect(a.sum().item()).toBe(15);
    // size() and stride() hand out fresh, mutable copies, as PyTorch's torch.Size is a new tuple.
    const s = a.size();
    s.push(1);
    expect(a.size()).toEqual([2, 3]);
  });
  it('freezing never freezes the caller\'s array', () => {
    const shape = [2, 3];
    torch.zeros(shape);
    shape.push(4);
    expect(shape).toEqual([2, 3, 4]);
  });
});

describe('named tuples', () => {
  it('max / min along a dim destructure like PyTorch tuples and keep their names', () => {
    const [values, indices] = x().max(1);
    expect(values.tolist()).toEqual([2, 5]);
    expect(indices.tolist()).toEqual([2, 2]);
    const r = x().min(0);
    expect(r.values.tolist()).toEqual([0, 1, 2]);
    expect(r[1].tolist()).toEqual([0, 0, 0]);
    expect([...r]).toHaveLength(2);
    expect(r).toBeInstanceOf(torch.ValuesIndices);
  });
  it('print as torch.return_types', () => {
    expect(String(x().max(1))).toBe('torch.return_types.max(\nvalues=tensor([2., 5.]),\nindices=tensor([2, 2]))');
  });
});

describe('dtype constants', () => {
  it('are the dtype strings, with PyTorch\'s aliases', () => {
    expect(torch.float32).toBe('float32');
    expect(torch.float64).toBe('float64');
    expect(torch.int64).toBe('int64');
    expect(torch.int32).toBe('int32');
    expect(torch.bool).toBe('bool');
    expect([torch.float, torch.double, torch.long, torch.int]).toEqual(['float32', 'float64', 'int64', 'int32']);
    expect(torch.zeros(2, { dtype: torch.double }).dtype).toBe('float64');
  });
});

describe('torch.full', () => {
  it('a number fill gives float32 (so requiresGrad works), a boolean gives bool', () => {
    const t = torch.full([], 0.0, { requiresGrad: true });
    expect(t.dtype).toBe('float32');
    expect(t.requiresGrad).toBe(true);
    expect(torch.full([2], 3).dtype).toBe('float32');
    expect(torch.full([2], true).dtype).toBe('bool');
    expect(torch.full([2], 1.7, { dtype: 'int64' }).tolist()).toEqual([1, 1]);
  });
});

describe('integer conversions follow PyTorch', () => {
  it('non-integers into integer dtypes truncate toward zero; NaN into bool is true', () => {
    expect(torch.tensor([1.7, -1.7], { dtype: 'int64' }).tolist()).toEqual([1, -1]);
    expect(torch.tensor([1.7, -2.5], { dtype: 'int32' }).tolist()).toEqual([1, -2]);
    expect(torch.tensor([NaN, 0], { dtype: 'bool' }).tolist()).toEqual([true, false]);
    expect(torch.tensor([2147483647, -2147483648], { dtype: 'int32' }).tolist()).toEqual([2147483647, -2147483648]);
  });
  it('integer division rounds as PyTorch does', () => {
    const a = torch.tensor([7, -7], { dtype: 'int64' });
    expect(a.div(2, { roundingMode: 'floor' }).tolist()).toEqual([3, -4]);
    expect(a.div(2, { roundingMode: 'trunc' }).tolist()).toEqual([3, -3]);
    expect(a.div(2, { roundingMode: 'trunc' }).dtype).toBe('int64');
    expect(a.remainder(3).tolist()).toEqual([1, 2]);
    expect(a.fmod(3).tolist()).toEqual([1, -1]);
    expect(a.div(0).tolist()).toEqual([Infinity, -Infinity]); // true division: floats
  });
});

describe('reductions of empty tensors', () => {
  it('over a non-empty dim return an empty result, as in PyTorch', () => {
    const e = torch.zeros(0, 3);
    expect(e.amax(1).shape).toEqual([0]);
    expect(e.max(1).values.shape).toEqual([0]);
    expect(e.max(1).indices.shape).toEqual([0]);
    expect(e.argmax(1).shape).toEqual([0]);
    expect(e.softmax(1).shape).toEqual([0, 3]);
    expect(e.softmax(0).shape).toEqual([0, 3]);
    expect(e.logSoftmax(1).shape).toEqual([0, 3]);
    expect(torch.logsumexp(e, 1).shape).toEqual([0]);
    expect(e.sum(0).tolist()).toEqual([0, 0, 0]);
  });
});

describe('custom autograd Functions', () => {
  class LegendrePolynomial3 extends torch.autograd.Function {
    static override forward(ctx: FunctionCtx, input: Tensor): Tensor {
      ctx.saveForBackward(input);
      return input.pow(3).mul(5).sub(input.mul(3)).mul(0.5);
    }
    static override backward(ctx: FunctionCtx, gradOutput: Tensor): Tensor {
      const [input] = ctx.savedTensors;
      return gradOutput.mul(input!.pow(2).mul(5).sub(1).mul(1.5));
    }
  }
  it('apply works bound and unbound (P3 = LegendrePolynomial3.apply), as in PyTorch\'s tutorial', () => {
    const c = torch.tensor([0.5, -1], { requiresGrad: true });
    // TypeScript types apply as a method (called on the class); a JavaScript port stores it as is.
    const P3 = LegendrePolynomial3.apply as unknown as (t: Tensor) => Tensor;
    const y = P3(c);
    expect(y.gradFn?.name()).toBe('LegendrePolynomial3Backward');
    y.sum().backward();
    expect(c.grad!.tolist()).toEqual([0.375, 6]);
    expect(LegendrePolynomial3.apply(torch.tensor([1])).tolist()).toEqual([1]);
  });
});
