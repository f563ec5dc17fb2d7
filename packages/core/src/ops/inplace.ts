/**
 * In-place ops: add_, sub_, mul_, div_, zero_, fill_, copy_. They write into the tensor's own
 * storage and bump its version counter, so autograd can detect a saved tensor that changed.
 */
import { canCast, isFloating, resultType, scalarTypeName, castScalar } from '../dtype.js';
import { NotSupportedError, RuntimeError } from '../errors.js';
import type { BinaryOp } from '../kernels/index.js';
import { broadcastShapes, contiguousStrides, sameShape, shapeStr } from '../shape.js';
import { isGradEnabled, noGrad } from '../autograd/grad-mode.js';
import { FnNode, type BackwardFn, type Node } from '../autograd/node.js';
import { NO_GRAD_VIEW_ADVICE, Tensor } from '../tensor.js';
import { add, div, mul, sub, type AlphaOptions, type TensorLike } from './pointwise.js';
import { broadcastView, castValues, commonBackend, copyMode, gradFor, record, scalarTensor } from './support.js';
import { viewGeometry } from './views.js';

/** PyTorch's checks before writing into `t`. */
export function checkWritable(t: Tensor): void {
  if (!isGradEnabled()) return;
  if (t.isLeaf && t._requiresGrad) throw new RuntimeError('a leaf Variable that requires grad is being used in an in-place operation.');
  const base = t._base;
  if (base !== null && base.isLeaf && base._requiresGrad) {
    throw new RuntimeError('a view of a leaf Variable that requires grad is being used in an in-place operation.');
  }
  if (base !== null && base.requiresGrad) checkNotNoGradView(t);
}

/** PyTorch refuses to record an in-place write into a view made in no-grad mode. */
function checkNotNoGradView(t: Tensor): void {
  if (t._noGradView) throw new RuntimeError(`A view was created in no_grad mode and is being modified inplace with grad mode enabled. ${NO_GRAD_VIEW_ADVICE}`);
}

const OVERLAP_ADVICE = 'Please clone() the tensor before performing the operation.';

/**
 * PyTorch's overlap checks before an in-place op writes `t` from `inputs`: `t` may not have
 * several elements at one address (an expanded tensor), and an input sharing t's memory must be
 * either exactly t's elements or disjoint from them (checked, like PyTorch, for dense views).
 */
export function checkOverlap(t: Tensor, inputs: readonly (Tensor | null | undefined)[]): void {
  for (let d = 0; d < t.ndim; d++) {
    if (t.strides[d] === 0 && t.shape[d]! > 1) {
      throw new RuntimeError(`unsupported operation: more than one element of the written-to tensor refers to a single memory location. ${OVERLAP_ADVICE}`);
    }
  }
  for (const x of inputs) {
    if (!x || x === t || x.storage !== t.storage || x.numel() === 0) continue;
    // Only inputs sharing t's memory get here (rare): the ranges are computed for them alone.
    const out = denseRange(t), range = denseRange(x);
    if (out === null) return;
    if (range === null) continue;
    const full = range[0] === out[0] && range[1] === out[1] && sameShape(x.strides, t.strides);
    if (!full && range[0] < out[1] && out[0] < range[1]) {
      throw new RuntimeError(`unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. ${OVERLAP_ADVICE}`);
    }
  }
}

/** The storage range [begin, end) of a view whose elements fill it exactly, else null. */
function denseRange(t: Tensor): [number, number] | null {
  const dims = t.shape.map((size, d) => [size, t.strides[d]!] as const).filter(([size]) => size !== 1);
  dims.sort((a, b) => a[1] - b[1]);
  let expected = 1;
  for (const [size, stride] of dims) {
    if (stride !== expected) return null;
    expected *= size;
  }
  return [t.offset, t.offset + t.numel()];
}

/** Called when an in-place op records history: views need a base laid out contiguously. */
export function checkRecordable(t: Tensor): void {
  checkNotNoGradView(t);
  const base = t._base;
  if (base !== null && !sameShape(base.strides, contiguousStrides(base.shape))) {
    throw new NotSupportedError('in-place operation with autograd on a view of a non-contiguous base tensor is not supported yet');
  }
}

