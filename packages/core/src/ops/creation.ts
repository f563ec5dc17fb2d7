/** Factory functions: tensor, zeros, ones, full, empty, the *Like variants, arange, linspace, eye. */
import type { Backend } from '../backend/backend.js';
import { getBackend, getDefaultDevice } from '../backend/registry.js';
import { checkInt, checkOptions, checkShape, isPlainObject, pyTypeName } from '../args.js';
import { allocArray, castScalar, isFloating, isIntegral, type DType, type TypedArray } from '../dtype.js';
import { RuntimeError, TypeError, ValueError } from '../errors.js';
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

/** The keys of TensorOptions, for checkOptions. */
export const TENSOR_OPTION_KEYS = ['dtype', 'device', 'requiresGrad'] as const;

/**
 * @internal A factory's size (varargs or one array, checked by checkShape) and its trailing
 * options object (checked against `keys`).
 */
export function sizeAndOptions<O extends object>(fn: string, args: readonly unknown[], keys: readonly (keyof O & string)[]): [number[], O] {
  let opts = {} as O;
  const last = args[args.length - 1];
  if (isPlainObject(last)) {
    opts = checkOptions(fn, last as O, keys);
    args = args.slice(0, -1);
  }
  const shape = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  return [[...checkShape(shape, fn)], opts];
}

function splitShapeArgs(fn: string, args: ShapeArgs): [number[], TensorOptions] {
  return sizeAndOptions<TensorOptions>(fn, args, TENSOR_OPTION_KEYS);
}

/** The largest magnitude an int64 stored as float64 may hold (2^63, exclusive). */
const INT64_LIMIT = 2 ** 63;

/**
 * @internal `v` rounded to what a `dtype` storage holds; PyTorch's overflow error for values an
 * integer dtype cannot hold (NaN and infinities included). `cType` is the C type PyTorch's
 * message names ('int32' from torch.tensor, 'int' / 'int64_t' from fill and full).
 */
export function storedValue(v: number, dtype: DType, cType: string = dtype): number {
  if (isIntegral(dtype)) {
    const limit = dtype === 'int32' ? 2 ** 31 : INT64_LIMIT;
    const t = Math.trunc(v);
    if (!(t >= -limit && t < limit)) throw new RuntimeError(`value cannot be converted to type ${cType} without overflow`);
  }
  return castScalar(v, dtype);
}

/** PyTorch's C type names for fill / full's overflow message. */
export function fillCType(dtype: DType): string {
  return dtype === 'int32' ? 'int' : 'int64_t';
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
 * BigInt64Array: int64, Uint8Array: bool); `dtype` overrides. As in PyTorch, ragged lists,
 * non-numeric elements (strings, null, undefined, holes, objects) and self-referencing arrays
 * are errors; into an integer dtype, fractions truncate toward zero and values out of its range
 * (NaN and infinities included) raise PyTorch's overflow error; into bool, any nonzero (NaN too)
 * is true.
 *
 * @remarks Differs from PyTorch: plain numbers always give float32, even integers
 * (`torch.tensor([1, 2])` is int64 in PyTorch); pass `{ dtype: 'int64' }` or a BigInt64Array.
 */
export function tensor(data: NestedArray | TypedArray | BigInt64Array, opts: TensorOptions = {}): Tensor {
  checkOptions('tensor', opts, TENSOR_OPTION_KEYS);
  if (ArrayBuffer.isView(data)) {
    const src = data as TypedArray | BigInt64Array;
    const dtype = opts.dtype ?? dtypeOfArray(src);
    const values = allocArray(dtype, src.length);
    for (let i = 0; i < src.length; i++) values[i] = storedValue(Number(src[i]), dtype);
    return fromArray(values, [src.length], dtype, opts);
  }
  const { shape, flat, sawBool, sawNumber } = flattenData(data);
  const dtype = opts.dtype ?? (sawBool && !sawNumber ? 'bool' : 'float32');
  const values = allocArray(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) values[i] = storedValue(+flat[i]!, dtype);
  return fromArray(values, shape, dtype, opts);
}

/**
 * Nested data's shape (from the first element at each depth) and its values in row-major order,
 * with PyTorch's errors for ragged lists, non-numeric elements and self-referencing arrays.
 */
