/**
 * @kindling/core: PyTorch's Tensor + autograd API in TypeScript.
 *
 * `import * as torch from '@kindling/core'` gives the familiar names: `torch.tensor`,
 * `torch.zeros`, `torch.noGrad`, `torch.autograd.grad`, ...
 */
import './ops/methods.js';
import './ops/shape-methods.js';
import './ops/methods-extra.js';
import * as F from './nn/functional.js';
import { grad } from './autograd/engine.js';
import { Function } from './autograd/function.js';

export { Tensor, type NestedArray } from './tensor.js';
export type { DType, TypedArray } from './dtype.js';
export { promoteTypes, resultType, canCast, isFloating, allocArray, arrayView, itemSize } from './dtype.js';
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
export { sum, mean, prod, amax, amin, argmax, argmin, max, min, any, all, type Dims, type ReduceOptions, type ValuesIndices } from './ops/reduce.js';

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
  memory, tidy, keep, configureMemory, getArena, Arena, ArenaStorage, Slot, PAGE_BYTES, MAX_PAGES, installThreadKernels, THREAD_BYTES, type WasmMemory,
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
/** torch.nn.functional, also available as `nn.functional`. */
export { F };
/** torch.nn (the functional API; modules are not part of this namespace object). */
export const nn = { functional: F };
