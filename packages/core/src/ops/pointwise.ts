/**
 * Pointwise ops: unary math, arithmetic with broadcasting and PyTorch's type promotion,
 * comparisons and where. Each backward formula is written with ops (see UNARY below for the
 * unary table), so every gradient is itself differentiable.
 */
import { isFloating, promoteTypes, resultType, scalarTypeName, type DType } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import type { BinaryOp, UnaryOp } from '../kernels/index.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { broadcastView, castValues, commonBackend, floatType, gradFor, record, scalarTensor } from './support.js';

/**
 * A Python-style scalar: a number (an integral one counts as a Python int, any other as a float)
 * or a boolean.
 *
 * @remarks Differs from PyTorch: JS has one number type, so `2.0` is an int for type promotion
 * (`intTensor.mul(2.0)` stays integer; PyTorch would give float32).
 */
export type Scalar = number | boolean;
/** A tensor or a scalar: what most ops accept for their non-`input` operands. */
export type TensorLike = Tensor | Scalar;

const SQRT1_2PI = 0.3989422804014327;

function asTensor(v: TensorLike, dtype: DType, t: Tensor): Tensor {
  return v instanceof Tensor ? castValues(v, dtype) : scalarTensor(v, dtype, t.backend);
}

/** @internal Runs a binary kernel: promotes to `dtype` (default: result type), broadcasts, allocates. */
export function binaryKernel(op: BinaryOp, a: TensorLike, b: TensorLike, dtype?: DType, outDtype?: DType): Tensor {
  const ta = a instanceof Tensor ? a : null, tb = b instanceof Tensor ? b : null;
  const backend = commonBackend(ta, tb);
  const any = (ta ?? tb)!;
  const compute = dtype ?? resultType(a, b);
  const shape = broadcastShapes(ta?.shape ?? [], tb?.shape ?? []);
  const out = Tensor.empty(shape, outDtype ?? compute, backend);
  backend.binary(op, out, broadcastView(asTensor(a, compute, any), shape), broadcastView(asTensor(b, compute, any), shape));
  return out;
}

/** @internal Runs a unary kernel into a new tensor of `dtype` (x is cast to it first). */
export function unaryKernel(op: UnaryOp, x: Tensor, dtype: DType, p0?: number, p1?: number): Tensor {
  const src = castValues(x, dtype);
  const out = Tensor.empty(x.shape, dtype, x.backend);
  x.backend.unary(op, out, src, p0, p1);
  return out;
}

// ------------------------------------------------------------------ unary table

interface UnaryDef {
  /** PyTorch's node name. */
  node: string;
  /** Integer inputs are promoted to float (exp, log, ...) or keep their dtype (neg, abs, ...). */
  float: boolean;
  /** d(out)/d(in) times g, from the input x and the result y. Null: not differentiable. */
  grad: ((g: Tensor, x: Tensor, y: Tensor) => Tensor) | null;
  /** Which of x / y the formula reads (so only those are saved). */
  saves: 'x' | 'y' | 'xy' | '';
}

const zeroGrad = (g: Tensor): Tensor => g.mul(0);

