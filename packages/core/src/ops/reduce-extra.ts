/**
 * Composite reductions: var, std, logsumexp, norm. Each forward is built from primitive ops run
 * without recording; one node with PyTorch's name is recorded instead, whose backward formula is
 * written with ops (so it is differentiable again).
 */
import { isFloating, scalarTypeName, type DType } from '../dtype.js';
import { checkBool, checkOptions } from '../args.js';
import { RuntimeError } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Tensor } from '../tensor.js';
import { where } from './pointwise.js';
import { outShape, reducedDims, type Dims } from './reduce.js';
import { castValues, floatType, record } from './support.js';

/** `g` of the reduced shape, viewed with the reduced dims back as size 1 and expanded to `shape`. */
export function expandReduced(g: Tensor, shape: readonly number[], dims: readonly number[], keepdim: boolean): Tensor {
  let r = g;
  if (!keepdim) for (const d of dims) r = r.unsqueeze(d);
  return r.expand(shape);
}

/** True when `v` is a plain options object (not an array, tensor or null). */
export function isOptions(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Tensor);
}

/**
 * Splits `args` into positional arguments and a trailing options object, checked by
 * checkOptions against `keys` (every function taking options should pass `fn` and `keys`).
 */
export function splitOptions<O extends object>(args: readonly unknown[], fn?: string, keys?: readonly (keyof O & string)[]): [unknown[], Partial<O>] {
  const last = args[args.length - 1];
  if (args.length === 0 || !isOptions(last)) return [[...args], {}];
  const opts = last as Partial<O>;
  return [args.slice(0, -1), fn !== undefined && keys !== undefined ? checkOptions<Partial<O>>(fn, opts, keys) : opts];
}

/** Sums over `dims` (all for an empty list of a 0-d tensor) keeping them as size 1. */
function sumKeep(x: Tensor, dims: readonly number[]): Tensor {
  return dims.length === 0 ? x : x.sum(dims as number[], true);
}

/** Product of the reduced sizes. */
function countOf(shape: readonly number[], dims: readonly number[]): number {
  return dims.reduce((n, d) => n * (shape[d] ?? 1), 1);
}

/** Reshapes a keepdim result to the requested keepdim form. */
function finishKeep(r: Tensor, shape: readonly number[], dims: readonly number[], keepdim: boolean): Tensor {
  return keepdim ? r : r.reshape(outShape({ shape }, [...dims], false));
}

// ------------------------------------------------------------------ var / std

/** Keywords of var / std. `correction` wins over `unbiased` (true = 1, false = 0). */
export interface VarOptions {
  dim?: Dims;
  unbiased?: boolean;
  correction?: number;
  keepdim?: boolean;
}

/** Accepts `(unbiased)`, `(dim, unbiased?, keepdim?)` and a trailing `{ dim, unbiased, correction, keepdim }`. */
function varArgs(fn: string, args: readonly unknown[]): { dim: Dims; correction: number; keepdim: boolean } {
  const [pos, o] = splitOptions<VarOptions>(args, fn, ['dim', 'unbiased', 'correction', 'keepdim']);
  let dim: Dims = o.dim, unbiased = o.unbiased, keepdim = o.keepdim ?? false;
  if (typeof pos[0] === 'boolean') unbiased = pos[0];
  else {
    if (pos.length > 0) dim = pos[0] as Dims;
    if (pos.length > 1) unbiased = pos[1] as boolean;
    if (pos.length > 2) keepdim = pos[2] as boolean;
  }
  const correction = o.correction ?? (unbiased === false ? 0 : 1);
  return { dim, correction, keepdim };
}

function checkFloat(x: Tensor, name: string): void {
  if (!isFloating(x.dtype)) {
    throw new RuntimeError(`${name}(): input dtype should be either floating point or complex dtypes. Got ${scalarTypeName(x.dtype)} instead.`);
  }
}

/** Sum of squared deviations over `dims` (kept as size 1), and the mean it used. */
function squaredDeviations(x: Tensor, dims: readonly number[]): Tensor {
  const mean = dims.length === 0 ? x : x.mean(dims as number[], true);
  const d = x.sub(mean);
  return sumKeep(d.mul(d), dims);
}

