/**
 * The Tensor: a strided view over a backend's storage plus autograd fields. Ops live in ops/
 * and are installed as methods there; this file holds the view, autograd state and data access.
 */
import type { Backend, Storage, View } from './backend/backend.js';
import { getBackend } from './backend/registry.js';
import { allocArray, isFloating, type DType, type TypedArray } from './dtype.js';
import { checkOptions } from './args.js';
import { RuntimeError, ValueError } from './errors.js';
import { contiguousStrides, isContiguousLayout, normalizeDim, numel } from './shape.js';
import { copyRange } from './kernels/elementwise.js';
import { formatTensor } from './printing/format.js';
import { AccumulateGrad, type GradHook, type Node } from './autograd/node.js';
import { isGradEnabled } from './autograd/grad-mode.js';
import { runBackward, type BackwardOptions } from './autograd/engine.js';
import { disposeStorage, keep, trackNew } from './memory/scope.js';

const inspect = Symbol.for('nodejs.util.inspect.custom');

/** Nested arrays of numbers or booleans, as `tolist()` returns and `tensor()` accepts. */
export type NestedArray = number | boolean | NestedArray[];

let warnedNonLeafGrad = false;

/** @internal The end of PyTorch's errors about writing a view made in no-grad mode. */
export const NO_GRAD_VIEW_ADVICE = "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).";

/**
 * An n-dimensional array on a device, with autograd: torch.Tensor. Make one with the factory
 * functions (`tensor`, `zeros`, `randn`, ...); the ops are methods too (`x.add(y)`).
 *
 * @remarks Differs from PyTorch: no operators (`a.add(b)` for `a + b`, `x.index(...)` for
 * `x[...]`), and values are read synchronously as in PyTorch (`item`, `tolist`, `dataSync`,
 * waiting for pending values) or asynchronously (`itemAsync`, `tolistAsync`, `data`, `ready`).
 */
export class Tensor implements View {
  /** @internal */ _requiresGrad = false;
  /** @internal */ private gradValue: Tensor | null = null;
  /** @internal The node that made this tensor, as last set (read it through `_gradFn`). */ _history: Node | null = null;
  /** @internal Which output of gradFn this tensor is. */ _outputNr = 0;
  /** @internal The AccumulateGrad node of a leaf, created on first use. */ _accumulator: AccumulateGrad | null = null;
  /** @internal The tensor this one is a view of, if any. */ _base: Tensor | null = null;
  /** @internal The storage version when this view's history was set (PyTorch's attr_version). */ _viewVersion = 0;
  /** @internal This view (or the view it was taken from) was made in no-grad mode. */ _noGradView = false;
  /**
   * @internal The history of a view whose base was written in place after the view's history
   * was set (PyTorch's regenerated AsStridedBackward0), or null to keep the old one. Installed
   * by ops/inplace.ts.
   */
  static viewHistory: (view: Tensor) => Node | null = () => null;

  /** The size of each dim (PyTorch's `x.shape`): a frozen array, so it cannot be changed by accident. */
  readonly shape: readonly number[];
  /** Elements to step in storage per index of each dim (PyTorch's `x.stride()`), frozen like `shape`. */
  readonly strides: readonly number[];

  /** @internal Use the factory functions (`tensor`, `zeros`, ...) to make tensors. */
  constructor(
    /** The backend memory holding the values (shared by views). */
    readonly storage: Storage,
    /** The element type. */
    readonly dtype: DType,
    shape: readonly number[],
    strides: readonly number[],
    /** Storage index of the first element (PyTorch's `x.storage_offset()`). */
    readonly offset: number,
    /** The backend (device) that stores the values and runs the kernels. */
    readonly backend: Backend,
  ) {
    // Frozen copies (views share their base's frozen arrays when unchanged): `x.shape.push(7)`
    // throws instead of corrupting the tensor, and no caller's array is frozen under it.
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze(shape.slice());
    this.strides = Object.isFrozen(strides) ? strides : Object.freeze(strides.slice());
  }