/** The unary derivatives table (PyTorch's derivatives.yaml, written with ops). */
const UNARY: Record<string, UnaryDef> = {
  neg: { node: 'NegBackward0', float: false, saves: '', grad: (g) => g.neg() },
  abs: { node: 'AbsBackward0', float: false, saves: 'x', grad: (g, x) => g.mul(x.sign()) },
  exp: { node: 'ExpBackward0', float: true, saves: 'y', grad: (g, _x, y) => g.mul(y) },
  log: { node: 'LogBackward0', float: true, saves: 'x', grad: (g, x) => g.div(x) },
  sqrt: { node: 'SqrtBackward0', float: true, saves: 'y', grad: (g, _x, y) => g.div(y.mul(2)) },
  relu: { node: 'ReluBackward0', float: false, saves: 'y', grad: (g, _x, y) => g.mul(y.sign()) }, // y >= 0: sign(y) is the 0/1 mask, one fast pass
  sigmoid: { node: 'SigmoidBackward0', float: true, saves: 'y', grad: (g, _x, y) => g.mul(y.mul(y.neg().add(1))) },
  tanh: { node: 'TanhBackward0', float: true, saves: 'y', grad: (g, _x, y) => g.mul(y.mul(y).neg().add(1)) },
  sin: { node: 'SinBackward0', float: true, saves: 'x', grad: (g, x) => g.mul(x.cos()) },
  cos: { node: 'CosBackward0', float: true, saves: 'x', grad: (g, x) => g.mul(x.sin().neg()) },
  tan: { node: 'TanBackward0', float: true, saves: 'y', grad: (g, _x, y) => g.mul(y.mul(y).add(1)) },
  asin: { node: 'AsinBackward0', float: true, saves: 'x', grad: (g, x) => g.mul(x.mul(x).neg().add(1).rsqrt()) },
  acos: { node: 'AcosBackward0', float: true, saves: 'x', grad: (g, x) => g.mul(x.mul(x).neg().add(1).rsqrt()).neg() },
  atan: { node: 'AtanBackward0', float: true, saves: 'x', grad: (g, x) => g.div(x.mul(x).add(1)) },
  sinh: { node: 'SinhBackward0', float: true, saves: 'x', grad: (g, x) => g.mul(x.cosh()) },
  cosh: { node: 'CoshBackward0', float: true, saves: 'x', grad: (g, x) => g.mul(x.sinh()) },
  asinh: { node: 'AsinhBackward0', float: true, saves: 'x', grad: (g, x) => g.mul(x.mul(x).add(1).rsqrt()) },
  acosh: { node: 'AcoshBackward0', float: true, saves: 'x', grad: (g, x) => g.mul(x.mul(x).sub(1).rsqrt()) },
  atanh: { node: 'AtanhBackward0', float: true, saves: 'x', grad: (g, x) => g.div(x.mul(x).neg().add(1)) },
  log1p: { node: 'Log1PBackward0', float: true, saves: 'x', grad: (g, x) => g.div(x.add(1)) },
  expm1: { node: 'Expm1Backward0', float: true, saves: 'y', grad: (g, _x, y) => g.mul(y.add(1)) },
  log2: { node: 'Log2Backward0', float: true, saves: 'x', grad: (g, x) => g.div(x.mul(Math.LN2)) },
  log10: { node: 'Log10Backward0', float: true, saves: 'x', grad: (g, x) => g.div(x.mul(Math.LN10)) },
  exp2: { node: 'Exp2Backward0', float: true, saves: 'y', grad: (g, _x, y) => g.mul(y.mul(Math.LN2)) },
  rsqrt: { node: 'RsqrtBackward0', float: true, saves: 'y', grad: (g, _x, y) => g.mul(y.pow(3).mul(-0.5)) },
  reciprocal: { node: 'ReciprocalBackward0', float: true, saves: 'y', grad: (g, _x, y) => g.mul(y.mul(y).neg()) },
  square: { node: 'PowBackward0', float: false, saves: 'x', grad: (g, x) => g.mul(x.mul(2)) },
  sign: { node: 'SignBackward0', float: false, saves: '', grad: zeroGrad },
  floor: { node: 'FloorBackward0', float: false, saves: '', grad: zeroGrad },
  ceil: { node: 'CeilBackward0', float: false, saves: '', grad: zeroGrad },
  round: { node: 'RoundBackward0', float: false, saves: '', grad: zeroGrad },
  trunc: { node: 'TruncBackward0', float: false, saves: '', grad: zeroGrad },
  erf: { node: 'ErfBackward0', float: true, saves: 'x', grad: (g, x) => g.mul(x.mul(x).neg().exp().mul(2 / Math.sqrt(Math.PI))) },
  silu: {
    node: 'SiluBackward0', float: true, saves: 'x',
    grad: (g, x) => { const s = x.sigmoid(); return g.mul(s.mul(x.mul(s.neg().add(1)).add(1))); },
  },
  gelu: {
    node: 'GeluBackward0', float: true, saves: 'x',
    grad: (g, x) => g.mul(x.mul(Math.SQRT1_2).erf().add(1).mul(0.5).add(x.mul(x.mul(x).mul(-0.5).exp()).mul(SQRT1_2PI))),
  },
};