function flattenData(data: unknown): { shape: number[]; flat: (number | boolean)[]; sawBool: boolean; sawNumber: boolean } {
  const shape: number[] = [];
  const path = new Set<unknown>();
  for (let d: unknown = data; Array.isArray(d); d = d[0]) {
    if (path.has(d)) throw new TypeError('new(): self-referential lists are incompatible');
    path.add(d);
    shape.push(d.length);
    if (d.length === 0) break;
  }
  const flat: (number | boolean)[] = [];
  let sawBool = false, sawNumber = false;
  const open = new Set<unknown>();
  const walk = (d: unknown, dim: number): void => {
    if (dim === shape.length) {
      if (typeof d === 'number') sawNumber = true;
      else if (typeof d === 'boolean') sawBool = true;
      else if (Array.isArray(d)) {
        throw open.has(d) ? new TypeError('new(): self-referential lists are incompatible') : new ValueError(`expected a number at dim ${dim} but got a sequence`);
      }
      else if (typeof d === 'string') throw new TypeError(`new(): invalid data type '${pyTypeName(d)}'`);
      else throw new RuntimeError(`Could not infer dtype of ${d === undefined ? 'undefined (a hole or a missing value)' : pyTypeName(d)}`);
      flat.push(d);
      return;
    }
    if (!Array.isArray(d)) {
      if (typeof d === 'number' || typeof d === 'boolean') throw new TypeError(`not a sequence: expected sequence of length ${shape[dim]} at dim ${dim} (got ${pyTypeName(d)})`);
      throw typeof d === 'string' ? new TypeError(`new(): invalid data type '${pyTypeName(d)}'`) : new RuntimeError(`Could not infer dtype of ${pyTypeName(d)}`);
    }
    if (open.has(d)) throw new TypeError('new(): self-referential lists are incompatible');
    if (d.length !== shape[dim]) throw new ValueError(`expected sequence of length ${shape[dim]} at dim ${dim} (got ${d.length})`);
    open.add(d);
    // An indexed loop, so holes are seen as undefined (for...of would do the same; forEach would skip them).
    for (let i = 0; i < d.length; i++) walk(d[i], dim + 1);
    open.delete(d);
  };
  walk(data, 0);
  return { shape, flat, sawBool, sawNumber };
}

/** A tensor of `shape` filled with `value`. */
function filled(shape: number[], value: number, opts: TensorOptions, dtype: DType): Tensor {
  const backend = backendOf(opts);
  const t = Tensor.empty(shape, dtype, backend);
  backend.fill(t, storedValue(value, dtype, fillCType(dtype)));
  return finish(t, opts);
}

/** torch.zeros(*size, dtype=, device=, requires_grad=). */
export function zeros(...args: ShapeArgs): Tensor {
  const [shape, opts] = splitShapeArgs('zeros', args);
  return filled(shape, 0, opts, opts.dtype ?? 'float32');
}

/** torch.ones. */
export function ones(...args: ShapeArgs): Tensor {
  const [shape, opts] = splitShapeArgs('ones', args);
  return filled(shape, 1, opts, opts.dtype ?? 'float32');
}

/** torch.empty: contents unspecified (in practice zeros or recycled memory). */
export function empty(...args: ShapeArgs): Tensor {
  const [shape, opts] = splitShapeArgs('empty', args);
  const backend = backendOf(opts);
  return finish(Tensor.empty(shape, opts.dtype ?? 'float32', backend), opts);
}

/**
 * torch.full(size, fill_value): a number gives float32 and a boolean bool, unless `dtype` is
 * given (then the value must fit it: NaN or an out-of-range value into an integer dtype is
 * PyTorch's overflow error).
 *
 * @remarks Differs from PyTorch: a number fill gives float32 even when it is integral (as
 * `tensor` does: JavaScript has no `2.0`); PyTorch gives int64 for a Python int such as `2`.
 * Pass `{ dtype: 'int64' }` for that.
 */
export function full(shape: readonly number[], value: number | boolean, opts: TensorOptions = {}): Tensor {
  const [s] = splitShapeArgs('full', [shape]);
  checkOptions('full', opts, TENSOR_OPTION_KEYS);
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw new TypeError(`full(): argument 'fill_value' (position 2) must be Number, not ${pyTypeName(value)}`);
  }
  const dtype = opts.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  return filled(s, +value, opts, dtype);
}

