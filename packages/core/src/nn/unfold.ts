/**
 * The differentiable sliding-window ops behind convolution and pooling: im2col and its adjoint
 * col2im, each the other's backward (so double backward works), plus the public F.unfold /
 * F.fold built on them.
 */
import { isFloating, scalarTypeName } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import type { UnfoldParams } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { record } from '../ops/support.js';
import { bindArgs, tuple } from './args.js';

/** A 2-d window geometry: kernel, output size, stride, top/left padding, dilation. */
export interface Window2d {
  kh: number; kw: number;
  oh: number; ow: number;
  sh: number; sw: number;
  ph: number; pw: number;
  dh: number; dw: number;
}

function params(w: Window2d, padValue: number): UnfoldParams {
  return { sh: w.sh, sw: w.sw, ph: w.ph, pw: w.pw, dh: w.dh, dw: w.dw, padValue };
}

/**
 * x [N, C, H, W] -> windows [N, C, KH, KW, OH, OW]; positions outside x read `padValue`
 * (their gradient is dropped). Recorded as Im2ColBackward0.
 */
export function im2col(x: Tensor, w: Window2d, padValue = 0): Tensor {
  if (!isFloating(x.dtype)) throw new RuntimeError(`"im2col_out_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const out = Tensor.empty([N, C, w.kh, w.kw, w.oh, w.ow], x.dtype, x.backend);
  x.backend.unfold('im2col', out, x, params(w, padValue));
  record(out, 'Im2ColBackward0', [x], [], ([g]) => [col2im(g!, H, W, w)]);
  return out;
}

/** The adjoint of im2col: windows [N, C, KH, KW, OH, OW] summed back into [N, C, H, W] (Col2ImBackward0). */
export function col2im(cols: Tensor, H: number, W: number, w: Window2d): Tensor {
  const [N, C] = cols.shape as [number, number];
  const out = Tensor.empty([N, C, H, W], cols.dtype, cols.backend);
  cols.backend.unfold('col2im', out, cols, params(w, 0));
  record(out, 'Col2ImBackward0', [cols], [], ([g]) => [im2col(g!, w, 0)]);
  return out;
}

/** Output length of a sliding window (PyTorch's formula; `padTotal` is both sides together). */
export function windowCount(size: number, k: number, stride: number, padTotal: number, dil: number): number {
  return Math.floor((size + padTotal - dil * (k - 1) - 1) / stride) + 1;
}

/** Keywords of F.unfold. */
export interface UnfoldOptions {
  dilation?: number | number[];
  padding?: number | number[];
  stride?: number | number[];
}

function geometry(H: number, W: number, k: number[], dil: number[], pad: number[], st: number[]): Window2d {
  // PyTorch's im2col shape checks, in its order.
  if (k[0]! < 1 || k[1]! < 1) throw new RuntimeError(`kernel size should be greater than zero, but got kernel_height: ${k[0]} kernel_width: ${k[1]}`);
  if (st[0]! < 1 || st[1]! < 1) throw new RuntimeError(`stride should be greater than zero, but got stride_height: ${st[0]} stride_width: ${st[1]}`);
  if (dil[0]! < 1 || dil[1]! < 1) throw new RuntimeError(`dilation should be greater than zero, but got dilation_height: ${dil[0]} dilation_width: ${dil[1]}`);
  if (pad[0]! < 0 || pad[1]! < 0) throw new RuntimeError(`padding should be non-negative, but got pad_height: ${pad[0]} pad_width: ${pad[1]}`);
  const oh = windowCount(H, k[0]!, st[0]!, 2 * pad[0]!, dil[0]!);
  const ow = windowCount(W, k[1]!, st[1]!, 2 * pad[1]!, dil[1]!);
  return { kh: k[0]!, kw: k[1]!, oh, ow, sh: st[0]!, sw: st[1]!, ph: pad[0]!, pw: pad[1]!, dh: dil[0]!, dw: dil[1]! };
}

/**
 * F.unfold(input, kernelSize, dilation=1, padding=0, stride=1): sliding local blocks of a 4-d
 * (or unbatched 3-d) input as [N, C * kh * kw, L].
 */
export function unfold(input: Tensor, kernelSize: number | number[], ...rest: unknown[]): Tensor {
  const a = bindArgs<Required<UnfoldOptions>>('unfold', rest, ['dilation', 'padding', 'stride'], { dilation: 1, padding: 0, stride: 1 });
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new RuntimeError(`Input Error: Only 3D or 4D input Tensors are supported (got ${input.ndim}D)`);
  }
  const x = input.ndim === 3 ? input.unsqueeze(0) : input;
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const g = geometry(H, W, tuple(kernelSize, 2, 'kernel_size'), tuple(a.dilation, 2, 'dilation'), tuple(a.padding, 2, 'padding'), tuple(a.stride, 2, 'stride'));
  if (g.oh < 1 || g.ow < 1) {
    throw new RuntimeError(`Given input with spatial size (${H}, ${W}), kernel_size=(${g.kh}, ${g.kw}), dilation=(${g.dh}, ${g.dw}), padding=(${g.ph}, ${g.pw}), calculated shape of the array of sliding blocks as (${g.oh}, ${g.ow}), but its components must be at least one.`);
  }
  const r = im2col(x, g, 0).reshape(N, C * g.kh * g.kw, g.oh * g.ow);
  return input.ndim === 3 ? r.squeeze(0) : r;
}

/**
 * F.fold(input, outputSize, kernelSize, dilation=1, padding=0, stride=1): sums sliding blocks
 * [N, C * kh * kw, L] back into [N, C, outputSize...] (the adjoint of unfold).
 */
export function fold(input: Tensor, outputSize: number | number[], kernelSize: number | number[], ...rest: unknown[]): Tensor {
  const a = bindArgs<Required<UnfoldOptions>>('fold', rest, ['dilation', 'padding', 'stride'], { dilation: 1, padding: 0, stride: 1 });
  if (input.ndim !== 2 && input.ndim !== 3) {
    throw new RuntimeError(`Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported (got ${input.ndim}D)`);
  }
  const x = input.ndim === 2 ? input.unsqueeze(0) : input;
  const [H, W] = tuple(outputSize, 2, 'output_size') as [number, number];
  const k = tuple(kernelSize, 2, 'kernel_size');
  const g = geometry(H, W, k, tuple(a.dilation, 2, 'dilation'), tuple(a.padding, 2, 'padding'), tuple(a.stride, 2, 'stride'));
  const [N, CK, L] = x.shape as [number, number, number];
  const kk = g.kh * g.kw;
  if (CK % kk !== 0) {
    throw new RuntimeError(`Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=${CK} and kernel_size=(${g.kh}, ${g.kw})`);
  }
  if (L !== g.oh * g.ow) {
    throw new RuntimeError(`Given output_size=(${H}, ${W}), kernel_size=(${g.kh}, ${g.kw}), dilation=(${g.dh}, ${g.dw}), padding=(${g.ph}, ${g.pw}), stride=(${g.sh}, ${g.sw}), expected size of input's dimension 2 to match the calculated number of sliding blocks ${g.oh} * ${g.ow} = ${g.oh * g.ow}, but got input.size(2)=${L}.`);
  }
  const r = col2im(x.reshape(N, CK / kk, g.kh, g.kw, g.oh, g.ow), H, W, g);
  return input.ndim === 2 ? r.squeeze(0) : r;
}