function unary(op: keyof typeof UNARY & UnaryOp, x: Tensor): Tensor {
  const def = UNARY[op]!;
  const dtype = def.float ? floatType(x.dtype) : x.dtype;
  if (op === 'relu' && x.dtype === 'bool') throw new RuntimeError('"clamp_min_cpu" not implemented for \'Bool\'');
  const y = unaryKernel(op, x, dtype);
  const grad = def.grad;
  if (grad) {
    record(y, def.node, [x], [def.saves.includes('x') ? x : null, def.saves.includes('y') ? y : null], ([g], [sx, sy]) => [grad(g!, sx!, sy!)]);
  }
  return y;
}

/** torch.neg: -x (bool tensors are refused, as in PyTorch). */
export const neg = (x: Tensor): Tensor => {
  if (x.dtype === 'bool') throw new RuntimeError('Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
  return unary('neg', x);
};
/** torch.abs: |x|. */
export const abs = (x: Tensor): Tensor => unary('abs', x);
/** torch.exp: e^x (integer inputs give float32). */
export const exp = (x: Tensor): Tensor => unary('exp', x);
/** torch.log: natural logarithm (NaN below 0, -inf at 0). */
export const log = (x: Tensor): Tensor => unary('log', x);
/** torch.sqrt: square root (NaN below 0). */
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
/** torch.relu: max(x, 0). */
export const relu = (x: Tensor): Tensor => unary('relu', x);
/** torch.sigmoid: 1 / (1 + e^-x). */
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);
/** torch.tanh: hyperbolic tangent. */
export const tanh = (x: Tensor): Tensor => unary('tanh', x);
/** torch.sin: sine (radians). */
export const sin = (x: Tensor): Tensor => unary('sin', x);
/** torch.cos: cosine (radians). */
export const cos = (x: Tensor): Tensor => unary('cos', x);
/** torch.tan: tangent (radians). */
export const tan = (x: Tensor): Tensor => unary('tan', x);
/** torch.asin: inverse sine. */
export const asin = (x: Tensor): Tensor => unary('asin', x);
/** torch.acos: inverse cosine. */
export const acos = (x: Tensor): Tensor => unary('acos', x);
/** torch.atan: inverse tangent. */
export const atan = (x: Tensor): Tensor => unary('atan', x);
/** torch.sinh: hyperbolic sine. */
export const sinh = (x: Tensor): Tensor => unary('sinh', x);
/** torch.cosh: hyperbolic cosine. */
export const cosh = (x: Tensor): Tensor => unary('cosh', x);
/** torch.asinh: inverse hyperbolic sine. */
export const asinh = (x: Tensor): Tensor => unary('asinh', x);
/** torch.acosh: inverse hyperbolic cosine. */
export const acosh = (x: Tensor): Tensor => unary('acosh', x);
/** torch.atanh: inverse hyperbolic tangent. */
export const atanh = (x: Tensor): Tensor => unary('atanh', x);
/** torch.log1p: log(1 + x), accurate for small x. */
export const log1p = (x: Tensor): Tensor => unary('log1p', x);
/** torch.expm1: e^x - 1, accurate for small x. */
export const expm1 = (x: Tensor): Tensor => unary('expm1', x);
/** torch.log2: base-2 logarithm. */
export const log2 = (x: Tensor): Tensor => unary('log2', x);
/** torch.log10: base-10 logarithm. */
export const log10 = (x: Tensor): Tensor => unary('log10', x);
/** torch.exp2: 2^x. */
export const exp2 = (x: Tensor): Tensor => unary('exp2', x);
/** torch.rsqrt: 1 / sqrt(x). */
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', x);
/** torch.reciprocal: 1 / x (integer inputs give float32). */
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x);
/** torch.square: x * x. */
export const square = (x: Tensor): Tensor => unary('square', x);
/** torch.sign: -1, 0 or 1 by the sign of x. */
export const sign = (x: Tensor): Tensor => unary('sign', x);
/** torch.floor: rounds down. */
export const floor = (x: Tensor): Tensor => unary('floor', x);
/** torch.ceil: rounds up. */
export const ceil = (x: Tensor): Tensor => unary('ceil', x);
/** torch.round: rounds half to even, like PyTorch. */
export const round = (x: Tensor): Tensor => unary('round', x);
/** torch.trunc: rounds toward zero. */
export const trunc = (x: Tensor): Tensor => unary('trunc', x);
/** torch.erf: the error function. */
export const erf = (x: Tensor): Tensor => unary('erf', x);
/** torch.nn.functional.silu as a tensor op: x * sigmoid(x). */
export const silu = (x: Tensor): Tensor => unary('silu', x);