  /** @internal A fresh tensor on `backend` with unspecified contents. */
  static empty(shape: readonly number[], dtype: DType, backend: Backend): Tensor {
    return Tensor.own(backend.allocate(dtype, numel(shape)), dtype, shape, backend);
  }

  /** @internal A contiguous tensor over `storage`, just created on `backend` (tidy scopes track it). */
  static own(storage: Storage, dtype: DType, shape: readonly number[], backend: Backend): Tensor {
    const t = new Tensor(storage, dtype, shape, Object.freeze(contiguousStrides(shape)), 0, backend); // fresh: frozen as is
    trackNew(t);
    return t;
  }

  /** @internal The accumulated gradient (no warning). A stored gradient outlives tidy scopes. */
  get _grad(): Tensor | null {
    return this.gradValue;
  }

  /** @internal */
  set _grad(g: Tensor | null) {
    if (g !== null) keep(g);
    this.gradValue = g;
  }

  /**
   * Frees the values' memory now instead of when the tensor is garbage collected; every view
   * sharing them becomes unusable. Kernels already issued on it finish first.
   *
   * @remarks Not in PyTorch (which frees by reference counting): TensorFlow.js's `dispose()`.
   * Optional: memory stays bounded without it (see `torch.memory()`).
   */
  dispose(): void {
    disposeStorage(this);
  }

  /**
   * @internal The node that made this tensor. Like PyTorch, a view whose base (or a sibling
   * view) was written in place since its history was set gets a fresh history reading its slice
   * of the base, so it sees the write.
   */
  get _gradFn(): Node | null {
    if (this._base !== null && this._viewVersion !== this.storage.version) {
      this._viewVersion = this.storage.version;
      if (this._history !== null || this._base.requiresGrad) {
        if (this._noGradView) throw new RuntimeError(`A view was created in no_grad mode and its base or another view of its base has been modified inplace with grad mode enabled. ${NO_GRAD_VIEW_ADVICE}`);
        const node = Tensor.viewHistory(this);
        if (node !== null) { this._history = node; this._outputNr = 0; }
      }
    }
    return this._history;
  }

  set _gradFn(node: Node | null) {
    this._history = node;
    this._viewVersion = this.storage.version;
  }

  /** The device name ("cpu", "workers", ...). */
  get device(): string {
    return this.backend.name;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of dimensions (same as `ndim`). */
  dim(): number {
    return this.shape.length;
  }

  /** The shape, or the size of one dim (negative dims count from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    return dim === undefined ? [...this.shape] : this.shape[normalizeDim(dim, this.shape.length, 'dim', 'size')] ?? 1;
  }

  /** The strides in elements, or the stride of one dim. */
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    return dim === undefined ? [...this.strides] : this.strides[normalizeDim(dim, this.shape.length, 'dim', 'stride')] ?? 1;
  }

  /** Number of elements. */
  numel(): number {
    return numel(this.shape);
  }

  /** Offset of the first element in the storage, in elements. */
  storageOffset(): number {
    return this.offset;
  }

  /** Whether the elements are laid out row-major without gaps. */
  isContiguous(): boolean {
    return isContiguousLayout(this.shape, this.strides);
  }

  /** Whether the dtype is float32 or float64. */
  isFloatingPoint(): boolean {
    return isFloating(this.dtype);
  }

  // ---------------------------------------------------------------- autograd state

  /** Whether gradients are recorded for this tensor. Only leaves may be changed. */
  get requiresGrad(): boolean {
    return this._requiresGrad || this._gradFn !== null;
  }

  set requiresGrad(flag: boolean) {
    if (this._gradFn !== null) {
      if (flag) return;
      throw new RuntimeError(
        "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
      );
    }
    // PyTorch's property setter and requires_grad_() word this error differently.
    if (flag && !isFloating(this.dtype)) throw new RuntimeError('only Tensors of floating point and complex dtype can require gradients');
    this._requiresGrad = flag;
  }

  /** Sets requiresGrad in place and returns this tensor. */
  requiresGrad_(flag = true): this {
    if (flag && !isFloating(this.dtype)) throw new RuntimeError('only Tensors of floating point dtype can require gradients');
    this.requiresGrad = flag;
    return this;
  }

