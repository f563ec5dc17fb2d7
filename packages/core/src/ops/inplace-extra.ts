/**
 * More in-place ops, all through the one in-place driver (inplaceFrom: leaf and view checks,
 * version bump, CopySlices rebase): the unary twins (`exp_`, `sigmoid_`, ...), `pow_`, `lerp_`,
 * addcmul / addcdiv and their in-place forms; and the `new*` factories that take their dtype and
 * device from a tensor.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { isFloating, resultType } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { Tensor, type NestedArray } from '../tensor.js';
import { empty, full, ones, tensor, zeros, type ShapeArgs, type TensorOptions } from './creation.js';
import { inplaceFrom } from './inplace.js';
import { lerp } from './pointwise-extra.js';
import * as pw from './pointwise.js';
import { commonBackend, gradFor, record } from './support.js';
import type { TensorLike } from './pointwise.js';
import type { TypedArray } from '../dtype.js';

type UnaryName =
  | 'neg' | 'abs' | 'exp' | 'log' | 'sqrt' | 'relu' | 'sigmoid' | 'tanh' | 'sin' | 'cos' | 'tan' | 'asin' | 'acos' | 'atan'
  | 'sinh' | 'cosh' | 'asinh' | 'acosh' | 'atanh' | 'log1p' | 'expm1' | 'log2' | 'log10' | 'exp2' | 'rsqrt' | 'reciprocal'
  | 'square' | 'sign' | 'floor' | 'ceil' | 'round' | 'trunc' | 'erf' | 'logicalNot';

/** The in-place twin of a unary op: its result written back into x (whose dtype must hold it). */
function unaryInplace(name: UnaryName): (x: Tensor) => Tensor {
  const op = pw[name] as (x: Tensor) => Tensor;
  const savesSelf = pw.unarySavesInput(name);
  return (x) => inplaceFrom(x, [], savesSelf, op);
}

/** Tensor.neg_: negates in place. */ export const neg_ = unaryInplace('neg');
/** Tensor.abs_: absolute value in place. */ export const abs_ = unaryInplace('abs');
/** Tensor.exp_: e^x in place (floating tensors only). */ export const exp_ = unaryInplace('exp');
/** Tensor.log_: natural logarithm in place. */ export const log_ = unaryInplace('log');
/** Tensor.sqrt_: square root in place. */ export const sqrt_ = unaryInplace('sqrt');
/** Tensor.relu_: max(x, 0) in place. */ export const relu_ = unaryInplace('relu');
/** Tensor.sigmoid_: logistic sigmoid in place. */ export const sigmoid_ = unaryInplace('sigmoid');
/** Tensor.tanh_: hyperbolic tangent in place. */ export const tanh_ = unaryInplace('tanh');
/** Tensor.sin_: sine in place. */ export const sin_ = unaryInplace('sin');
/** Tensor.cos_: cosine in place. */ export const cos_ = unaryInplace('cos');
/** Tensor.tan_: tangent in place. */ export const tan_ = unaryInplace('tan');
/** Tensor.asin_: inverse sine in place. */ export const asin_ = unaryInplace('asin');
/** Tensor.acos_: inverse cosine in place. */ export const acos_ = unaryInplace('acos');
/** Tensor.atan_: inverse tangent in place. */ export const atan_ = unaryInplace('atan');
/** Tensor.sinh_: hyperbolic sine in place. */ export const sinh_ = unaryInplace('sinh');
/** Tensor.cosh_: hyperbolic cosine in place. */ export const cosh_ = unaryInplace('cosh');
/** Tensor.asinh_: inverse hyperbolic sine in place. */ export const asinh_ = unaryInplace('asinh');
/** Tensor.acosh_: inverse hyperbolic cosine in place. */ export const acosh_ = unaryInplace('acosh');
/** Tensor.atanh_: inverse hyperbolic tangent in place. */ export const atanh_ = unaryInplace('atanh');
/** Tensor.log1p_: log(1 + x) in place. */ export const log1p_ = unaryInplace('log1p');
/** Tensor.expm1_: e^x - 1 in place. */ export const expm1_ = unaryInplace('expm1');
/** Tensor.log2_: base-2 logarithm in place. */ export const log2_ = unaryInplace('log2');
/** Tensor.log10_: base-10 logarithm in place. */ export const log10_ = unaryInplace('log10');
/** Tensor.exp2_: 2^x in place. */ export const exp2_ = unaryInplace('exp2');
/** Tensor.rsqrt_: 1 / sqrt(x) in place. */ export const rsqrt_ = unaryInplace('rsqrt');
/** Tensor.reciprocal_: 1 / x in place. */ export const reciprocal_ = unaryInplace('reciprocal');
/** Tensor.square_: x * x in place. */ export const square_ = unaryInplace('square');
/** Tensor.sign_: -1, 0 or 1 by sign, in place. */ export const sign_ = unaryInplace('sign');
/** Tensor.floor_: rounds down in place. */ export const floor_ = unaryInplace('floor');
/** Tensor.ceil_: rounds up in place. */ export const ceil_ = unaryInplace('ceil');
/** Tensor.round_: rounds half to even in place. */ export const round_ = unaryInplace('round');
/** Tensor.trunc_: rounds toward zero in place. */ export const trunc_ = unaryInplace('trunc');
/** Tensor.erf_: the error function in place. */ export const erf_ = unaryInplace('erf');
/** Tensor.logical_not_: 1 where x is zero, else 0, in place (in x's dtype). */ export const logicalNot_ = unaryInplace('logicalNot');

