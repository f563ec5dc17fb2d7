/**
 * Convolution and pooling over im2col windows (nn/unfold.ts): conv1d, conv2d, maxPool2d,
 * avgPool2d. Forward passes run without recording and one node with PyTorch's name is recorded;
 * every backward is written with ops (col2im, matmul, where, ...), so it is differentiable.
 */
import { checkInt } from '../args.js';
import { allocArray, isFloating, scalarTypeName } from '../dtype.js';
import { RuntimeError, ValueError } from '../errors.js';
import { shapeStr } from '../shape.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Tensor } from '../tensor.js';
import { arange, fromValues } from '../ops/creation.js';
import { where } from '../ops/pointwise.js';
import { record } from '../ops/support.js';
import { bindArgs, tuple } from './args.js';
import { col2im, im2col, windowCount, type Window2d } from './unfold.js';


// ------------------------------------------------------------------ convolution

/** Keywords of conv1d / conv2d. */
export interface ConvOptions {
  stride?: number | number[];
  /** Zero padding per side, or 'valid' (none) / 'same' (output size = input size; stride 1). */
  padding?: number | number[] | 'valid' | 'same';
  dilation?: number | number[];
  groups?: number;
}

interface ConvArgs {
  bias: Tensor | null;
  stride: number | number[];
  padding: number | number[] | 'valid' | 'same';
  dilation: number | number[];
  groups: number;
}

/**
 * The shared convolution: input [N, C, *spatial] or unbatched [C, *spatial] with nd spatial
 * dims (1 or 2). 1-d is run as 2-d with a height of one.
 */