  /** The node that created this tensor, or null for a leaf. */
  get gradFn(): Node | null {
    return this._gradFn;
  }

  /** @internal Which output of gradFn this tensor is. */
  get outputNr(): number {
    return this._outputNr;
  }

  /** True for tensors not created by a recorded op (they get `.grad` in backward). */
  get isLeaf(): boolean {
    return this._gradFn === null;
  }

  /** The accumulated gradient; null until backward reaches it. */
  get grad(): Tensor | null {
    if (this._gradFn !== null && !this.retainsGrad && !warnedNonLeafGrad) {
      warnedNonLeafGrad = true;
      (globalThis as { console?: { warn(message: string): void } }).console?.warn(
        "UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, use .retainGrad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead.",
      );
    }
    return this._grad;
  }

  set grad(g: Tensor | null) {
    this._grad = g;
  }

  /** Whether `.grad` is kept for this non-leaf tensor (see retainGrad). */
  get retainsGrad(): boolean {
    return this._gradFn !== null && this._gradFn.retained?.get(this._outputNr) === this;
  }

  /** Keeps `.grad` for a non-leaf tensor during backward (no-op on leaves). */
  retainGrad(): void {
    if (!this.requiresGrad) throw new RuntimeError("can't retain_grad on Tensor that has requires_grad=False");
    if (this._gradFn === null) return;
    this._gradFn.retained ??= new Map();
    this._gradFn.retained.set(this._outputNr, this);
  }

  /** @internal The edge backward follows into this tensor. */
  gradEdge(): readonly [Node | null, number] {
    if (this._gradFn !== null) return [this._gradFn, this._outputNr];
    if (this._requiresGrad) return [(this._accumulator ??= new AccumulateGrad(this)), 0];
    return [null, 0];
  }

  /**
   * Registers a hook called with this tensor's gradient during backward; it may return a
   * replacement. Returns a handle whose `remove()` unregisters it.
   */
  registerHook(hook: GradHook): { remove(): void } {
    if (!this.requiresGrad) throw new RuntimeError("cannot register a hook on a tensor that doesn't require gradient");
    const [node, nr] = this.gradEdge();
    return { remove: node!.addPreHook(nr, hook) };
  }

  /**
   * Computes gradients of this tensor with respect to the graph leaves (torch.Tensor.backward).
   * `gradient` is required for non-scalar tensors; options may also come first:
   * `y.backward({ retainGraph: true })`.
   */
  backward(gradient?: Tensor | null | BackwardOptions, options: BackwardOptions = {}): void {
    if (gradient && !(gradient instanceof Tensor)) return this.backward(null, gradient);
    runBackward([this], [gradient ?? null], checkOptions('backward', options, ['retainGraph', 'createGraph', 'inputs']), false);
  }

  /** A new tensor sharing storage, cut from the graph. */
  detach(): Tensor {
    // Shares storage (and so the version counter) but is not an autograd view of this tensor.
    return new Tensor(this.storage, this.dtype, this.shape, this.strides, this.offset, this.backend);
  }

  /** Cuts this tensor from the graph in place. */
  detach_(): this {
    this._gradFn = null;
    this._outputNr = 0;
    this._requiresGrad = false;
    return this;
  }

  /** @internal Whether an op on these inputs records the graph. */
  static needsGrad(...ts: (Tensor | null | undefined)[]): boolean {
    if (!isGradEnabled()) return false;
    for (const t of ts) if (t && (t._requiresGrad || t._gradFn !== null)) return true;
    return false;
  }

  // ---------------------------------------------------------------- data access

  /**
   * The live storage values, waiting for pending kernels as PyTorch's `item()` waits for a GPU
   * (a backend that computes later blocks this thread until they are done). Throws if a kernel
   * computing them failed, if they were disposed, or where the thread may not block.
   */
  private syncValues(): TypedArray {
    const values = this.backend.readSync(this.storage);
    if (values !== null) return values;
    if (this.backend.readBlocking) return this.backend.readBlocking(this.storage);
    throw new RuntimeError(`the values of this ${this.device} tensor are still being computed and its backend cannot wait for them: use await t.data() (or await t.ready()) before reading them synchronously`);
  }