/** Writes `src`'s values into `t` (cast to t's dtype) and bumps t's version. */
export function writeInto(t: Tensor, src: Tensor): void {
  t.backend.copy(copyMode(src.dtype, t.dtype), t, broadcastView(src, t.shape));
  t.storage.version++;
}

/**
 * The driver's write when nothing is recorded (no input needs grad, or grad mode is off): the
 * leaf checks, the write itself, the version bump. Callers check overlap first where PyTorch does.
 */
export function writeUntracked(t: Tensor, write: () => void): Tensor {
  checkWritable(t);
  write();
  t.storage.version++;
  return t;
}

/** Takes over the autograd identity of an out-of-place result. */
export function adoptHistory(t: Tensor, r: Tensor): void {
  t._gradFn = r._gradFn;
  t._outputNr = r._outputNr;
  rebaseHistory(t);
}

/**
 * After an in-place op on a view recorded its node `fn` as the view's history, the history
 * belongs to the base (PyTorch's CopySlices): the base's gradient passes through unchanged
 * outside the view, and through `fn` inside it. The view then reads its slice of the new base,
 * as do the base's other views when next used.
 */
export function rebaseHistory(t: Tensor): void {
  const base = t._base, fn = t._gradFn;
  if (base === null || fn === null) return;
  const slice = viewGeometry(base.shape, t.shape, t.strides, t.offset - base.offset);
  const baseEdge = base.requiresGrad ? base.gradEdge() : ([null, 0] as const);
  const copySlices = new CopySlices(fn, ([g]) => {
    const res = fn.apply([slice.of(g!)]);
    const outside = g!.mul(slice.outsideMask(g!));
    return [res[0] ? outside.add(slice.scatter(res[0])) : outside, ...res.slice(1)];
  });
  copySlices.nextFunctions = [baseEdge, ...fn.nextFunctions.slice(1)];
  base._gradFn = copySlices;
  base._outputNr = 0;
  t._gradFn = viewHistory(t);
  t._outputNr = 0;
}

/** PyTorch's CopySlices: runs the in-place op's node `fn` on the view's slice of the gradient. */
class CopySlices extends FnNode {
  constructor(private readonly fn: Node, backward: BackwardFn) {
    super('CopySlices', [], backward);
  }

  /** Frees what `fn` saved too. */
  override release(): void {
    super.release();
    this.fn.release();
  }
}

/** A view's history as its slice of the base's current history: PyTorch's AsStridedBackward0. */
function viewHistory(view: Tensor): FnNode | null {
  const base = view._base!;
  // The slice geometry assumes a contiguous base (checkRecordable refuses the others).
  if (!sameShape(base.strides, contiguousStrides(base.shape))) return null;
  const slice = viewGeometry(base.shape, view.shape, view.strides, view.offset - base.offset);
  const node = new FnNode('AsStridedBackward0', [], ([g]) => [slice.scatter(g!)]);
  node.nextFunctions = [base.requiresGrad ? base.gradEdge() : [null, 0]];
  return node;
}
Tensor.viewHistory = viewHistory;

/**
 * Runs an out-of-place op and writes its result into `t`, PyTorch-style: leaf and view checks,
 * a dtype check, a version bump, and (when recording) `t` takes over the result's history.
 * `savesSelf`: the op saves its input for backward, so it gets a copy of `t` instead.
 */
export function inplaceFrom(t: Tensor, others: readonly (Tensor | null | undefined)[], savesSelf: boolean, compute: (self: Tensor) => Tensor): Tensor {
  checkWritable(t);
  checkOverlap(t, others);
  const recording = Tensor.needsGrad(t, ...others);
  if (recording) checkRecordable(t);
  const r = recording ? compute(savesSelf ? t.clone() : t) : noGrad(() => compute(t));
  if (!canCast(r.dtype, t.dtype)) {
    throw new RuntimeError(`result type ${scalarTypeName(r.dtype)} can't be cast to the desired output type ${scalarTypeName(t.dtype)}`);
  }
  writeInto(t, r);
  if (recording) adoptHistory(t, r);
  return t;
}