function conv(nd: 1 | 2, input: Tensor, weight: Tensor, rest: readonly unknown[]): Tensor {
  const a = bindArgs<ConvArgs>(`conv${nd}d`, rest, ['bias', 'stride', 'padding', 'dilation', 'groups'], { bias: null, stride: 1, padding: 0, dilation: 1, groups: 1 });
  if (input.ndim !== nd + 1 && input.ndim !== nd + 2) {
    throw new RuntimeError(`Expected ${nd + 1}D (unbatched) or ${nd + 2}D (batched) input to conv${nd}d, but got input of size: ${shapeStr(input.shape)}`);
  }
  if (input.ndim === nd + 1) return conv(nd, input.unsqueeze(0), weight, [a]).squeeze(0);
  if (weight.ndim !== nd + 2) {
    throw new RuntimeError(`weight should have ${nd + 2} dimensions for conv${nd}d, but got weight of size ${shapeStr(weight.shape)}`);
  }
  if (input.dtype !== weight.dtype || (a.bias && a.bias.dtype !== input.dtype)) {
    const other = input.dtype !== weight.dtype ? weight.dtype : a.bias!.dtype;
    throw new RuntimeError(`expected scalar type ${scalarTypeName(input.dtype)} but found ${scalarTypeName(other)}`);
  }
  if (!isFloating(input.dtype)) throw new RuntimeError(`"slow_conv2d_cpu" not implemented for '${scalarTypeName(input.dtype)}'`);
  const groups = checkInt(a.groups, 'groups', `conv${nd}d`);
  const C = input.shape[1]!, Cout = weight.shape[0]!, Cg = weight.shape[1]!;
  if (groups < 1) throw new RuntimeError('non-positive groups is not supported');
  if (Cout % groups !== 0) {
    throw new RuntimeError(`Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size ${shapeStr(weight.shape)} instead`);
  }
  if (Cg * groups !== C) {
    throw new RuntimeError(`Given groups=${groups}, weight of size ${shapeStr(weight.shape)}, expected input${shapeStr(input.shape)} to have ${Cg * groups} channels, but got ${C} channels instead`);
  }
  if (a.bias && (a.bias.ndim !== 1 || a.bias.shape[0] !== Cout)) {
    throw new RuntimeError(`Given weight of size ${shapeStr(weight.shape)}, expected bias to be 1-dimensional with ${Cout} elements, but got bias of size ${shapeStr(a.bias.shape)} instead`);
  }
  // Lift 1-d to 2-d: spatial [L] -> [1, L].
  const spatial = input.shape.slice(2), kernel = weight.shape.slice(2);
  const H = nd === 2 ? spatial[0]! : 1, W = spatial[nd - 1]!;
  const kh = nd === 2 ? kernel[0]! : 1, kw = kernel[nd - 1]!;
  const lift = (v: number[], fill = 1): [number, number] => (nd === 2 ? [v[0]!, v[1]!] : [fill, v[0]!]);
  const [sh, sw] = lift(tuple(a.stride, nd, 'stride'));
  const [dh, dw] = lift(tuple(a.dilation, nd, 'dilation'));
  if (sh < 1 || sw < 1) throw new RuntimeError('non-positive stride is not supported');
  if (dh < 1 || dw < 1) throw new RuntimeError(`dilation should be greater than zero, but got ${shapeStr(tuple(a.dilation, nd, 'dilation'))}`);
  let padT: [number, number], padTotal: [number, number];
  if (a.padding === 'same') {
    if (sh !== 1 || sw !== 1) throw new RuntimeError("padding='same' is not supported for strided convolutions");
    // PyTorch pads dil * (k - 1) in all, the odd element on the bottom / right.
    const th = dh * (kh - 1), tw = dw * (kw - 1);
    padT = [Math.floor(th / 2), Math.floor(tw / 2)];
    padTotal = [th, tw];
  } else if (a.padding === 'valid') {
    padT = [0, 0]; padTotal = [0, 0];
  } else if (typeof a.padding === 'string') {
    throw new ValueError(`Invalid padding string '${a.padding}', should be one of ['valid', 'same']`);
  } else {
    padT = lift(tuple(a.padding, nd, 'padding'), 0);
    if (padT[0] < 0 || padT[1] < 0) throw new RuntimeError('negative padding is not supported');
    padTotal = [2 * padT[0], 2 * padT[1]];
  }
  const oh = windowCount(H, kh, sh, padTotal[0], dh), ow = windowCount(W, kw, sw, padTotal[1], dw);
  if (oh < 1 || ow < 1) {
    const padded = nd === 2 ? `(${H + padTotal[0]} x ${W + padTotal[1]})` : `(${W + padTotal[1]})`;
    const ks = nd === 2 ? `(${dh * (kh - 1) + 1} x ${dw * (kw - 1) + 1})` : `(${dw * (kw - 1) + 1})`;
    throw new RuntimeError(`Calculated padded input size per channel: ${padded}. Kernel size: ${ks}. Kernel size can't be greater than actual input size`);
  }
  const win: Window2d = { kh, kw, oh, ow, sh, sw, ph: padT[0], pw: padT[1], dh, dw };
  const N = input.shape[0]!, G = groups, Coutg = Cout / G, Kg = Cg * kh * kw, L = oh * ow;
  const to4 = (t: Tensor): Tensor => (nd === 2 ? t : t.unsqueeze(2));
  const outShape = nd === 2 ? [N, Cout, oh, ow] : [N, Cout, ow];
  const bias = a.bias;

  const y = noGrad(() => {
    const cols = im2col(to4(input), win, 0).view(N, G, Kg, L);
    let r = weight.reshape(G, Coutg, Kg).matmul(cols).view(outShape);
    if (bias) r = r.add(bias.view([Cout, ...outShape.slice(2).map(() => 1)]));
    return r;
  });
  record(y, 'ConvolutionBackward0', [input, weight, bias], [input, weight], ([g], [x, w], needs) => {
    const gv = g!.reshape(N, G, Coutg, L);
    const wv = w!.reshape(G, Coutg, Kg);
    let gx: Tensor | null = null, gw: Tensor | null = null;
    if (needs[0]) {
      const gcols = wv.transpose(1, 2).matmul(gv).view(N, C, kh, kw, oh, ow);
      gx = col2im(gcols, H, W, win).view(x!.shape);
    }
    if (needs[1]) {
      const cols = im2col(to4(x!), win, 0).view(N, G, Kg, L);
      gw = gv.matmul(cols.transpose(2, 3)).sum(0).reshape(w!.shape);
    }
    const gb = needs[2] ? g!.sum(nd === 2 ? [0, 2, 3] : [0, 2]) : null;
    return [gx, gw, gb];
  });
  return y;
}

/**
 * F.conv1d(input, weight, bias=null, stride=1, padding=0, dilation=1, groups=1): input
 * [N, C, L] (or [C, L]), weight [Cout, C / groups, k].
 */
