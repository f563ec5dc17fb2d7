/**
 * Installs the ops as Tensor methods (`x.add(y)` for `torch.add(x, y)`), with their types
 * declared on the Tensor interface. Every method here delegates to the function of the same name.
 */
import { legacyTypeName, type DType } from '../dtype.js';
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
    /** -this. */ neg: Unary;
    /** |this|. */ abs: Unary;
    /** e^this. */ exp: Unary;
    /** Natural logarithm. */ log: Unary;
    /** Square root. */ sqrt: Unary;
    /** max(this, 0). */ relu: Unary;
    /** 1 / (1 + e^-this). */ sigmoid: Unary;
    /** Hyperbolic tangent. */ tanh: Unary;
    /** Sine. */ sin: Unary;
    /** Cosine. */ cos: Unary;
    /** Tangent. */ tan: Unary;
    /** Inverse sine. */ asin: Unary;
    /** Inverse cosine. */ acos: Unary;
    /** Inverse tangent. */ atan: Unary;
    /** Hyperbolic sine. */ sinh: Unary;
    /** Hyperbolic cosine. */ cosh: Unary;
    /** Inverse hyperbolic sine. */ asinh: Unary;
    /** Inverse hyperbolic cosine. */ acosh: Unary;
    /** Inverse hyperbolic tangent. */ atanh: Unary;
    /** log(1 + this), accurate for small values. */ log1p: Unary;
    /** e^this - 1, accurate for small values. */ expm1: Unary;
    /** Base-2 logarithm. */ log2: Unary;
    /** Base-10 logarithm. */ log10: Unary;
    /** 2^this. */ exp2: Unary;
    /** 1 / sqrt(this). */ rsqrt: Unary;
    /** 1 / this. */ reciprocal: Unary;
    /** this * this. */ square: Unary;
    /** -1, 0 or 1 by sign. */ sign: Unary;
    /** Rounds down. */ floor: Unary;
    /** Rounds up. */ ceil: Unary;
    /** Rounds half to even. */ round: Unary;
    /** Rounds toward zero. */ trunc: Unary;
    /** The error function. */ erf: Unary;
    /** this * sigmoid(this). */ silu: Unary;
    /** True where this is zero (bool). */ logicalNot: Unary;
    /** GELU (exact, or the tanh approximation). */
    gelu(opts?: { approximate?: 'none' | 'tanh' }): Tensor;
    /** this + alpha * other, broadcasting. */
    add(other: TensorLike, opts?: AlphaOptions): Tensor;
    /** this - alpha * other, broadcasting. */
    sub(other: TensorLike, opts?: AlphaOptions): Tensor;
    /** this * other, broadcasting. */
    mul(other: TensorLike): Tensor;
    /** True division (or rounding_mode 'trunc' / 'floor'). */
    div(other: TensorLike, opts?: { roundingMode?: 'trunc' | 'floor' | null }): Tensor;
    /** this ** exponent (tensor or scalar). */
    pow(exponent: TensorLike): Tensor;
    /** Elementwise larger of this and other. */
    maximum(other: Tensor): Tensor;
    /** Elementwise smaller of this and other. */
    minimum(other: Tensor): Tensor;
    /** this == other (bool). */ eq(other: TensorLike): Tensor;
    /** this != other (bool). */ ne(other: TensorLike): Tensor;
    /** this < other (bool). */ lt(other: TensorLike): Tensor;
    /** this <= other (bool). */ le(other: TensorLike): Tensor;
    /** this > other (bool). */ gt(other: TensorLike): Tensor;
    /** this >= other (bool). */ ge(other: TensorLike): Tensor;
    /** Both nonzero (bool). */ logicalAnd(other: TensorLike): Tensor;
    /** Either nonzero (bool). */ logicalOr(other: TensorLike): Tensor;
    /** Exactly one nonzero (bool). */ logicalXor(other: TensorLike): Tensor;
    /** torch.equal: same shape and values. */
    equal(other: Tensor): boolean;
    /** torch.where(condition, this, other). */
    where(condition: Tensor, other: TensorLike): Tensor;
    // reductions
    /** Sum over `dim` (all dims by default): `x.sum(1, true)` or `x.sum({ dim: 1, keepdim: true })`. */
    sum(dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor;
    /** Mean over `dim` (all dims by default); floating dtypes only. */
    mean(dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor;
    /** Product over one dim (all elements by default). */
    prod(dim?: number | ReduceOptions, keepdim?: boolean): Tensor;
    /** Largest values over `dim` (all dims by default). */
    amax(dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor;
    /** Smallest values over `dim` (all dims by default). */
    amin(dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor;
    /** int64 index of the largest value along `dim` (of the flattened tensor by default). */
    argmax(dim?: number | null | ReduceOptions, keepdim?: boolean): Tensor;
    /** int64 index of the smallest value along `dim` (of the flattened tensor by default). */
    argmin(dim?: number | null | ReduceOptions, keepdim?: boolean): Tensor;
    /**
     * The largest element, or the named tuple (values, indices) along a dim: `const [v, i] = x.max(1)`.
     *
     * @remarks Differs from PyTorch: the elementwise form `x.max(other)` is `x.maximum(other)`.
     */
    max(): Tensor;
    max(dim: number | ReduceOptions, keepdim?: boolean): ValuesIndices;
    /**
     * The smallest element, or the named tuple (values, indices) along a dim: `const [v, i] = x.min(1)`.
     *
     * @remarks Differs from PyTorch: the elementwise form `x.min(other)` is `x.minimum(other)`.
     */
    min(): Tensor;
    min(dim: number | ReduceOptions, keepdim?: boolean): ValuesIndices;
    /** Whether any element (over `dim`) is nonzero (bool). */
    any(dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor;
    /** Whether every element (over `dim`) is nonzero (bool). */
    all(dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor;
    // linear algebra
    /** Matrix product with broadcasting (PyTorch's `@`). */ matmul(other: Tensor): Tensor;
    /** [n, m] @ [m, p]. */ mm(other: Tensor): Tensor;
    /** [B, n, m] @ [B, m, p]. */ bmm(other: Tensor): Tensor;
    /** Inner product of two vectors. */ dot(other: Tensor): Tensor;
    /** Matrix-vector product (torch.mv). */
    mv(vec: Tensor): Tensor;
    // views
    /** Same data, new shape (-1 inferred): `x.view(2, -1)` or `x.view([2, -1])`; a view. */
    view(...shape: ShapeArg[]): Tensor;
    /** New shape: a view when the strides allow, else a copy. */
    reshape(...shape: ShapeArg[]): Tensor;
    /** Merges dims startDim..endDim into one. */
    flatten(startDim?: number, endDim?: number): Tensor;
    /** Dims reordered, as a view: `x.permute(2, 0, 1)`. */
    permute(...dims: ShapeArg[]): Tensor;
    /** Two dims swapped, as a view. */
    transpose(dim0: number, dim1: number): Tensor;
    /** Matrix transpose (vectors and scalars unchanged), as a view. */
    t(): Tensor;
    /**
     * PyTorch's `x.T`: the dims reversed, as a view (the transpose of a matrix). Other ranks than
     * 0 and 2 get PyTorch's one-time deprecation warning.
     */
    readonly T: Tensor;
    /** PyTorch's `x.mT`: the last two dims swapped (matrices and batches of them), as a view. */
    readonly mT: Tensor;
    /** PyTorch's `x.H`: the conjugate transpose of a matrix (the transpose: Kindling's dtypes are real). */
    readonly H: Tensor;
    /** PyTorch's `x.mH`: the conjugate transpose of each matrix of a batch (the same as `mT` for real dtypes). */
    readonly mH: Tensor;
    /** Size-1 dims broadcast to `shape` without copying (-1 keeps a size). */
    expand(...shape: ShapeArg[]): Tensor;
    /** expand to other's shape. */
    expandAs(other: Tensor): Tensor;
    /** Drops size-1 dims (all, or the given one), as a view. */
    squeeze(dim?: number): Tensor;
    /** Inserts a size-1 dim at `dim`, as a view. */
    unsqueeze(dim: number): Tensor;
    /** `length` elements of `dim` from `start`, as a view. */
    narrow(dim: number, start: number, length: number): Tensor;
    /** Removes `dim`, picking one index, as a view. */
    select(dim: number, index: number): Tensor;
    /**
     * Basic indexing: `x.index(0, [1, 3], null, '...')` or `x.index('0, 1:3, None, ...')`.
     *
     * @remarks Differs from PyTorch: a method stands for `x[...]`; an array item is a slice
     * (`[1, 3]` is `1:3`), and index tensors (int64 or bool) give advanced indexing.
     */
    index(...items: (IndexItem | string)[]): Tensor;
    /** A contiguous copy, recorded for autograd. */
    clone(): Tensor;
    /** This tensor if contiguous, else a contiguous copy. */
    contiguous(): Tensor;
    // conversion
    /** Another device and/or dtype: `to('workers')`, `to('float64')`, `to({ device, dtype })`. */
    to(target: string | Tensor | ToOptions): Tensor;
    /** A float32 copy (this tensor if already float32). */ float: Unary;
    /** A float64 copy (this tensor if already float64). */ double: Unary;
    /** An int64 copy (this tensor if already int64). */ long: Unary;
    /** An int32 copy (this tensor if already int32). */ int: Unary;
    /** A bool copy (this tensor if already bool). */ bool: Unary;
    /** `type()`: the legacy type string ('torch.FloatTensor'); `type(dtype)`: shorthand for `to({ dtype })`. */
    type(): string;
    /** Shorthand for `to({ dtype })`. */
    type(dtype: DType): Tensor;
    // in place
    /**
     * this += alpha * other, in place (the result dtype must cast to this dtype).
     */
    add_(other: TensorLike, opts?: AlphaOptions): Tensor;
    /** this -= alpha * other, in place. */
    sub_(other: TensorLike, opts?: AlphaOptions): Tensor;
    /** this *= other, in place. */
    mul_(other: TensorLike): Tensor;
    /** this /= other, in place (true division: integer tensors are refused). */
    div_(other: TensorLike): Tensor;
    /** Sets every element to `value`, in place. */
    fill_(value: number | boolean): Tensor;
    /** Sets every element to zero, in place. */
    zero_(): Tensor;
    /**
     * Copies src's values (broadcast, cast to this dtype) into this tensor, in place.
     */
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
  to: method(conv.to), type: method((x: Tensor, d?: DType) => (d === undefined ? `torch.${legacyTypeName(x.dtype)}` : conv.to(x, { dtype: d }))),
  float: method((x: Tensor) => conv.to(x, 'float32')), double: method((x: Tensor) => conv.to(x, 'float64')),
  long: method((x: Tensor) => conv.to(x, 'int64')), int: method((x: Tensor) => conv.to(x, 'int32')),
  bool: method((x: Tensor) => conv.to(x, 'bool')),
  add_: method(inplace.add_), sub_: method(inplace.sub_), mul_: method(inplace.mul_), div_: method(inplace.div_),
  fill_: method(inplace.fill_), zero_: method(inplace.zero_), copy_: method(inplace.copy_),
});
Object.assign(Tensor.prototype, methods);
Object.defineProperties(Tensor.prototype, {
  T: { get(this: Tensor) { return v.numpyT(this); }, configurable: true },
  mT: { get(this: Tensor) { return v.matrixT(this, 'mT'); }, configurable: true },
  H: { get(this: Tensor) { return v.conjT(this); }, configurable: true },
  mH: { get(this: Tensor) { return v.matrixT(this, 'mH'); }, configurable: true },
});
