/**
 * Sorting and selection along a dim: sort, argsort, msort, topk, kthvalue, median, mode.
 * All of them run the backend's `sort` family (values plus int64 positions); a backend without
 * it gets the default below, built from the comparison, reduce and scatter families. Their
 * gradients flow back to the positions the values came from.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { IndexError, RuntimeError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { arange, full, zeros } from './creation.js';
import { gather, scatter } from './indexing.js';
import { cat } from './shape.js';
import { where } from './pointwise.js';
import { bindArgs } from '../nn/args.js';
import { checkInt } from '../args.js';
import { ValuesIndices } from './reduce.js';
import { record } from './support.js';
import { cummax } from './scans.js';

/** A values / indices pair as the named tuple PyTorch returns (`torch.return_types.<op>`). */
export function valuesIndices(values: Tensor, indices: Tensor, op: string): ValuesIndices {
  return new ValuesIndices(values, indices, op);
}

/**
 * The default sort, built from other families: the rank of element i in its lane is the number
 * of elements that go before it (smaller, NaN last, or equal at an earlier position), and the
 * positions are scattered to their ranks. O(n^2) per lane; backends implement `sort` for speed.
 */
function sortByRanks(x: Tensor, d: number, descending: boolean): [Tensor, Tensor] {
  const n = x.shape[d]!;
  const a = x.unsqueeze(d + 1), b = x.unsqueeze(d); // a: element i (along d), b: element j (along d + 1)
  const nanA = a.ne(a), nanB = b.ne(b);
  const strictly = descending ? b.gt(a).logicalOr(nanB.logicalAnd(nanA.logicalNot())) : b.lt(a).logicalOr(nanA.logicalAnd(nanB.logicalNot()));
  const pos = arange(n, { device: x.device });
  const posI = pos.view(a.shape.map((_, k) => (k === d ? n : 1)));
  const posJ = pos.view(b.shape.map((_, k) => (k === d + 1 ? n : 1)));
  const tie = b.eq(a).logicalOr(nanA.logicalAnd(nanB)).logicalAnd(posJ.lt(posI));
  const rank = strictly.logicalOr(tie).sum(d + 1);
  const positions = pos.view(x.shape.map((_, k) => (k === d ? n : 1))).expand(x.shape);
  const indices = scatter(zeros(x.shape, { dtype: 'int64', device: x.device }), d, rank, positions);
  return [gather(x, d, indices), indices];
}

/** Sorted values and positions of x along d (already normalized); never recorded. */
function sortLanes(x: Tensor, d: number, descending: boolean, stable: boolean): [Tensor, Tensor] {
  if (x.ndim === 0) {
    const [v, i] = sortLanes(x.view([1]), 0, descending, stable);
    return [v.view([]), i.view([])];
  }
  const values = Tensor.empty(x.shape, x.dtype, x.backend), indices = Tensor.empty(x.shape, 'int64', x.backend);
  if (x.numel() === 0) return [values, indices];
  const b = x.backend;
  if (b.sort) b.sort(values, indices, x, d, descending, stable);
  else {
    const [v, i] = noGrad(() => sortByRanks(x.detach(), d, descending));
    b.copy('plain', values, v);
    b.copy('plain', indices, i);
  }
  return [values, indices];
}

/** The gradient of values picked from x at `indices` along d: g scattered back (zeros elsewhere). */
function pickedGrad(g: Tensor, shape: readonly number[], d: number, indices: Tensor, keepdim: boolean): Tensor {
  if (shape.length === 0) return g.reshape([]);
  const base = zeros(shape, { dtype: g.dtype, device: g.device });
  return keepdim ? scatter(base, d, indices, g) : scatter(base, d, indices.unsqueeze(d), g.unsqueeze(d));
}

/** values picked from x at `indices` (keepdim-shaped along d), recorded as `name`. */
function picked(name: string, x: Tensor, d: number, values: Tensor, indices: Tensor, keepdim: boolean): ValuesIndices {
  const op = name.replace(/Backward\d$/, '').toLowerCase();
  const v = keepdim || x.ndim === 0 ? values : values.squeeze(d), i = keepdim || x.ndim === 0 ? indices : indices.squeeze(d);
  const shape = x.shape;
  record(v, name, [x], [i], ([g], [idx]) => [pickedGrad(g!, shape, d, idx!, keepdim)]);
  return valuesIndices(v, i, op);
}

