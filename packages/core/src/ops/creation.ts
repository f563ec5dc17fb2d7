/** Factory functions: tensor, zeros, ones, full, empty, the *Like variants, arange, linspace, eye. */
import type { Backend } from '../backend/backend.js';
import { getBackend, getDefaultDevice } from '../backend/registry.js';
import { allocArray, castScalar, isFloating, type DType, type TypedArray } from '../dtype.js';
import { RuntimeError, ValueError } from '../errors.js';
import { numel } from '../shape.js';
import { Tensor, type NestedArray } from '../tensor.js';

/** Options of the factory functions. */
export interface TensorOptions {
  dtype?: DType;
  /** Device name; default: the default device (see setDefaultDevice). */
  device?: string;
  requiresGrad?: boolean;
}

/** Shape arguments as varargs or an array, optionally followed by options. */
export type ShapeArgs = (number | readonly number[] | TensorOptions)[];

function splitShapeArgs(args: ShapeArgs): [number[], TensorOptions] {
  let opts: TensorOptions = {};
  const last = args[args.length - 1];
  if (last !== undefined && typeof last === 'object' && !Array.isArray(last)) {
    opts = last as TensorOptions;
    args = args.slice(0, -1);
  }
  const shape = args.length === 1 && Array.isArray(args[0]) ? [...(args[0] as number[])] : (args as number[]);
  for (const s of shape) if (!Number.isInteger(s) || s < 0) throw new RuntimeError(`Trying to create tensor with negative dimension ${s}: [${shape.join(', ')}]`);
  return [shape, opts];
}

function backendOf(opts: TensorOptions): Backend {
  return getBackend(opts.device ?? getDefaultDevice());
}

function finish(t: Tensor, opts: TensorOptions): Tensor {
  if (opts.requiresGrad) {
    if (!isFloating(t.dtype)) throw new RuntimeError('Only Tensors of floating point and complex dtype can require gradients');
    t._requiresGrad = true;
  }
  return t;
}

function fromArray(values: TypedArray, shape: number[], dtype: DType, opts: TensorOptions): Tensor {
  const backend = backendOf(opts);
  return finish(Tensor.own(backend.fromArray(dtype, values), dtype, shape, backend), opts);
}

function dtypeOfArray(a: TypedArray | BigInt64Array): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof BigInt64Array) return 'int64';
  return 'bool';
}

/**
 * torch.tensor: a new tensor from nested arrays of numbers or booleans, a typed array, or a
 * scalar. Numbers give float32 (like torch.Tensor: JavaScript has no int/float split), booleans
 * give bool, typed arrays keep their type (Float64Array: float64, Int32Array: int32,
 * BigInt64Array: int64, Uint8Array: bool); `dtype` overrides.
 *
 * @remarks Differs from PyTorch: plain numbers always give float32, even integers
 * (`torch.tensor([1, 2])` is int64 in PyTorch); pass `{ dtype: 'int64' }` or a BigInt64Array.
 */
export function tensor(data: NestedArray | TypedArray | BigInt64Array, opts: TensorOptions = {}): Tensor {
  if (ArrayBuffer.isView(data)) {
    const src = data as TypedArray | BigInt64Array;
    const dtype = opts.dtype ?? dtypeOfArray(src);
    const values = allocArray(dtype, src.length);
    for (let i = 0; i < src.length; i++) values[i] = castScalar(Number(src[i]), dtype);
    return fromArray(values, [src.length], dtype, opts);
  }
  const shape: number[] = [];
  for (let d: NestedArray = data; Array.isArray(d); d = d[0]!) {
    shape.push(d.length);
    if (d.length === 0) break;
  }
  const flat: (number | boolean)[] = [];
  let sawBool = false, sawNumber = false;
  const walk = (d: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (Array.isArray(d)) throw new ValueError(`expected a number at dim ${dim} but got a sequence`);
      if (typeof d === 'boolean') sawBool = true; else sawNumber = true;
      flat.push(d);
      return;
    }
    if (!Array.isArray(d) || d.length !== shape[dim]) {
      throw new ValueError(`expected sequence of length ${shape[dim]} at dim ${dim} (got ${Array.isArray(d) ? d.length : 'a number'})`);
    }
    for (const e of d) walk(e, dim + 1);
  };
  walk(data, 0);
  const dtype = opts.dtype ?? (sawBool && !sawNumber ? 'bool' : 'float32');
  const values = allocArray(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) values[i] = castScalar(+flat[i]!, dtype);
  return fromArray(values, shape, dtype, opts);
}

/** A tensor of `shape` filled with `value`. */
function filled(shape: number[], value: number, opts: TensorOptions, dtype: DType): Tensor {
  const backend = backendOf(opts);
  const t = Tensor.empty(shape, dtype, backend);
  backend.fill(t, castScalar(value, dtype));
  return finish(t, opts);
}

