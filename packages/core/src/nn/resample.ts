/**
 * Adaptive pooling and interpolation, built from ops (matmul with averaging matrices,
 * index_select, amax), so their gradients come from the ops.
 */
import { RuntimeError, ValueError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { fromValues } from '../ops/creation.js';
import { stack } from '../ops/shape.js';
import { bindArgs, tuple } from './args.js';

/** PyTorch's adaptive window [start, end) of output cell i. */
function adaptiveRange(i: number, inSize: number, outSize: number): [number, number] {
  return [Math.floor((i * inSize) / outSize), Math.ceil(((i + 1) * inSize) / outSize)];
}

/** The [out, in] matrix whose rows average each adaptive window. */
function averagingMatrix(inSize: number, outSize: number, like: Tensor): Tensor {
  const m = new Float64Array(outSize * inSize);
  for (let i = 0; i < outSize; i++) {
    const [s, e] = adaptiveRange(i, inSize, outSize);
    for (let j = s; j < e; j++) m[i * inSize + j] = 1 / (e - s);
  }
  return fromValues(m, [outSize, inSize], 'float64', like.backend).to(like.dtype);
}

/** Output size for an adaptive pool; null entries keep the input size. */
function adaptiveSize(outputSize: number | readonly (number | null)[], H: number, W: number): [number, number] {
  const o = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize.length === 1 ? [outputSize[0]!, outputSize[0]!] : outputSize;
  return [o[0] ?? H, o[1] ?? W];
}

function checkSpatial(fn: string, input: Tensor): void {
  if (input.ndim !== 3 && input.ndim !== 4) throw new RuntimeError(`${fn}(): Expected 3D or 4D tensor, but got ${input.shape.join('x')}`);
}

/** F.adaptive_avg_pool2d(input, outputSize): averages PyTorch's adaptive windows. */
export function adaptiveAvgPool2d(input: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  checkSpatial('adaptive_avg_pool2d', input);
  const H = input.shape[input.ndim - 2]!, W = input.shape[input.ndim - 1]!;
  const [oh, ow] = adaptiveSize(outputSize, H, W);
  if (oh === 1 && ow === 1) return input.mean([-2, -1], true);
  return averagingMatrix(H, oh, input).matmul(input).matmul(averagingMatrix(W, ow, input).t());
}

/** F.adaptive_max_pool2d(input, outputSize): the max over each adaptive window. */
export function adaptiveMaxPool2d(input: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  checkSpatial('adaptive_max_pool2d', input);
  const H = input.shape[input.ndim - 2]!, W = input.shape[input.ndim - 1]!;
  const [oh, ow] = adaptiveSize(outputSize, H, W);
  const rows: Tensor[] = [];
  for (let i = 0; i < oh; i++) {
    const [hs, he] = adaptiveRange(i, H, oh);
    const band = input.narrow(-2, hs, he - hs);
    const cells: Tensor[] = [];
    for (let j = 0; j < ow; j++) {
      const [ws, we] = adaptiveRange(j, W, ow);
      cells.push(band.narrow(-1, ws, we - ws).amax([-2, -1]));
    }
    rows.push(stack(cells, -1));
  }
  return stack(rows, -2);
}

/** Keywords of interpolate. */
export interface InterpolateOptions {
  size?: number | number[] | null;
  scaleFactor?: number | number[] | null;
  mode?: 'nearest' | 'bilinear';
  alignCorners?: boolean | null;
  recomputeScaleFactor?: boolean | null;
}

/** Source index of each output position along one dim (int64 indices + float weights for linear). */
function nearestIndex(inSize: number, outSize: number, scale: number, like: Tensor): Tensor {
  const idx = new Float64Array(outSize);
  for (let i = 0; i < outSize; i++) idx[i] = Math.min(Math.floor(i * scale), inSize - 1);
  return fromValues(idx, [outSize], 'int64', like.backend);
}

function linearWeights(inSize: number, outSize: number, scale: number, alignCorners: boolean, like: Tensor): [Tensor, Tensor, Tensor] {
  const i0 = new Float64Array(outSize), i1 = new Float64Array(outSize), w = new Float64Array(outSize);
  for (let i = 0; i < outSize; i++) {
    let src: number;
    if (alignCorners) src = outSize > 1 ? (i * (inSize - 1)) / (outSize - 1) : 0;
    else src = Math.max((i + 0.5) * scale - 0.5, 0);
    const lo = Math.min(Math.floor(src), inSize - 1);
    i0[i] = lo;
    i1[i] = Math.min(lo + 1, inSize - 1);
    w[i] = src - lo;
  }
  const b = like.backend;
  return [fromValues(i0, [outSize], 'int64', b), fromValues(i1, [outSize], 'int64', b), fromValues(w, [outSize], 'float64', b).to(like.dtype)];
}

/**
 * F.interpolate(input, size=null, scaleFactor=null, mode='nearest', alignCorners=null) for 4-d
 * input [N, C, H, W]: 'nearest' picks floor(i * scale), 'bilinear' blends the two neighbours in
 * each dim (with PyTorch's alignCorners rule). With scaleFactor the source scale is
 * 1 / scaleFactor, as in PyTorch.
 */
export function interpolate(input: Tensor, ...rest: (number | number[] | string | boolean | null | InterpolateOptions)[]): Tensor {
  const opts = bindArgs<InterpolateOptions>('interpolate', rest, ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor'],
    { size: null, scaleFactor: null, mode: 'nearest', alignCorners: null, recomputeScaleFactor: null });
  const mode = opts.mode ?? 'nearest';
  if (input.ndim !== 4) throw new RuntimeError(`Input Error: Only 4D input Tensors are supported (got ${input.ndim}D) for the modes: nearest | bilinear (got ${mode})`);
  if (mode !== 'nearest' && mode !== 'bilinear') throw new ValueError(`interpolate: mode '${String(mode)}' is not supported (nearest, bilinear)`);
  if (mode === 'nearest' && opts.alignCorners != null) {
    throw new ValueError('align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear');
  }
  const H = input.shape[2]!, W = input.shape[3]!;
  let oh: number, ow: number, sh: number, sw: number;
  if (opts.size != null) {
    if (opts.scaleFactor != null) throw new ValueError('only one of size or scale_factor should be defined');
    [oh, ow] = tuple(opts.size, 2, 'size') as [number, number];
    sh = H / oh; sw = W / ow;
  } else if (opts.scaleFactor != null) {
    const [fh, fw] = tuple(opts.scaleFactor, 2, 'scale_factor') as [number, number];
    oh = Math.floor(H * fh); ow = Math.floor(W * fw);
    [sh, sw] = opts.recomputeScaleFactor ? [H / oh, W / ow] : [1 / fh, 1 / fw];
  } else {
    throw new ValueError('either size or scale_factor should be defined');
  }
  if (mode === 'nearest') {
    return input.indexSelect(2, nearestIndex(H, oh, sh, input)).indexSelect(3, nearestIndex(W, ow, sw, input));
  }
  const align = opts.alignCorners ?? false;
  const [h0, h1, wh] = linearWeights(H, oh, sh, align, input);
  const [w0, w1, ww] = linearWeights(W, ow, sw, align, input);
  const lh = wh.view(oh, 1), lw = ww;
  const rows = (idx: Tensor): Tensor => {
    const r = input.indexSelect(2, idx);
    const a = r.indexSelect(3, w0), b = r.indexSelect(3, w1);
    return a.add(b.sub(a).mul(lw));
  };
  const top = rows(h0), bottom = rows(h1);
  return top.add(bottom.sub(top).mul(lh));
}