export function conv1d(input: Tensor, weight: Tensor, ...rest: (Tensor | null | number | number[] | string | ConvOptions & { bias?: Tensor | null })[]): Tensor {
  return conv(1, input, weight, rest);
}

/**
 * F.conv2d(input, weight, bias=null, stride=1, padding=0, dilation=1, groups=1): input
 * [N, C, H, W] (or [C, H, W]), weight [Cout, C / groups, kh, kw].
 */
export function conv2d(input: Tensor, weight: Tensor, ...rest: (Tensor | null | number | number[] | string | ConvOptions & { bias?: Tensor | null })[]): Tensor {
  return conv(2, input, weight, rest);
}

// ------------------------------------------------------------------ pooling

/** Output size of a pooling window, with ceil_mode as PyTorch computes it. */
function poolOut(size: number, k: number, pad: number, stride: number, dil: number, ceil: boolean): number {
  const num = size + 2 * pad - dil * (k - 1) - 1 + (ceil ? stride - 1 : 0);
  let out = Math.floor(num / stride) + 1;
  // A last window must start inside the input or the left padding.
  if (ceil && (out - 1) * stride >= size + pad) out--;
  return out;
}

interface PoolGeometry {
  x4: (t: Tensor) => Tensor;
  win: Window2d;
  N: number; C: number; H: number; W: number;
  outShape: number[];
}

function poolGeometry(fn: string, input: Tensor, kernelSize: number | number[], stride: number | number[] | null, padding: number | number[], dilation: number | number[], ceil: boolean): PoolGeometry {
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new RuntimeError(`non-empty 3D or 4D (batch mode) tensor expected for input`);
  }
  if (!isFloating(input.dtype)) throw new RuntimeError(`"${fn}" not implemented for '${scalarTypeName(input.dtype)}'`);
  const [kh, kw] = tuple(kernelSize, 2, 'kernel_size') as [number, number];
  const [sh, sw] = (stride === null || (Array.isArray(stride) && stride.length === 0) ? [kh, kw] : tuple(stride, 2, 'stride')) as [number, number];
  const [ph, pw] = tuple(padding, 2, 'padding') as [number, number];
  const [dh, dw] = tuple(dilation, 2, 'dilation') as [number, number];
  if (sh === 0 || sw === 0) throw new RuntimeError('stride should not be zero');
  if (kh < 1 || kw < 1) throw new RuntimeError(`kernel size should be greater than zero, but got kH: ${kh} kW: ${kw}`);
  if (sh < 0 || sw < 0) throw new RuntimeError(`stride should be greater than zero, but got dH: ${sh} dW: ${sw}`);
  if (dh < 1 || dw < 1) throw new RuntimeError(`dilation should be greater than zero, but got dilationH: ${dh} dilationW: ${dw}`);
  if (ph < 0 || pw < 0) throw new RuntimeError(`pad must be non-negative, but got pad: ${Math.min(ph, pw)}`);
  if (Math.floor(kw / 2) < pw || Math.floor(kh / 2) < ph) {
    throw new RuntimeError(`pad should be smaller than or equal to half of kernel size, but got padW = ${pw}, padH = ${ph}, kW = ${kw}, kH = ${kh}`);
  }
  const batched = input.ndim === 4;
  const N = batched ? input.shape[0]! : 1;
  const [C, H, W] = input.shape.slice(-3) as [number, number, number];
  const oh = poolOut(H, kh, ph, sh, dh, ceil), ow = poolOut(W, kw, pw, sw, dw, ceil);
  if (oh < 1 || ow < 1) {
    throw new RuntimeError(`Given input size: (${C}x${H}x${W}). Calculated output size: (${C}x${oh}x${ow}). Output size is too small`);
  }
  return {
    x4: (t) => (batched ? t : t.unsqueeze(0)),
    win: { kh, kw, oh, ow, sh, sw, ph, pw, dh, dw },
    N, C, H, W,
    outShape: batched ? [N, C, oh, ow] : [C, oh, ow],
  };
}

/** Keywords of F.maxPool2d. */
export interface MaxPoolOptions {
  stride?: number | number[] | null;
  padding?: number | number[];
  dilation?: number | number[];
  ceilMode?: boolean;
  returnIndices?: boolean;
}

/**
 * F.max_pool2d(input, kernelSize, stride=kernelSize, padding=0, dilation=1, ceilMode=false,
 * returnIndices=false). With returnIndices, returns [values, indices] where indices are flat
 * positions in each input plane (as PyTorch's).
 */
