/**
 * Fused softmax / logSoftmax rows, forward and backward. The softmax dim is the last dim of every
 * view (core moves it there); a range is rows [start, end) of the other dims, row-major.
 *
 * One order for every path (float32 views in the wasm memory run the same steps in wasm):
 * - shift = the row max (NaN propagating), or 0 where it is infinite;
 * - softmax: e_i = exp(x_i - shift) rounded to out's dtype and stored, s = lane sum of e_i (the
 *   canonical lanes of kernels/reduce.ts over the row, in float64), out_i = e_i / s (float32 rows:
 *   e_i * float32(1 / s) in float32, as PyTorch's kernel does);
 * - logSoftmax: s = lane sum of exp(x_i - shift) (float64), out_i = (x_i - shift) - log(s);
 * - softmax backward: dot = lane sum of g_i * y_i, out_i = y_i * (g_i - dot);
 * - logSoftmax backward: S = lane sum of g_i, out_i = g_i - exp(y_i) * S.
 * Arithmetic is float64, rounded once when stored, except float32 rows' exponentials: exp(x_i - shift)
 * is expf (kernels/math.ts) of the float32 difference, as PyTorch computes it; logSoftmax backward
 * keeps exp(y_i) in float64 (expForFloat32), since g_i and exp(y_i) * S nearly cancel.
 */
import type { KView } from './view.js';
import { Rows } from './rows.js';
import { combineLanes, max2 } from './reduce.js';
import { expf, expForFloat32 } from './math.js';
import { WASM_MIN_RUN } from './elementwise.js';
import { stagingArea, STAGE_LENGTH, wasmKernels, wasmReady, type WasmKernels } from './wasm/runtime.js';

/** The fused row ops. */
export type SoftmaxOp = 'softmax' | 'logSoftmax';

const rows = new Rows();
const lanes = new Float64Array(8);

/** Number of rows of a view whose last dim is the softmax dim (1 for a 1-d view). */
export function softmaxRows(shape: readonly number[]): number {
  let r = 1;
  for (let d = 0; d < shape.length - 1; d++) r *= shape[d]!;
  return r;
}

/** Starts a walk over the rows [start, end) of views whose last dim is the row. */
function walkRows(views: readonly KView[], start: number, end: number): Rows {
  const nd = views[0]!.shape.length;
  return rows.init(views[0]!.shape.slice(0, nd - 1), views.map((v) => v.strides.slice(0, nd - 1)), views.map((v) => v.offset), start, end);
}

/** The wasm kernel for `rows` rows of n, row r at x + r * xs and o + r * os (bytes). */
type RowsKernel = (x: number, o: number, n: number, rows: number, xs: number, os: number) => void;

function rowKernel(op: SoftmaxOp, k: WasmKernels): RowsKernel {
  if (op === 'softmax') return k.softmax_rows;
  return (x, o, n, rows, xs, os) => { for (let r = 0; r < rows; r++) k.logsoftmax_row(x + r * xs, o + r * os, n); };
}

