/**
 * Shape, indexing, cumulative and extra pointwise ops: behaviour, PyTorch's errors, and
 * gradients checked against finite differences (gradcheck / gradgradcheck in float64).
 */
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { Tensor } from '../src/index.js';
import { gradcheck, gradgradcheck } from '../src/testing/index.js';

/** A deterministic float64 leaf requiring grad, values in [-1, 1) away from 0. */
function rnd(shape: number[], seed = 1): Tensor {
  let s = seed * 7919 + 17;
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Float64Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    const u = s / 2147483648;
    return (u < 0.5 ? -1 : 1) * (0.2 + (u < 0.5 ? u : u - 0.5) * 1.6);
  });
  return torch.tensor(v, { dtype: 'float64' }).reshape(shape).detach().requiresGrad_();
}

const long = (data: torch.NestedArray): Tensor => torch.tensor(data, { dtype: 'int64' });
const list = (t: Tensor): unknown => t.tolist();

/** gradcheck and gradgradcheck of fn at inputs. */
function checkGrads(fn: (...xs: Tensor[]) => Tensor | Tensor[], inputs: Tensor[]): void {
  expect(gradcheck(fn as never, inputs)).toBe(true);
  expect(gradgradcheck(fn as never, inputs)).toBe(true);
}

describe('cat / stack', () => {
  it('concatenates along a dim with dtype promotion and skips legacy empty tensors', () => {
    const a = torch.tensor([[1, 2]], { dtype: 'int32' }), b = torch.tensor([[0.5, 1.5]]);
    const c = torch.cat([a, b, torch.tensor([])]);
    expect(c.dtype).toBe('float32');
    expect(list(c)).toEqual([[1, 2], [0.5, 1.5]]);
    expect(list(torch.cat([a, a], 1))).toEqual([[1, 2, 1, 2]]);
    expect(list(torch.cat([a, a], { dim: -1 }))).toEqual([[1, 2, 1, 2]]);
  });

  it('reads non-contiguous inputs', () => {
    const x = torch.arange(6).reshape(2, 3);
    expect(list(torch.cat([x.t(), x.t()], 1))).toEqual([[0, 3, 0, 3], [1, 4, 1, 4], [2, 5, 2, 5]]);
  });

  it("raises PyTorch's errors", () => {
    expect(() => torch.cat([torch.ones(4, 2), torch.ones(4, 6)])).toThrow(
      'Sizes of tensors must match except in dimension 0. Expected size 2 but got size 6 for tensor number 1 in the list.',
    );
    expect(() => torch.cat([])).toThrow('torch.cat(): expected a non-empty list of Tensors');
    expect(() => torch.cat([torch.ones(2), torch.tensor(1)])).toThrow('zero-dimensional tensor (at position 1) cannot be concatenated');
    expect(() => torch.cat([torch.ones(2, 2), torch.ones(2)])).toThrow('Tensors must have same number of dimensions: got 2 and 1');
    expect(() => torch.stack([torch.ones(2), torch.ones(6)])).toThrow('stack expects each tensor to be equal size, but got [2] at entry 0 and [6] at entry 1');
    expect(() => torch.stack([])).toThrow('stack expects a non-empty TensorList');
  });

  it('stacks along a new dim', () => {
    const a = torch.tensor([1, 2]), b = torch.tensor([3, 4]);
    expect(list(torch.stack([a, b]))).toEqual([[1, 2], [3, 4]]);
    expect(list(torch.stack([a, b], -1))).toEqual([[1, 3], [2, 4]]);
    expect(torch.stack([torch.tensor(1), torch.tensor(2)]).shape).toEqual([2]);
  });

  it('gradients', () => {
    checkGrads((a, b) => torch.cat([a, b], 1), [rnd([2, 3]), rnd([2, 2], 2)]);
    checkGrads((a, b) => torch.stack([a, b], 1), [rnd([2, 3]), rnd([2, 3], 2)]);
    expect(torch.cat([rnd([2]), rnd([3])]).gradFn?.name()).toBe('CatBackward0');
  });
});

