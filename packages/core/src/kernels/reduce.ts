/**
 * Deterministic reductions. Core permutes the input so the kept dims come first and the `nr`
 * reduced dims come last; output element j reduces the R = prod(reduced dims) elements of row j
 * in row-major order.
 *
 * Every sum-like reduction cuts the R elements into fixed blocks of REDUCE_BLOCK, sums each block
 * from zero in order (in float64), then adds the block sums in order. The blocks never depend on
 * the thread count, so a backend may compute blocks anywhere (see reduceBlocksRange and
 * combineBlocksRange) and still return bitwise the same result as reduceRange.
 */
import type { KView } from './view.js';
import { Rows } from './rows.js';

export type ReduceOp = 'sum' | 'mean' | 'prod' | 'max' | 'min' | 'argmax' | 'argmin' | 'any' | 'all';

/** Elements per block of a sum-like reduction. A fixed constant: results depend on it. */
export const REDUCE_BLOCK = 4096;

const outer = new Rows();
const inner = new Rows();

/** Whether an op combines block results by adding/multiplying (and so needs the fixed blocks). */
export function isBlocked(op: ReduceOp): boolean {
  return op === 'sum' || op === 'mean' || op === 'prod';
}

/** Reduces elements [from, to) of one row; `base` is the row's first element offset in x. */
function reduceSpan(op: ReduceOp, x: KView, nr: number, base: number, from: number, to: number): number {
  const a = x.data, nd = x.shape.length;
  const it = nr === 1
    ? inner.run(base + from * x.strides[nd - 1]!, x.strides[nd - 1]!, to - from)
    : inner.init(x.shape.slice(nd - nr), [x.strides.slice(nd - nr)], [base], from, to);
  switch (op) {
    case 'sum': case 'mean': {
      let acc = 0;
      while (it.next()) for (let n = it.n, i = it.o0, s = it.s0; n > 0; n--, i += s) acc += a[i]!;
      return acc;
    }
    case 'prod': {
      let acc = 1;
      while (it.next()) for (let n = it.n, i = it.o0, s = it.s0; n > 0; n--, i += s) acc *= a[i]!;
      return acc;
    }
    case 'max': {
      // NaN propagates, as in PyTorch: once m is NaN no comparison replaces it.
      let m = -Infinity;
      while (it.next()) for (let n = it.n, i = it.o0, s = it.s0; n > 0; n--, i += s) { const v = a[i]!; if (v > m || v !== v) m = v; }
      return m;
    }
    case 'min': {
      let m = Infinity;
      while (it.next()) for (let n = it.n, i = it.o0, s = it.s0; n > 0; n--, i += s) { const v = a[i]!; if (v < m || v !== v) m = v; }
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
  while (it.next()) {
    for (let n = it.n, oi = it.o0, xi = it.o1; n > 0; n--, oi += it.s0, xi += it.s1) o[oi] = reduceRow(op, x, nr, xi, r);
  }
}

/** Columns summed together: their accumulators (block sum and running total) stay in L1. */
const COLUMN_TILE = 1024;
const blockAcc = new Float64Array(COLUMN_TILE);
const totalAcc = new Float64Array(COLUMN_TILE);

function columnSum(op: 'sum' | 'mean', out: KView, x: KView, start: number, end: number): void {
  const nk = x.shape.length - 1, r = x.shape[nk]!, rs = x.strides[nk]!, a = x.data, o = out.data;
  const it = outer.init(out.shape, [out.strides, x.strides.slice(0, nk)], [out.offset, x.offset], start, end);
  while (it.next()) {
    if (it.s1 !== 1) { // outputs not along x's unit stride in this run: plain per-output rows
      for (let k = 0, oi = it.o0, xi = it.o1; k < it.n; k++, oi += it.s0, xi += it.s1) o[oi] = reduceRow(op, x, 1, xi, r);
      continue;
    }
    for (let k0 = 0; k0 < it.n; k0 += COLUMN_TILE) {
      const n = Math.min(COLUMN_TILE, it.n - k0), col = it.o1 + k0;
      totalAcc.fill(0, 0, n);
      for (let b = 0; b < r; b += REDUCE_BLOCK) {
        blockAcc.fill(0, 0, n);
        const bEnd = Math.min(r, b + REDUCE_BLOCK);
        let i = b, row = col + b * rs;
        // Four rows per pass: each column still adds its values one by one, in row order.
        for (; i + 4 <= bEnd; i += 4, row += 4 * rs) {
          const r1 = row + rs, r2 = r1 + rs, r3 = r2 + rs;
          for (let k = 0; k < n; k++) {
            let v = blockAcc[k]!;
            v += a[row + k]!;
            v += a[r1 + k]!;
            v += a[r2 + k]!;
            v += a[r3 + k]!;
            blockAcc[k] = v;
          }
        }
        for (; i < bEnd; i++, row += rs) for (let k = 0; k < n; k++) blockAcc[k] += a[row + k]!;
        for (let k = 0; k < n; k++) totalAcc[k] += blockAcc[k]!;
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
  for (let p = start; p < end; p++) {
    const row = Math.floor(p / nb), b = p - row * nb;
    let base = x.offset, rem = row;
    for (let d = nk - 1; d >= 0; d--) {
      const size = keptShape[d]!, i = rem % size;
      rem = (rem - i) / size;
      base += i * keptStrides[d]!;
    }
    partials[p] = reduceSpan(op, x, nr, base, b * REDUCE_BLOCK, Math.min(r, (b + 1) * REDUCE_BLOCK));
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
          if (op === 'max') { if (v > m || v !== v) m = v; }
          else if (op === 'min') { if (v < m || v !== v) m = v; }
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
