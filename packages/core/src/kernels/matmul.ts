/**
 * Batched matrix multiply over strided views: out[b] = x[b] @ y[b] with out [B, M, N],
 * x [B, M, K], y [B, K, N] (batch strides may be 0 for broadcasting). Rows [start, end) of the
 * flattened B*M output rows are computed.
 *
 * float32: every output element accumulates in float32, as PyTorch's CPU kernels and the wasm
 * kernel do: acc = 0, then acc = f32(acc + f32(x[i, k] * y[k, j])) for k = 0, 1, ..., K-1 in that
 * order. Views of the wasm memory run the packed SIMD kernel (wasm/), other views the JS loop
 * below; both keep that order, so any split by rows and either path give the same bits.
 *
 * Other dtypes: the float64 sum of the products over k in order, from 0, rounded once when
 * stored. The loops only change which elements are computed together (four rows of x at a time,
 * tiles of columns), never that order.
 */
import type { KView } from './view.js';
import { wasmKernels, wasmReady } from './wasm/runtime.js';

/** Output columns per tile: four rows of accumulators stay in L1 while y's tile streams. */
const TILE = 256;
let acc = new Float64Array(4 * TILE);

export function matmulRange(out: KView, x: KView, y: KView, start: number, end: number): void {
  const M = out.shape[1]!, N = out.shape[2]!;
  if (N === 0) return;
  if (out.data instanceof Float32Array) return matmulF32(out, x, y, start, end);
  const yk = y.strides[1]!, yn = y.strides[2]!;
  // y's rows contiguous (or one column): sweep rows of y (axpy form). y's columns contiguous
  // (a transposed y, as in backward passes): dot products along k.
  const dot = yn !== 1 && yk === 1;
  for (let r = start; r < end;) {
    const b = Math.floor(r / M), i = r - b * M;
    const rows = Math.min(4, end - r, M - i); // rows of one batch
    if (dot) dotRows(out, x, y, b, i, rows);
    else axpyRows(out, x, y, b, i, rows);
    r += rows;
  }
}

/** Rows i..i+rows-1 (rows <= 4) of batch b: c[row][j] += x[row, k] * y[k, j] over k, tile by tile. */
function axpyRows(out: KView, x: KView, y: KView, b: number, i: number, rows: number): void {
  const N = out.shape[2]!, K = x.shape[2]!;
  const o = out.data, a = x.data, w = y.data, c = acc;
  const [ob, om, on] = out.strides as [number, number, number];
  const [xb, xm, xk] = x.strides as [number, number, number];
  const [yb, yk, yn] = y.strides as [number, number, number];
  const a0 = x.offset + b * xb + i * xm;
  const a1 = rows > 1 ? a0 + xm : a0, a2 = rows > 2 ? a0 + 2 * xm : a0, a3 = rows > 3 ? a0 + 3 * xm : a0;
  const yBase = y.offset + b * yb, oBase = out.offset + b * ob + i * om;
  for (let j0 = 0; j0 < N; j0 += TILE) {
    const jn = Math.min(TILE, N - j0);
    c.fill(0, 0, 4 * TILE);
    let yRow = yBase + j0 * yn;
    if (rows === 4 && yn === 1) {
      for (let k = 0, ka = 0; k < K; k++, ka += xk, yRow += yk) {
        const v0 = a[a0 + ka]!, v1 = a[a1 + ka]!, v2 = a[a2 + ka]!, v3 = a[a3 + ka]!;
        for (let j = 0; j < jn; j++) {
          const bv = w[yRow + j]!;
          c[j] += v0 * bv;
          c[TILE + j] += v1 * bv;
          c[2 * TILE + j] += v2 * bv;
          c[3 * TILE + j] += v3 * bv;
        }
      }
    } else {
      for (let t = 0; t < rows; t++) {
        const at = a0 + t * xm, ct = t * TILE;
        for (let k = 0, ka = 0, yi0 = yRow; k < K; k++, ka += xk, yi0 += yk) {
          const v = a[at + ka]!;
          for (let j = 0, yi = yi0; j < jn; j++, yi += yn) c[ct + j] += v * w[yi]!;
        }
      }
    }
    for (let t = 0; t < rows; t++) {
      const ct = t * TILE;
      for (let j = 0, oi = oBase + t * om + j0 * on; j < jn; j++, oi += on) o[oi] = c[ct + j]!;
    }
  }
}

