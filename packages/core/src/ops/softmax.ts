/**
 * softmax and logSoftmax along one dim, built from primitives (max shift, exp, sum) and
 * recorded as one node each (SoftmaxBackward0 / LogSoftmaxBackward0) whose backward uses ops.
 */
import { isFloating, scalarTypeName, type DType } from '../dtype.js';
import { checkDtype, checkInt, checkOptions } from '../args.js';
import { RuntimeError } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { where } from './pointwise.js';
import { isOptions } from './reduce-extra.js';
import { castValues, checkTensor, record } from './support.js';

/** Keywords of softmax / logSoftmax. */
export interface SoftmaxOptions {
  dim?: number | null;
  /** Cast the input to this dtype first (PyTorch's `dtype=`). */
  dtype?: DType | null;
}

/** Accepts `(dim)`, `(dim, dtype)`, `({ dim, dtype })` and `(dim, { dtype })`. */
function softmaxArgs(name: string, x: Tensor, args: readonly unknown[]): { dim: number; dtype: DType } {
  checkTensor(name, x, 'input', 1);
  let dim: number | null | undefined, dtype: DType | null | undefined;
  for (const a of args) {
    if (isOptions(a)) {
      const o = checkOptions(name, a as SoftmaxOptions, ['dim', 'dtype']);
      if (o.dim !== undefined) dim = o.dim;
      if (o.dtype !== undefined) dtype = o.dtype;
    } else if (typeof a === 'string') dtype = checkDtype(a, name);
    else if (a !== undefined && a !== null) dim = checkInt(a, 'dim', name);
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
  if (x.numel() === 0) return x.clone(); // nothing to shift (and no max to take)
  if (x.ndim === 0) return x.sub(where(x.abs().eq(Infinity), 0, x));
  const m = x.amax(dim, true);
  return x.sub(where(m.abs().eq(Infinity), 0, m));
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
    // `shifted` returns a fresh tensor nothing else sees: exp and the division reuse its memory.
    const e = shifted(xin, dim);
    e.backend.unary('exp', e, e);
    return e.div_(x.ndim === 0 ? e : e.sum(dim, true));
  });
  record(y, 'SoftmaxBackward0', [x], [y], ([g], [sy]) => {
    const gy = g!.mul(sy!);
    const r = gy.sub(sy!.mul(x.ndim === 0 ? gy : gy.sum(dim, true)));
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
    const s = shifted(xin, dim); // fresh: the result reuses its memory
    return s.sub_(x.ndim === 0 ? s.exp().log() : s.exp().sum(dim, true).log());
  });
  record(y, 'LogSoftmaxBackward0', [x], [y], ([g], [sy]) => {
    const r = g!.sub(sy!.exp().mul(x.ndim === 0 ? g! : g!.sum(dim, true)));
    return [r.dtype === x.dtype ? r : r.to(x.dtype)];
  });
  return y;
}
