/**
 * Cumulative range kernels (cumsum, cumprod) along one dim. The range [start, end) counts
 * independent lanes: the row-major positions of out's shape with `dim` removed. Each lane is
 * scanned in order with a double accumulator (float32 inputs accumulate in float64, as
 * PyTorch's CPU kernels do), so results do not depend on how lanes are sharded.
 */
import { Rows } from './rows.js';
import type { KView } from './view.js';

const rows = new Rows();

/** The cumulative ops. */
export type CumulativeOp = 'cumsum' | 'cumprod';

/** Number of lanes of a cumulative op over `shape` along `dim`. */
export function laneCount(shape: readonly number[], dim: number): number {
  let n = 1;
  for (let d = 0; d < shape.length; d++) if (d !== dim) n *= shape[d]!;
  return n;
}

/** out and x share a shape; lanes [start, end) of it along `dim` are scanned. */
export function cumulativeRange(op: CumulativeOp, out: KView, x: KView, dim: number, start: number, end: number): void {
  const o = out.data, a = x.data;
  const len = out.shape[dim]!, so = out.strides[dim]!, sx = x.strides[dim]!;
  const without = (s: readonly number[]): number[] => s.filter((_, d) => d !== dim);
  const it = rows.init(without(out.shape), [without(out.strides), without(x.strides)], [out.offset, x.offset], start, end);
  while (it.next()) {
    let oi = it.o0, ai = it.o1;
    const lo = it.s0, la = it.s1;
    for (let n = it.n; n > 0; n--, oi += lo, ai += la) {
      if (op === 'cumsum') {
        let acc = 0;
        for (let j = 0, p = oi, q = ai; j < len; j++, p += so, q += sx) { acc += a[q]!; o[p] = acc; }
      } else {
        let acc = 1;
        for (let j = 0, p = oi, q = ai; j < len; j++, p += so, q += sx) { acc *= a[q]!; o[p] = acc; }
      }
    }
  }
}
