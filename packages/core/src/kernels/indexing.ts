/**
 * Indexing range kernels: gather, scatter (add / set), index-select and index-add.
 *
 * Every kernel computes output elements [start, end) of the flat row-major output range, like
 * the elementwise kernels, so the workers backend can shard them:
 *  - gather / indexSelect: each output element reads one input element.
 *  - scatter / indexAdd: `out` arrives already filled (core copies `self` into it). The kernel
 *    walks every source element in row-major order and writes only the targets whose output
 *    position lies in [start, end). Each shard therefore sees the contributions to its targets
 *    in the same order as a single pass, so results are deterministic and independent of the
 *    number of threads (with 'set', the last source element in row-major order wins).
 *
 * Index values are checked against the indexed dim; a bad one throws PyTorch's error.
 */
import { IndexError, RuntimeError } from '../errors.js';
import { contiguousStrides } from '../shape.js';
import { Rows } from './rows.js';
import type { KView } from './view.js';

const rows = new Rows();

/**
 * How scatter combines a source value with its target: accumulate, overwrite, multiply, or keep
 * the larger / smaller (NaN wins, as in PyTorch's scatter_reduce).
 */
export type ScatterMode = 'add' | 'set' | 'prod' | 'amax' | 'amin';

/** Which error a bad index raises: gather/scatter's RuntimeError or index_select/index_add's IndexError. */
type BoundsMessage = 'dim' | 'self';

function outOfBounds(k: number, dim: number, size: number, msg: BoundsMessage): never {
  if (msg === 'self') throw new IndexError('index out of range in self');
  throw new RuntimeError(`index ${k} is out of bounds for dimension ${dim} with size ${size}`);
}

/** `strides` with the entry of `dim` set to 0. */
function zeroAt(strides: readonly number[], dim: number): number[] {
  const s = strides.slice();
  s[dim] = 0;
  return s;
}

/** A 1-d index broadcast along every dim of `shape` except `dim` (stride 0 there). */
function spreadIndex(index: KView, shape: readonly number[], dim: number): KView {
  const strides = shape.map(() => 0);
  strides[dim] = index.shape.length === 0 ? 0 : index.strides[0]!;
  return { data: index.data, shape, strides, offset: index.offset };
}

function gatherImpl(out: KView, x: KView, dim: number, index: KView, start: number, end: number, msg: BoundsMessage): void {
  const o = out.data, a = x.data, ix = index.data;
  const size = x.shape[dim]!, step = x.strides[dim]!;
  // x is walked over out's shape with dim's stride zeroed; the index value supplies that offset.
  const it = rows.init(out.shape, [out.strides, index.strides, zeroAt(x.strides, dim)], [out.offset, index.offset, x.offset], start, end);
  while (it.next()) {
    let oi = it.o0, ii = it.o1, ai = it.o2;
    const so = it.s0, si = it.s1, sa = it.s2;
    for (let n = it.n; n > 0; n--, oi += so, ii += si, ai += sa) {
      const k = ix[ii]!;
      if (k < 0 || k >= size) outOfBounds(k, dim, size, msg);
      o[oi] = a[ai + k * step]!;
    }
  }
}

function scatterImpl(mode: ScatterMode, out: KView, dim: number, index: KView, src: KView, start: number, end: number, msg: BoundsMessage): void {
  const o = out.data, ix = index.data, s = src.data;
  const size = out.shape[dim]!, step = out.strides[dim]!;
  const logical = contiguousStrides(out.shape);
  const lstep = logical[dim]!;
  let total = 1;
  for (const n of index.shape) total *= n;
  // Operands: index, src, the target's row-major position (for the range test), its memory offset.
  const it = rows.init(index.shape, [index.strides, src.strides, zeroAt(logical, dim), zeroAt(out.strides, dim)], [index.offset, src.offset, 0, out.offset], 0, total);
  while (it.next()) {
    let ii = it.o0, si = it.o1, li = it.o2, mi = it.o3;
    const sI = it.s0, sS = it.s1, sL = it.s2, sM = it.s3;
    if (mode === 'add') {
      for (let n = it.n; n > 0; n--, ii += sI, si += sS, li += sL, mi += sM) {
        const k = ix[ii]!;
        if (k < 0 || k >= size) outOfBounds(k, dim, size, msg);
        const l = li + k * lstep;
        if (l >= start && l < end) o[mi + k * step] += s[si]!;
      }
    } else if (mode === 'set') {
      for (let n = it.n; n > 0; n--, ii += sI, si += sS, li += sL, mi += sM) {
        const k = ix[ii]!;
        if (k < 0 || k >= size) outOfBounds(k, dim, size, msg);
        const l = li + k * lstep;
        if (l >= start && l < end) o[mi + k * step] = s[si]!;
      }
    } else if (mode === 'prod') {
      for (let n = it.n; n > 0; n--, ii += sI, si += sS, li += sL, mi += sM) {
        const k = ix[ii]!;
        if (k < 0 || k >= size) outOfBounds(k, dim, size, msg);
        const l = li + k * lstep;
        if (l >= start && l < end) o[mi + k * step] *= s[si]!;
      }
    } else if (mode === 'amax') {
      for (let n = it.n; n > 0; n--, ii += sI, si += sS, li += sL, mi += sM) {
        const k = ix[ii]!;
        if (k < 0 || k >= size) outOfBounds(k, dim, size, msg);
        const l = li + k * lstep, v = s[si]!, t = mi + k * step;
        if (l >= start && l < end && (v > o[t]! || v !== v)) o[t] = v;
      }
    } else {
      for (let n = it.n; n > 0; n--, ii += sI, si += sS, li += sL, mi += sM) {
        const k = ix[ii]!;
        if (k < 0 || k >= size) outOfBounds(k, dim, size, msg);
        const l = li + k * lstep, v = s[si]!, t = mi + k * step;
        if (l >= start && l < end && (v < o[t]! || v !== v)) o[t] = v;
      }
    }
  }
}

/**
 * torch.gather: out[i] = x[i with coordinate `dim` replaced by index[i]]. out and index share a
 * shape; x is at least as large in every other dim.
 */
export function gatherRange(out: KView, x: KView, dim: number, index: KView, start: number, end: number): void {
  gatherImpl(out, x, dim, index, start, end, 'dim');
}

/**
 * torch.scatter / scatter_add / scatter_reduce into a pre-filled out: for every element i of index
 * (row-major), out[i with `dim` replaced by index[i]] gets src[i] added ('add'), stored ('set'),
 * multiplied in ('prod') or kept if larger ('amax') / smaller ('amin').
 */
export function scatterRange(mode: ScatterMode, out: KView, dim: number, index: KView, src: KView, start: number, end: number): void {
  scatterImpl(mode, out, dim, index, src, start, end, 'dim');
}

/** torch.index_select: out has x's shape with `dim` resized to the 1-d index's length. */
export function indexSelectRange(out: KView, x: KView, dim: number, index: KView, start: number, end: number): void {
  gatherImpl(out, x, dim, spreadIndex(index, out.shape, dim), start, end, 'self');
}

/**
 * torch.index_add into a pre-filled out: src has out's shape with `dim` resized to the 1-d
 * index's length, and slice j of src is added to slice index[j] of out.
 */
export function indexAddRange(out: KView, dim: number, index: KView, src: KView, start: number, end: number): void {
  scatterImpl('add', out, dim, spreadIndex(index, src.shape, dim), src, start, end, 'self');
}
