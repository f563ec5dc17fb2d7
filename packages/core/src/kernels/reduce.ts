/**
 * Deterministic reductions. Core permutes the input so the kept dims come first and the `nr`
 * reduced dims come last; output element j reduces the R = prod(reduced dims) elements of row j
 * in row-major order.
 *
 * Every sum-like reduction cuts the R elements into fixed blocks of REDUCE_BLOCK and adds the
 * block results in order. A sum block is summed in float64 in eight lanes: element i of the
 * block goes to lane i % 8, each lane adds its elements in order from 0, and the lanes combine as
 * ((l0 + l2) + (l4 + l6)) + ((l1 + l3) + (l5 + l7)) (the order SIMD lanes give, see wasm/).
 * The blocks never depend on the thread count, so a backend may compute blocks anywhere (see
 * reduceBlocksRange and combineBlocksRange) and still return bitwise the same result as
 * reduceRange. max / min follow f32x4.max / min: NaN propagates, +0 beats -0 for max (-0 for
 * min), so they give the same value in any order.
 *
 * float32 rows in the wasm memory with contiguous reduced dims (and column sums over contiguous
 * outputs) run in wasm, in the same order.
 */
import type { TypedArray } from '../dtype.js';
import type { KView } from './view.js';
import { Rows } from './rows.js';
import { wasmKernels, wasmReady, type WasmKernels } from './wasm/runtime.js';

export type ReduceOp = 'sum' | 'mean' | 'prod' | 'max' | 'min' | 'argmax' | 'argmin' | 'any' | 'all';

/** Elements per block of a sum-like reduction. A fixed constant: results depend on it. */
export const REDUCE_BLOCK = 4096;

const outer = new Rows();
const inner = new Rows();

/** Whether an op combines block results by adding/multiplying (and so needs the fixed blocks). */
export function isBlocked(op: ReduceOp): boolean {
  return op === 'sum' || op === 'mean' || op === 'prod';
}

const lanes = new Float64Array(8);

/** The canonical lane sum (see the top of this file) of the runs of `it`, lanes from the first element. */
function laneSum(a: TypedArray, it: Rows): number {
  const L = lanes;
  L.fill(0);
  let pos = 0;
  while (it.next()) {
    let i = it.o0, n = it.n;
    const s = it.s0;
    for (; n > 0 && (pos & 7) !== 0; n--, i += s, pos++) L[pos & 7] += a[i]!;
    if (n >= 8) {
      let l0 = L[0]!, l1 = L[1]!, l2 = L[2]!, l3 = L[3]!, l4 = L[4]!, l5 = L[5]!, l6 = L[6]!, l7 = L[7]!;
      for (; n >= 8; n -= 8, i += 8 * s) {
        l0 += a[i]!; l1 += a[i + s]!; l2 += a[i + 2 * s]!; l3 += a[i + 3 * s]!;
        l4 += a[i + 4 * s]!; l5 += a[i + 5 * s]!; l6 += a[i + 6 * s]!; l7 += a[i + 7 * s]!;
      }
      L[0] = l0; L[1] = l1; L[2] = l2; L[3] = l3; L[4] = l4; L[5] = l5; L[6] = l6; L[7] = l7;
    }
    for (; n > 0; n--, i += s, pos++) L[pos & 7] += a[i]!;
  }
  return combineLanes(L, 0, 1);
}

/** ((l0 + l2) + (l4 + l6)) + ((l1 + l3) + (l5 + l7)), lane j at L[at + j * step]. */
export function combineLanes(L: Float64Array, at: number, step: number): number {
  return ((L[at]! + L[at + 2 * step]!) + (L[at + 4 * step]! + L[at + 6 * step]!))
    + ((L[at + step]! + L[at + 3 * step]!) + (L[at + 5 * step]! + L[at + 7 * step]!));
}