/** torch.zeros(*size, dtype=, device=, requires_grad=). */
export function zeros(...args: ShapeArgs): Tensor {
  const [shape, opts] = splitShapeArgs(args);
  return filled(shape, 0, opts, opts.dtype ?? 'float32');
}

/** torch.ones. */
export function ones(...args: ShapeArgs): Tensor {
  const [shape, opts] = splitShapeArgs(args);
  return filled(shape, 1, opts, opts.dtype ?? 'float32');
}

/** torch.empty: contents unspecified (in practice zeros or recycled memory). */
export function empty(...args: ShapeArgs): Tensor {
  const [shape, opts] = splitShapeArgs(args);
  const backend = backendOf(opts);
  return finish(Tensor.empty(shape, opts.dtype ?? 'float32', backend), opts);
}

/**
 * torch.full(size, fill_value): dtype from the value (bool, int64 or float32) unless given.
 *
 * @remarks Differs from PyTorch: an integral number (`2.0` included, which JS cannot tell from
 * `2`) gives int64; PyTorch gives float32 for `2.0`.
 */
export function full(shape: readonly number[], value: number | boolean, opts: TensorOptions = {}): Tensor {
  const [s] = splitShapeArgs([shape]);
  const dtype = opts.dtype ?? (typeof value === 'boolean' ? 'bool' : Number.isInteger(value) ? 'int64' : 'float32');
  return filled(s, +value, opts, dtype);
}

function likeOpts(t: Tensor, opts: TensorOptions): TensorOptions {
  return { dtype: opts.dtype ?? t.dtype, device: opts.device ?? t.device, requiresGrad: opts.requiresGrad ?? false };
}

/** torch.zeros_like(t): zeros with t's shape, dtype and device (options override). */
export function zerosLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return zeros([...t.shape], likeOpts(t, opts));
}

/** torch.ones_like(t): ones with t's shape, dtype and device (options override). */
export function onesLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return ones([...t.shape], likeOpts(t, opts));
}

/** torch.empty_like(t): unspecified contents with t's shape, dtype and device. */
export function emptyLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return empty([...t.shape], likeOpts(t, opts));
}

/** torch.full_like(t, value): `value` everywhere, with t's shape, dtype and device. */
export function fullLike(t: Tensor, value: number | boolean, opts: TensorOptions = {}): Tensor {
  return full([...t.shape], value, likeOpts(t, opts));
}

/**
 * torch.arange(end) / arange(start, end, step): int64 when every argument is an integer,
 * float32 otherwise (unless `dtype` is given).
 *
 * @remarks Differs from PyTorch: `arange(5.0)` is int64 (JS cannot tell `5.0` from `5`).
 */
export function arange(end: number, opts?: TensorOptions): Tensor;
export function arange(start: number, end: number, opts?: TensorOptions): Tensor;
export function arange(start: number, end: number, step: number, opts?: TensorOptions): Tensor;
export function arange(...args: (number | TensorOptions | undefined)[]): Tensor {
  const opts = (typeof args[args.length - 1] === 'object' ? args.pop() : {}) as TensorOptions;
  const nums = args.filter((a): a is number => typeof a === 'number');
  const [start, end, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
  if (step === 0) throw new RuntimeError('step must be nonzero');
  if ((end - start) / step < 0) throw new RuntimeError('upper bound and larger bound inconsistent with step sign');
  const dtype = opts.dtype ?? (nums.every(Number.isInteger) ? 'int64' : 'float32');
  const n = Math.ceil((end - start) / step);
  const values = allocArray(dtype, n);
  for (let i = 0; i < n; i++) values[i] = castScalar(start + i * step, dtype);
  return fromArray(values, [n], dtype, opts);
}

/** torch.linspace(start, end, steps): evenly spaced, computed from both ends like PyTorch. */
export function linspace(start: number, end: number, steps: number, opts: TensorOptions = {}): Tensor {
  if (steps < 0) throw new RuntimeError('number of steps must be non-negative');
  const dtype = opts.dtype ?? 'float32';
  const values = allocArray(dtype, steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) values[i] = castScalar(i < half ? start + i * step : end - (steps - 1 - i) * step, dtype);
  return fromArray(values, [steps], dtype, opts);
}

/** torch.eye(n, m=n). */
export function eye(n: number, m: number | TensorOptions = n, opts: TensorOptions = {}): Tensor {
  if (typeof m === 'object') { opts = m; m = n; }
  const dtype = opts.dtype ?? 'float32';
  const values = allocArray(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) values[i * m + i] = 1;
  return fromArray(values, [n, m], dtype, opts);
}

/** @internal A tensor from a typed array of `dtype`'s storage type, on `backend`. */
export function fromValues(values: TypedArray, shape: readonly number[], dtype: DType, backend: Backend): Tensor {
  if (values.length !== numel(shape)) throw new RuntimeError('values do not match the shape');
  return Tensor.own(backend.fromArray(dtype, values), dtype, shape, backend);
}