/** Tensor.pow_(exponent): x ** exponent in place (a scalar or a broadcastable tensor). */
export function pow_(x: Tensor, exponent: TensorLike): Tensor {
  const e = exponent instanceof Tensor ? exponent : null;
  return inplaceFrom(x, [e], true, (s) => pw.pow(s, exponent));
}

/** Tensor.lerp_(end, weight): x + weight * (end - x), in place. */
export function lerp_(x: Tensor, end: Tensor, weight: TensorLike): Tensor {
  return inplaceFrom(x, [end, weight instanceof Tensor ? weight : null], true, (s) => lerp(s, end, weight));
}

// ------------------------------------------------------------------ addcmul / addcdiv

/** The `value` keyword of addcmul / addcdiv (the multiplier of the product or quotient). */
export interface AddcOptions {
  value?: number;
}

/**
 * torch.addcmul(input, tensor1, tensor2, { value = 1 }): input + value * tensor1 * tensor2,
 * broadcasting all three.
 */
export function addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, opts: AddcOptions = {}): Tensor {
  commonBackend(input, tensor1, tensor2);
  const dtype = resultType(input, tensor1, tensor2);
  // PyTorch casts `value` to the result dtype: integer results truncate it.
  const value = isFloating(dtype) ? opts.value ?? 1 : Math.trunc(opts.value ?? 1);
  const out = noGrad(() => pw.add(input.to(dtype), tensor1.to(dtype).mul(value).mul(tensor2.to(dtype))));
  record(out, 'AddcmulBackward0', [input, tensor1, tensor2], [tensor1, tensor2], ([g], [t1, t2], needs) => [
    needs[0] ? gradFor(g!, input) : null,
    needs[1] ? gradFor(g!.mul(t2!).mul(value), tensor1) : null,
    needs[2] ? gradFor(g!.mul(t1!).mul(value), tensor2) : null,
  ]);
  return out;
}

/**
 * torch.addcdiv(input, tensor1, tensor2, { value = 1 }): input + value * tensor1 / tensor2,
 * broadcasting all three; integer tensor1 / tensor2 are refused, as in PyTorch.
 */