function likeOpts(fn: string, t: Tensor, opts: TensorOptions): TensorOptions {
  checkOptions(fn, opts, TENSOR_OPTION_KEYS);
  return { dtype: opts.dtype ?? t.dtype, device: opts.device ?? t.device, requiresGrad: opts.requiresGrad ?? false };
}

/** torch.zeros_like(t): zeros with t's shape, dtype and device (options override). */
export function zerosLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return zeros([...t.shape], likeOpts('zeros_like', t, opts));
}

/** torch.ones_like(t): ones with t's shape, dtype and device (options override). */
export function onesLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return ones([...t.shape], likeOpts('ones_like', t, opts));
}

/** torch.empty_like(t): unspecified contents with t's shape, dtype and device. */
export function emptyLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return empty([...t.shape], likeOpts('empty_like', t, opts));
}

/** torch.full_like(t, value): `value` everywhere, with t's shape, dtype and device. */
export function fullLike(t: Tensor, value: number | boolean, opts: TensorOptions = {}): Tensor {
  return full([...t.shape], value, likeOpts('full_like', t, opts));
}

/** A number argument of arange / linspace: PyTorch's TypeError for anything else. */
function numberArg(fn: string, v: unknown, name: string, pos: number): number {
  if (typeof v !== 'number') throw new TypeError(`${fn}(): argument '${name}' (position ${pos}) must be Number, not ${pyTypeName(v)}`);
  return v;
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
  const opts = checkOptions('arange', (isPlainObject(args[args.length - 1]) ? args.pop() : {}) as TensorOptions, TENSOR_OPTION_KEYS);
  if (args.length === 0 || args.length > 3) throw new TypeError(`arange() takes 1 to 3 positional arguments but ${args.length} were given`);
  const names = args.length === 1 ? ['end'] : ['start', 'end', 'step'];
  const nums = args.map((a, i) => numberArg('arange', a, names[i]!, i + 1));
  const [start, end, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
  if (step === 0 || Number.isNaN(step)) throw new RuntimeError('step must be nonzero');
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new RuntimeError(`unsupported range: ${pyNumber(start)} -> ${pyNumber(end)}`);
  if ((end - start) / step < 0) throw new RuntimeError('upper bound and larger bound inconsistent with step sign');
  const dtype = opts.dtype ?? (nums.every(Number.isInteger) ? 'int64' : 'float32');
  const n = Math.ceil((end - start) / step);
  const values = allocArray(dtype, n);
  for (let i = 0; i < n; i++) values[i] = castScalar(start + i * step, dtype);
  return fromArray(values, [n], dtype, opts);
}

/** A number as Python prints it in messages (nan, inf, -inf). */
function pyNumber(v: number): string {
  return Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v);
}

/** torch.linspace(start, end, steps): evenly spaced, computed from both ends like PyTorch. */
export function linspace(start: number, end: number, steps: number, opts: TensorOptions = {}): Tensor {
  checkOptions('linspace', opts, TENSOR_OPTION_KEYS);
  numberArg('linspace', start, 'start', 1);
  numberArg('linspace', end, 'end', 2);
  checkInt(steps, 'steps', 'linspace');
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
  if (isPlainObject(m)) { opts = m; m = n; }
  checkOptions('eye', opts, TENSOR_OPTION_KEYS);
  const rows = checkInt(n, 'n', 'eye'), cols = checkInt(m, 'm', 'eye');
  if (rows < 0) throw new RuntimeError(`n must be greater or equal to 0, got ${rows}`);
  if (cols < 0) throw new RuntimeError(`m must be greater or equal to 0, got ${cols}`);
  const dtype = opts.dtype ?? 'float32';
  const values = allocArray(dtype, rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) values[i * cols + i] = 1;
  return fromArray(values, [rows, cols], dtype, opts);
}

/** @internal A tensor from a typed array of `dtype`'s storage type, on `backend`. */
export function fromValues(values: TypedArray, shape: readonly number[], dtype: DType, backend: Backend): Tensor {
  if (values.length !== numel(shape)) throw new RuntimeError('values do not match the shape');
  return Tensor.own(backend.fromArray(dtype, values), dtype, shape, backend);
}
