/**
 * Reductions over all dims or a set of dims, with keepdim: sum, mean, prod, max, min, amax,
 * amin, argmax, argmin, any, all. Core permutes the reduced dims last and hands the backend a
 * view; the kernel's fixed blocks keep results deterministic on every backend.
 */
import type { View } from '../backend/backend.js';
import { isFloating, isIntegral, scalarTypeName, type DType } from '../dtype.js';
import { checkBool, checkInt, checkOptions } from '../args.js';
import { IndexError, RuntimeError } from '../errors.js';
import type { ReduceOp } from '../kernels/index.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { arange } from './creation.js';
import { where } from './pointwise.js';
import { castValues, checkTensor, record } from './support.js';

/** The dims argument: one dim, several, or null / undefined for all. */
export type Dims = number | readonly number[] | null | undefined;

/** Options of the reductions (PyTorch's keywords). */
export interface ReduceOptions {
  dim?: Dims;
  keepdim?: boolean;
  dtype?: DType;
}

/** Accepts `(dim, keepdim)`, `(dims)`, `({ dim, keepdim })`. */
export function reduceArgs(dim?: Dims | ReduceOptions, keepdim?: boolean, fn = 'reduction'): { dim: Dims; keepdim: boolean; dtype?: DType } {
  if (dim !== null && typeof dim === 'object' && !Array.isArray(dim)) {
    const o = checkOptions(fn, dim as ReduceOptions, ['dim', 'keepdim', 'dtype']);
    return { dim: o.dim, keepdim: checkBool(o.keepdim ?? false, 'keepdim', fn), ...(o.dtype ? { dtype: o.dtype } : {}) };
  }
  return { dim: dim as Dims, keepdim: checkBool(keepdim ?? false, 'keepdim', fn) };
}

/** Whether a dims argument means every dim (null, undefined or an empty list). */
function isAll(dim: Dims): boolean {
  return dim === null || dim === undefined || (Array.isArray(dim) && dim.length === 0);
}

/** Normalized, sorted reduced dims (all dims for null). */
export function reducedDims(x: Tensor, dim: Dims, fn?: string): number[] {
  checkTensor(fn ?? 'reduction', x, 'input', 1);
  if (dim === null || dim === undefined) return x.shape.map((_, i) => i);
  const list = Array.isArray(dim) ? [...(dim as readonly number[])] : [checkInt(dim, 'dim', fn)];
  if (list.length === 0) return x.shape.map((_, i) => i);
  const seen = new Set<number>();
  for (const d of list) {
    const n = normalizeDim(d, x.ndim, 'dim', fn);
    if (seen.has(n)) throw new RuntimeError(`dim ${n} appears multiple times in the list of dims`);
    seen.add(n);
  }
  return x.ndim === 0 ? [] : [...seen].sort((a, b) => a - b);
}

/** @internal Output shape with or without the reduced dims. */
export function outShape(x: { readonly shape: readonly number[] }, dims: number[], keepdim: boolean): number[] {
  const out: number[] = [];
  x.shape.forEach((s, i) => {
    if (!dims.includes(i)) out.push(s);
    else if (keepdim) out.push(1);
  });
  return out;
}

