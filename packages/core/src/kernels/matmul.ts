/**
 * Batched matrix multiply over strided views: out[b] = x[b] @ y[b] with out [B, M, N],
 * x [B, M, K], y [B, K, N] (batch strides may be 0 for broadcasting). Rows [start, end) of the
 * flattened B*M output rows are computed; each output sums over k in order in float64, so any
 * split by rows gives bitwise the same result.
 */
import type { KView } from './view.js';

let acc = new Float64Array(0);

export function matmulRange(out: KView, x: KView, y: KView, start: number, end: number): void {
  const [, M, N] = out.shape as [number, number, number];
  const K = x.shape[2]!;
  const o = out.data, a = x.data, b = y.data;
  const [ob, om, on] = out.strides as [number, number, number];
  const [xb, xm, xk] = x.strides as [number, number, number];
  const [yb, yk, yn] = y.strides as [number, number, number];
  if (acc.length < N) acc = new Float64Array(N);
  const c = acc;
  for (let r = start; r < end; r++) {
    const bi = Math.floor(r / M), i = r - bi * M;
    c.fill(0, 0, N);
    const aRow = x.offset + bi * xb + i * xm;
    let yRow = y.offset + bi * yb;
    for (let k = 0, ai = aRow; k < K; k++, ai += xk, yRow += yk) {
      const av = a[ai]!;
      if (yn === 1) for (let j = 0; j < N; j++) c[j] += av * b[yRow + j]!;
      else for (let j = 0, yi = yRow; j < N; j++, yi += yn) c[j] += av * b[yi]!;
    }
    const oRow = out.offset + bi * ob + i * om;
    if (on === 1) for (let j = 0; j < N; j++) o[oRow + j] = c[j]!;
    else for (let j = 0, oi = oRow; j < N; j++, oi += on) o[oi] = c[j]!;
  }
}