/** Options of sort. */
export interface SortOptions {
  dim?: number;
  descending?: boolean;
  /** Keep equal values in their order (Kindling's sort is always stable). */
  stable?: boolean;
}

/**
 * torch.sort(input, dim=-1, descending=False, *, stable=False) -> { values, indices }. NaN sorts
 * as the largest value; equal values keep their order (the sort is always stable, one of the
 * orders PyTorch's unstable sort may give). `sort(x, 0, true)`, `x.sort({ dim: 0, stable: true })`.
 */
export function sort(x: Tensor, ...args: (number | boolean | SortOptions | undefined)[]): ValuesIndices {
  const o = bindArgs<Required<SortOptions>>('sort', args, ['dim', 'descending'], { dim: -1, descending: false, stable: false });
  const d = normalizeDim(o.dim, x.ndim);
  const [values, indices] = sortLanes(x, d, o.descending, o.stable);
  const shape = x.shape;
  record(values, o.stable ? 'SortBackward1' : 'SortBackward0', [x], [indices], ([g], [idx]) => [pickedGrad(g!, shape, d, idx!, true)]);
  return valuesIndices(values, indices, 'sort');
}

/** torch.argsort(input, dim=-1, descending=False, *, stable=False): the int64 positions sort would take. */
export function argsort(x: Tensor, ...args: (number | boolean | SortOptions | undefined)[]): Tensor {
  const o = bindArgs<Required<SortOptions>>('argsort', args, ['dim', 'descending'], { dim: -1, descending: false, stable: false });
  return sortLanes(x, normalizeDim(o.dim, x.ndim), o.descending, o.stable)[1];
}

/** torch.msort(input): sorted along dim 0. */
export function msort(x: Tensor): Tensor {
  return sort(x, 0).values;
}

/** Options of topk. */
export interface TopkOptions {
  dim?: number;
  /** The k largest (default) or the k smallest. */
  largest?: boolean;
  /** Return them in sorted order (Kindling always does). */
  sorted?: boolean;
}

/**
 * torch.topk(input, k, dim=-1, largest=True, sorted=True) -> { values, indices }: the k largest
 * (or smallest) along dim, always in sorted order.
 */
export function topk(x: Tensor, k: number, ...args: (number | boolean | TopkOptions | undefined)[]): ValuesIndices {
  const o = bindArgs<Required<TopkOptions>>('topk', args, ['dim', 'largest', 'sorted'], { dim: -1, largest: true, sorted: true });
  const d = normalizeDim(o.dim, x.ndim);
  const n = x.ndim === 0 ? 1 : x.shape[d]!;
  if (checkInt(k, 'k', 'topk') < 0 || k > n) throw new RuntimeError('selected index k out of range');
  const [values, indices] = sortLanes(x, d, o.largest, true);
  const v = x.ndim === 0 ? values : values.narrow(d, 0, k).contiguous(), i = x.ndim === 0 ? indices : indices.narrow(d, 0, k).contiguous();
  return picked('TopkBackward0', x, d, v, i, true);
}

/** Options of kthvalue, median and mode. */
export interface SelectOptions {
  dim?: number;
  keepdim?: boolean;
}

/** The element at `position` (an int64 tensor, keepdim-shaped) of each sorted lane. */
function selectSorted(name: string, x: Tensor, d: number, position: Tensor | number, keepdim: boolean, sorted?: [Tensor, Tensor]): ValuesIndices {
  const [values, indices] = sorted ?? sortLanes(x, d, false, true);
  if (x.ndim === 0) return picked(name, x, d, values, indices, keepdim);
  const at = typeof position === 'number' ? null : position;
  const v = at ? values.gather(d, at) : values.narrow(d, position as number, 1).contiguous();
  const i = at ? indices.gather(d, at) : indices.narrow(d, position as number, 1).contiguous();
  return picked(name, x, d, v, i, keepdim);
}

/** PyTorch's check that the reduced dim is not empty. */
function checkNonEmpty(name: string, x: Tensor, d: number): void {
  if (x.ndim > 0 && x.shape[d] === 0) throw new IndexError(`${name}(): Expected reduction dim ${d} to have non-zero size.`);
}