export function addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, opts: AddcOptions = {}): Tensor {
  const value = opts.value ?? 1;
  commonBackend(input, tensor1, tensor2);
  if (!isFloating(tensor1.dtype) && !isFloating(tensor2.dtype)) {
    throw new RuntimeError('Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.');
  }
  const dtype = resultType(input, tensor1, tensor2);
  const out = noGrad(() => pw.add(input.to(dtype), tensor1.to(dtype).mul(value).div(tensor2.to(dtype))));
  record(out, 'AddcdivBackward0', [input, tensor1, tensor2], [tensor1, tensor2], ([g], [t1, t2], needs) => [
    needs[0] ? gradFor(g!, input) : null,
    needs[1] ? gradFor(g!.mul(value).div(t2!), tensor1) : null,
    needs[2] ? gradFor(g!.mul(-value).mul(t1!).div(t2!.mul(t2!)), tensor2) : null,
  ]);
  return out;
}

/** Tensor.addcmul_: addcmul in place (the broadcast shape must be x's). */
export function addcmul_(x: Tensor, tensor1: Tensor, tensor2: Tensor, opts: AddcOptions = {}): Tensor {
  return inplaceFrom(x, [tensor1, tensor2], false, (s) => sameShapeResult(s, addcmul(s, tensor1, tensor2, opts)));
}

/** Tensor.addcdiv_: addcdiv in place (the broadcast shape must be x's). */
export function addcdiv_(x: Tensor, tensor1: Tensor, tensor2: Tensor, opts: AddcOptions = {}): Tensor {
  return inplaceFrom(x, [tensor1, tensor2], false, (s) => sameShapeResult(s, addcdiv(s, tensor1, tensor2, opts)));
}

/** PyTorch's error when an in-place result would have to grow its target. */
function sameShapeResult(x: Tensor, r: Tensor): Tensor {
  if (r.shape.length !== x.shape.length || r.shape.some((s, i) => s !== x.shape[i])) {
    throw new RuntimeError(`output with shape [${x.shape.join(', ')}] doesn't match the broadcast shape [${r.shape.join(', ')}]`);
  }
  return r;
}

// ------------------------------------------------------------------ new_* factories

/** x's dtype and device unless the options say otherwise. */
function fromSelf(x: Tensor, opts: TensorOptions): TensorOptions {
  return { dtype: opts.dtype ?? x.dtype, device: opts.device ?? x.device, requiresGrad: opts.requiresGrad ?? false };
}

/** Splits `newZeros(2, 3, opts)` / `newZeros([2, 3], opts)` into the shape and the options. */
function shapeAndOptions(args: ShapeArgs): [(number | readonly number[])[], TensorOptions] {
  const last = args[args.length - 1];
  if (last !== undefined && typeof last === 'object' && !Array.isArray(last)) return [args.slice(0, -1) as (number | readonly number[])[], last as TensorOptions];
  return [args as (number | readonly number[])[], {}];
}

/** Tensor.new_zeros(size): zeros with x's dtype and device (options override). */
export function newZeros(x: Tensor, ...args: ShapeArgs): Tensor {
  const [shape, opts] = shapeAndOptions(args);
  return zeros(...shape, fromSelf(x, opts));
}

/** Tensor.new_ones(size): ones with x's dtype and device (options override). */
export function newOnes(x: Tensor, ...args: ShapeArgs): Tensor {
  const [shape, opts] = shapeAndOptions(args);
  return ones(...shape, fromSelf(x, opts));
}

/** Tensor.new_empty(size): unspecified contents with x's dtype and device (options override). */
export function newEmpty(x: Tensor, ...args: ShapeArgs): Tensor {
  const [shape, opts] = shapeAndOptions(args);
  return empty(...shape, fromSelf(x, opts));
}

/** Tensor.new_full(size, fillValue): `fillValue` everywhere, with x's dtype and device (options override). */
export function newFull(x: Tensor, size: readonly number[], fillValue: number | boolean, opts: TensorOptions = {}): Tensor {
  return full(size, fillValue, fromSelf(x, opts));
}

/** Tensor.new_tensor(data): a new tensor from data, with x's dtype and device (options override). */
export function newTensor(x: Tensor, data: NestedArray | TypedArray | BigInt64Array, opts: TensorOptions = {}): Tensor {
  return tensor(data, fromSelf(x, opts));
}
