/**
 * Searching and counting: searchsorted and bucketize (comparison counts, on every backend),
 * bincount and unique (their result shapes depend on the values, which are read synchronously,
 * as nonzero does).
 */
import { RuntimeError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import { allocArray, isFloating, isIntegral, scalarTypeName } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { fromValues, zeros } from './creation.js';
import { indexAdd } from './indexing.js';
import { bindArgs } from '../nn/args.js';
import { checkInt } from '../args.js';
import { sortRange } from '../kernels/sort.js';
import { castValues, scalarTensor } from './support.js';

/** Options of searchsorted. */
export interface SearchsortedOptions {
  /** int32 results instead of int64. */
  outInt32?: boolean;
  /** The last suitable position instead of the first (same as side: 'right'). */
  right?: boolean;
  side?: 'left' | 'right' | null;
  /** Positions that sort `sortedSequence` (its own order when absent). */
  sorter?: Tensor | null;
}

/**
 * torch.searchsorted(sorted_sequence, values, *, out_int32=False, right=False, side=None,
 * sorter=None): for each value, the position in the innermost dim of `sortedSequence` where it
 * would be inserted to keep the order (after equal entries with `right`).
 */
export function searchsorted(sortedSequence: Tensor, values: Tensor | number, opts: SearchsortedOptions = {}): Tensor {
  const { outInt32 = false, side = null, sorter = null } = opts;
  if (side !== null && side !== 'left' && side !== 'right') throw new RuntimeError(`torch.searchsorted(): side can only be 'left' or 'right' but got ${String(side)}`);
  if (side !== null && opts.right !== undefined && (side === 'right') !== opts.right) {
    throw new RuntimeError(`torch.searchsorted(): side and right can't be set to opposites, got side of ${side} while right was ${opts.right ? 'True' : 'False'}`);
  }
  const right = side === 'right' || (opts.right ?? false);
  const seq = sorter ? sortedSequence.gather(-1, sorter) : sortedSequence;
  const v = values instanceof Tensor ? values : scalarTensor(values, sortedSequence.dtype, sortedSequence.backend);
  if (seq.ndim > 1 && (v.ndim !== seq.ndim || !seq.shape.slice(0, -1).every((s, i) => s === v.shape[i]))) {
    throw new RuntimeError(
      `torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor must match, but we got boundaries tensor [${seq.shape.join(', ')}] and input value tensor [${v.shape.join(', ')}]`,
    );
  }
  // Binary search's answer for sorted data: how many entries are below the value (NaN values go last).
  const s = seq.ndim > 1 ? seq.unsqueeze(-2) : seq;
  const probe = v.ndim === 0 ? v.view([1]) : v;
  const below = (right ? s.gt(probe.unsqueeze(-1)) : s.ge(probe.unsqueeze(-1))).logicalNot();
  const counts = below.sum(-1);
  const out = v.ndim === 0 ? counts.view([]) : counts;
  return outInt32 ? castValues(out, 'int32') : out;
}

/** Options of bucketize. */
export interface BucketizeOptions {
  outInt32?: boolean;
  right?: boolean;
}

/**
 * torch.bucketize(input, boundaries, *, out_int32=False, right=False): the index of the bucket
 * of each value, with 1-d increasing `boundaries` (see searchsorted).
 */
export function bucketize(x: Tensor | number, boundaries: Tensor, opts: BucketizeOptions = {}): Tensor {
  if (boundaries.ndim !== 1) throw new RuntimeError(`boundaries tensor must be 1 dimension, but got dim(${boundaries.ndim})`);
  return searchsorted(boundaries, x, opts);
}

/** Options of bincount. */
export interface BincountOptions {
  weights?: Tensor | null;
  minlength?: number;
}

/**
 * torch.bincount(input, weights=None, minlength=0): how often each value 0..max occurs in the
 * 1-d non-negative integer `input` (or the sum of `weights` there). Reads input synchronously.
 */
export function bincount(x: Tensor, ...args: (Tensor | number | null | undefined | BincountOptions)[]): Tensor {
  const o = bindArgs<BincountOptions>('bincount', args, ['weights', 'minlength'], { weights: null, minlength: 0 });
  const minlength = o.minlength ?? 0;
  if (!isIntegral(x.dtype, true)) throw new RuntimeError(`"bincount_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  if (checkInt(minlength, 'minlength', 'bincount') < 0) throw new RuntimeError('minlength should be >= 0');
  const values = x.dataSync();
  let max = -1;
  for (let i = 0; i < values.length; i++) {
    if (values[i]! < 0) throw new RuntimeError('bincount only supports 1-d non-negative integral inputs.');
    if (values[i]! > max) max = values[i]!;
  }
  if (x.ndim !== 1) throw new RuntimeError('bincount only supports 1-d non-negative integral inputs.');
  const w = o.weights ?? null;
  if (w && (w.ndim !== 1 || w.shape[0] !== x.shape[0])) throw new RuntimeError('weights should be 1-d and have the same length as input');
  const n = Math.max(max + 1, minlength);
  const dtype = w ? (isFloating(w.dtype) ? w.dtype : 'float64') : 'int64';
  const src = w ? castValues(w.detach(), dtype) : zeros([x.shape[0]!], { dtype: 'int64', device: x.device }).add(1);
  return indexAdd(zeros([n], { dtype, device: x.device }), 0, x, src);
}

/** Options of unique. */
export interface UniqueOptions {
  /** Kindling always returns the unique values in ascending order. */
  sorted?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
  /** Unique slices along this dim (in lexicographic order) instead of unique elements. */
  dim?: number | null;
}

/** The unique result as PyTorch's tuple: values alone, or `[values, inverse?, counts?]`. */
function uniqueResult(o: UniqueOptions, values: Tensor, inverse: Float64Array, inverseShape: readonly number[], counts: number[], x: Tensor): Tensor | Tensor[] {
  if (!o.returnInverse && !o.returnCounts) return values;
  const out = [values];
  if (o.returnInverse) out.push(fromValues(inverse, inverseShape, 'int64', x.backend));
  if (o.returnCounts) out.push(fromValues(Float64Array.from(counts), [counts.length], 'int64', x.backend));
  return out;
}

/**
 * torch.unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None): the
 * distinct values of the flattened input in ascending order (or, with `dim`, the distinct
 * slices along dim in lexicographic order); with `returnInverse` and / or `returnCounts`, an
 * array `[values, inverse?, counts?]` as PyTorch's tuple. NaNs are each distinct. Reads the
 * values synchronously (the result's size depends on them).
 *
 * @remarks Differs from PyTorch: `sorted: false` still sorts (PyTorch's order is then
 * unspecified).
 */
export function unique(x: Tensor, ...args: (boolean | UniqueOptions | undefined)[]): Tensor | Tensor[] {
  const o = bindArgs<UniqueOptions>('unique', args, ['sorted', 'returnInverse', 'returnCounts'], { sorted: true, returnInverse: false, returnCounts: false, dim: undefined });
  if (o.dim !== undefined && o.dim !== null) return uniqueDim(x, normalizeDim(o.dim, x.ndim), o);
  const n = x.numel();
  const flat = { shape: [n], strides: [1], offset: 0 };
  const v = allocArray(x.dtype, n), from = new Float64Array(n);
  sortRange({ ...flat, data: v }, { ...flat, data: from }, { ...flat, data: x.dataSync() }, 0, false, true, 0, 1);
  const inverse = new Float64Array(n), uniq: number[] = [], counts: number[] = [];
  for (let j = 0; j < n; j++) {
    if (j === 0 || v[j] !== v[j - 1]) { uniq.push(v[j]!); counts.push(0); }
    counts[counts.length - 1]!++;
    inverse[from[j]!] = uniq.length - 1;
  }
  const kept = allocArray(x.dtype, uniq.length);
  kept.set(uniq);
  return uniqueResult(o, fromValues(kept, [uniq.length], x.dtype, x.backend), inverse, x.shape, counts, x);
}

/** unique over the slices of x along d: sorted lexicographically, each kept once. */
function uniqueDim(x: Tensor, d: number, o: UniqueOptions): Tensor | Tensor[] {
  const values = x.dataSync();
  const n = x.shape[d]!, inner = x.shape.slice(d + 1).reduce((a, b) => a * b, 1), outer = x.shape.slice(0, d).reduce((a, b) => a * b, 1);
  // Slice k's elements in the order of x.movedim(d, 0).reshape(n, -1)[k].
  const slice = (k: number): number[] => {
    const r: number[] = [];
    for (let a = 0; a < outer; a++) for (let i = 0; i < inner; i++) r.push(values[(a * n + k) * inner + i]!);
    return r;
  };
  const slices = Array.from({ length: n }, (_, k) => slice(k));
  const compare = (p: number[], q: number[]): number => {
    for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return p[i]! < q[i]! ? -1 : 1;
    return 0;
  };
  const order = slices.map((_, k) => k).sort((a, b) => compare(slices[a]!, slices[b]!));
  const firsts: number[] = [], counts: number[] = [], inverse = new Float64Array(n);
  order.forEach((k, j) => {
    if (j === 0 || compare(slices[order[j - 1]!]!, slices[k]!) !== 0) { firsts.push(k); counts.push(0); }
    counts[counts.length - 1]!++;
    inverse[k] = firsts.length - 1;
  });
  const picked = x.detach().indexSelect(d, fromValues(Float64Array.from(firsts), [firsts.length], 'int64', x.backend));
  return uniqueResult(o, picked, inverse, [n], counts, x);
}
