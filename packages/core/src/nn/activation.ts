/**
 * Activation functions with parameters (softplus, elu, leakyRelu, logsigmoid) and the functional
 * forms of the plain ones. The parameterised ones run the unary kernel with p0/p1 and record
 * PyTorch's node, whose backward is written with ops.
 */
import { isFloating, scalarTypeName, type DType } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import type { UnaryOp } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { inplaceFrom } from '../ops/inplace.js';
import * as pw from '../ops/pointwise.js';
import { where } from '../ops/pointwise.js';
import { castValues, floatType, record } from '../ops/support.js';
import { bindArgs } from './args.js';

/** Runs a parameterised unary kernel into a new float tensor (not recorded). */
function unaryParam(op: UnaryOp, x: Tensor, fn: string, p0 = 0, p1 = 0): Tensor {
  if (x.dtype === 'bool' || !isFloating(x.dtype) && fn !== 'leaky_relu') {
    throw new RuntimeError(`"${fn}_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  }
  const dtype: DType = floatType(x.dtype);
  const src = castValues(x, dtype);
  const out = Tensor.empty(x.shape, dtype, x.backend);
  x.backend.unary(op, out, src, p0, p1);
  return out;
}

/** F.relu(input, inplace=false). */
export function relu(input: Tensor, ...rest: unknown[]): Tensor {
  const a = bindArgs('relu', rest, ['inplace'], { inplace: false });
  return a.inplace ? inplaceFrom(input, [], false, pw.relu) : pw.relu(input);
}

/** F.sigmoid(input). */
export function sigmoid(input: Tensor): Tensor {
  return pw.sigmoid(input);
}

/** F.tanh(input). */
export function tanh(input: Tensor): Tensor {
  return pw.tanh(input);
}

/** F.silu(input, inplace=false): x * sigmoid(x). */
export function silu(input: Tensor, ...rest: unknown[]): Tensor {
  const a = bindArgs('silu', rest, ['inplace'], { inplace: false });
  // silu's formula reads its input, so the in-place form saves a copy of it.
  return a.inplace ? inplaceFrom(input, [], true, pw.silu) : pw.silu(input);
}

/** F.gelu(input, approximate='none' | 'tanh'). */
export function gelu(input: Tensor, ...rest: unknown[]): Tensor {
  const a = bindArgs<{ approximate: 'none' | 'tanh' }>('gelu', rest, ['approximate'], { approximate: 'none' });
  if (a.approximate !== 'none' && a.approximate !== 'tanh') throw new RuntimeError(`approximate argument must be either none or tanh.`);
  return pw.gelu(input, { approximate: a.approximate });
}

/**
 * F.softplus(input, beta=1, threshold=20): log(1 + exp(beta x)) / beta, and x itself where
 * beta x > threshold.
 */
export function softplus(input: Tensor, ...rest: unknown[]): Tensor {
  const a = bindArgs('softplus', rest, ['beta', 'threshold'], { beta: 1, threshold: 20 });
  const y = unaryParam('softplus', input, 'softplus', a.beta, a.threshold);
  record(y, 'SoftplusBackward0', [input], [input], ([g], [x]) => {
    const bx = x!.mul(a.beta);
    return [where(bx.gt(a.threshold), g!, g!.mul(bx.sigmoid()))];
  });
  return y;
}

/** F.elu(input, alpha=1, inplace=false): x where x > 0, else alpha (exp(x) - 1). */
export function elu(input: Tensor, ...rest: unknown[]): Tensor {
  const a = bindArgs('elu', rest, ['alpha', 'inplace'], { alpha: 1, inplace: false });
  if (!a.inplace) {
    const y = unaryParam('elu', input, 'elu', a.alpha);
    record(y, 'EluBackward0', [input], [input], ([g], [x]) => [where(x!.gt(0), g!, g!.mul(x!.exp().mul(a.alpha)))]);
    return y;
  }
  if (a.alpha < 0 && Tensor.needsGrad(input)) {
    throw new RuntimeError('In-place elu backward calculation is triggered with a negative slope which is not supported. This is caused by calling in-place forward function with a negative slope, please call out-of-place version instead.');
  }
  // The in-place formula reads only the result, never the overwritten input.
  return inplaceFrom(input, [], false, (x) => {
    const y = unaryParam('elu', x, 'elu', a.alpha);
    record(y, 'EluBackward1', [x], [y], ([g], [r]) => [where(r!.gt(0), g!, g!.mul(r!.add(a.alpha)))]);
    return y;
  });
}

/** F.leaky_relu(input, negativeSlope=0.01, inplace=false). */
export function leakyRelu(input: Tensor, ...rest: unknown[]): Tensor {
  const a = bindArgs('leaky_relu', rest, ['negativeSlope', 'inplace'], { negativeSlope: 0.01, inplace: false });
  const slope = a.negativeSlope;
  if (!a.inplace) {
    const y = unaryParam('leakyRelu', input, 'leaky_relu', slope);
    record(y, 'LeakyReluBackward0', [input], [input], ([g], [x]) => [where(x!.gt(0), g!, g!.mul(slope))]);
    return y;
  }
  if (slope < 0 && Tensor.needsGrad(input)) {
    throw new RuntimeError('In-place leakyReLu backward calculation is triggered with a negative slope which is not supported. This is caused by calling in-place forward function with a negative slope, please call out-of-place version instead.');
  }
  return inplaceFrom(input, [], false, (x) => {
    const y = unaryParam('leakyRelu', x, 'leaky_relu', slope);
    record(y, 'LeakyReluBackward1', [x], [y], ([g], [r]) => [where(r!.gt(0), g!, g!.mul(slope))]);
    return y;
  });
}

/** F.logsigmoid(input): log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), stable for large |x|. */
export function logsigmoid(input: Tensor): Tensor {
  if (!isFloating(input.dtype)) throw new RuntimeError(`"log_sigmoid_forward_cpu" not implemented for '${scalarTypeName(input.dtype)}'`);
  const y = logSigmoidValues(input, true);
  record(y, 'LogSigmoidBackward0', [input], [input], ([g], [x]) => [g!.mul(x!.neg().sigmoid())]);
  return y;
}

/** min(x, 0) - log1p(exp(-|x|)), as ops (recorded unless `detached`: then the caller records one node). */
export function logSigmoidValues(x: Tensor, detached = false): Tensor {
  const run = (): Tensor => where(x.lt(0), x, 0).sub(x.abs().neg().exp().log1p());
  return detached ? noGrad(run) : run();
}

// ------------------------------------------------------------------ composite activations
// Built from ops, so their gradients (and higher orders) come from the ops' own formulas.

/** F.hardtanh(input, minVal=-1, maxVal=1): clamp to [minVal, maxVal]. */
export function hardtanh(input: Tensor, ...rest: unknown[]): Tensor {
  const a = bindArgs('hardtanh', rest, ['minVal', 'maxVal', 'inplace'], { minVal: -1, maxVal: 1, inplace: false });
  return input.clamp(a.minVal, a.maxVal);
}

/** F.relu6(input): clamp to [0, 6]. */
export function relu6(input: Tensor, ...rest: unknown[]): Tensor {
  bindArgs('relu6', rest, ['inplace'], { inplace: false });
  return input.clamp(0, 6);
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** F.selu(input): scale * elu(x, alpha) with PyTorch's constants. */
export function selu(input: Tensor, ...rest: unknown[]): Tensor {
  bindArgs('selu', rest, ['inplace'], { inplace: false });
  return elu(input, SELU_ALPHA).mul(SELU_SCALE);
}

/** F.celu(input, alpha=1): max(0, x) + min(0, alpha (exp(x / alpha) - 1)). */
export function celu(input: Tensor, ...rest: unknown[]): Tensor {
  const a = bindArgs('celu', rest, ['alpha', 'inplace'], { alpha: 1, inplace: false });
  return where(input.gt(0), input, input.div(a.alpha).expm1().mul(a.alpha));
}

/** F.mish(input): x tanh(softplus(x)). */
export function mish(input: Tensor, ...rest: unknown[]): Tensor {
  bindArgs('mish', rest, ['inplace'], { inplace: false });
  return input.mul(softplus(input).tanh());
}

/** F.softsign(input): x / (1 + |x|). */
export function softsign(input: Tensor): Tensor {
  return input.div(input.abs().add(1));
}

/** F.hardsigmoid(input): relu6(x + 3) / 6. */
export function hardsigmoid(input: Tensor, ...rest: unknown[]): Tensor {
  bindArgs('hardsigmoid', rest, ['inplace'], { inplace: false });
  return input.add(3).clamp(0, 6).div(6);
}

/** F.hardswish(input): x relu6(x + 3) / 6. */
export function hardswish(input: Tensor, ...rest: unknown[]): Tensor {
  bindArgs('hardswish', rest, ['inplace'], { inplace: false });
  return input.mul(input.add(3).clamp(0, 6)).div(6);
}

/** F.tanhshrink(input): x - tanh(x). */
export function tanhshrink(input: Tensor): Tensor {
  return input.sub(input.tanh());
}

/** F.softshrink(input, lambd=0.5): x - lambd above lambd, x + lambd below -lambd, else 0. */
export function softshrink(input: Tensor, lambd = 0.5): Tensor {
  return where(input.gt(lambd), input.sub(lambd), where(input.lt(-lambd), input.add(lambd), 0));
}

/** F.hardshrink(input, lambd=0.5): x where |x| > lambd, else 0. */
export function hardshrink(input: Tensor, lambd = 0.5): Tensor {
  return where(input.abs().gt(lambd), input, 0);
}

/** F.threshold(input, threshold, value): x where x > threshold, else value. */
export function threshold(input: Tensor, threshold: number, value: number, ...rest: unknown[]): Tensor {
  bindArgs('threshold', rest, ['inplace'], { inplace: false });
  return where(input.gt(threshold), input, value);
}

/** F.prelu(input, weight): x where x >= 0, else weight x (weight per channel, dim 1, or one value). */
export function prelu(input: Tensor, weight: Tensor): Tensor {
  const n = weight.numel();
  const w = n === 1 || input.ndim < 2 ? weight.reshape(n === 1 ? [] : [n]) : weight.view([n, ...input.shape.slice(2).map(() => 1)]);
  return where(input.ge(0), input, input.mul(w));
}

/** F.glu(input, dim=-1): a sigmoid(b), where a and b are the halves of input along dim. */
export function glu(input: Tensor, dim = -1): Tensor {
  const d = dim < 0 ? dim + input.ndim : dim;
  if (input.shape[d]! % 2 !== 0) throw new RuntimeError(`Halving dimension must be even, but dimension ${d} is size ${input.shape[d]}`);
  const [a, b] = input.chunk(2, d) as [Tensor, Tensor];
  return a.mul(b.sigmoid());
}

/** F.softmin(input, dim): softmax(-input, dim). */
export function softmin(input: Tensor, dim: number): Tensor {
  return input.neg().softmax(dim);
}
