/**
 * The Backend interface: storage plus a dozen kernel families over strided views. Core does all
 * shape and dtype logic (broadcasting with stride-0 views, promotion, output allocation), so a
 * backend never sees a shape rule. A backend may compute at once (cpu) or later (workers): ops
 * only issue kernels; values are read with `readSync` (never waits), `readBlocking` (waits,
 * blocking the thread, for backends that compute later) and `read` (a Promise).
 */
import type { DType, TypedArray } from '../dtype.js';
import type { BinaryOp, CopyMode, CumulativeOp, ReduceOp, ScatterMode, SoftmaxOp, UnaryOp, UnfoldOp, UnfoldParams } from '../kernels/index.js';

/** A backend's memory for `length` elements of `dtype`. Backends extend it with their own fields. */
export interface Storage {
  /** The element type. */
  readonly dtype: DType;
  /** The number of elements. */
  readonly length: number;
  /** Bumped by every in-place write; autograd compares it with saved versions. */
  version: number;
}

/** A strided view over a storage: what every kernel call receives. A Tensor is a View. */
export interface View {
  readonly storage: Storage;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

/** A device: where tensors live and how their kernels run. */
export interface Backend {
  /** The device name, as in `t.device` and `t.to(name)`. */
  readonly name: string;
  /** New storage; its contents are unspecified (core writes before it reads). */
  allocate(dtype: DType, length: number): Storage;
  /** New storage holding a copy of `values` (whose element type matches `dtype`'s storage). */
  fromArray(dtype: DType, values: TypedArray): Storage;
  /** The storage's live values when they are computed, else null (pending). Never blocks. */
  readSync(storage: Storage): TypedArray | null;
  /**
   * The storage's values, waiting (blocking the thread) until every kernel that writes them has
   * run, as PyTorch's `item()` waits for a GPU. Throws if one failed, if the storage was
   * disposed, or where the thread may not block (with the async form to use). Optional: backends
   * that compute at once never need it, since their readSync never returns null.
   */
  readBlocking?(storage: Storage): TypedArray;
  /** The storage's values once every kernel that writes it has run. Rejects if one failed. */
  read(storage: Storage): Promise<TypedArray>;
  /** Optional: resolves when every kernel that writes the storage has run, as read without the values (Tensor.ready uses it). */
  ready?(storage: Storage): Promise<void>;
  /** Threads the backend computes with, if it has a pool of its own (see torch.getNumThreads). */
  readonly threads?: number;
  /**
   * Optional hook of torch.setNumThreads: resizes the backend's thread pool (kernels already
   * issued finish on the old one). Backends without a pool leave it out.
   */
  setThreads?(n: number): void;
  /**
   * Optional: frees the storage's memory now (`t.dispose()`, `torch.tidy`), once the kernels
   * already issued on it are done. Later use of it fails. Without it, the garbage collector frees it.
   */
  release?(storage: Storage): void;

  fill(out: View, value: number): void;
  /** Strided copy with conversion to out's dtype (see CopyMode). */
  copy(mode: CopyMode, out: View, x: View): void;
  unary(op: UnaryOp, out: View, x: View, p0?: number, p1?: number): void;
  /** Inputs are broadcast to out's shape and, except for comparisons, already of out's dtype. */
  binary(op: BinaryOp, out: View, x: View, y: View): void;
  where(out: View, cond: View, x: View, y: View): void;
  /** x is permuted to [...kept, ...reduced] with `nr` reduced dims; out has the kept shape. */
  reduce(op: ReduceOp, out: View, x: View, nr: number): void;
  /** Batched matmul: out [B, M, N] = x [B, M, K] @ y [B, K, N]. */
  matmul(out: View, x: View, y: View): void;
  /**
   * out[i] = x[i with coordinate `dim` replaced by index[i]]; out has index's shape (int64 or
   * int32 values). A bad index throws PyTorch's "index k is out of bounds" error.
   */
  gather(out: View, x: View, dim: number, index: View): void;
  /**
   * Into the already filled out: for every element i of index in row-major order,
   * out[i with `dim` replaced by index[i]] += src[i] ('add') or = src[i] ('set', last wins).
   * Ranges split over out's elements; each part keeps only its own targets (deterministic).
   */
  scatter(mode: ScatterMode, out: View, dim: number, index: View, src: View): void;
  /** out = x with `dim` picked by the 1-d index (out's dim has the index's length). */
  indexSelect(out: View, x: View, dim: number, index: View): void;
  /** Into the already filled out: slice j of src along `dim` is added to slice index[j]. */
  indexAdd(out: View, dim: number, index: View, src: View): void;
  /** cumsum / cumprod along `dim` (out and x share a shape); ranges split over the lanes. */
  cumulative(op: CumulativeOp, out: View, x: View, dim: number): void;
  /**
   * Sliding windows for convolution and pooling (see kernels/unfold.ts): 'im2col' fills
   * out [N, C, KH, KW, OH, OW] from x [N, C, H, W]; 'col2im' fills out [N, C, H, W] by summing
   * x [N, C, KH, KW, OH, OW] back. Ranges split over out's elements.
   */
  unfold(op: UnfoldOp, out: View, x: View, params: UnfoldParams): void;
  /**
   * Sorts x along `dim` into values (x's dtype) and indices (int64, the positions along `dim`
   * the values came from); all three share x's shape. Ascending unless `descending`; NaN sorts
   * above every number; equal values keep their order (a backend may ignore `stable = false`).
   * Ranges split over lanes (as cumulative). Optional: without it, core sorts with the other
   * families (see ops/sort.ts).
   */
  sort?(values: View, indices: View, x: View, dim: number, descending: boolean, stable: boolean): void;
  /**
   * Optional fused rows (see kernels/softmax.ts): out = softmax or logSoftmax of x along the last
   * dim (core moves the softmax dim last in both views); ranges split over rows. A backend
   * without it gets the default: the same op composed from max, sub, exp, sum and div kernels.
   */
  softmax?(op: SoftmaxOp, out: View, x: View): void;
  /**
   * Optional fused rows: out = the gradient of softmax / logSoftmax along the last dim from the
   * incoming gradient and the forward output y. Without it, core composes it from existing kernels.
   */
  softmaxBackward?(op: SoftmaxOp, out: View, grad: View, y: View): void;
}