/** max of two values as f32x4.max: NaN propagates, +0 beats -0. */
export function max2(m: number, v: number): number {
  return v > m || v !== v || (v === 0 && m === 0 && 1 / v > 0) ? v : m;
}

/** min of two values as f32x4.min: NaN propagates, -0 beats +0. */
function min2(m: number, v: number): number {
  return v < m || v !== v || (v === 0 && m === 0 && 1 / v < 0) ? v : m;
}

/** The wasm row kernel for op (sum-like ops give the whole row's blocked sum), or null. */
function wasmRow(op: ReduceOp, x: KView, nr: number): ((ptr: number, n: number) => number) | null {
  if (!(x.data instanceof Float32Array) || !wasmReady(x.data)) return null;
  if (op === 'prod' || op === 'any' || op === 'all') return null;
  // The reduced dims must be contiguous (one run).
  let expected = 1;
  for (let d = x.shape.length - 1; d >= x.shape.length - nr; d--) {
    if (x.shape[d] !== 1 && x.strides[d] !== expected) return null;
    expected *= x.shape[d]!;
  }
  const k = wasmKernels()!;
  switch (op) {
    case 'max': return k.max_row;
    case 'min': return k.min_row;
    case 'argmax': return k.argmax_row;
    case 'argmin': return k.argmin_row;
    default: return k.sum_row;
  }
}

/** Reduces elements [from, to) of one row; `base` is the row's first element offset in x. */
function reduceSpan(op: ReduceOp, x: KView, nr: number, base: number, from: number, to: number): number {
  const a = x.data, nd = x.shape.length;
  const it = nr === 1
    ? inner.run(base + from * x.strides[nd - 1]!, x.strides[nd - 1]!, to - from)
    : inner.init(x.shape.slice(nd - nr), [x.strides.slice(nd - nr)], [base], from, to);
  switch (op) {
    case 'sum': case 'mean': return laneSum(a, it);
    case 'prod': {
      let acc = 1;
      while (it.next()) for (let n = it.n, i = it.o0, s = it.s0; n > 0; n--, i += s) acc *= a[i]!;
      return acc;
    }
    case 'max': {
      // NaN propagates, as in PyTorch: once m is NaN no comparison replaces it.
      let m = -Infinity;
      while (it.next()) for (let n = it.n, i = it.o0, s = it.s0; n > 0; n--, i += s) m = max2(m, a[i]!);
      return m;
    }
    case 'min': {
      let m = Infinity;
      while (it.next()) for (let n = it.n, i = it.o0, s = it.s0; n > 0; n--, i += s) m = min2(m, a[i]!);
      return m;
    }
    case 'argmax': case 'argmin': {
      // First index of the extreme; a NaN wins (and the first NaN stays).
      const isMax = op === 'argmax';
      let best = isMax ? -Infinity : Infinity, bestIdx = from, k = from, nan = false;
      while (it.next()) for (let n = it.n, i = it.o0, s = it.s0; n > 0; n--, i += s, k++) {
        const v = a[i]!;
        if (nan) continue;
        if (v !== v) { nan = true; bestIdx = k; } else if (isMax ? v > best : v < best) { best = v; bestIdx = k; }
      }
      return bestIdx;
    }
    case 'any': {
      while (it.next()) for (let n = it.n, i = it.o0, s = it.s0; n > 0; n--, i += s) if (a[i] !== 0) return 1;
      return 0;
    }
    case 'all': {
      while (it.next()) for (let n = it.n, i = it.o0, s = it.s0; n > 0; n--, i += s) if (a[i] === 0) return 0;
      return 1;
    }
  }
}

/** Reduces one whole row: block by block for sum-like ops. */
function reduceRow(op: ReduceOp, x: KView, nr: number, base: number, r: number): number {
  if (!isBlocked(op)) return reduceSpan(op, x, nr, base, 0, r);
  let total = op === 'prod' ? 1 : 0;
  for (let b = 0; b < r; b += REDUCE_BLOCK) {
    const v = reduceSpan(op, x, nr, base, b, Math.min(r, b + REDUCE_BLOCK));
    total = op === 'prod' ? total * v : total + v;
  }
  return op === 'mean' ? total / r : total;
}