/** Runs the reduce kernel: x permuted to [...kept, ...reduced], reduced dims merged where the layout allows. */
function reduceKernel(op: ReduceOp, x: Tensor, dims: number[], keepdim: boolean, dtype: DType, named?: string, all = false): Tensor {
  const kept = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const rShape: number[] = [], rStrides: number[] = [];
  for (const d of dims) {
    const size = x.shape[d]!, stride = x.strides[d]!;
    const last = rShape.length - 1;
    if (size === 1) continue;
    if (last >= 0 && rStrides[last] === stride * size) {
      rShape[last] = rShape[last]! * size;
      rStrides[last] = stride;
    } else {
      rShape.push(size);
      rStrides.push(stride);
    }
  }
  if (rShape.length === 0) { rShape.push(1); rStrides.push(0); }
  const src: View = {
    storage: x.storage,
    shape: [...kept.map((i) => x.shape[i]!), ...rShape],
    strides: [...kept.map((i) => x.strides[i]!), ...rStrides],
    offset: x.offset,
  };
  const out = Tensor.empty(kept.map((i) => x.shape[i]!), dtype, x.backend);
  if (x.numel() === 0 && (op === 'max' || op === 'min' || op === 'argmax' || op === 'argmin')) {
    // An empty result is fine (PyTorch returns it); an empty reduced dim has no extreme value.
    const name = named ?? op;
    if (all) {
      if (op === 'argmax' || op === 'argmin') throw new IndexError(`${name}(): Expected reduction dim to be specified for input.numel() == 0.`);
      throw new RuntimeError(`${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
    }
    const empty = dims.find((d) => x.shape[d] === 0);
    if (empty !== undefined) throw new IndexError(`${name}(): Expected reduction dim ${empty} to have non-zero size.`);
  }
  if (out.numel() > 0) x.backend.reduce(op, out, src, rShape.length);
  return keepdim ? out.view(outShape(x, dims, true)) : out;
}

/** g (of the reduced shape) viewed with the reduced dims back as size 1, then expanded to x's shape. */
function expandBack(g: Tensor, shape: readonly number[], dims: number[], keepdim: boolean): Tensor {
  let r = g;
  if (!keepdim) for (const d of dims) r = r.unsqueeze(d);
  return r.expand(shape);
}

/** torch.sum: integer and bool inputs sum to int64. */
export function sum(x: Tensor, dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor {
  const a = reduceArgs(dim, keepdim, 'sum');
  const dims = reducedDims(x, a.dim, 'sum');
  const dtype = a.dtype ?? (isIntegral(x.dtype, true) ? 'int64' : x.dtype);
  const out = reduceKernel('sum', a.dtype ? castValues(x, a.dtype) : x, dims, a.keepdim, dtype);
  const inShape = x.shape, all = a.dim === null || a.dim === undefined;
  record(out, all ? 'SumBackward0' : 'SumBackward1', [x], [], ([g]) => [expandBack(g!, inShape, dims, a.keepdim).to(x.dtype)]);
  return out;
}

/** torch.mean: floating inputs only (as in PyTorch). */
export function mean(x: Tensor, dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor {
  const a = reduceArgs(dim, keepdim, 'mean');
  const dtype = a.dtype ?? x.dtype;
  if (!isFloating(dtype)) {
    throw new RuntimeError(`mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${scalarTypeName(dtype)}`);
  }
  const dims = reducedDims(x, a.dim, 'mean');
  const out = reduceKernel('mean', castValues(x, dtype), dims, a.keepdim, dtype);
  const inShape = x.shape, all = a.dim === null || a.dim === undefined;
  const count = dims.reduce((n, d) => n * (x.shape[d] ?? 1), 1);
  record(out, all ? 'MeanBackward0' : 'MeanBackward1', [x], [], ([g]) => [expandBack(g!, inShape, dims, a.keepdim).div(count)]);
  return out;
}

/** torch.prod. */
export function prod(x: Tensor, dim?: number | ReduceOptions, keepdim?: boolean): Tensor {
  const a = reduceArgs(dim, keepdim, 'prod');
  const dims = reducedDims(x, a.dim, 'prod');
  const dtype = a.dtype ?? (isIntegral(x.dtype, true) ? 'int64' : x.dtype);
  const out = reduceKernel('prod', castValues(x, dtype), dims, a.keepdim, dtype);
  const inShape = x.shape, all = a.dim === null || a.dim === undefined;
  record(out, all ? 'ProdBackward0' : 'ProdBackward1', [x], [x, out], ([g], [sx, y]) => {
    // d prod / d x_i = product of the others: prod / x_i where x_i != 0, else the product
    // with x_i replaced by 1 (only nonzero when x_i is the lone zero).
    const gx = expandBack(g!, inShape, dims, a.keepdim);
    const yx = expandBack(y!, inShape, dims, a.keepdim);
    const zero = sx!.eq(0);
    const safe = where(zero, 1, sx!);
    const others = reduceOthers(safe, dims, inShape, zero);
    return [gx.mul(where(zero, others, yx.div(safe)))];
  });
  return out;
}

/** For prod backward at zeros: the product of the other elements (x with zeros as 1, times zero counts). */
function reduceOthers(safe: Tensor, dims: number[], inShape: readonly number[], zero: Tensor): Tensor {
  let p = safe, z = zero.to(safe.dtype);
  for (const d of [...dims].reverse()) { p = p.prod(d, true); z = z.sum(d, true); }
  // If more than one zero, the product of the others is still zero.
  return where(z.gt(1), 0, p).expand(inShape);
}

/** amax / amin and the all-dims max / min: the gradient is shared evenly among ties. */
function extremeValues(op: 'max' | 'min', x: Tensor, dims: number[], keepdim: boolean, name: string, fn: string, all: boolean): Tensor {
  const out = reduceKernel(op, x, dims, keepdim, x.dtype, fn, all);
  const inShape = x.shape;
  record(out, name, [x], [x, out], ([g], [sx, y]) => {
    const mask = sx!.eq(expandBack(y!, inShape, dims, keepdim)).to(g!.dtype);
    let count = mask;
    for (const d of [...dims].reverse()) count = count.sum(d, true);
    return [expandBack(g!, inShape, dims, keepdim).mul(mask).div(count.expand(inShape))];
  });
  return out;
}

/** torch.amax(x, dim=(), keepdim=False): the largest values over `dim` (all dims by default); ties share the gradient. */
export function amax(x: Tensor, dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor {
  const a = reduceArgs(dim, keepdim, 'amax');
  return extremeValues('max', x, reducedDims(x, a.dim, 'amax'), a.keepdim, 'AmaxBackward0', 'amax', isAll(a.dim));
}

/** torch.amin(x, dim=(), keepdim=False): the smallest values over `dim` (all dims by default); ties share the gradient. */
export function amin(x: Tensor, dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor {
  const a = reduceArgs(dim, keepdim, 'amin');
  return extremeValues('min', x, reducedDims(x, a.dim, 'amin'), a.keepdim, 'AminBackward0', 'amin', isAll(a.dim));
}

/** Indices of the max / min along one dim (or of the flattened tensor). */
function argExtreme(op: 'argmax' | 'argmin', x: Tensor, dim?: number | null, keepdim = false): Tensor {
  if (dim === null || dim === undefined) {
    const flat = x.reshape(-1);
    const r = reduceKernel(op, flat, [0], false, 'int64', op, true);
    return keepdim ? r.view(x.shape.map(() => 1)) : r;
  }
  return reduceKernel(op, x, [normalizeDim(dim, x.ndim, 'dim', op)], keepdim, 'int64', op);
}

/** torch.argmax(x, dim=None, keepdim=False): int64 indices of the largest values (of the flattened tensor without `dim`). */
export function argmax(x: Tensor, dim?: number | null | ReduceOptions, keepdim?: boolean): Tensor {
  const a = reduceArgs(dim as Dims | ReduceOptions, keepdim, 'argmax');
  return argExtreme('argmax', x, a.dim as number | null | undefined, a.keepdim);
}

/** torch.argmin(x, dim=None, keepdim=False): int64 indices of the smallest values (of the flattened tensor without `dim`). */
export function argmin(x: Tensor, dim?: number | null | ReduceOptions, keepdim?: boolean): Tensor {
  const a = reduceArgs(dim as Dims | ReduceOptions, keepdim, 'argmin');
  return argExtreme('argmin', x, a.dim as number | null | undefined, a.keepdim);
}

/**
 * PyTorch's named tuple of values and indices (`torch.return_types.max` and its kin: min, sort,
 * topk, kthvalue, median, mode): `const [values, indices] = x.max(1)`, `r.values`, `r[0]`.
 * It prints as PyTorch prints it.
 */
export class ValuesIndices implements Iterable<Tensor> {
  /** The values (same as `values`). */
  readonly 0: Tensor;
  /** The indices (same as `indices`). */
  readonly 1: Tensor;
  /** Always 2, as for the tuple. */
  readonly length = 2;

  constructor(
    /** The values. */
    readonly values: Tensor,
    /** Their int64 indices. */
    readonly indices: Tensor,
    /** The op that made it ('max', 'sort', ...), shown when printed. */
    readonly op: string,
  ) {
    this[0] = values;
    this[1] = indices;
  }

  /** Yields values, then indices (array destructuring). */
  *[Symbol.iterator](): Iterator<Tensor> {
    yield this.values;
    yield this.indices;
  }

  /** PyTorch's repr: `torch.return_types.max(values=..., indices=...)` over three lines. */
  toString(): string {
    return `torch.return_types.${this.op}(\nvalues=${this.values.toString()},\nindices=${this.indices.toString()})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** max / min along one dim: the gradient flows to the index each value came from. */
function extremeAlong(op: 'max' | 'min', x: Tensor, dim: number, keepdim: boolean): ValuesIndices {
  const d = normalizeDim(dim, x.ndim, 'dim', op);
  const values = reduceKernel(op, x, [d], keepdim, x.dtype, op);
  const indices = reduceKernel(op === 'max' ? 'argmax' : 'argmin', x, [d], keepdim, 'int64');
  const inShape = x.shape;
  record(values, op === 'max' ? 'MaxBackward0' : 'MinBackward0', [x], [indices], ([g], [idx]) => {
    const positions = arange(inShape[d] ?? 1, { device: x.device }).view(inShape.map((s, i) => (i === d ? s : 1)));
    const hit = positions.eq(expandBack(idx!, inShape, [d], keepdim));
    return [where(hit, expandBack(g!, inShape, [d], keepdim), 0)];
  });
  return new ValuesIndices(values, indices, op);
}

/**
 * torch.max(x) (all elements) or torch.max(x, dim, keepdim) -> ValuesIndices (a named tuple:
 * `const [values, indices] = torch.max(x, 1)`).
 *
 * @remarks Differs from PyTorch: the elementwise form torch.max(a, b) is `maximum(a, b)`.
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number | ReduceOptions, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, dim?: number | ReduceOptions, keepdim?: boolean): Tensor | ValuesIndices {
  const a = reduceArgs(dim, keepdim, 'max');
  if (a.dim === undefined || a.dim === null) return extremeValues('max', x, reducedDims(x, null), false, 'MaxBackward1', 'max', true);
  return extremeAlong('max', x, a.dim as number, a.keepdim);
}

/**
 * torch.min(x) (all elements) or torch.min(x, dim, keepdim) -> ValuesIndices (a named tuple).
 *
 * @remarks Differs from PyTorch: the elementwise form torch.min(a, b) is `minimum(a, b)`.
 */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number | ReduceOptions, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, dim?: number | ReduceOptions, keepdim?: boolean): Tensor | ValuesIndices {
  const a = reduceArgs(dim, keepdim, 'min');
  if (a.dim === undefined || a.dim === null) return extremeValues('min', x, reducedDims(x, null), false, 'MinBackward1', 'min', true);
  return extremeAlong('min', x, a.dim as number, a.keepdim);
}

/** torch.any / torch.all: bool results. */
export function any(x: Tensor, dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor {
  const a = reduceArgs(dim, keepdim, 'any');
  return reduceKernel('any', x, reducedDims(x, a.dim, 'any'), a.keepdim, 'bool');
}

/** torch.all(x, dim=None, keepdim=False): whether every element (over `dim`) is nonzero, as bool. */
export function all(x: Tensor, dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor {
  const a = reduceArgs(dim, keepdim, 'all');
  return reduceKernel('all', x, reducedDims(x, a.dim, 'all'), a.keepdim, 'bool');
}