  private gatherValues(values: TypedArray): TypedArray {
    const n = numel(this.shape);
    if (this.isContiguous()) return values.slice(this.offset, this.offset + n);
    const out = allocArray(this.dtype, n);
    copyRange('plain', { data: out, shape: this.shape, strides: contiguousStrides(this.shape), offset: 0 }, { data: values, shape: this.shape, strides: this.strides, offset: this.offset }, 0, n);
    return out;
  }

  /**
   * The values as a new row-major typed array (int64 as Float64Array, bool as Uint8Array).
   * Synchronous: on a backend that computes later (workers) it waits until they are computed.
   * On a browser's main thread, which may not block, values computed on a worker pool must be
   * awaited first (`await t.data()` or `await t.ready()`).
   *
   * @remarks Differs from PyTorch: stands for `x.numpy()`; int64 values come as float64 (exact
   * up to 2^53).
   */
  dataSync(): TypedArray {
    return this.gatherValues(this.syncValues());
  }

  /**
   * The values as a new row-major typed array, once computed, without blocking the thread.
   *
   * @remarks Differs from PyTorch: an async method standing for `x.numpy()`, not PyTorch's
   * `x.data` attribute (use `x.detach()` for that).
   */
  async data(): Promise<TypedArray> {
    return this.gatherValues(await this.backend.read(this.storage));
  }

  /** Resolves when the values are computed (rejects if their kernel failed), without blocking the thread. */
  async ready(): Promise<this> {
    await (this.backend.ready ? this.backend.ready(this.storage) : this.backend.read(this.storage));
    return this;
  }

  /**
   * The values as nested arrays (numbers; booleans for bool tensors), as PyTorch's `tolist()`.
   * Waits for pending values like `dataSync()`.
   */
  tolist(): NestedArray {
    return nest(this.dataSync(), this.shape, this.dtype === 'bool');
  }

  /** `tolist()` without blocking the thread: resolves once the values are computed. */
  async tolistAsync(): Promise<NestedArray> {
    return nest(await this.data(), this.shape, this.dtype === 'bool');
  }

  /**
   * The one value of a one-element tensor, as PyTorch's `item()`. Waits for a pending value like
   * `dataSync()`.
   */
  item(): number | boolean {
    return itemOf(this.numel(), this.dataSync(), this.dtype);
  }

  /** `item()` without blocking the thread: resolves once the value is computed. */
  async itemAsync(): Promise<number | boolean> {
    return itemOf(this.numel(), await this.data(), this.dtype);
  }

  /** PyTorch's repr, to the character. Waits for pending values like `dataSync()`. */
  toString(): string {
    const values = this.syncValues();
    const gradFnName = this._gradFn?.name() ?? null;
    return formatTensor({
      shape: this.shape,
      dtype: this.dtype,
      data: this.gatherValues(values),
      requiresGrad: this._requiresGrad && gradFnName === null,
      gradFnName,
      device: this.device,
    });
  }

  [inspect](): string {
    return this.toString();
  }
}

function itemOf(n: number, values: TypedArray, dtype: DType): number | boolean {
  if (n !== 1) throw new ValueError('only one element tensors can be converted to Python scalars');
  return dtype === 'bool' ? values[0] !== 0 : values[0]!;
}

function nest(values: TypedArray, shape: readonly number[], bool: boolean): NestedArray {
  let i = 0;
  const build = (d: number): NestedArray => {
    if (d === shape.length) {
      const v = values[i++]!;
      return bool ? v !== 0 : v;
    }
    const out: NestedArray[] = [];
    for (let k = 0; k < shape[d]!; k++) out.push(build(d + 1));
    return out;
  };
  return build(0);
}

/** @internal The backend named `device`, or the tensor-independent default. */
export function backendFor(device: string): Backend {
  return getBackend(device);
}