/** GELU; `approximate: 'tanh'` uses the tanh approximation. */
export function gelu(x: Tensor, opts: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  if (opts.approximate !== 'tanh') return unary('gelu', x);
  const y = unaryKernel('geluTanh', x, floatType(x.dtype));
  record(y, 'GeluBackward0', [x], [x], ([g], [sx]) => {
    const k = Math.sqrt(2 / Math.PI), v = sx!;
    const inner = v.add(v.pow(3).mul(0.044715)).mul(k);
    const t = inner.tanh();
    const dinner = v.mul(v).mul(3 * 0.044715).add(1).mul(k);
    return [g!.mul(t.add(1).mul(0.5).add(v.mul(0.5).mul(t.mul(t).neg().add(1)).mul(dinner)))];
  });
  return y;
}

// ------------------------------------------------------------------ arithmetic

function checkAlpha(alpha: number, dtype: DType): void {
  if (!isFloating(dtype) && !Number.isInteger(alpha)) {
    throw new RuntimeError("For integral input tensors, argument alpha must not be a floating point number.");
  }
}

/** Options of add / sub. */
export interface AlphaOptions {
  /** Multiplier of `other`. */
  alpha?: number;
}

/** torch.add(input, other, alpha=1): input + alpha * other, broadcasting. */
export function add(a: TensorLike, b: TensorLike, opts: AlphaOptions = {}): Tensor {
  const alpha = opts.alpha ?? 1;
  const scaled = alpha === 1 ? b : b instanceof Tensor ? noRecordMul(b, alpha) : +b * alpha;
  const out = binaryKernel('add', a, scaled);
  checkAlpha(alpha, out.dtype);
  const ta = a instanceof Tensor ? a : null, tb = b instanceof Tensor ? b : null;
  record(out, 'AddBackward0', [ta, tb], [], ([g], _s, needs) => [
    needs[0] ? gradFor(g!, ta!) : null,
    needs[1] ? gradFor(alpha === 1 ? g! : g!.mul(alpha), tb!) : null,
  ]);
  return out;
}