function rowSize(x: KView, nr: number): number {
  let r = 1;
  for (let d = x.shape.length - nr; d < x.shape.length; d++) r *= x.shape[d]!;
  return r;
}

/** Output elements [start, end): out has the kept shape; x is [...kept, ...reduced]. */
export function reduceRange(op: ReduceOp, out: KView, x: KView, nr: number, start: number, end: number): void {
  const nk = x.shape.length - nr, r = rowSize(x, nr), o = out.data;
  if ((op === 'sum' || op === 'mean') && nr === 1 && nk >= 1 && r > 1) {
    // Column sums: when rows are strided and the outputs run along x's unit stride, walk x
    // row by row across the outputs. Each output still adds the same values in the same order.
    const kStride = x.strides[nk - 1]!, rStride = x.strides[nk]!;
    if (kStride === 1 && rStride !== 1) return columnSum(op, out, x, start, end);
  }
  const it = outer.init(out.shape, [out.strides, x.strides.slice(0, nk)], [out.offset, x.offset], start, end);
  const simd = wasmRow(op, x, nr);
  if (simd !== null) {
    const bx = x.data.byteOffset, div = op === 'mean' ? r : 1;
    while (it.next()) {
      for (let n = it.n, oi = it.o0, xi = it.o1; n > 0; n--, oi += it.s0, xi += it.s1) o[oi] = simd(bx + 4 * xi, r) / div;
    }
    return;
  }
  while (it.next()) {
    for (let n = it.n, oi = it.o0, xi = it.o1; n > 0; n--, oi += it.s0, xi += it.s1) o[oi] = reduceRow(op, x, nr, xi, r);
  }
}

/** Columns summed together: their accumulators (lanes and running total) stay in L1 / L2. */
const COLUMN_TILE = 1024;
const laneAcc = new Float64Array(8 * COLUMN_TILE);
const totalAcc = new Float64Array(COLUMN_TILE);

/** The wasm kernels when x's and out's float32 data both live in their memory. */
function wasmPair(out: KView, x: KView): WasmKernels | null {
  return out.data instanceof Float32Array && x.data instanceof Float32Array && wasmReady(out.data) && wasmReady(x.data) ? wasmKernels() : null;
}

function columnSum(op: 'sum' | 'mean', out: KView, x: KView, start: number, end: number): void {
  const nk = x.shape.length - 1, r = x.shape[nk]!, rs = x.strides[nk]!, a = x.data, o = out.data;
  const it = outer.init(out.shape, [out.strides, x.strides.slice(0, nk)], [out.offset, x.offset], start, end);
  const simd = wasmPair(out, x);
  while (it.next()) {
    if (it.s1 !== 1) { // outputs not along x's unit stride in this run: plain per-output rows
      for (let k = 0, oi = it.o0, xi = it.o1; k < it.n; k++, oi += it.s0, xi += it.s1) o[oi] = reduceRow(op, x, 1, xi, r);
      continue;
    }
    if (simd !== null && it.s0 === 1) {
      simd.col_sum(a.byteOffset + 4 * it.o1, 4 * rs, r, it.n, o.byteOffset + 4 * it.o0, op === 'mean' ? r : 1);
      continue;
    }
    for (let k0 = 0; k0 < it.n; k0 += COLUMN_TILE) {
      const n = Math.min(COLUMN_TILE, it.n - k0), col = it.o1 + k0;
      totalAcc.fill(0, 0, n);
      for (let b = 0; b < r; b += REDUCE_BLOCK) {
        laneAcc.fill(0);
        const bEnd = Math.min(r, b + REDUCE_BLOCK);
        // Row i of the block goes to lane i % 8 of every column, as in the lane sum.
        for (let i = b, row = col + b * rs; i < bEnd; i++, row += rs) {
          const lane = ((i - b) & 7) * COLUMN_TILE;
          for (let k = 0; k < n; k++) laneAcc[lane + k] += a[row + k]!;
        }
        for (let k = 0; k < n; k++) totalAcc[k] += combineLanes(laneAcc, k, COLUMN_TILE);
      }
      for (let k = 0, oi = it.o0 + k0 * it.s0; k < n; k++, oi += it.s0) o[oi] = op === 'mean' ? totalAcc[k]! / r : totalAcc[k]!;
    }
  }
}

