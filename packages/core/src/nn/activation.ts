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