/** torch.sub(input, other, alpha=1): input - alpha * other. */
export function sub(a: TensorLike, b: TensorLike, opts: AlphaOptions = {}): Tensor {
  const alpha = opts.alpha ?? 1;
  if ((a instanceof Tensor && a.dtype === 'bool') || (b instanceof Tensor && b.dtype === 'bool')) {
    throw new RuntimeError('Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
  }
  const scaled = alpha === 1 ? b : b instanceof Tensor ? noRecordMul(b, alpha) : +b * alpha;
  const out = binaryKernel('sub', a, scaled);
  checkAlpha(alpha, out.dtype);
  const ta = a instanceof Tensor ? a : null, tb = b instanceof Tensor ? b : null;
  record(out, 'SubBackward0', [ta, tb], [], ([g], _s, needs) => [
    needs[0] ? gradFor(g!, ta!) : null,
    needs[1] ? gradFor(g!.mul(-alpha), tb!) : null,
  ]);
  return out;
}

function noRecordMul(b: Tensor, alpha: number): Tensor {
  return binaryKernel('mul', b, alpha);
}

/** torch.mul: elementwise product, broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const out = binaryKernel('mul', a, b);
  const ta = a instanceof Tensor ? a : null, tb = b instanceof Tensor ? b : null;
  record(out, 'MulBackward0', [ta, tb], [ta?.requiresGrad && tb ? tb : null, tb?.requiresGrad && ta ? ta : null], ([g], [sb, sa], needs) => [
    needs[0] ? gradFor(g!.mul(sb ?? (b as Scalar)), ta!) : null,
    needs[1] ? gradFor(g!.mul(sa ?? (a as Scalar)), tb!) : null,
  ]);
  return out;
}

/** torch.div with rounding_mode undefined (true division), 'trunc' or 'floor'. */
export function div(a: TensorLike, b: TensorLike, opts: { roundingMode?: 'trunc' | 'floor' | null } = {}): Tensor {
  const mode = opts.roundingMode ?? null;
  if (mode !== null) {
    const dtype = resultType(a, b);
    const q = isFloating(dtype) ? binaryKernel('div', a, b) : binaryKernel('div', a, b, 'float64');
    const r = mode === 'trunc' ? q.trunc() : q.floor();
    return isFloating(dtype) ? r : castValues(r, dtype);
  }
  const dtype = floatType(resultType(a, b));
  const out = binaryKernel('div', a, b, dtype);
  const ta = a instanceof Tensor ? a : null, tb = b instanceof Tensor ? b : null;
  record(out, 'DivBackward0', [ta, tb], [tb, tb?.requiresGrad ? ta : null], ([g], [sb, sa], needs) => [
    needs[0] ? gradFor(g!.div(sb ?? (b as Scalar)), ta!) : null,
    needs[1] ? gradFor(g!.neg().mul(sa ?? (a as Scalar)).div(sb!.mul(sb!)), tb!) : null,
  ]);
  return out;
}

/** torch.pow(input, exponent), with a tensor or scalar base and exponent. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  if (a instanceof Tensor && !(b instanceof Tensor)) {
    const p = +b;
    const dtype = resultType(a, b);
    if (!isFloating(dtype) && p < 0) throw new RuntimeError('Integers to negative integer powers are not allowed.');
    const y = unaryKernel('powScalar', a, dtype, p);
    record(y, 'PowBackward0', [a], [a], ([g], [x]) => [p === 0 ? g!.mul(0) : g!.mul(x!.pow(p - 1).mul(p))]);
    return y;
  }
  if (!(a instanceof Tensor)) {
    const t = b as Tensor, base = +a;
    const dtype = resultType(a, t);
    const y = unaryKernel('rpowScalar', t, dtype, base);
    record(y, 'PowBackward2', [t], [y], ([g], [sy]) => [g!.mul(sy!.mul(Math.log(base)))]);
    return y;
  }
  const bt = b as Tensor;
  const out = binaryKernel('pow', a, bt);
  record(out, 'PowBackward1', [a, bt], [a, bt, out], ([g], [x, e, y], needs) => [
    needs[0] ? gradFor(g!.mul(e!.mul(x!.pow(e!.sub(1)))), a) : null,
    // d/de x^e = x^e log x, taken as 0 where x == 0 and e >= 0 (PyTorch's convention).
    needs[1] ? gradFor(g!.mul(where(x!.eq(0).logicalAnd(e!.ge(0)), 0, y!.mul(x!.log()))), bt) : null,
  ]);
  return out;
}

/** torch.maximum / torch.minimum: elementwise extremes; ties split the gradient in half. */
export function maximum(a: Tensor, b: Tensor): Tensor {
  return extreme('maximum', a, b);
}

/** torch.minimum: the elementwise smaller of a and b; ties split the gradient in half. */
export function minimum(a: Tensor, b: Tensor): Tensor {
  return extreme('minimum', a, b);
}

function extreme(op: 'maximum' | 'minimum', a: Tensor, b: Tensor): Tensor {
  const out = binaryKernel(op, a, b);
  record(out, op === 'maximum' ? 'MaximumBackward0' : 'MinimumBackward0', [a, b], [a, b], ([g], [x, y], needs) => {
    const half = g!.div(2);
    const aWins = op === 'maximum' ? x!.gt(y!) : x!.lt(y!);
    const ga = where(x!.eq(y!), half, where(aWins, g!, 0));
    const gb = where(x!.eq(y!), half, where(aWins, 0, g!));
    return [needs[0] ? gradFor(ga, a) : null, needs[1] ? gradFor(gb, b) : null];
  });
  return out;
}

// ------------------------------------------------------------------ comparisons and where

function compare(op: BinaryOp, a: Tensor, b: TensorLike): Tensor {
  return binaryKernel(op, a, b, undefined, 'bool');
}

/** torch.eq: x == other, elementwise with broadcasting, as a bool tensor. */
export const eq = (a: Tensor, b: TensorLike): Tensor => compare('eq', a, b);
/** torch.ne: x != other, elementwise with broadcasting, as a bool tensor. */
export const ne = (a: Tensor, b: TensorLike): Tensor => compare('ne', a, b);
/** torch.lt: x < other, elementwise with broadcasting, as a bool tensor. */
export const lt = (a: Tensor, b: TensorLike): Tensor => compare('lt', a, b);
/** torch.le: x <= other, elementwise with broadcasting, as a bool tensor. */
export const le = (a: Tensor, b: TensorLike): Tensor => compare('le', a, b);
/** torch.gt: x > other, elementwise with broadcasting, as a bool tensor. */
export const gt = (a: Tensor, b: TensorLike): Tensor => compare('gt', a, b);
/** torch.ge: x >= other, elementwise with broadcasting, as a bool tensor. */
export const ge = (a: Tensor, b: TensorLike): Tensor => compare('ge', a, b);
/** torch.logical_and: both nonzero, elementwise with broadcasting, as a bool tensor. */
export const logicalAnd = (a: Tensor, b: TensorLike): Tensor => compare('logicalAnd', a, b);
/** torch.logical_or: either nonzero, elementwise with broadcasting, as a bool tensor. */
export const logicalOr = (a: Tensor, b: TensorLike): Tensor => compare('logicalOr', a, b);
/** torch.logical_xor: exactly one nonzero, elementwise with broadcasting, as a bool tensor. */
export const logicalXor = (a: Tensor, b: TensorLike): Tensor => compare('logicalXor', a, b);

/** torch.logical_not: true where x is zero, as a bool tensor. */
export function logicalNot(x: Tensor): Tensor {
  const out = Tensor.empty(x.shape, 'bool', x.backend);
  x.backend.unary('logicalNot', out, x);
  return out;
}

/** torch.equal: same shape and same values (read synchronously, waiting for pending values). */
export function equal(a: Tensor, b: Tensor): boolean {
  if (a.shape.length !== b.shape.length || a.shape.some((s, i) => s !== b.shape[i])) return false;
  return !a.ne(b).any().item();
}

/** torch.where(condition, input, other): elementwise choice, broadcasting all three. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (cond.dtype !== 'bool') throw new RuntimeError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${scalarTypeName(cond.dtype)}`);
  const ta = a instanceof Tensor ? a : null, tb = b instanceof Tensor ? b : null;
  const backend = commonBackend(cond, ta, tb);
  const dtype = ta && tb ? promoteTypes(ta.dtype, tb.dtype) : resultType(a, b);
  const shape = broadcastShapes(broadcastShapes(cond.shape, ta?.shape ?? []), tb?.shape ?? []);
  const out = Tensor.empty(shape, dtype, backend);
  backend.where(out, broadcastView(cond, shape), broadcastView(asTensor(a, dtype, cond), shape), broadcastView(asTensor(b, dtype, cond), shape));
  record(out, 'WhereBackward0', [ta, tb], [cond], ([g], [c], needs) => [
    needs[0] ? gradFor(where(c!, g!, 0), ta!) : null,
    needs[1] ? gradFor(where(c!, 0, g!), tb!) : null,
  ]);
  return out;
}
