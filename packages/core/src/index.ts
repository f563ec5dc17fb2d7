/**
 * @kindling/core: PyTorch's Tensor + autograd API in TypeScript.
 *
 * `import * as torch from '@kindling/core'` gives the familiar names: `torch.tensor`,
 * `torch.zeros`, `torch.noGrad`, `torch.autograd.grad`, ...
 */
import './ops/methods.js';
import './ops/shape-methods.js';
import './ops/methods-extra.js';
import './ops/methods-sort.js';
import './ops/methods-linalg.js';
import * as F from './nn/functional.js';
import * as nn from './nn/index.js';
import * as optim from './optim/index.js';
import * as utils from './utils.js';
import { grad } from './autograd/engine.js';
import { Function } from './autograd/function.js';

export { Tensor, type NestedArray } from './tensor.js';
export type { DType, TypedArray } from './dtype.js';
export { promoteTypes, resultType, canCast, isFloating, allocArray, arrayView, itemSize } from './dtype.js';
export { float32, float64, int64, int32, bool, float, double, long, int } from './dtype.js';
export { checkOptions } from './args.js';
export { RuntimeError, IndexError, ValueError, TypeError, NotSupportedError } from './errors.js';

// creation
export {
  tensor, zeros, ones, full, empty, zerosLike, onesLike, emptyLike, fullLike, arange, linspace, eye,
  type TensorOptions,
} from './ops/creation.js';

// pointwise
export {
  neg, abs, exp, log, sqrt, relu, sigmoid, tanh, sin, cos, tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh,
  log1p, expm1, log2, log10, exp2, rsqrt, reciprocal, square, sign, floor, ceil, round, trunc, erf, silu, gelu,
  add, sub, mul, div, pow, maximum, minimum, eq, ne, lt, le, gt, ge, logicalAnd, logicalOr, logicalXor, logicalNot,
  equal, where, type Scalar, type TensorLike, type AlphaOptions,
} from './ops/pointwise.js';

// reductions
export { sum, mean, prod, amax, amin, argmax, argmin, max, min, any, all, type Dims, type ReduceOptions, ValuesIndices } from './ops/reduce.js';

// linear algebra
export { matmul, mm, bmm, dot, mv } from './ops/linalg.js';

// views and copies
export {
  view, reshape, flatten, permute, transpose, t, expand, squeeze, unsqueeze, narrow, select, index, clone, contiguous,
  type IndexItem,
} from './ops/views.js';
export { to, type ToOptions } from './ops/convert.js';

// shape, indexing, cumulative and extra pointwise ops
export {
  cat, concat, stack, split, chunk, unbind, repeat, flip, roll, tril, triu,
  type DimOptions, type RollOptions, type DiagonalOptions,
} from './ops/shape.js';
export {
  gather, scatter, scatter_, scatterAdd, scatterAdd_, indexSelect, indexAdd, indexAdd_, maskedFill, maskedFill_,
  maskedSelect, nonzero, indexPut, indexPut_, setIndex,
  type GatherOptions, type ScatterOptions, type IndexAddOptions, type NonzeroOptions, type IndexPutOptions, type SetIndexItems,
} from './ops/indexing.js';
export { cumsum, cumprod, type CumulativeOptions } from './ops/cumulative.js';
export {
  clamp, clamp_, clip, clip_, clampMin, clampMin_, clampMax, clampMax_, lerp, atan2, remainder, fmod, outer, ger,
  type ClampOptions,
} from './ops/pointwise-extra.js';

// matrix ops, scatterReduce, in-place twins, addcmul / addcdiv
export {
  diagonal, diag, diagEmbed, trace, cross, kron, rot90, einsum, cdist,
  type DiagonalDimsOptions, type CrossOptions, type Rot90Options, type CdistOptions,
} from './ops/matrix.js';
export { scatterReduce, type ScatterReduce, type ScatterReduceOptions } from './ops/scatter-reduce.js';
export {
  neg_, abs_, exp_, log_, sqrt_, relu_, sigmoid_, tanh_, sin_, cos_, tan_, asin_, acos_, atan_, sinh_, cosh_, asinh_, acosh_,
  atanh_, log1p_, expm1_, log2_, log10_, exp2_, rsqrt_, reciprocal_, square_, floor_, ceil_, round_, trunc_, erf_,
  addcmul, addcdiv, type AddcOptions,
} from './ops/inplace-extra.js';

// autograd
export { noGrad, enableGrad, setGradEnabled, isGradEnabled } from './autograd/grad-mode.js';
export { Node, type Edge, type GradHook } from './autograd/node.js';
export type { BackwardOptions } from './autograd/engine.js';
export { Function, FunctionCtx } from './autograd/function.js';
/** torch.autograd: `grad` and custom differentiable ops (`Function`). */
export const autograd = { grad, Function };

// devices
export type { Backend, Storage, View } from './backend/backend.js';
export { BlockPool, sizeClass, SLAB_LIMIT, type Block, type PoolStats } from './backend/block-pool.js';
export {
  memory, tidy, keep, configureMemory, getArena, Arena, ArenaStorage, bringInTiny, Slot, PAGE_BYTES, MAX_PAGES, HEAP_BYTES, installThreadKernels, THREAD_BYTES, type WasmMemory,
  type MemoryInfo, type ArenaOptions, type ArenaStats,
} from './memory/index.js';
export { createCpuBackend, type CpuBackendOptions } from './backend/cpu.js';
export { registerBackend, unregisterBackend, getBackend, listDevices, setDefaultDevice, getDefaultDevice, setNumThreads, getNumThreads, configuredNumThreads } from './backend/registry.js';

// printing
export { setPrintOptions, type PrintOptions } from './printing/format.js';

// composite reductions, softmax, random numbers, nn.functional
export { var_ as var, std, logsumexp, norm, type VarOptions, type NormOptions, type NormOrder } from './ops/reduce-extra.js';
export { softmax, logSoftmax, type SoftmaxOptions } from './ops/softmax.js';
export { addmm, type AddmmOptions } from './nn/layers.js';
export {
  manualSeed, initialSeed, defaultGenerator, Generator, rand, randn, randint, randperm, randLike, randnLike, randintLike,
  bernoulli, type RandomOptions, type GeneratorOption,
} from './ops/random.js';
export { sort, argsort, msort, topk, kthvalue, median, mode, type SortOptions, type TopkOptions, type SelectOptions } from './ops/sort.js';
export { cummax, cummin, logcumsumexp } from './ops/scans.js';
export { isnan, isinf, isfinite, nanToNum, isclose, allclose, type NanToNumOptions, type IscloseOptions } from './ops/float-checks.js';
export { searchsorted, bucketize, bincount, unique, type SearchsortedOptions, type BucketizeOptions, type BincountOptions, type UniqueOptions } from './ops/search.js';
export { normal, multinomial, poisson, type MultinomialOptions } from './ops/random-extra.js';
/** torch.nn.functional, also available as `nn.functional`. */
export { F };
/** torch.nn: Module, Parameter, the layers and losses, `nn.init`, `nn.utils` and `nn.functional`. */
export { nn };
/** torch.optim: SGD, Adam, AdamW, RMSprop, Adagrad and `optim.lrScheduler`. */
export { optim };
/** torch.utils: `utils.data` (Dataset, TensorDataset, DataLoader, randomSplit). */
export { utils };

// saving and loading (PyTorch's format and safetensors; file paths via '@kindling/core/node')
export { save, load, type SaveOptions, type LoadOptions, type SaveFormat } from './serialization/index.js';