describe('split / chunk / unbind', () => {
  it('returns views that share storage', () => {
    const x = torch.arange(10).reshape(5, 2);
    const parts = torch.split(x, 2);
    expect(parts.map((p) => p.shape)).toEqual([[2, 2], [2, 2], [1, 2]]);
    expect(parts[2]!.storage).toBe(x.storage);
    expect(list(parts[1]!)).toEqual([[4, 5], [6, 7]]);
    expect(x.split([1, 4]).map((p) => p.shape[0])).toEqual([1, 4]);
    expect(x.split(1, { dim: 1 }).map(list)).toEqual([[[0], [2], [4], [6], [8]], [[1], [3], [5], [7], [9]]]);
  });

  it('chunk may return fewer pieces', () => {
    expect(torch.arange(6).chunk(4).map((p) => p.numel())).toEqual([2, 2, 2]);
    expect(torch.arange(5).chunk(3).map((p) => p.numel())).toEqual([2, 2, 1]);
    expect(torch.arange(0).chunk(3).map((p) => p.numel())).toEqual([0, 0, 0]);
  });

  it("raises PyTorch's errors", () => {
    expect(() => torch.split(torch.ones(5), [1, 3])).toThrow(
      "split_with_sizes expects split_sizes to sum exactly to 5 (input tensor's size at dimension 0), but got split_sizes=[1, 3]",
    );
    expect(() => torch.ones(3).chunk(0)).toThrow('chunk expects `chunks` to be greater than 0, got: 0');
    expect(() => torch.ones(3).split(0)).toThrow('split_size can only be 0 if dimension size is 0, but got dimension size of 3');
  });

  it('gradients flow from any subset of the pieces', () => {
    const x = rnd([5, 2]);
    const [a, , c] = x.split(2);
    a!.sum().add(c!.mul(3).sum()).backward();
    expect(list(x.grad!)).toEqual([[1, 1], [1, 1], [0, 0], [0, 0], [3, 3]]);
    expect(a!.gradFn?.name()).toBe('SplitBackward0');
    checkGrads((t) => t.split([1, 2], 1), [rnd([2, 3])]);
    checkGrads((t) => t.chunk(2, 0), [rnd([3, 2])]);
    checkGrads((t) => t.unbind(1), [rnd([2, 3])]);
  });
});

