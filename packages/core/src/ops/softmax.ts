/**
 * softmax and logSoftmax along one dim, recorded as one node each (SoftmaxBackward0 /
 * LogSoftmaxBackward0). They run the backend's fused row family (`softmax` / `softmaxBackward`)
 * where it has one, else the same op built from primitives (max shift, exp, sum). A backward
 * that builds a graph (createGraph) always uses the primitives, so it stays differentiable.
 */
import type { View } from '../backend/backend.js';
import { isFloating, scalarTypeName, type DType } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { isGradEnabled, noGrad } from '../autograd/grad-mode.js';
import type { SoftmaxOp } from '../kernels/index.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { where } from './pointwise.js';
import { isOptions } from './reduce-extra.js';
import { castValues, emptyOf, record } from './support.js';

/** Keywords of softmax / logSoftmax. */
export interface SoftmaxOptions {
  dim?: number | null;
  /** Cast the input to this dtype first (PyTorch's `dtype=`). */
  dtype?: DType | null;
}

/** Accepts `(dim)`, `(dim, dtype)`, `({ dim, dtype })` and `(dim, { dtype })`. */
function softmaxArgs(name: string, x: Tensor, args: readonly unknown[]): { dim: number; dtype: DType } {
  let dim: number | null | undefined, dtype: DType | null | undefined;
  for (const a of args) {
    if (isOptions(a)) {
      const o = a as SoftmaxOptions;
      if (o.dim !== undefined) dim = o.dim;
      if (o.dtype !== undefined) dtype = o.dtype;
    } else if (typeof a === 'number') dim = a;
    else if (typeof a === 'string') dtype = a as DType;
  }
  if (dim === null || dim === undefined) {
    // PyTorch's implicit choice (deprecated there): dim 0 for 0-d, 1-d and 3-d inputs, else 1.
    dim = x.ndim === 0 || x.ndim === 1 || x.ndim === 3 ? 0 : 1;
  }
  const to = dtype ?? x.dtype;
  if (!isFloating(to)) throw new RuntimeError(`"${name}_lastdim_kernel_impl" not implemented for '${scalarTypeName(to)}'`);
  return { dim: normalizeDim(dim, x.ndim), dtype: to };
}

/** x minus its max along `dim` (0 where the max is infinite). */
function shifted(x: Tensor, dim: number): Tensor {
  if (x.ndim === 0) return x.sub(where(x.abs().eq(Infinity), 0, x));
  const m = x.amax(dim, true);
  return x.sub(where(m.abs().eq(Infinity), 0, m));
}

/** A view of t with `dim` moved last (the fused families take rows along the last dim). */
function dimLast(t: View, dim: number): View {
  const shape = [...t.shape], strides = [...t.strides];
  shape.push(shape.splice(dim, 1)[0]!);
  strides.push(strides.splice(dim, 1)[0]!);
  return { storage: t.storage, shape, strides, offset: t.offset };
}

/** The fused forward on the backend's family, or null where it has none. */
function fusedForward(op: SoftmaxOp, x: Tensor, dim: number): Tensor | null {
  const b = x.backend;
  if (x.ndim === 0 || b.softmax === undefined) return null;
  const out = emptyOf(x.shape, x.dtype, b);
  b.softmax(op, dimLast(out, dim), dimLast(x, dim));
  return out;
}

/** The fused backward (not when building a graph: it is not differentiable), or null. */
function fusedBackward(op: SoftmaxOp, g: Tensor, y: Tensor, dim: number): Tensor | null {
  const b = y.backend;
  if (y.ndim === 0 || b.softmaxBackward === undefined || isGradEnabled() || g.dtype !== y.dtype || g.backend !== b) return null;
  const out = emptyOf(y.shape, y.dtype, b);
  b.softmaxBackward(op, dimLast(out, dim), dimLast(g, dim), dimLast(y, dim));
  return out;
}

/**
 * torch.softmax(x, dim, dtype?): exp(x) / sum(exp(x)) along `dim`, computed stably.
 * Also `x.softmax(dim)` and `F.softmax(x, dim)`.
 */
export function softmax(x: Tensor, ...args: unknown[]): Tensor {
  const a = softmaxArgs('softmax', x, args);
  const xin = castValues(x, a.dtype);
  const dim = a.dim;
  const y = noGrad(() => {
    const fused = fusedForward('softmax', xin, dim);
    if (fused !== null) return fused;
    // `shifted` returns a fresh tensor nothing else sees: exp and the division reuse its memory.
    const e = shifted(xin, dim);
    e.backend.unary('exp', e, e);
    return e.div_(x.ndim === 0 ? e : e.sum(dim, true));
  });
  record(y, 'SoftmaxBackward0', [x], [y], ([g], [sy]) => {
    const r = fusedBackward('softmax', g!, sy!, dim) ?? softmaxGrad(g!, sy!, dim);
    return [r.dtype === x.dtype ? r : r.to(x.dtype)];
  });
  return y;
}

/** torch.log_softmax(x, dim, dtype?): x - logsumexp(x) along `dim`. */
export function logSoftmax(x: Tensor, ...args: unknown[]): Tensor {
  const a = softmaxArgs('log_softmax', x, args);
  const xin = castValues(x, a.dtype);
  const dim = a.dim;
  const y = noGrad(() => {
    const fused = fusedForward('logSoftmax', xin, dim);
    if (fused !== null) return fused;
    const s = shifted(xin, dim); // fresh: the result reuses its memory
    return s.sub_(x.ndim === 0 ? s.exp().log() : s.exp().sum(dim, true).log());
  });
  record(y, 'LogSoftmaxBackward0', [x], [y], ([g], [sy]) => {
    const r = fusedBackward('logSoftmax', g!, sy!, dim) ?? g!.sub(sy!.exp().mul(x.ndim === 0 ? g! : g!.sum(dim, true)));
    return [r.dtype === x.dtype ? r : r.to(x.dtype)];
  });
  return y;
}

/** softmax's gradient from primitives: y * g - y * sum(y * g). */
function softmaxGrad(g: Tensor, y: Tensor, dim: number): Tensor {
  const gy = g.mul(y);
  return gy.sub(y.mul(y.ndim === 0 ? gy : gy.sum(dim, true)));
}
