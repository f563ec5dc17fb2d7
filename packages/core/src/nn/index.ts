/**
 * torch.nn: Module, Parameter, the layers, the losses, nn.init, nn.utils and nn.functional.
 * `import { nn } from '@kindling/core'` then `new nn.Linear(784, 256)`.
 */
import * as functional from './functional.js';
import * as init from './init.js';
import * as utils from './utils.js';

/** torch.nn.functional (also `F`): the functional forms the layers wrap. */
export { functional };
/** torch.nn.init: in-place initialisers, bit-exact with PyTorch's for the same seed. */
export { init };
/** torch.nn.utils: gradient clipping and flat parameter vectors. */
export { utils };
export {
  Module, Parameter, snakeCase,
  type ForwardHook, type ForwardPreHook, type RemovableHandle, type StateDict, type IncompatibleKeys,
} from './module.js';
export { Identity, Linear, Bilinear, type LinearOptions, type FactoryOptions } from './modules/linear.js';
export { Sequential, ModuleList, ModuleDict } from './modules/container.js';
export {
  ReLU, ReLU6, SELU, SiLU, Mish, Hardsigmoid, Hardswish, Sigmoid, Tanh, Softsign, Tanhshrink, LogSigmoid, LeakyReLU, ELU, CELU,
  GELU, Softplus, Hardtanh, Threshold, Softshrink, Hardshrink, GLU, Softmax, LogSoftmax, Softmin, PReLU,
  type DimOption, type PReLUOptions,
} from './modules/activation.js';
export {
  MSELoss, L1Loss, SmoothL1Loss, HuberLoss, NLLLoss, CrossEntropyLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss,
  type LossOptions, type NllLossOptions,
} from './modules/loss.js';
export { Conv1d, Conv2d, ConvTranspose2d, type ConvModuleOptions, type ConvTransposeModuleOptions } from './modules/conv.js';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d, type MaxPool2dOptions, type AvgPool2dOptions } from './modules/pooling.js';
export {
  BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm,
  type BatchNormModuleOptions, type LayerNormModuleOptions, type GroupNormModuleOptions,
} from './modules/normalization.js';
export { Embedding, Dropout, Flatten, Unflatten, Upsample, type EmbeddingModuleOptions } from './modules/misc.js';
export { RNN, LSTM, GRU, type RNNOptions } from './modules/rnn.js';
export {
  MultiheadAttention, TransformerEncoderLayer, NonDynamicallyQuantizableLinear,
  type MultiheadAttentionOptions, type TransformerEncoderLayerOptions,
} from './modules/transformer.js';
