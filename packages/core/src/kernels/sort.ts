/**
 * The sort range kernel: sorts lanes along one dim, writing the sorted values and the int64
 * positions they came from. The range [start, end) counts lanes (the row-major positions of
 * x's shape with `dim` removed, as in cumulative.ts), so shards never share a lane. The sort
 * is always stable (a stable result is one of the results an unstable sort may give) and
 * orders NaN above every number, as PyTorch does.
 */
import { Rows } from './rows.js';
import type { KView } from './view.js';

const rows = new Rows();
// Per-thread scratch, grown on demand: one lane's keys and positions, and the merge buffer.
let keys = new Float64Array(0);
let order = new Int32Array(0);
let spare = new Int32Array(0);

function ensure(n: number): void {
  if (keys.length >= n) return;
  keys = new Float64Array(n);
  order = new Int32Array(n);
  spare = new Int32Array(n);
}

/** Whether key a goes strictly before key b (NaN is the largest value). */
function before(a: number, b: number, descending: boolean): boolean {
  if (descending) return a > b || (a !== a && b === b);
  return a < b || (b !== b && a === a);
}

/** Stable bottom-up merge sort of order[0, n) by keys; returns the array holding the result. */
function mergeSort(n: number, descending: boolean): Int32Array {
  let src = order, dst = spare;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n);
      let i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        // Take from the right run only when strictly before: equal keys keep their order.
        if (before(keys[src[j]!]!, keys[src[i]!]!, descending)) dst[k++] = src[j++]!;
        else dst[k++] = src[i++]!;
      }
      while (i < mid) dst[k++] = src[i++]!;
      while (j < hi) dst[k++] = src[j++]!;
    }
    const t = src; src = dst; dst = t;
  }
  return src;
}

/**
 * values and indices (int64) have x's shape; lanes [start, end) along `dim` are sorted into
 * them. `stable` is accepted for the Backend signature; this kernel is always stable.
 */
export function sortRange(values: KView, indices: KView, x: KView, dim: number, descending: boolean, _stable: boolean, start: number, end: number): void {
  const v = values.data, ix = indices.data, a = x.data;
  const len = x.shape[dim]!, sv = values.strides[dim]!, si = indices.strides[dim]!, sx = x.strides[dim]!;
  ensure(len);
  const without = (s: readonly number[]): number[] => s.filter((_, d) => d !== dim);
  const it = rows.init(without(x.shape), [without(values.strides), without(indices.strides), without(x.strides)], [values.offset, indices.offset, x.offset], start, end);
  while (it.next()) {
    let vi = it.o0, ii = it.o1, ai = it.o2;
    const lv = it.s0, li = it.s1, la = it.s2;
    for (let n = it.n; n > 0; n--, vi += lv, ii += li, ai += la) {
      for (let j = 0, q = ai; j < len; j++, q += sx) { keys[j] = a[q]!; order[j] = j; }
      const sorted = mergeSort(len, descending);
      for (let j = 0, p = vi, r = ii; j < len; j++, p += sv, r += si) {
        const from = sorted[j]!;
        v[p] = keys[from]!;
        ix[r] = from;
      }
    }
  }
}