export function maxPool2d(input: Tensor, kernelSize: number | number[], opts: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: number | number[], ...rest: (number | number[] | boolean | null | MaxPoolOptions)[]): Tensor;
export function maxPool2d(input: Tensor, kernelSize: number | number[], ...rest: unknown[]): Tensor | [Tensor, Tensor] {
  const a = bindArgs<Required<MaxPoolOptions>>('max_pool2d', rest, ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices'],
    { stride: null, padding: 0, dilation: 1, ceilMode: false, returnIndices: false });
  const p = poolGeometry('max_pool2d', input, kernelSize, a.stride, a.padding, a.dilation, a.ceilMode);
  const { win, N, C, W, outShape } = p;
  const K = win.kh * win.kw;
  const [values, argK] = noGrad(() => {
    const cols = im2col(p.x4(input), win, -Infinity).view(N, C, K, win.oh, win.ow);
    const m = cols.max(2);
    return [m.values.view(outShape), m.indices] as const;
  });
  record(values, 'MaxPool2DWithIndicesBackward0', [input], [argK], ([g], [k]) => [maxPoolGrad(g!, k!, p)]);
  if (!a.returnIndices) return values;
  // Flat plane index of each window's max: (oy*sh - ph + i*dh) * W + (ox*sw - pw + j*dw).
  const indices = noGrad(() => {
    const i = argK.div(win.kw, { roundingMode: 'floor' });
    const j = argK.sub(i.mul(win.kw));
    const rowBase = arange(win.oh, { device: input.device }).mul(win.sh).sub(win.ph).view(win.oh, 1);
    const colBase = arange(win.ow, { device: input.device }).mul(win.sw).sub(win.pw);
    return i.mul(win.dh).add(rowBase).mul(W).add(j.mul(win.dw).add(colBase)).view(outShape);
  });
  return [values, indices];
}

/** Routes each output gradient to its window's max: one-hot over the window, then col2im. */
function maxPoolGrad(g: Tensor, argK: Tensor, p: PoolGeometry): Tensor {
  const { win, N, C, H, W } = p;
  const K = win.kh * win.kw;
  const positions = arange(K, { device: g.device }).view(1, 1, K, 1, 1);
  const hit = positions.eq(argK.unsqueeze(2));
  const g4 = p.x4(g).unsqueeze(2);
  const gcols = where(hit, g4, 0).view(N, C, win.kh, win.kw, win.oh, win.ow);
  const gx = col2im(gcols, H, W, win);
  return p.outShape.length === 4 ? gx : gx.squeeze(0);
}

