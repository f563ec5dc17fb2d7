/**
 * Installs the matrix ops (diagonal, diag, trace, cross, kron, rot90, ...), scatterReduce, the in-place
 * unary twins, addcmul / addcdiv and the new* factories as Tensor methods, declaring them on
 * the Tensor interface.
 */
import { Tensor } from '../tensor.js';
import * as ie from './inplace-extra.js';
import * as mx from './matrix.js';
import * as sr from './scatter-reduce.js';
import type { TypedArray } from '../dtype.js';
import type { ShapeArgs, TensorOptions } from './creation.js';
import type { AddcOptions } from './inplace-extra.js';
import type { CrossOptions, DiagonalDimsOptions, Rot90Options } from './matrix.js';
import type { TensorLike } from './pointwise.js';
import type { ScatterReduce, ScatterReduceOptions } from './scatter-reduce.js';

type InPlace = () => Tensor;

declare module '../tensor.js' {
  interface Tensor {
    // matrix ops
    /** The `offset`-th diagonal of the planes (dim1, dim2), as a view. */
    diagonal(...args: (number | DiagonalDimsOptions)[]): Tensor;
    /** This tensor's last dim placed on the diagonal of new planes (dim1, dim2). */
    diagEmbed(...args: (number | DiagonalDimsOptions)[]): Tensor;
    /** Vector to diagonal matrix, or matrix to its diagonal (a copy). */
    diag(diagonal?: number | { diagonal?: number }): Tensor;
    /** The sum of the main diagonal of a matrix. */
    trace(): Tensor;
    /** Cross product of 3-vectors along `dim` (default: the first dim of size 3). */
    cross(other: Tensor, dim?: number | null | CrossOptions): Tensor;
    /** Kronecker product. */
    kron(other: Tensor): Tensor;
    /** Rotation by 90 degrees k times in the plane of `dims`. */
    rot90(...args: (number | readonly number[] | Rot90Options)[]): Tensor;
    // scatter
    /** A copy with src reduced into the indexed places along dim ('sum', 'prod', 'mean', 'amax', 'amin'). */
    scatterReduce(dim: number, index: Tensor, src: Tensor, reduce: ScatterReduce, opts?: ScatterReduceOptions): Tensor;
    /** scatterReduce in place. */
    scatterReduce_(dim: number, index: Tensor, src: Tensor, reduce: ScatterReduce, opts?: ScatterReduceOptions): Tensor;
    // in place
    /** neg in place. */ neg_: InPlace;
    /** abs in place. */ abs_: InPlace;
    /** exp in place. */ exp_: InPlace;
    /** log in place. */ log_: InPlace;
    /** sqrt in place. */ sqrt_: InPlace;
    /** relu in place. */ relu_: InPlace;
    /** sigmoid in place. */ sigmoid_: InPlace;
    /** tanh in place. */ tanh_: InPlace;
    /** sin in place. */ sin_: InPlace;
    /** cos in place. */ cos_: InPlace;
    /** tan in place. */ tan_: InPlace;
    /** asin in place. */ asin_: InPlace;
    /** acos in place. */ acos_: InPlace;
    /** atan in place. */ atan_: InPlace;
    /** sinh in place. */ sinh_: InPlace;
    /** cosh in place. */ cosh_: InPlace;
    /** asinh in place. */ asinh_: InPlace;
    /** acosh in place. */ acosh_: InPlace;
    /** atanh in place. */ atanh_: InPlace;
    /** log1p in place. */ log1p_: InPlace;
    /** expm1 in place. */ expm1_: InPlace;
    /** log2 in place. */ log2_: InPlace;
    /** log10 in place. */ log10_: InPlace;
    /** exp2 in place. */ exp2_: InPlace;
    /** rsqrt in place. */ rsqrt_: InPlace;
    /** reciprocal in place. */ reciprocal_: InPlace;
    /** square in place. */ square_: InPlace;
    /** sign in place. */ sign_: InPlace;
    /** floor in place. */ floor_: InPlace;
    /** ceil in place. */ ceil_: InPlace;
    /** round in place. */ round_: InPlace;
    /** trunc in place. */ trunc_: InPlace;
    /** erf in place. */ erf_: InPlace;
    /** logicalNot in place (0 / 1 in this tensor's dtype). */ logicalNot_: InPlace;
    /** this ** exponent, in place. */
    pow_(exponent: TensorLike): Tensor;
    /** this + weight * (end - this), in place. */
    lerp_(end: Tensor, weight: TensorLike): Tensor;
    /** this + value * tensor1 * tensor2. */
    addcmul(tensor1: Tensor, tensor2: Tensor, opts?: AddcOptions): Tensor;
    /** addcmul in place. */
    addcmul_(tensor1: Tensor, tensor2: Tensor, opts?: AddcOptions): Tensor;
    /** this + value * tensor1 / tensor2. */
    addcdiv(tensor1: Tensor, tensor2: Tensor, opts?: AddcOptions): Tensor;
    /** addcdiv in place. */
    addcdiv_(tensor1: Tensor, tensor2: Tensor, opts?: AddcOptions): Tensor;
    // factories
    /** Zeros of the given size with this tensor's dtype and device (options override). */
    newZeros(...size: ShapeArgs): Tensor;
    /** Ones of the given size with this tensor's dtype and device (options override). */
    newOnes(...size: ShapeArgs): Tensor;
    /** An uninitialized tensor of the given size with this tensor's dtype and device. */
    newEmpty(...size: ShapeArgs): Tensor;
    /** `fillValue` everywhere, with this tensor's dtype and device (options override). */
    newFull(size: readonly number[], fillValue: number | boolean, opts?: TensorOptions): Tensor;
    /** A tensor from data with this tensor's dtype and device (options override). */
    newTensor(data: NestedArray | TypedArray | BigInt64Array, opts?: TensorOptions): Tensor;
  }
}