describe('repeat / flip / roll / tril / triu', () => {
  it('repeat tiles, adding leading dims', () => {
    const x = torch.tensor([[1, 2]]);
    expect(list(x.repeat(2, 2))).toEqual([[1, 2, 1, 2], [1, 2, 1, 2]]);
    expect(x.repeat([3, 1, 1]).shape).toEqual([3, 1, 2]);
    expect(() => x.repeat(2)).toThrow('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
    checkGrads((t) => t.repeat(2, 1, 3), [rnd([2, 3])]);
  });

  it('flip reverses dims (also of non-contiguous inputs)', () => {
    const x = torch.arange(6).reshape(2, 3);
    expect(list(x.flip(1))).toEqual([[2, 1, 0], [5, 4, 3]]);
    expect(list(torch.flip(x, [0, 1]))).toEqual([[5, 4, 3], [2, 1, 0]]);
    expect(list(x.t().flip(0))).toEqual([[2, 5], [1, 4], [0, 3]]);
    expect(list(torch.flip(x, { dims: [1] }))).toEqual([[2, 1, 0], [5, 4, 3]]);
    expect(() => x.flip(0, 0)).toThrow('dim 0 appears multiple times in the list of dims');
    checkGrads((t) => t.flip(0, 2), [rnd([2, 3, 2])]);
  });

  it('roll rotates along dims or the flattened tensor', () => {
    const x = torch.arange(6).reshape(2, 3);
    expect(list(x.roll(1))).toEqual([[5, 0, 1], [2, 3, 4]]);
    expect(list(x.roll(-1, 1))).toEqual([[1, 2, 0], [4, 5, 3]]);
    expect(list(torch.roll(x, [1, 1], [0, 1]))).toEqual([[5, 3, 4], [2, 0, 1]]);
    expect(list(x.roll({ shifts: 4, dims: 1 }))).toEqual([[2, 0, 1], [5, 3, 4]]);
    expect(() => x.roll([1, 2], [0])).toThrow('shifts and dimensions must align. shifts: 2, dims:1');
    checkGrads((t) => t.roll([1, -2], [0, 1]), [rnd([3, 4])]);
    checkGrads((t) => t.roll(2), [rnd([2, 3])]);
  });

  it('tril / triu keep a triangle of the last two dims', () => {
    const x = torch.ones(3, 3, { dtype: 'int64' });
    expect(list(x.tril())).toEqual([[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
    expect(list(x.triu(1))).toEqual([[0, 1, 1], [0, 0, 1], [0, 0, 0]]);
    expect(list(torch.tril(torch.ones(2, 2, 3), -1))).toEqual([[[0, 0, 0], [1, 0, 0]], [[0, 0, 0], [1, 0, 0]]]);
    expect(list(x.triu({ diagonal: -1 }))).toEqual([[1, 1, 1], [1, 1, 1], [0, 1, 1]]);
    expect(() => torch.ones(3).tril()).toThrow('tril: input tensor must have at least 2 dimensions');
    checkGrads((t) => t.tril(1), [rnd([3, 4])]);
    checkGrads((t) => t.triu(-1), [rnd([2, 3, 3])]);
  });
});

describe('gather / scatter / indexSelect / indexAdd', () => {
  it('gather picks along a dim', () => {
    const x = torch.tensor([[1, 2], [3, 4]]);
    expect(list(x.gather(1, long([[0, 0], [1, 0]])))).toEqual([[1, 1], [4, 3]]);
    expect(list(torch.gather(x, 0, long([[1, 0]])))).toEqual([[3, 2]]);
  });

  it("gather raises PyTorch's errors", () => {
    const idx = long([[0, 7], [0, 7], [0, 7], [0, 7]]);
    expect(() => torch.gather(torch.ones(4, 4), 1, idx)).toThrow('index 7 is out of bounds for dimension 1 with size 4');
    expect(() => torch.gather(torch.ones(4, 4), 1, idx)).toThrow(torch.RuntimeError);
    expect(() => torch.gather(torch.ones(4, 4), 1, torch.tensor([[0]]))).toThrow('gather(): Expected dtype int64 for index');
    expect(() => torch.gather(torch.ones(4, 4), 1, long([0]))).toThrow('Index tensor must have the same number of dimensions as input tensor');
    expect(() => torch.gather(torch.ones(2, 4), 1, long([[0], [0], [0]]))).toThrow(
      'Size does not match at dimension 0 expected index [3, 1] to be smaller than self [2, 4] apart from dimension 1',
    );
  });

  it('scatter writes (the last duplicate wins) and scatterAdd accumulates', () => {
    const x = torch.zeros(2, 3);
    const idx = long([[0, 1, 0], [2, 2, 2]]);
    const src = torch.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(list(x.scatter(1, idx, src))).toEqual([[3, 2, 0], [0, 0, 6]]);
    expect(list(x.scatterAdd(1, idx, src))).toEqual([[4, 2, 0], [0, 0, 15]]);
    expect(list(x.scatter(1, idx, 7.5))).toEqual([[7.5, 7.5, 0], [0, 0, 7.5]]);
    expect(list(x.scatter(1, idx, src, { reduce: 'add' }))).toEqual([[4, 2, 0], [0, 0, 15]]);
    expect(() => x.scatter(1, idx, src.double())).toThrow('scatter(): Expected self.dtype to be equal to src.dtype');
    expect(() => x.scatter(1, long([[3]]), 1)).toThrow('index 3 is out of bounds for dimension 1 with size 3');
  });

  it('scatter_ / scatterAdd_ write in place and bump the version', () => {
    const x = torch.zeros(3);
    const v0 = x.storage.version;
    x.scatter_(0, long([2]), torch.tensor([5]));
    x.scatterAdd_(0, long([2, 0]), torch.tensor([1, 1]));
    expect(list(x)).toEqual([1, 0, 6]);
    expect(x.storage.version).toBe(v0 + 2);
  });

  it('indexSelect / indexAdd', () => {
    const x = torch.arange(6).reshape(2, 3);
    expect(list(x.indexSelect(1, long([2, 0, 2])))).toEqual([[2, 0, 2], [5, 3, 5]]);
    expect(list(x.indexSelect(0, torch.tensor([1], { dtype: 'int32' })))).toEqual([[3, 4, 5]]);
    expect(() => x.indexSelect(1, long([3]))).toThrow('index out of range in self');
    expect(() => x.indexSelect(1, long([[0]]))).toThrow('index_select(): Index is supposed to be a vector');
    const y = torch.zeros(3, 2);
    expect(list(y.indexAdd(0, long([0, 2, 0]), torch.ones(3, 2), { alpha: 2 }))).toEqual([[4, 4], [0, 0], [2, 2]]);
    y.indexAdd_(1, long([1]), torch.ones(3, 1));
    expect(list(y)).toEqual([[0, 1], [0, 1], [0, 1]]);
  });

  it('gradients', () => {
    const idx = long([[0, 2, 2], [1, 0, 1]]);
    checkGrads((t) => t.gather(1, idx), [rnd([2, 4])]);
    // scatter's gradient (PyTorch's formula) is only right for indices without repeats.
    const unique = long([[0, 2, 3], [1, 0, 2]]);
    checkGrads((t, s) => t.scatter(1, unique, s), [rnd([2, 4]), rnd([2, 3], 2)]);
    checkGrads((t) => t.scatter(1, idx, 0.5), [rnd([2, 4])]);
    checkGrads((t, s) => t.scatterAdd(1, idx, s), [rnd([2, 4]), rnd([2, 3], 2)]);
    checkGrads((t) => t.indexSelect(1, long([3, 0, 3])), [rnd([2, 4])]);
    checkGrads((t, s) => t.indexAdd(0, long([1, 1, 0]), s, { alpha: 0.5 }), [rnd([2, 3]), rnd([3, 3], 2)]);
  });
});

describe('maskedFill', () => {
  it('fills where the mask is true, broadcasting, casting the value to the dtype', () => {
    const x = torch.arange(4).reshape(2, 2);
    const m = torch.tensor([true, false]);
    expect(list(x.maskedFill(m, 9.7))).toEqual([[9, 1], [9, 3]]);
    expect(list(torch.maskedFill(torch.zeros(2), m.view(2, 1), 1))).toEqual([[1, 1], [0, 0]]);
    expect(list(x.maskedFill(m, torch.tensor(-1)))).toEqual([[-1, 1], [-1, 3]]);
    expect(() => x.maskedFill(torch.ones(2), 1)).toThrow('masked_fill_ only supports boolean masks, but got mask with dtype Float');
    expect(() => x.maskedFill(m, torch.ones(2))).toThrow('masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s).');
  });

  it('maskedFill_ works in place, also on non-leaf tensors with gradients', () => {
    const a = rnd([2, 2]);
    const y = a.mul(2);
    y.maskedFill_(torch.tensor([[true, false], [false, true]]), 0);
    expect(y.gradFn?.name()).toBe('MaskedFillBackward0');
    y.sum().backward();
    expect(list(a.grad!)).toEqual([[0, 2], [2, 0]]);
    expect(() => rnd([2]).maskedFill_(torch.tensor([true, false]), 0)).toThrow('a leaf Variable that requires grad is being used in an in-place operation.');
  });

  it('gradients (value tensor too)', () => {
    const m = torch.tensor([[true, false, true], [false, false, true]]);
    checkGrads((t) => t.maskedFill(m, 0.3), [rnd([2, 3])]);
    checkGrads((t, v) => t.maskedFill(m, v), [rnd([2, 3]), rnd([], 3)]);
  });
});

describe('cumsum / cumprod', () => {
  it('runs along a dim; integers accumulate to int64', () => {
    const x = torch.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'int32' });
    const c = x.cumsum(1);
    expect(c.dtype).toBe('int64');
    expect(list(c)).toEqual([[1, 3, 6], [4, 9, 15]]);
    expect(list(torch.cumprod(x, 0))).toEqual([[1, 2, 3], [4, 10, 18]]);
    expect(torch.cumsum(x, { dim: 0, dtype: 'float64' }).dtype).toBe('float64');
    expect(list(x.t().cumsum(-1))).toEqual([[1, 5], [2, 7], [3, 9]]);
    expect(list(torch.tensor(2.5).cumsum(0))).toBe(2.5);
  });

  it('accumulates float32 in float64', () => {
    const x = torch.tensor([1e8, 1, -1e8, 1]);
    // float32 running sums would lose the 1s; PyTorch keeps a double accumulator.
    expect(list(x.cumsum(0))).toEqual([1e8, 1e8, 1, 2]);
  });

  it('cumprod gradient is right where the input has zeros', () => {
    const x = torch.tensor([2, 0, 3, 0, 5], { dtype: 'float64' }).requiresGrad_();
    x.cumprod(0).sum().backward();
    // d/dx_k sum_j prod_{i<=j} x_i, by hand: only x_0 and x_1 (the first zero) get gradient.
    expect(list(x.grad!)).toEqual([1, 2 + 6, 0, 0, 0]);
    checkGrads((t) => t.cumprod(1), [torch.tensor([[0.5, 0, 2, -1], [0, 1.5, 0, 2]], { dtype: 'float64' }).requiresGrad_()]);
  });

  it('gradients', () => {
    checkGrads((t) => t.cumsum(1), [rnd([2, 3, 2])]);
    checkGrads((t) => t.cumprod(-1), [rnd([3, 4])]);
    checkGrads((t) => t.cumprod(0), [rnd([4, 2])]);
  });
});

describe('advanced indexing: x.index with tensors', () => {
  const x = torch.arange(24).reshape(2, 3, 4);

  it('integer tensors pick along dims, mixed with slices, ints and None', () => {
    expect(list(x.index(long([1, 0, 1])))).toEqual(list(torch.stack([x.select(0, 1), x.select(0, 0), x.select(0, 1)])));
    expect(x.index(':', long([[0, 2]])).shape).toEqual([2, 1, 2, 4]);
    expect(list(x.index(0, long([2, -3]), [1, 3]))).toEqual([[9, 10], [1, 2]]);
    // Adjacent advanced indices keep their place; separated ones go first.
    expect(x.index(':', long([0, 1]), long([1, 2])).shape).toEqual([2, 2]);
    expect(list(x.index(long([0, 1]), ':', long([1, 2])))).toEqual([[1, 5, 9], [14, 18, 22]]);
    expect(x.index(null, long([0, 1]), ':', long([1, 2])).shape).toEqual([2, 1, 3]);
    expect(x.index('...', long([3])).shape).toEqual([2, 3, 1]);
  });

  it('index tensors broadcast together', () => {
    const r = x.index(0, long([[0], [2]]), long([1, 3]));
    expect(list(r)).toEqual([[1, 3], [9, 11]]);
  });

  it('bool masks select elements', () => {
    const m = x.gt(20);
    expect(list(x.index(m))).toEqual([21, 22, 23]);
    expect(list(x.index(':', torch.tensor([true, false, true])))).toEqual(list(torch.stack([x.select(1, 0), x.select(1, 2)], 1)));
    expect(x.index(true).shape).toEqual([1, 2, 3, 4]);
    expect(list(torch.maskedSelect(torch.arange(4).view(2, 2), torch.tensor([true, false])))).toEqual([0, 2]);
    expect(list(torch.nonzero(torch.tensor([[0, 1], [1, 0]])))).toEqual([[0, 1], [1, 0]]);
  });

  it('works on non-contiguous tensors', () => {
    const t = x.permute(2, 0, 1);
    expect(list(t.index(long([3, 0]), 1, 2))).toEqual([23, 20]); // x[1, 2, 3], x[1, 2, 0]
  });

  it("raises PyTorch's errors", () => {
    expect(() => torch.ones(6).index(long([6]))).toThrow('index 6 is out of bounds for dimension 0 with size 6');
    expect(() => torch.ones(6).index(long([6]))).toThrow(torch.IndexError);
    expect(() => torch.ones(6).index(torch.tensor([1.0]))).toThrow('tensors used as indices must be long, int, byte or bool tensors');
    expect(() => torch.ones(2, 3).index(torch.tensor([true, false, true]))).toThrow(
      'The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [2, 3] at index 0',
    );
    expect(() => torch.ones(2, 3).index(long([0, 1]), long([0, 1, 2]))).toThrow('shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]');
  });

  it('gradients accumulate over repeated indices (IndexBackward0)', () => {
    const a = rnd([4]);
    const y = a.index(long([0, 0, 3]));
    expect(y.gradFn?.name()).toBe('IndexBackward0');
    y.sum().backward();
    expect(list(a.grad!)).toEqual([2, 0, 0, 1]);
    checkGrads((t) => t.index(long([1, 0, 1]), ':', long([2, 0, 2])), [rnd([2, 3, 3])]);
    checkGrads((t) => t.index(t.detach().gt(0)), [rnd([3, 3])]);
    checkGrads((t) => t.permute(1, 0).index([1, null], long([[0, 2]])), [rnd([3, 3])]);
  });
});

describe('index assignment: setIndex / indexPut', () => {
  it('basic items write through a view, broadcasting the value', () => {
    const x = torch.zeros(2, 3);
    const v0 = x.storage.version;
    x.setIndex(0, 5);
    x.setIndex([1, [1, null]], torch.tensor([7, 8]));
    expect(list(x)).toEqual([[5, 5, 5], [0, 7, 8]]);
    x.setIndex('..., 0', -1);
    expect(list(x)).toEqual([[-1, 5, 5], [-1, 7, 8]]);
    expect(x.storage.version).toBe(v0 + 3);
  });

  it('tensor items and masks', () => {
    const x = torch.arange(6).reshape(2, 3);
    x.setIndex(x.gt(3), 0);
    expect(list(x)).toEqual([[0, 1, 2], [3, 0, 0]]);
    x.setIndex([':', long([0, 2])], torch.tensor([[10], [20]], { dtype: 'int64' }));
    expect(list(x)).toEqual([[10, 1, 10], [20, 0, 20]]);
    x.setIndex(long([0, 0]), torch.tensor([[1, 1, 1], [2, 2, 2]], { dtype: 'int64' }));
    expect(list(x.index(0))).toEqual([2, 2, 2]); // the last duplicate wins
    expect(() => x.setIndex(long([0]), torch.ones(2))).toThrow('shape mismatch: value tensor of shape [2] cannot be broadcast to indexing result of shape [1, 3]');
  });

  it('0-d integer tensors index like integers; leading 1-dims of values are dropped', () => {
    const x = torch.arange(6).reshape(2, 3);
    const row = x.index(long(1));
    expect(row.storage).toBe(x.storage); // a view, as x[torch.tensor(1)] is in PyTorch
    x.setIndex(0, torch.tensor([[[7, 8, 9]]], { dtype: 'int64' }));
    x.setIndex(torch.tensor([false, true]), torch.tensor([[1, 1, 1]], { dtype: 'int64' }));
    expect(list(x)).toEqual([[7, 8, 9], [1, 1, 1]]);
  });

  it('indexPut / indexPut_ with accumulate', () => {
    const x = torch.zeros(4);
    const r = torch.indexPut(x, [long([1, 1, 3])], torch.tensor([1, 2, 3]), true);
    expect(list(r)).toEqual([0, 3, 0, 3]);
    expect(list(x)).toEqual([0, 0, 0, 0]);
    x.indexPut_([long([0, 0])], torch.tensor(2), { accumulate: true });
    expect(list(x)).toEqual([4, 0, 0, 0]);
  });

  it('records IndexPutBackward0 on non-leaf tensors; leaves that require grad refuse', () => {
    const a = rnd([3]), v = rnd([2], 2);
    const y = a.mul(1);
    y.setIndex(long([0, 2]), v);
    expect(y.gradFn?.name()).toBe('IndexPutBackward0');
    y.mul(torch.tensor([1, 2, 3], { dtype: 'float64' })).sum().backward();
    expect(list(a.grad!)).toEqual([0, 2, 0]);
    expect(list(v.grad!)).toEqual([1, 3]);
    expect(() => rnd([3]).setIndex(0, 1)).toThrow('a leaf Variable that requires grad is being used in an in-place operation.');
    const frozen = rnd([3]);
    torch.noGrad(() => frozen.setIndex(0, 1));
    expect(frozen.dataSync()[0]).toBe(1);
  });

  it('gradients', () => {
    checkGrads((t, v) => torch.indexPut(t, [long([2, 0]), null], v), [rnd([3, 2]), rnd([2, 2], 2)]);
    checkGrads((t, v) => torch.indexPut(t, [long([1, 1])], v, true), [rnd([3]), rnd([2], 2)]);
    checkGrads((t, v) => {
      const y = t.mul(1);
      y.setIndex([':', long([0, 2])], v);
      return y;
    }, [rnd([2, 3]), rnd([2, 1], 2)]);
  });
});

describe('clamp / lerp / atan2 / remainder / fmod / outer', () => {
  it('clamp with scalars, one-sided bounds and tensors', () => {
    const x = torch.tensor([-2, -0.5, 0.5, 2]);
    expect(list(x.clamp(-1, 1))).toEqual([-1, -0.5, 0.5, 1]);
    expect(list(torch.clamp(x, { min: 0 }))).toEqual([0, 0, 0.5, 2]);
    expect(list(x.clampMax(0))).toEqual([-2, -0.5, 0, 0]);
    expect(list(x.clamp(torch.tensor([0, 0, 0, 0]), torch.tensor([1, 1, 0.25, 1])))).toEqual([0, 0, 0.25, 1]);
    expect(list(x.clip(null, -1))).toEqual([-2, -1, -1, -1]);
    const i = torch.tensor([1, 5], { dtype: 'int64' });
    expect(i.clamp(0.5, 2.5).dtype).toBe('float32');
    expect(i.clamp(0, 2).dtype).toBe('int64');
    expect(() => x.clamp()).toThrow("torch.clamp: At least one of 'min' or 'max' must not be None");
    expect(() => i.clamp_(0.5)).toThrow("result type Float can't be cast to the desired output type Long");
    expect(list(i.clamp_(2, 3))).toEqual([2, 3]);
  });

  it('clamp gradients and node names', () => {
    expect(rnd([2]).clamp(0, 1).gradFn?.name()).toBe('ClampBackward1');
    expect(rnd([2]).clamp(rnd([2], 2)).gradFn?.name()).toBe('ClampBackward0');
    expect(rnd([2]).clampMin(0).gradFn?.name()).toBe('ClampMinBackward0');
    expect(rnd([2]).clampMax(rnd([2], 2)).gradFn?.name()).toBe('ClampMaxBackward1');
    checkGrads((t) => t.clamp(-0.5, 0.5), [rnd([3, 4])]);
    checkGrads((t, lo, hi) => t.clamp(lo, hi), [rnd([3, 4]), rnd([4], 2).mul(0.3).detach().requiresGrad_(), rnd([3, 1], 3).abs().add(0.1).detach().requiresGrad_()]);
    checkGrads((t) => { const u = t.mul(2); u.clamp_(-0.5, 0.5); return u; }, [rnd([3, 2])]);
  });

  it('lerp with a scalar or tensor weight', () => {
    const a = torch.tensor([0, 10]), b = torch.tensor([10, 20]);
    expect(list(torch.lerp(a, b, 0.25))).toEqual([2.5, 12.5]);
    expect(list(a.lerp(b, torch.tensor([0.5, 1])))).toEqual([5, 20]);
    expect(() => torch.lerp(a, b.double(), 0.5)).toThrow('expected dtype float for `end` but got dtype double');
    checkGrads((s, e) => torch.lerp(s, e, 0.7), [rnd([2, 3]), rnd([3], 2)]);
    checkGrads((s, e, w) => torch.lerp(s, e, w), [rnd([2, 3]), rnd([3], 2), rnd([2, 1], 3)]);
  });

  it('atan2', () => {
    expect(list(torch.atan2(torch.tensor([1, -1]), torch.tensor([0, 0])))).toEqual([Math.fround(Math.PI / 2), Math.fround(-Math.PI / 2)]);
    expect(torch.atan2(torch.tensor([1], { dtype: 'int64' }), torch.tensor([1], { dtype: 'int64' })).dtype).toBe('float32');
    checkGrads((a, b) => torch.atan2(a, b), [rnd([2, 3]), rnd([3], 2)]);
  });

  it('remainder follows the divisor, fmod the dividend', () => {
    const a = torch.tensor([-3, -1, 1, 3], { dtype: 'int64' });
    expect(list(a.remainder(2))).toEqual([1, 1, 1, 1]);
    expect(list(a.fmod(2))).toEqual([-1, -1, 1, 1]);
    expect(list(torch.remainder(torch.tensor([5.5, -5.5]), -2))).toEqual([-0.5, -1.5]);
    expect(list(torch.fmod(torch.tensor([5.5, -5.5]), torch.tensor([-2, 2])))).toEqual([1.5, -1.5]);
    expect(list(torch.remainder(7, torch.tensor([3, -3], { dtype: 'int64' })))).toEqual([1, -2]);
    expect(a.remainder(1.5).dtype).toBe('float32');
    expect(() => a.remainder(0)).toThrow('ZeroDivisionError');
    expect(() => a.fmod(torch.tensor([1, 0, 1, 1], { dtype: 'int64' }))).toThrow('ZeroDivisionError');
    checkGrads((x, y) => torch.remainder(x, y), [rnd([2, 3]), rnd([3], 2).mul(0.37).detach().requiresGrad_()]);
    checkGrads((x, y) => torch.fmod(x, y), [rnd([2, 3]), rnd([3], 2).mul(0.37).detach().requiresGrad_()]);
    checkGrads((x) => torch.fmod(x, 0.3), [rnd([2, 3])]);
  });

  it('outer', () => {
    expect(list(torch.outer(torch.tensor([1, 2]), torch.tensor([3, 4, 5])))).toEqual([[3, 4, 5], [6, 8, 10]]);
    expect(() => torch.outer(torch.ones(2, 2), torch.ones(2))).toThrow('outer: Expected 1-D argument self, but got 2-D');
    checkGrads((a, b) => a.outer(b), [rnd([3]), rnd([2], 2)]);
  });
});