function inplaceBinary(op: BinaryOp, t: Tensor, other: TensorLike, compute: (a: Tensor) => Tensor, savesSelf: boolean): Tensor {
  const o = other instanceof Tensor ? other : null;
  commonBackend(t, o);
  const shape = broadcastShapes(t.shape, o?.shape ?? []);
  if (!sameShape(shape, t.shape)) throw new RuntimeError(`output with shape ${shapeStr(t.shape)} doesn't match the broadcast shape ${shapeStr(shape)}`);
  let dtype = resultType(t, other);
  if (op === 'div' && !isFloating(dtype)) dtype = 'float32';
  if (!canCast(dtype, t.dtype)) throw new RuntimeError(`result type ${scalarTypeName(dtype)} can't be cast to the desired output type ${scalarTypeName(t.dtype)}`);
  if (Tensor.needsGrad(t, o) || dtype !== t.dtype) return inplaceFrom(t, [o], savesSelf && !!o?.requiresGrad, compute);
  // The hot path (optimizer updates, gradient accumulation): the kernel writes straight into t.
  checkOverlap(t, [o]);
  const y = o ? castValues(o, dtype) : scalarTensor(other as number, dtype, t.backend);
  return writeUntracked(t, () => t.backend.binary(op, t, t, broadcastView(y, t.shape)));
}

export function add_(t: Tensor, other: TensorLike, opts: AlphaOptions = {}): Tensor {
  const alpha = opts.alpha ?? 1;
  if (alpha !== 1) return inplaceBinary('add', t, other instanceof Tensor ? other.mul(alpha) : +other * alpha, (a) => add(a, other, opts), false);
  return inplaceBinary('add', t, other, (a) => add(a, other), false);
}

export function sub_(t: Tensor, other: TensorLike, opts: AlphaOptions = {}): Tensor {
  const alpha = opts.alpha ?? 1;
  if (alpha !== 1) return inplaceBinary('sub', t, other instanceof Tensor ? other.mul(alpha) : +other * alpha, (a) => sub(a, other, opts), false);
  return inplaceBinary('sub', t, other, (a) => sub(a, other), false);
}

export function mul_(t: Tensor, other: TensorLike): Tensor {
  return inplaceBinary('mul', t, other, (a) => mul(a, other), true);
}

export function div_(t: Tensor, other: TensorLike): Tensor {
  return inplaceBinary('div', t, other, (a) => div(a, other), true);
}

/** Tensor.fill_(value): every element set to `value`; the gradient through it is zero. */
export function fill_(t: Tensor, value: number | boolean): Tensor {
  checkWritable(t);
  return overwrite(t, 'FillBackward0', () => t.backend.fill(t, castScalar(+value, t.dtype)));
}

export function zero_(t: Tensor): Tensor {
  checkWritable(t);
  return overwrite(t, 'ZeroBackward0', () => t.backend.fill(t, 0));
}

/**
 * Writes `t` in place with values that do not depend on its old ones (fill_, zero_, the random
 * samplers), after the caller's checkWritable: bumps the version and records a node `name`
 * whose gradient is zero (rebased onto the base when t is a view).
 */
export function overwrite(t: Tensor, name: string, write: () => void): Tensor {
  const recording = Tensor.needsGrad(t);
  if (recording) checkRecordable(t);
  write();
  t.storage.version++;
  record(t, name, [t], [], ([g]) => [g!.mul(0)]);
  if (recording) rebaseHistory(t);
  return t;
}

/** Tensor.copy_(src): src broadcast to t's shape and cast to t's dtype. */
export function copy_(t: Tensor, src: Tensor): Tensor {
  checkWritable(t);
  checkOverlap(t, [src]);
  commonBackend(t, src);
  const shape = broadcastShapes(t.shape, src.shape);
  if (!sameShape(shape, t.shape)) throw new RuntimeError(`output with shape ${shapeStr(t.shape)} doesn't match the broadcast shape ${shapeStr(shape)}`);
  const recording = Tensor.needsGrad(t, src);
  if (recording) checkRecordable(t);
  writeInto(t, src);
  const srcShape = src.shape, srcDtype = src.dtype;
  record(t, 'CopyBackwards', [t, src], [], ([g], _s, needs) => [
    needs[0] ? g!.mul(0) : null,
    needs[1] ? gradFor(g!, { shape: srcShape, dtype: srcDtype }) : null,
  ]);
  if (recording) rebaseHistory(t);
  return t;
}
