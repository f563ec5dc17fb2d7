/**
 * Sliding-window range kernels over the last two dims, for convolution and pooling.
 *
 * - im2col: out [N, C, KH, KW, OH, OW] gathers the windows of x [N, C, H, W]:
 *   out[n, c, i, j, oy, ox] = x[n, c, oy*sh - ph + i*dh, ox*sw - pw + j*dw], or `padValue`
 *   where that position lies outside x.
 * - col2im: out [N, C, H, W] sums cols [N, C, KH, KW, OH, OW] back: each image element adds,
 *   in (i, j) order, every window entry that im2col would have read from it. Computing each
 *   output element by gathering (never scattering) keeps shards independent and the order fixed.
 *
 * The kernel size and the output size come from the shapes; the padding given is the top/left
 * one, so asymmetric padding (PyTorch's padding='same', ceil_mode) needs no extra parameters.
 */
import type { KView } from './view.js';

/** im2col gathers windows; col2im sums them back (its adjoint). */
export type UnfoldOp = 'im2col' | 'col2im';

/** Window geometry: strides, top/left padding, dilations, and the value read outside the input. */
export interface UnfoldParams {
  readonly sh: number; readonly sw: number;
  readonly ph: number; readonly pw: number;
  readonly dh: number; readonly dw: number;
  /** What im2col reads outside the input (0 for convolution, -Infinity for max pooling). */
  readonly padValue: number;
}

/** Computes output elements [start, end) of `op` (see the file comment for the layouts). */
export function unfoldRange(op: UnfoldOp, out: KView, x: KView, p: UnfoldParams, start: number, end: number): void {
  if (op === 'im2col') im2colRange(out, x, p, start, end);
  else col2imRange(out, x, p, start, end);
}

/** out [N, C, KH, KW, OH, OW] from x [N, C, H, W], elements [start, end). */
export function im2colRange(out: KView, x: KView, p: UnfoldParams, start: number, end: number): void {
  if (start >= end) return;
  const [, C, KH, KW, OH, OW] = out.shape as [number, number, number, number, number, number];
  const [oN, oC, oI, oJ, oY, oX] = out.strides as [number, number, number, number, number, number];
  const H = x.shape[2]!, W = x.shape[3]!;
  const [xN, xC, xH, xW] = x.strides as [number, number, number, number];
  const o = out.data, a = x.data, pad = p.padValue, sw = p.sw;
  // Decompose start into (n, c, i, j, oy, ox) once; afterwards advance by whole rows of ox.
  let rem = start;
  let ox = rem % OW; rem = (rem - ox) / OW;
  let oy = rem % OH; rem = (rem - oy) / OH;
  let j = rem % KW; rem = (rem - j) / KW;
  let i = rem % KH; rem = (rem - i) / KH;
  let c = rem % C;
  let n = (rem - c) / C;
  for (let e = start; e < end;) {
    const run = Math.min(OW - ox, end - e);
    let oi = out.offset + n * oN + c * oC + i * oI + j * oJ + oy * oY + ox * oX;
    const y = oy * p.sh - p.ph + i * p.dh;
    if (y < 0 || y >= H) {
      for (let k = 0; k < run; k++, oi += oX) o[oi] = pad;
    } else {
      const base = x.offset + n * xN + c * xC + y * xH;
      let xx = ox * sw - p.pw + j * p.dw;
      for (let k = 0; k < run; k++, oi += oX, xx += sw) o[oi] = xx >= 0 && xx < W ? a[base + xx * xW]! : pad;
    }
    e += run;
    ox += run;
    if (ox === OW) {
      ox = 0;
      if (++oy === OH) {
        oy = 0;
        if (++j === KW) {
          j = 0;
          if (++i === KH) {
            i = 0;
            if (++c === C) { c = 0; n++; }
          }
        }
      }
    }
  }
}

/**
 * For each image coordinate along one axis, the (kernel index, output index) pairs that read it,
 * in kernel order, as a CSR table: entries ptr[v] .. ptr[v+1] of ks / os.
 */
function windowTable(size: number, k: number, outSize: number, stride: number, pad: number, dil: number): { ptr: Int32Array; ks: Int32Array; os: Int32Array } {
  const ptr = new Int32Array(size + 1);
  const ks: number[] = [], os: number[] = [];
  for (let v = 0; v < size; v++) {
    for (let t = 0; t < k; t++) {
      const num = v + pad - t * dil;
      if (num < 0 || num % stride !== 0) continue;
      const q = num / stride;
      if (q >= outSize) continue;
      ks.push(t);
      os.push(q);
    }
    ptr[v + 1] = ks.length;
  }
  return { ptr, ks: Int32Array.from(ks), os: Int32Array.from(os) };
}

/** out [N, C, H, W] from cols [N, C, KH, KW, OH, OW], elements [start, end). */
export function col2imRange(out: KView, cols: KView, p: UnfoldParams, start: number, end: number): void {
  if (start >= end) return;
  const [, C, H, W] = out.shape as [number, number, number, number];
  const [oN, oC, oH, oW] = out.strides as [number, number, number, number];
  const [, , KH, KW, OH, OW] = cols.shape as [number, number, number, number, number, number];
  const [cN, cC, cI, cJ, cY, cX] = cols.strides as [number, number, number, number, number, number];
  const rowsT = windowTable(H, KH, OH, p.sh, p.ph, p.dh);
  const colsT = windowTable(W, KW, OW, p.sw, p.pw, p.dw);
  const o = out.data, a = cols.data;
  let rem = start;
  let xx = rem % W; rem = (rem - xx) / W;
  let y = rem % H; rem = (rem - y) / H;
  let c = rem % C;
  let n = (rem - c) / C;
  for (let e = start; e < end;) {
    const run = Math.min(W - xx, end - e);
    const base = cols.offset + n * cN + c * cC;
    const r0 = rowsT.ptr[y]!, r1 = rowsT.ptr[y + 1]!;
    let oi = out.offset + n * oN + c * oC + y * oH + xx * oW;
    for (let k = 0; k < run; k++, oi += oW, xx++) {
      const q0 = colsT.ptr[xx]!, q1 = colsT.ptr[xx + 1]!;
      let acc = 0;
      for (let r = r0; r < r1; r++) {
        const rowBase = base + rowsT.ks[r]! * cI + rowsT.os[r]! * cY;
        for (let q = q0; q < q1; q++) acc += a[rowBase + colsT.ks[q]! * cJ + colsT.os[q]! * cX]!;
      }
      o[oi] = acc;
    }
    e += run;
    if (xx === W) {
      xx = 0;
      if (++y === H) {
        y = 0;
        if (++c === C) { c = 0; n++; }
      }
    }
  }
}
