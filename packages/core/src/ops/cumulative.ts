/**
 * cumsum and cumprod along one dim, through the backend's `cumulative` family. Integer and
 * bool inputs accumulate to int64 (PyTorch's rule) unless `dtype` says otherwise.
 */
import { isGradEnabled } from '../autograd/grad-mode.js';
import { isIntegral, type DType } from '../dtype.js';
import { checkOptions } from '../args.js';
import { RuntimeError } from '../errors.js';
import type { CumulativeOp } from '../kernels/index.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { eye, ones } from './creation.js';
import { where } from './pointwise.js';
import { cat } from './shape.js';
import { castValues, gradFor, record } from './support.js';

/** Keywords of cumsum / cumprod. */
export interface CumulativeOptions {
  dim?: number;
  /** Cast the input to this dtype first. */
  dtype?: DType;
}

function cumArgs(name: string, dim: number | CumulativeOptions | undefined, opts: CumulativeOptions | undefined): { dim: number; dtype?: DType } {
  if (opts !== undefined) checkOptions(name, opts, ['dim', 'dtype']);
  if (dim !== null && typeof dim === 'object') checkOptions(name, dim, ['dim', 'dtype']);
  const o: CumulativeOptions = dim !== null && typeof dim === 'object' ? { ...dim, ...opts } : { ...opts, ...(dim === undefined ? {} : { dim }) };
  if (o.dim === undefined) throw new RuntimeError(`${name}() missing 1 required positional arguments: "dim"`);
  return { dim: o.dim, ...(o.dtype ? { dtype: o.dtype } : {}) };
}

function cumulative(op: CumulativeOp, x: Tensor, dim: number, dtype?: DType): Tensor {
  const d = normalizeDim(dim, x.ndim, 'dim', op);
  const to = dtype ?? (isIntegral(x.dtype, true) ? 'int64' : x.dtype);
  const src = castValues(x, to);
  const out = Tensor.empty(x.shape, to, x.backend);
  if (x.ndim === 0) x.backend.copy('plain', out, src);
  else if (x.numel() > 0) x.backend.cumulative(op, out, src, d);
  return out;
}

/** Sums from the end: reversed cumsum along `d`. */
function reversedCumsum(t: Tensor, d: number): Tensor {
  return t.flip(d).cumsum(d).flip(d);
}

/**
 * torch.cumsum(x, dim, dtype=None): running sums along `dim`. `cumsum(x, 1)`,
 * `cumsum(x, { dim: 1, dtype: 'float64' })` or `x.cumsum(1)`.
 */
export function cumsum(x: Tensor, dim?: number | CumulativeOptions, opts?: CumulativeOptions): Tensor {
  const a = cumArgs('cumsum', dim, opts);
  const out = cumulative('cumsum', x, a.dim, a.dtype);
  const d = normalizeDim(a.dim, x.ndim), meta = { shape: x.shape, dtype: x.dtype };
  record(out, 'CumsumBackward0', [x], [], ([g]) => [gradFor(x.ndim === 0 ? g! : reversedCumsum(g!, d), meta)]);
  return out;
}

/**
 * The gradient of cumprod, correct where x has zeros, in O(n) per lane: before the first zero
 * of a lane it is sum_{j>=k} g_j y_j / x_k; at the first zero it is y_{z-1} times
 * sum_{z<=j<z2} g_j prod_{z<i<=j} x_i; after it, zero. Its own derivative is not the second
 * derivative at exact zeros, so createGraph uses `cumprodGradExact` there (as PyTorch does).
 */
function cumprodGradMasked(g: Tensor, x: Tensor, y: Tensor, d: number): Tensor {
  const isZero = x.eq(0);
  const zerosSoFar = isZero.cumsum(d);
  const before = zerosSoFar.eq(0);
  const gradBefore = reversedCumsum(where(before, y.mul(g), 0), d).div(where(before, x, 1));
  const firstZero = isZero.logicalAnd(zerosSoFar.eq(1));
  const between = zerosSoFar.eq(1).logicalAnd(firstZero.logicalNot());
  const n = x.shape[d]!;
  const tail = where(between, x, 1).cumprod(d).mul(where(zerosSoFar.eq(1), g, 0)).sum(d, true);
  const shape1 = x.shape.map((s, i) => (i === d ? 1 : s));
  const exclusive = cat([ones(shape1, { dtype: y.dtype, device: y.device }), y.narrow(d, 0, n - 1)], d);
  return where(before, gradBefore, where(firstZero, tail.mul(exclusive), 0));
}

/**
 * The gradient of cumprod as sum_{j>=k} g_j prod_{i<=j, i!=k} x_i, with an n x n product per
 * lane: exact everywhere and differentiable (used for double backward through zeros).
 */
function cumprodGradExact(g: Tensor, x: Tensor, d: number): Tensor {
  const n = x.shape[d]!;
  const xl = x.transpose(d, -1), gl = g.transpose(d, -1);
  const diag = eye(n, { dtype: 'bool', device: x.device });
  // omitted[..., k, j] = prod_{i <= j, i != k} x_i
  const omitted = where(diag, 1, xl.unsqueeze(-2)).cumprod(-1);
  const upper = ones([n, n], { dtype: 'bool', device: x.device }).triu();
  return where(upper, omitted.mul(gl.unsqueeze(-2)), 0).sum(-1).transpose(d, -1);
}

/** Whether `x` has a zero; true when its values are not resident yet (the safe answer). */
function mayHaveZero(x: Tensor): boolean {
  const r = x.eq(0).any();
  const v = r.backend.readSync(r.storage);
  return v === null || v[r.offset] !== 0;
}

/** torch.cumprod(x, dim, dtype=None): running products along `dim`. */
export function cumprod(x: Tensor, dim?: number | CumulativeOptions, opts?: CumulativeOptions): Tensor {
  const a = cumArgs('cumprod', dim, opts);
  const out = cumulative('cumprod', x, a.dim, a.dtype);
  const d = normalizeDim(a.dim, x.ndim), meta = { shape: x.shape, dtype: x.dtype };
  record(out, 'CumprodBackward0', [x], [x, out], ([g], [sx, y]) => {
    if (x.ndim === 0 || x.numel() === 0 || x.shape[d] === 1) return [gradFor(g!, meta)];
    const xs = castValues(sx!, y!.dtype);
    let r: Tensor;
    if (!isGradEnabled()) r = cumprodGradMasked(g!, xs, y!, d);
    else if (!mayHaveZero(xs)) r = reversedCumsum(g!.mul(y!), d).div(xs);
    else r = cumprodGradExact(g!, xs, d);
    return [gradFor(r, meta)];
  });
  return out;
}
