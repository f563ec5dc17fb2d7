/**
 * torch.nn.functional (exported as `F` and `nn.functional`): PyTorch's functional API in
 * camelCase, each taking PyTorch's positional arguments plus a trailing options object for its
 * keywords, e.g. `F.crossEntropy(logits, target, { labelSmoothing: 0.1 })`,
 * `F.conv2d(x, w, b, { stride: 2, padding: 1 })`.
 */
import type { Tensor } from '../tensor.js';
import * as sm from '../ops/softmax.js';
import { isOptions } from '../ops/reduce-extra.js';

export { relu, sigmoid, tanh, silu, gelu, softplus, elu, leakyRelu, logsigmoid } from './activation.js';
export {
  mseLoss, l1Loss, smoothL1Loss, nllLoss, crossEntropy, binaryCrossEntropy, binaryCrossEntropyWithLogits,
  type Reduction, type ReductionOptions, type NllOptions, type CrossEntropyOptions, type BceOptions, type BceWithLogitsOptions,
} from './loss.js';
export { conv1d, conv2d, maxPool2d, avgPool2d, type ConvOptions, type MaxPoolOptions, type AvgPoolOptions } from './conv.js';
export { unfold, fold, type UnfoldOptions } from './unfold.js';
export { linear, layerNorm, embedding, dropout, normalize, type LayerNormOptions, type EmbeddingOptions, type DropoutOptions } from './layers.js';

/** Picks dim and dtype out of F.softmax's (input, dim, _stacklevel, dtype) arguments. */
function softmaxArgs(rest: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  rest.forEach((a, i) => {
    if (isOptions(a)) out.push(a);
    else if (i === 0 && a !== null && a !== undefined) out.push(a); // dim
    else if (i === 2 && a !== null && a !== undefined) out.push({ dtype: a }); // dtype (after _stacklevel)
  });
  return out;
}

/** F.softmax(input, dim, _stacklevel, dtype): also `F.softmax(x, { dim, dtype })`. */
export function softmax(input: Tensor, ...rest: unknown[]): Tensor {
  return sm.softmax(input, ...softmaxArgs(rest));
}

/** F.log_softmax(input, dim, _stacklevel, dtype): also `F.logSoftmax(x, { dim, dtype })`. */
export function logSoftmax(input: Tensor, ...rest: unknown[]): Tensor {
  return sm.logSoftmax(input, ...softmaxArgs(rest));
}
export {
  hardtanh, relu6, selu, celu, mish, softsign, hardsigmoid, hardswish, tanhshrink, softshrink, hardshrink, threshold, prelu, glu, softmin,
} from './activation.js';
export { huberLoss, klDiv, type KlDivOptions } from './loss.js';
export { batchNorm, groupNorm, type BatchNormOptions, type GroupNormOptions } from './norm.js';
export { convTranspose2d, type ConvTransposeOptions } from './conv.js';
export { adaptiveAvgPool2d, adaptiveMaxPool2d, interpolate, type InterpolateOptions } from './resample.js';
export { scaledDotProductAttention, type ScaledDotProductAttentionOptions } from './attention.js';