/** Binds `fn(x, ...args)` as `x.name(...args)`. */
function method<A extends unknown[], R>(fn: (x: Tensor, ...args: A) => R): (this: Tensor, ...args: A) => R {
  return function (this: Tensor, ...args: A): R {
    return fn(this, ...args);
  };
}

const inplaceUnary = [
  'neg_', 'abs_', 'exp_', 'log_', 'sqrt_', 'relu_', 'sigmoid_', 'tanh_', 'sin_', 'cos_', 'tan_', 'asin_', 'acos_', 'atan_',
  'sinh_', 'cosh_', 'asinh_', 'acosh_', 'atanh_', 'log1p_', 'expm1_', 'log2_', 'log10_', 'exp2_', 'rsqrt_', 'reciprocal_',
  'square_', 'sign_', 'floor_', 'ceil_', 'round_', 'trunc_', 'erf_', 'logicalNot_',
] as const;

const methods: Record<string, unknown> = {};
for (const name of inplaceUnary) methods[name] = method(ie[name]);
Object.assign(Tensor.prototype, methods, {
  diagonal: method(mx.diagonal), diagEmbed: method(mx.diagEmbed), diag: method(mx.diag), trace: method(mx.trace),
  cross: method(mx.cross), kron: method(mx.kron), rot90: method(mx.rot90),
  scatterReduce: method(sr.scatterReduce), scatterReduce_: method(sr.scatterReduce_),
  pow_: method(ie.pow_), lerp_: method(ie.lerp_), addcmul: method(ie.addcmul), addcmul_: method(ie.addcmul_),
  addcdiv: method(ie.addcdiv), addcdiv_: method(ie.addcdiv_),
  newZeros: method(ie.newZeros), newOnes: method(ie.newOnes), newEmpty: method(ie.newEmpty), newFull: method(ie.newFull),
  newTensor: method(ie.newTensor),
});