/** torch.kthvalue(input, k, dim=-1, keepdim=False) -> { values, indices }: the k-th smallest (from 1) along dim. */
export function kthvalue(x: Tensor, k: number, ...args: (number | boolean | SelectOptions | undefined)[]): ValuesIndices {
  const o = bindArgs<Required<SelectOptions>>('kthvalue', args, ['dim', 'keepdim'], { dim: -1, keepdim: false });
  const d = normalizeDim(o.dim, x.ndim);
  const n = x.ndim === 0 ? 1 : x.shape[d]!;
  if (checkInt(k, 'k', 'kthvalue') < 1 || k > n) throw new RuntimeError(`kthvalue(): selected number k out of range for dimension ${d}`);
  return selectSorted('KthvalueBackward0', x, d, k - 1, o.keepdim);
}

/**
 * Position of the lower median in each sorted lane of x along d, or of the first NaN when the
 * lane has one (PyTorch's median propagates NaN).
 */
function medianPosition(x: Tensor, d: number): Tensor {
  const n = x.shape[d]!;
  const nans = x.ne(x).sum(d, true);
  return where(nans.gt(0), nans.neg().add(n), Math.floor((n - 1) / 2));
}

/**
 * torch.median(input) (the lower median of all elements) or torch.median(input, dim, keepdim)
 * -> { values, indices }. A NaN makes the median NaN, as in PyTorch.
 */
export function median(x: Tensor): Tensor;
export function median(x: Tensor, dim: number | SelectOptions, keepdim?: boolean | SelectOptions): ValuesIndices;
export function median(x: Tensor, ...args: (number | boolean | SelectOptions | undefined)[]): Tensor | ValuesIndices {
  const o = bindArgs<SelectOptions>('median', args, ['dim', 'keepdim'], { dim: undefined, keepdim: undefined });
  if (o.dim === undefined || o.dim === null) {
    if (x.numel() === 0) return full([], NaN, { dtype: x.dtype, device: x.device });
    const flat = x.detach().reshape(-1);
    const value = noGrad(() => selectSorted('MedianBackward0', flat, 0, medianPosition(flat, 0), false)).values;
    record(value, 'MedianBackward0', [x], [x, value], ([g], [sx, r]) => {
      // Shared evenly among the elements equal to the median (NaN counts as equal to NaN).
      const hit = sx!.eq(r!).logicalOr(sx!.ne(sx!).logicalAnd(r!.ne(r!))).to(g!.dtype);
      return [hit.mul(g!).div(hit.sum())];
    });
    return value;
  }
  const d = normalizeDim(o.dim, x.ndim);
  checkNonEmpty('median', x, d);
  return selectSorted('MedianBackward1', x, d, x.ndim === 0 ? 0 : medianPosition(x, d), o.keepdim ?? false);
}

/**
 * torch.mode(input, dim=-1, keepdim=False) -> { values, indices }: the most frequent value
 * along dim (the smallest among equally frequent ones) and the last position it occurs at.
 */
export function mode(x: Tensor, ...args: (number | boolean | SelectOptions | undefined)[]): ValuesIndices {
  const o = bindArgs<Required<SelectOptions>>('mode', args, ['dim', 'keepdim'], { dim: -1, keepdim: false });
  const d = normalizeDim(o.dim, x.ndim);
  checkNonEmpty('mode', x, d);
  if (x.ndim === 0) return selectSorted('ModeBackward0', x, d, 0, o.keepdim);
  const sorted = sortLanes(x, d, false, true);
  const n = x.shape[d]!;
  const best = noGrad(() => {
    // In each sorted lane, the run of equal values ending at j starts at runStart[j]; the first
    // longest run holds the smallest most frequent value, and its end that value's last position.
    const s = sorted[0];
    const pos = arange(n, { device: x.device }).view(x.shape.map((_, k) => (k === d ? n : 1))).expand(x.shape);
    const first = zeros(x.shape.map((sz, k) => (k === d ? 1 : sz)), { dtype: 'int64', device: x.device });
    const starts = n > 1 ? cat([first, where(s.narrow(d, 1, n - 1).ne(s.narrow(d, 0, n - 1)), pos.narrow(d, 1, n - 1), 0)], d) : first;
    return pos.sub(cummax(starts, d).values).argmax(d, true);
  });
  return selectSorted('ModeBackward0', x, d, best, o.keepdim, sorted);
}