/** Number of fixed blocks a row of a sum-like reduction is cut into. */
export function blockCount(x: KView, nr: number): number {
  return Math.max(1, Math.ceil(rowSize(x, nr) / REDUCE_BLOCK));
}

/**
 * Phase one of a split reduction: partials[j * nb + b] = result of block b of row j, for the flat
 * (row, block) indices [start, end). For the ops of isSplittable.
 */
export function reduceBlocksRange(op: ReduceOp, partials: Float64Array, x: KView, nr: number, nb: number, start: number, end: number): void {
  const nk = x.shape.length - nr, r = rowSize(x, nr);
  const keptShape = x.shape.slice(0, nk), keptStrides = x.strides.slice(0, nk);
  const simd = wasmRow(op, x, nr);
  for (let p = start; p < end; p++) {
    const row = Math.floor(p / nb), b = p - row * nb;
    let base = x.offset, rem = row;
    for (let d = nk - 1; d >= 0; d--) {
      const size = keptShape[d]!, i = rem % size;
      rem = (rem - i) / size;
      base += i * keptStrides[d]!;
    }
    const from = b * REDUCE_BLOCK, to = Math.min(r, from + REDUCE_BLOCK);
    // A block's wasm sum is 0 + its lane sum: the lane sum itself.
    partials[p] = simd !== null ? simd(x.data.byteOffset + 4 * (base + from), to - from) : reduceSpan(op, x, nr, base, from, to);
  }
}

/**
 * Whether a reduction can be split on block boundaries (reduceBlocksRange + combineBlocksRange)
 * with the same result as reduceRange: the sum-like ops, whose fixed blocks define the result,
 * and max / min / any / all, which combine block results exactly (the max of block maxima, NaN
 * propagating, the first of equal values kept). argmax / argmin are not splittable.
 */
export function isSplittable(op: ReduceOp): boolean {
  return op !== 'argmax' && op !== 'argmin';
}

/** Phase two: combines each row's block partials in order into out, for outputs [start, end). */
export function combineBlocksRange(op: ReduceOp, out: KView, partials: Float64Array, nb: number, r: number, start: number, end: number): void {
  const o = out.data;
  const it = outer.init(out.shape, [out.strides], [out.offset], start, end);
  let j = start;
  while (it.next()) {
    for (let n = it.n, oi = it.o0; n > 0; n--, oi += it.s0, j++) {
      const p0 = j * nb;
      if (!isBlocked(op)) {
        // The same comparisons as reduceSpan, applied to the block results in order.
        let m = op === 'max' ? -Infinity : op === 'min' ? Infinity : op === 'all' ? 1 : 0;
        for (let p = p0; p < p0 + nb; p++) {
          const v = partials[p]!;
          if (op === 'max') m = max2(m, v);
          else if (op === 'min') m = min2(m, v);
          else if (op === 'any') { if (v !== 0) m = 1; }
          else if (v === 0) m = 0;
        }
        o[oi] = m;
        continue;
      }
      let total = op === 'prod' ? 1 : 0;
      for (let b = 0, p = p0; b < nb; b++, p++) total = op === 'prod' ? total * partials[p]! : total + partials[p]!;
      o[oi] = op === 'mean' ? total / r : total;
    }
  }
}
