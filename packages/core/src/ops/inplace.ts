/**
 * In-place ops: add_, sub_, mul_, div_, zero_, fill_, copy_. They write into the tensor's own
 * storage and bump its version counter, so autograd can detect a saved tensor that changed.
 */
import { canCast, isFloating, resultType, scalarTypeName, castScalar } from '../dtype.js';
import { NotSupportedError, RuntimeError } from '../errors.js';
import type { BinaryOp } from '../kernels/index.js';
import { broadcastShapes, sameShape, shapeStr } from '../shape.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { Tensor } from '../tensor.js';
import { add, div, mul, sub, type AlphaOptions, type TensorLike } from './pointwise.js';
import { broadcastView, castValues, commonBackend, copyMode, gradFor, record, scalarTensor } from './support.js';

/** PyTorch's checks before writing into `t`. */
export function checkWritable(t: Tensor): void {
  if (isGradEnabled() && t.isLeaf && t._requiresGrad) {
    throw new RuntimeError('a leaf Variable that requires grad is being used in an in-place operation.');
  }
}

export function checkRecordable(t: Tensor): void {
  if (t._base !== null && t._base.requiresGrad) {
    throw new NotSupportedError(`in-place operation on a view of a tensor that requires grad is not supported yet (PyTorch's CopySlices)`);
  }
}

/** Writes `src`'s values into `t` (cast to t's dtype) and bumps t's version. */
export function writeInto(t: Tensor, src: Tensor): void {
  t.backend.copy(copyMode(src.dtype, t.dtype), t, broadcastView(src, t.shape));
  t.storage.version++;
}

/** Takes over the autograd identity of an out-of-place result. */
export function adoptHistory(t: Tensor, r: Tensor): void {
  t._gradFn = r._gradFn;
  t._outputNr = r._outputNr;
}

function inplaceBinary(op: BinaryOp, t: Tensor, other: TensorLike, compute: (a: Tensor) => Tensor, savesSelf: boolean): Tensor {
  checkWritable(t);
  const o = other instanceof Tensor ? other : null;
  commonBackend(t, o);
  const shape = broadcastShapes(t.shape, o?.shape ?? []);
  if (!sameShape(shape, t.shape)) throw new RuntimeError(`output with shape ${shapeStr(t.shape)} doesn't match the broadcast shape ${shapeStr(shape)}`);
  let dtype = resultType(t, other);
  if (op === 'div' && !isFloating(dtype)) dtype = 'float32';
  if (!canCast(dtype, t.dtype)) throw new RuntimeError(`result type ${scalarTypeName(dtype)} can't be cast to the desired output type ${scalarTypeName(t.dtype)}`);
  if (Tensor.needsGrad(t, o)) {
    checkRecordable(t);
    // Ops whose gradient reads self (mul, div) compute from a copy, so the saved self stays valid.
    const r = compute(savesSelf && o?.requiresGrad ? t.clone() : t);
    writeInto(t, r);
    adoptHistory(t, r);
    return t;
  }
  if (dtype !== t.dtype || op === 'div' && !isFloating(t.dtype)) {
    writeInto(t, compute(t));
    return t;
  }
  const y = o ? castValues(o, dtype) : scalarTensor(other as number, dtype, t.backend);
  t.backend.binary(op, t, t, broadcastView(y, t.shape));
  t.storage.version++;
  return t;
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
  if (Tensor.needsGrad(t)) checkRecordable(t);
  t.backend.fill(t, castScalar(+value, t.dtype));
  t.storage.version++;
  record(t, 'FillBackward0', [t], [], ([g]) => [g!.mul(0)]);
  return t;
}

export function zero_(t: Tensor): Tensor {
  checkWritable(t);
  if (Tensor.needsGrad(t)) checkRecordable(t);
  t.backend.fill(t, 0);
  t.storage.version++;
  record(t, 'ZeroBackward0', [t], [], ([g]) => [g!.mul(0)]);
  return t;
}

/** Tensor.copy_(src): src broadcast to t's shape and cast to t's dtype. */
export function copy_(t: Tensor, src: Tensor): Tensor {
  checkWritable(t);
  commonBackend(t, src);
  const shape = broadcastShapes(t.shape, src.shape);
  if (!sameShape(shape, t.shape)) throw new RuntimeError(`output with shape ${shapeStr(t.shape)} doesn't match the broadcast shape ${shapeStr(shape)}`);
  if (Tensor.needsGrad(t, src)) checkRecordable(t);
  writeInto(t, src);
  const srcShape = src.shape, srcDtype = src.dtype;
  record(t, 'CopyBackwards', [t, src], [], ([g], _s, needs) => [
    needs[0] ? g!.mul(0) : null,
    needs[1] ? gradFor(g!, { shape: srcShape, dtype: srcDtype }) : null,
  ]);
  return t;
}