/** The variance's gradient: 2 (x - mean) g / (N - correction), written with ops. */
function varGrad(g: Tensor, x: Tensor, dims: readonly number[], keepdim: boolean, divisor: number): Tensor {
  const mean = dims.length === 0 ? x : x.mean(dims as number[], true);
  return x.sub(mean).mul(expandReduced(g, x.shape, dims, keepdim)).mul(2 / divisor);
}

/**
 * torch.var: `var(x)`, `var(x, unbiased)`, `var(x, dim, unbiased?, keepdim?)` or a trailing
 * `{ dim, unbiased, correction, keepdim }`. Divides by N - correction (0 or less gives inf / nan,
 * as in PyTorch).
 */
export function var_(x: Tensor, ...args: unknown[]): Tensor {
  checkFloat(x, 'var');
  const a = varArgs('var', args);
  const dims = reducedDims(x, a.dim, 'var');
  const divisor = Math.max(0, countOf(x.shape, dims) - a.correction);
  const y = noGrad(() => finishKeep(squaredDeviations(x, dims).div(divisor), x.shape, dims, a.keepdim));
  record(y, 'VarBackward0', [x], [x], ([g], [sx]) => [varGrad(g!, sx!, dims, a.keepdim, divisor)]);
  return y;
}

/** torch.std: the square root of var, with the same arguments. */
export function std(x: Tensor, ...args: unknown[]): Tensor {
  checkFloat(x, 'std');
  const a = varArgs('std', args);
  const dims = reducedDims(x, a.dim, 'std');
  const divisor = Math.max(0, countOf(x.shape, dims) - a.correction);
  const y = noGrad(() => finishKeep(squaredDeviations(x, dims).div(divisor).sqrt(), x.shape, dims, a.keepdim));
  record(y, 'StdBackward0', [x], [x, y], ([g], [sx, sy]) => {
    // d std = d var / (2 std); zero where std is zero (PyTorch masks it).
    const gv = where(sy!.eq(0), 0, g!.div(sy!.mul(2)));
    return [varGrad(gv, sx!, dims, a.keepdim, divisor)];
  });
  return y;
}

// ------------------------------------------------------------------ logsumexp