/** Rows i..i+rows-1 of batch b when y's k stride is 1: each output is one dot product along k. */
function dotRows(out: KView, x: KView, y: KView, b: number, i: number, rows: number): void {
  const N = out.shape[2]!, K = x.shape[2]!;
  const o = out.data, a = x.data, w = y.data;
  const [ob, om, on] = out.strides as [number, number, number];
  const [xb, xm, xk] = x.strides as [number, number, number];
  const [yb, , yn] = y.strides as [number, number, number];
  const a0 = x.offset + b * xb + i * xm;
  const yBase = y.offset + b * yb, oBase = out.offset + b * ob + i * om;
  if (rows === 4 && xk === 1) {
    const a1 = a0 + xm, a2 = a0 + 2 * xm, a3 = a0 + 3 * xm;
    for (let j = 0, yj = yBase, oj = oBase; j < N; j++, yj += yn, oj += on) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < K; k++) {
        const bv = w[yj + k]!;
        s0 += a[a0 + k]! * bv;
        s1 += a[a1 + k]! * bv;
        s2 += a[a2 + k]! * bv;
        s3 += a[a3 + k]! * bv;
      }
      o[oj] = s0;
      o[oj + om] = s1;
      o[oj + 2 * om] = s2;
      o[oj + 3 * om] = s3;
    }
    return;
  }
  for (let t = 0; t < rows; t++) {
    const at = a0 + t * xm;
    for (let j = 0, yj = yBase, oj = oBase + t * om; j < N; j++, yj += yn, oj += on) {
      let s = 0;
      for (let k = 0, ai = at; k < K; k++, ai += xk) s += a[ai]! * w[yj + k]!;
      o[oj] = s;
    }
  }
}

/** float32 accumulators of the JS float32 path: four rows of one column tile. */
const accF32 = new Float32Array(4 * TILE);

/** float32 matmul of output rows [start, end): the wasm kernel per batch when it can, else JS. */
function matmulF32(out: KView, x: KView, y: KView, start: number, end: number): void {
  const M = out.shape[1]!, N = out.shape[2]!, K = x.shape[2]!;
  const o = out.data, a = x.data, w = y.data;
  const [ob, om, on] = out.strides as [number, number, number];
  const [xb, xm, xk] = x.strides as [number, number, number];
  const [yb, yk, yn] = y.strides as [number, number, number];
  const simd = K > 0 && on === 1 && wasmReady(o) && wasmReady(a) && wasmReady(w) && a instanceof Float32Array && w instanceof Float32Array ? wasmKernels() : null;
  for (let r = start; r < end;) {
    const b = Math.floor(r / M), i = r - b * M;
    if (simd !== null) {
      const rows = Math.min(end - r, M - i);
      simd.mm(
        o.byteOffset + 4 * (out.offset + b * ob + i * om), 4 * om,
        a.byteOffset + 4 * (x.offset + b * xb + i * xm), 4 * xm, 4 * xk,
        w.byteOffset + 4 * (y.offset + b * yb), 4 * yk, 4 * yn, rows, N, K,
      );
      r += rows;
      continue;
    }
    const rows = Math.min(4, end - r, M - i);
    f32Rows(out, x, y, b, i, rows);
    r += rows;
  }
}

/** Rows i..i+rows-1 (rows <= 4) of batch b in float32: c[row][j] = f32(c + f32(x * y)) over k, tile by tile. */
function f32Rows(out: KView, x: KView, y: KView, b: number, i: number, rows: number): void {
  const N = out.shape[2]!, K = x.shape[2]!;
  const o = out.data, a = x.data, w = y.data, c = accF32;
  const [ob, om, on] = out.strides as [number, number, number];
  const [xb, xm, xk] = x.strides as [number, number, number];
  const [yb, yk, yn] = y.strides as [number, number, number];
  const a0 = x.offset + b * xb + i * xm;
  const yBase = y.offset + b * yb, oBase = out.offset + b * ob + i * om;
  for (let j0 = 0; j0 < N; j0 += TILE) {
    const jn = Math.min(TILE, N - j0);
    c.fill(0);
    let yRow = yBase + j0 * yn;
    if (rows === 4) {
      const a1 = a0 + xm, a2 = a1 + xm, a3 = a2 + xm;
      for (let k = 0, ka = 0; k < K; k++, ka += xk, yRow += yk) {
        const v0 = a[a0 + ka]!, v1 = a[a1 + ka]!, v2 = a[a2 + ka]!, v3 = a[a3 + ka]!;
        for (let j = 0, yi = yRow; j < jn; j++, yi += yn) {
          const bv = w[yi]!;
          c[j] += Math.fround(v0 * bv);
          c[TILE + j] += Math.fround(v1 * bv);
          c[2 * TILE + j] += Math.fround(v2 * bv);
          c[3 * TILE + j] += Math.fround(v3 * bv);
        }
      }
    } else {
      for (let t = 0; t < rows; t++) {
        const at = a0 + t * xm, ct = t * TILE;
        for (let k = 0, ka = 0, yi0 = yRow; k < K; k++, ka += xk, yi0 += yk) {
          const v = a[at + ka]!;
          for (let j = 0, yi = yi0; j < jn; j++, yi += yn) c[ct + j] += Math.fround(v * w[yi]!);
        }
      }
    }
    for (let t = 0; t < rows; t++) {
      const ct = t * TILE;
      for (let j = 0, oi = oBase + t * om + j0 * on; j < jn; j++, oi += on) o[oi] = c[ct + j]!;
    }
  }
}
