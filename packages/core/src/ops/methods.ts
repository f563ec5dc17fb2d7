/**
 * Installs the ops as Tensor methods (`x.add(y)` for `torch.add(x, y)`), with their types
 * declared on the Tensor interface. Every method here delegates to the function of the same name.
 */
import type { DType } from '../dtype.js';
import { Tensor } from '../tensor.js';
import * as conv from './convert.js';
import * as inplace from './inplace.js';
import * as la from './linalg.js';
import * as pw from './pointwise.js';
import * as red from './reduce.js';
import * as v from './views.js';
import type { AlphaOptions, TensorLike } from './pointwise.js';
import type { Dims, ReduceOptions, ValuesIndices } from './reduce.js';
import type { IndexItem } from './views.js';
import type { ToOptions } from './convert.js';

type ShapeArg = number | readonly number[];
type Unary = () => Tensor;

declare module '../tensor.js' {
  interface Tensor {
    // pointwise
    neg: Unary; abs: Unary; exp: Unary; log: Unary; sqrt: Unary; relu: Unary; sigmoid: Unary; tanh: Unary;
    sin: Unary; cos: Unary; tan: Unary; asin: Unary; acos: Unary; atan: Unary; sinh: Unary; cosh: Unary;
    asinh: Unary; acosh: Unary; atanh: Unary; log1p: Unary; expm1: Unary; log2: Unary; log10: Unary; exp2: Unary;
    rsqrt: Unary; reciprocal: Unary; square: Unary; sign: Unary; floor: Unary; ceil: Unary; round: Unary;
    trunc: Unary; erf: Unary; silu: Unary; logicalNot: Unary;
    /** GELU (exact, or the tanh approximation). */
    gelu(opts?: { approximate?: 'none' | 'tanh' }): Tensor;
    /** this + alpha * other, broadcasting. */
    add(other: TensorLike, opts?: AlphaOptions): Tensor;
    /** this - alpha * other, broadcasting. */
    sub(other: TensorLike, opts?: AlphaOptions): Tensor;
    mul(other: TensorLike): Tensor;
    /** True division (or rounding_mode 'trunc' / 'floor'). */
    div(other: TensorLike, opts?: { roundingMode?: 'trunc' | 'floor' | null }): Tensor;
    pow(exponent: TensorLike): Tensor;
    maximum(other: Tensor): Tensor;
    minimum(other: Tensor): Tensor;
    eq(other: TensorLike): Tensor; ne(other: TensorLike): Tensor; lt(other: TensorLike): Tensor;
    le(other: TensorLike): Tensor; gt(other: TensorLike): Tensor; ge(other: TensorLike): Tensor;
    logicalAnd(other: TensorLike): Tensor; logicalOr(other: TensorLike): Tensor; logicalXor(other: TensorLike): Tensor;
    /** torch.equal: same shape and values. */
    equal(other: Tensor): boolean;
    /** torch.where(condition, this, other). */
    where(condition: Tensor, other: TensorLike): Tensor;
    // reductions
    sum(dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor;
    mean(dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor;
    prod(dim?: number | ReduceOptions, keepdim?: boolean): Tensor;
    amax(dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor;
    amin(dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor;
    argmax(dim?: number | null | ReduceOptions, keepdim?: boolean): Tensor;
    argmin(dim?: number | null | ReduceOptions, keepdim?: boolean): Tensor;
    /** The largest element, or { values, indices } along a dim. */
    max(): Tensor;
    max(dim: number | ReduceOptions, keepdim?: boolean): ValuesIndices;
    /** The smallest element, or { values, indices } along a dim. */
    min(): Tensor;
    min(dim: number | ReduceOptions, keepdim?: boolean): ValuesIndices;
    any(dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor;
    all(dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor;
    // linear algebra
    matmul(other: Tensor): Tensor; mm(other: Tensor): Tensor; bmm(other: Tensor): Tensor; dot(other: Tensor): Tensor;
    /** Matrix-vector product (torch.mv). */
    mv(vec: Tensor): Tensor;
    // views
    view(...shape: ShapeArg[]): Tensor;
    reshape(...shape: ShapeArg[]): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    permute(...dims: ShapeArg[]): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    t(): Tensor;
    expand(...shape: ShapeArg[]): Tensor;
    expandAs(other: Tensor): Tensor;
    squeeze(dim?: number): Tensor;
    unsqueeze(dim: number): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    select(dim: number, index: number): Tensor;
    /** Basic indexing: `x.index(0, [1, 3], null, '...')` or `x.index('0, 1:3, None, ...')`. */
    index(...items: (IndexItem | string)[]): Tensor;
    clone(): Tensor;
    contiguous(): Tensor;
    // conversion
    /** Another device and/or dtype: `to('workers')`, `to('float64')`, `to({ device, dtype })`. */
    to(target: string | Tensor | ToOptions): Tensor;
    float: Unary; double: Unary; long: Unary; int: Unary; bool: Unary;
    /** Shorthand for `to({ dtype })`. */
    type(dtype: DType): Tensor;
    // in place
    add_(other: TensorLike, opts?: AlphaOptions): Tensor;
    sub_(other: TensorLike, opts?: AlphaOptions): Tensor;
    mul_(other: TensorLike): Tensor;
    div_(other: TensorLike): Tensor;
    fill_(value: number | boolean): Tensor;
    zero_(): Tensor;
    copy_(src: Tensor): Tensor;
  }
}

type Method = (this: Tensor, ...args: never[]) => unknown;

/** Binds `fn(x, ...args)` as `x.name(...args)`. */
function method<A extends unknown[], R>(fn: (x: Tensor, ...args: A) => R): (this: Tensor, ...args: A) => R {
  return function (this: Tensor, ...args: A): R {
    return fn(this, ...args);
  };
}

const pointwiseNames = [
  'neg', 'abs', 'exp', 'log', 'sqrt', 'relu', 'sigmoid', 'tanh', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan',
  'sinh', 'cosh', 'asinh', 'acosh', 'atanh', 'log1p', 'expm1', 'log2', 'log10', 'exp2', 'rsqrt', 'reciprocal',
  'square', 'sign', 'floor', 'ceil', 'round', 'trunc', 'erf', 'silu', 'logicalNot',
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge',
  'logicalAnd', 'logicalOr', 'logicalXor', 'equal', 'gelu',
] as const;

const methods: Record<string, Method> = {};
for (const name of pointwiseNames) methods[name] = method(pw[name] as (x: Tensor, ...a: never[]) => unknown);
Object.assign(methods, {
  where: method((x: Tensor, cond: Tensor, other: TensorLike) => pw.where(cond, x, other)),
  sum: method(red.sum), mean: method(red.mean), prod: method(red.prod), amax: method(red.amax), amin: method(red.amin),
  argmax: method(red.argmax), argmin: method(red.argmin), max: method(red.max as (x: Tensor, ...a: never[]) => unknown),
  min: method(red.min as (x: Tensor, ...a: never[]) => unknown), any: method(red.any), all: method(red.all),
  matmul: method(la.matmul), mm: method(la.mm), bmm: method(la.bmm), dot: method(la.dot), mv: method(la.mv),
  view: method(v.view), reshape: method(v.reshape), flatten: method(v.flatten), permute: method(v.permute),
  transpose: method(v.transpose), t: method(v.t), expand: method(v.expand), expandAs: method(v.expandAs),
  squeeze: method(v.squeeze), unsqueeze: method(v.unsqueeze), narrow: method(v.narrow), select: method(v.select),
  index: method(v.index), clone: method(v.clone), contiguous: method(v.contiguous),
  to: method(conv.to), type: method((x: Tensor, d: DType) => conv.to(x, { dtype: d })),
  float: method((x: Tensor) => conv.to(x, 'float32')), double: method((x: Tensor) => conv.to(x, 'float64')),
  long: method((x: Tensor) => conv.to(x, 'int64')), int: method((x: Tensor) => conv.to(x, 'int32')),
  bool: method((x: Tensor) => conv.to(x, 'bool')),
  add_: method(inplace.add_), sub_: method(inplace.sub_), mul_: method(inplace.mul_), div_: method(inplace.div_),
  fill_: method(inplace.fill_), zero_: method(inplace.zero_), copy_: method(inplace.copy_),
});
Object.assign(Tensor.prototype, methods);