/** torch.logsumexp(x, dim, keepdim=false): log(sum(exp(x))) computed stably. */
export function logsumexp(x: Tensor, dim: Dims | { dim: Dims; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): Tensor {
  let d: Dims, kd = false;
  if (isOptions(dim)) {
    const o = checkOptions('logsumexp', dim as { dim: Dims; keepdim?: boolean }, ['dim', 'keepdim']);
    d = o.dim; kd = o.keepdim ?? false;
  } else {
    d = dim;
    if (isOptions(keepdim)) kd = checkOptions('logsumexp', keepdim, ['keepdim']).keepdim ?? false;
    else kd = keepdim ?? false;
  }
  checkBool(kd, 'keepdim', 'logsumexp');
  const xf = isFloating(x.dtype) ? x : castValues(x, floatType(x.dtype));
  const dims = reducedDims(x, d, 'logsumexp');
  const y = noGrad(() => {
    if (dims.length === 0) return xf.clone();
    // Shift by the max (0 where it is infinite, so inf and -inf rows come out right).
    if (xf.numel() === 0) return finishKeep(sumKeep(xf.exp(), dims).log(), x.shape, dims, kd);
    const m = xf.amax(dims, true);
    const shift = where(m.abs().eq(Infinity), 0, m);
    const r = sumKeep(xf.sub(shift).exp(), dims).log().add(shift);
    return finishKeep(r, x.shape, dims, kd);
  });
  record(y, 'LogsumexpBackward0', [x], [x, y], ([g], [sx, sy]) => [
    expandReduced(g!, sx!.shape, dims, kd).mul(sx!.sub(expandReduced(sy!, sx!.shape, dims, kd)).exp()),
  ]);
  return y;
}

// ------------------------------------------------------------------ norm

/** The order of a vector norm: a number (Infinity and -Infinity included) or 'fro'. */
export type NormOrder = number | 'fro';

/** Keywords of norm. */
export interface NormOptions {
  p?: NormOrder | null;
  dim?: Dims;
  keepdim?: boolean;
  dtype?: DType;
}

/**
 * torch.norm(x, p='fro', dim=None, keepdim=False, dtype=None): the vector p-norm over `dim`
 * (all elements by default). 'fro' is the 2-norm. Matrix norms ('nuc') are not supported.
 *
 * @remarks Differs from PyTorch: matrix norms such as `p: 'nuc'` throw RuntimeError.
 */
export function norm(x: Tensor, ...args: unknown[]): Tensor {
  const [pos, o] = splitOptions<NormOptions>(args, 'norm', ['p', 'dim', 'keepdim', 'dtype']);
  const p0 = pos.length > 0 ? (pos[0] as NormOrder | null) : o.p;
  const dim = pos.length > 1 ? (pos[1] as Dims) : o.dim;
  const keepdim = pos.length > 2 ? (pos[2] as boolean) : o.keepdim ?? false;
  const dtype = o.dtype;
  if (typeof p0 === 'string' && p0 !== 'fro') throw new RuntimeError(`norm with p='${p0}' (a matrix norm) is not supported`);
  const p = p0 === null || p0 === undefined || p0 === 'fro' ? 2 : p0;
  if (!isFloating(x.dtype) && dtype === undefined) {
    throw new RuntimeError(`linalg.vector_norm: Expected a floating point or complex tensor as input. Got ${scalarTypeName(x.dtype)}`);
  }
  const xf = dtype ? castValues(x, dtype) : x;
  const dims = reducedDims(x, dim, 'norm');
  const y = noGrad(() => finishKeep(normKeep(xf, p, dims), x.shape, dims, keepdim));
  record(y, 'NormBackward1', [x], [x, y], ([g], [sx, sy]) => [normGrad(g!, sx!, sy!, p, dims, keepdim)]);
  return y;
}

/** The p-norm over `dims`, kept as size 1. */
function normKeep(x: Tensor, p: number, dims: readonly number[]): Tensor {
  const a = x.abs();
  if (p === Infinity) return dims.length === 0 ? a : a.amax(dims as number[], true);
  if (p === -Infinity) return dims.length === 0 ? a : a.amin(dims as number[], true);
  if (p === 0) return sumKeep(a.ne(0).to(x.dtype), dims);
  if (p === 1) return sumKeep(a, dims);
  if (p === 2) return sumKeep(x.mul(x), dims).sqrt();
  return sumKeep(a.pow(p), dims).pow(1 / p);
}

/** PyTorch's norm_backward, written with ops. */
function normGrad(g: Tensor, x: Tensor, y: Tensor, p: number, dims: readonly number[], keepdim: boolean): Tensor {
  const ge = expandReduced(g, x.shape, dims, keepdim);
  const ye = expandReduced(y, x.shape, dims, keepdim);
  if (p === 0) return x.mul(0);
  if (p === 1) return x.sign().mul(ge);
  if (p === 2) return where(ye.eq(0), 0, x.mul(ge).div(ye));
  if (Math.abs(p) === Infinity) {
    // The gradient goes to the elements whose |x| is the extreme, shared evenly among ties.
    const mask = x.abs().eq(ye).to(x.dtype);
    const count = expandReduced(sumKeep(mask, dims), x.shape, dims, true);
    return x.sign().mul(ge.div(count).mul(mask));
  }
  if (p < 1) {
    // sgn(x) |x|^(p-1) (0 at x = 0) g y^(1-p)
    const scaled = where(x.eq(0), 0, x.sign().mul(x.abs().pow(p - 1)));
    return scaled.mul(ge).mul(ye.pow(1 - p));
  }
  // sgn(x) |x|^(p-1) g / y^(p-1) (x |x|^(p-2) for p >= 2), zero where the norm is zero.
  const scaled = p < 2 ? x.sign().mul(x.abs().pow(p - 1)) : x.mul(x.abs().pow(p - 2));
  return scaled.mul(where(ye.eq(0), 0, ge.div(ye.pow(p - 1))));
}