/** out = softmax or logSoftmax of x along the last dim, for rows [start, end). */
export function softmaxRange(op: SoftmaxOp, out: KView, x: KView, start: number, end: number): void {
  const nd = out.shape.length, n = out.shape[nd - 1]!, so = out.strides[nd - 1]!, sx = x.strides[nd - 1]!;
  const o = out.data, a = x.data, f32 = o instanceof Float32Array;
  // Any row length: a wasm call costs less than even a short row of float32 exps in JS.
  const simd = f32 && so === 1 && sx === 1 && a instanceof Float32Array && wasmReady(o) && wasmReady(a) ? wasmKernels() : null;
  const row = simd === null ? null : rowKernel(op, simd);
  // float32 rows outside the memory (or strided) are staged through the wasm kernel: same bits,
  // far faster than expf's JS twin.
  const st = row === null && f32 && 2 * n <= STAGE_LENGTH ? stagingArea() : null;
  const staged = st === null ? null : rowKernel(op, st.k);
  const L = lanes;
  const it = walkRows([out, x], start, end);
  while (it.next()) {
    if (row !== null) { // the run's rows in one call
      row(a.byteOffset + 4 * it.o1, o.byteOffset + 4 * it.o0, n, it.n, 4 * it.s1, 4 * it.s0);
      continue;
    }
    for (let r = 0, ob = it.o0, xb = it.o1; r < it.n; r++, ob += it.s0, xb += it.s1) {
      if (staged !== null) {
        const buf = st!.f32;
        for (let i = 0, xi = xb; i < n; i++, xi += sx) buf[i] = a[xi]!;
        staged(st!.ptr, st!.ptr + 4 * n, n, 1, 0, 0);
        for (let i = 0, oi = ob; i < n; i++, oi += so) o[oi] = buf[n + i]!;
        continue;
      }
      let m = -Infinity;
      for (let i = 0, xi = xb; i < n; i++, xi += sx) m = max2(m, a[xi]!);
      const shift = m === Infinity || m === -Infinity ? 0 : m;
      L.fill(0);
      if (op === 'softmax') {
        for (let i = 0, xi = xb, oi = ob; i < n; i++, xi += sx, oi += so) {
          o[oi] = f32 ? expf(Math.fround(a[xi]! - shift)) : Math.exp(a[xi]! - shift);
          L[i & 7] += o[oi]!;
        }
        const s = combineLanes(L, 0, 1);
        if (f32) {
          const inv = Math.fround(1 / s);
          for (let i = 0, oi = ob; i < n; i++, oi += so) o[oi] = o[oi]! * inv;
        } else for (let i = 0, oi = ob; i < n; i++, oi += so) o[oi] = o[oi]! / s;
      } else {
        for (let i = 0, xi = xb; i < n; i++, xi += sx) L[i & 7] += f32 ? expf(Math.fround(a[xi]! - shift)) : Math.exp(a[xi]! - shift);
        const lse = Math.log(combineLanes(L, 0, 1));
        for (let i = 0, xi = xb, oi = ob; i < n; i++, xi += sx, oi += so) o[oi] = a[xi]! - shift - lse;
      }
    }
  }
}

/**
 * out = the gradient of softmax / logSoftmax along the last dim, from the incoming gradient
 * `grad` and the forward output `y`, for rows [start, end).
 */
export function softmaxBackwardRange(op: SoftmaxOp, out: KView, grad: KView, y: KView, start: number, end: number): void {
  const nd = out.shape.length, n = out.shape[nd - 1]!;
  const so = out.strides[nd - 1]!, sg = grad.strides[nd - 1]!, sy = y.strides[nd - 1]!;
  const o = out.data, g = grad.data, w = y.data, f32 = o instanceof Float32Array;
  const simd = f32 && so === 1 && sg === 1 && sy === 1 && n >= WASM_MIN_RUN && g instanceof Float32Array && w instanceof Float32Array
    && wasmReady(o) && wasmReady(g) && wasmReady(w) ? wasmKernels() : null;
  const row = simd === null ? null : op === 'softmax' ? simd.softmax_bwd_row : simd.logsoftmax_bwd_row;
  const L = lanes;
  const it = walkRows([out, grad, y], start, end);
  while (it.next()) {
    for (let r = 0, ob = it.o0, gb = it.o1, yb = it.o2; r < it.n; r++, ob += it.s0, gb += it.s1, yb += it.s2) {
      if (row !== null) {
        row(g.byteOffset + 4 * gb, w.byteOffset + 4 * yb, o.byteOffset + 4 * ob, n);
        continue;
      }
      L.fill(0);
      if (op === 'softmax') {
        for (let i = 0, gi = gb, yi = yb; i < n; i++, gi += sg, yi += sy) L[i & 7] += g[gi]! * w[yi]!;
        const dot = combineLanes(L, 0, 1);
        for (let i = 0, gi = gb, yi = yb, oi = ob; i < n; i++, gi += sg, yi += sy, oi += so) o[oi] = w[yi]! * (g[gi]! - dot);
      } else {
        for (let i = 0, gi = gb; i < n; i++, gi += sg) L[i & 7] += g[gi]!;
        const s = combineLanes(L, 0, 1);
        for (let i = 0, gi = gb, yi = yb, oi = ob; i < n; i++, gi += sg, yi += sy, oi += so) {
          o[oi] = g[gi]! - (f32 ? expForFloat32(w[yi]!) : Math.exp(w[yi]!)) * s;
        }
      }
    }
  }
}