/** Keywords of F.avgPool2d. */
export interface AvgPoolOptions {
  stride?: number | number[] | null;
  padding?: number | number[];
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

/**
 * F.avg_pool2d(input, kernelSize, stride=kernelSize, padding=0, ceilMode=false,
 * countIncludePad=true, divisorOverride=null): window means, with PyTorch's divisors.
 */
export function avgPool2d(input: Tensor, kernelSize: number | number[], ...rest: unknown[]): Tensor {
  const a = bindArgs<Required<AvgPoolOptions>>('avg_pool2d', rest, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'],
    { stride: null, padding: 0, ceilMode: false, countIncludePad: true, divisorOverride: null });
  const p = poolGeometry('avg_pool2d', input, kernelSize, a.stride, a.padding, 1, a.ceilMode);
  const { win, N, C, H, W, outShape } = p;
  if (a.divisorOverride !== null && a.divisorOverride === 0) throw new RuntimeError('divisor must be not zero');
  const divisors = allocArray(input.dtype, win.oh * win.ow);
  divisors.set(poolDivisors(p, a.countIncludePad, a.divisorOverride));
  const divisor = fromValues(divisors, [win.oh, win.ow], input.dtype, input.backend);
  const K = win.kh * win.kw;
  const y = noGrad(() => im2col(p.x4(input), win, 0).view(N, C, K, win.oh, win.ow).sum(2).div(divisor).view(outShape));
  record(y, 'AvgPool2DBackward0', [input], [], ([g]) => {
    const gw = p.x4(g!).div(divisor).unsqueeze(2).expand(N, C, K, win.oh, win.ow).reshape(N, C, win.kh, win.kw, win.oh, win.ow);
    const gx = col2im(gw, H, W, win);
    return [outShape.length === 4 ? gx : gx.squeeze(0)];
  });
  return y;
}

/** PyTorch's per-window divisor (1 for windows entirely in the padding, whose sum is 0). */
function poolDivisors(p: PoolGeometry, countIncludePad: boolean, override: number | null): Float64Array {
  const { win, H, W } = p;
  const out = new Float64Array(win.oh * win.ow);
  for (let oy = 0; oy < win.oh; oy++) {
    for (let ox = 0; ox < win.ow; ox++) {
      let hs = oy * win.sh - win.ph, ws = ox * win.sw - win.pw;
      let he = Math.min(hs + win.kh, H + win.ph), we = Math.min(ws + win.kw, W + win.pw);
      const poolSize = (he - hs) * (we - ws);
      hs = Math.max(hs, 0); ws = Math.max(ws, 0);
      he = Math.min(he, H); we = Math.min(we, W);
      let d: number;
      if (hs >= he || ws >= we) d = 1;
      else if (override !== null) d = override;
      else if (countIncludePad) d = poolSize;
      else d = (he - hs) * (we - ws);
      out[oy * win.ow + ox] = d;
    }
  }
  return out;
}

// ------------------------------------------------------------------ transposed convolution

/** Keywords of convTranspose2d. */
export interface ConvTransposeOptions {
  bias?: Tensor | null;
  stride?: number | number[];
  padding?: number | number[];
  outputPadding?: number | number[];
  groups?: number;
  dilation?: number | number[];
}

/**
 * F.conv_transpose2d(input, weight, bias=null, stride=1, padding=0, outputPadding=0, groups=1,
 * dilation=1): the adjoint of conv2d. input [N, Cin, H, W] (or unbatched), weight
 * [Cin, Cout / groups, kh, kw]. Built as weight^T @ input followed by col2im, so the gradients
 * come from those ops.
 */
export function convTranspose2d(input: Tensor, weight: Tensor, ...rest: unknown[]): Tensor {
  const a = bindArgs<Required<ConvTransposeOptions>>('conv_transpose2d', rest, ['bias', 'stride', 'padding', 'outputPadding', 'groups', 'dilation'],
    { bias: null, stride: 1, padding: 0, outputPadding: 0, groups: 1, dilation: 1 });
  if (input.ndim === 3) return convTranspose2d(input.unsqueeze(0), weight, a).squeeze(0);
  if (input.ndim !== 4) throw new RuntimeError(`Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: ${shapeStr(input.shape)}`);
  if (weight.ndim !== 4) throw new RuntimeError(`weight should have 4 dimensions for conv_transpose2d, but got weight of size ${shapeStr(weight.shape)}`);
  const [N, Cin, H, W] = input.shape as [number, number, number, number];
  const G = a.groups;
  if (weight.shape[0] !== Cin) {
    throw new RuntimeError(`Given transposed=1, weight of size ${shapeStr(weight.shape)}, expected input${shapeStr(input.shape)} to have ${weight.shape[0]} channels, but got ${Cin} channels instead`);
  }
  const Coutg = weight.shape[1]!, kh = weight.shape[2]!, kw = weight.shape[3]!, Cout = Coutg * G;
  const [sh, sw] = tuple(a.stride, 2, 'stride') as [number, number];
  const [ph, pw] = tuple(a.padding, 2, 'padding') as [number, number];
  const [oph, opw] = tuple(a.outputPadding, 2, 'output_padding') as [number, number];
  const [dh, dw] = tuple(a.dilation, 2, 'dilation') as [number, number];
  if (oph >= Math.max(sh, dh) || opw >= Math.max(sw, dw)) {
    throw new RuntimeError('output padding must be smaller than either stride or dilation');
  }
  const Hout = (H - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1;
  const Wout = (W - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1;
  const win: Window2d = { kh, kw, oh: H, ow: W, sh, sw, ph, pw, dh, dw };
  const cols = weight.reshape(G, Cin / G, Coutg * kh * kw).transpose(1, 2)
    .matmul(input.reshape(N, G, Cin / G, H * W))
    .reshape(N, Cout, kh, kw, H, W);
  let y = col2im(cols, Hout, Wout, win);
  if (a.bias) y = y.add(a.bias.view(Cout, 1, 1));
  return y;
}
