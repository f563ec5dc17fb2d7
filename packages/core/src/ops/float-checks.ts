/**
 * Testing values: isnan, isinf, isfinite, nanToNum, isclose, allclose. Built from comparisons,
 * so they run on every backend. Integer and bool tensors are never NaN or infinite.
 */
import { isFloating, scalarTypeName, type DType } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { zerosLike } from './creation.js';
import { where } from './pointwise.js';
import { bindArgs } from '../nn/args.js';
import { record } from './support.js';

/** torch.isnan(input): bool, true where the value is NaN. */
export function isnan(x: Tensor): Tensor {
  return x.ne(x);
}

/** torch.isinf(input): bool, true where the value is +inf or -inf. */
export function isinf(x: Tensor): Tensor {
  return isFloating(x.dtype) ? x.abs().eq(Infinity) : zerosLike(x, { dtype: 'bool' });
}

/** torch.isfinite(input): bool, true where the value is neither NaN nor infinite. */
export function isfinite(x: Tensor): Tensor {
  // x - x is 0 for finite values and NaN for NaN and the infinities.
  return isFloating(x.dtype) ? x.sub(x).eq(0) : x.eq(x);
}

/** The largest finite value of a floating dtype. */
function finiteMax(dtype: DType): number {
  return dtype === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE;
}

/** Options of nanToNum (PyTorch's keywords). */
export interface NanToNumOptions {
  nan?: number;
  posinf?: number | null;
  neginf?: number | null;
}

/**
 * torch.nan_to_num(input, nan=0.0, posinf=None, neginf=None): NaN, +inf and -inf replaced by
 * `nan`, `posinf` and `neginf` (by default 0 and the largest / smallest finite value of the
 * dtype). `nanToNum(x, 0, 1e4)`, `x.nanToNum({ posinf: 1e4 })`.
 */
export function nanToNum(x: Tensor, ...args: (number | null | undefined | NanToNumOptions)[]): Tensor {
  const o = bindArgs<NanToNumOptions>('nan_to_num', args, ['nan', 'posinf', 'neginf'], { nan: 0, posinf: undefined, neginf: undefined });
  if (!isFloating(x.dtype)) return x.clone();
  const big = finiteMax(x.dtype);
  const nan = o.nan ?? 0, posinf = o.posinf ?? big, neginf = o.neginf ?? -big;
  const out = where(x.ne(x), nan, where(x.eq(Infinity), posinf, where(x.eq(-Infinity), neginf, x.detach())));
  record(out, 'NanToNumBackward0', [x], [x], ([g], [sx]) => [where(isfinite(sx!), g!, 0)]);
  return out;
}

/** Options of isclose / allclose. */
export interface IscloseOptions {
  rtol?: number;
  atol?: number;
  /** NaN counts as close to NaN. */
  equalNan?: boolean;
}

/**
 * torch.isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False): bool,
 * |input - other| <= atol + rtol * |other| elementwise (equal infinities are close).
 */
export function isclose(a: Tensor, b: Tensor, ...args: (number | boolean | undefined | IscloseOptions)[]): Tensor {
  const o = bindArgs<Required<IscloseOptions>>('isclose', args, ['rtol', 'atol', 'equalNan'], { rtol: 1e-5, atol: 1e-8, equalNan: false });
  if (a.dtype !== b.dtype) throw new RuntimeError(`${scalarTypeName(b.dtype)} did not match ${scalarTypeName(a.dtype)}`);
  if (o.rtol < 0) throw new RuntimeError(`rtol must be greater than or equal to zero, but got ${o.rtol}`);
  if (o.atol < 0) throw new RuntimeError(`atol must be greater than or equal to zero, but got ${o.atol}`);
  let close = a.eq(b);
  if (o.equalNan) close = close.logicalOr(isnan(a).logicalAnd(isnan(b)));
  if (o.rtol === 0 && o.atol === 0) return close;
  // Integers compare in the default float dtype, as in PyTorch.
  const fa = isFloating(a.dtype) ? a.detach() : a.to('float32'), fb = isFloating(b.dtype) ? b.detach() : b.to('float32');
  const allowed = fb.mul(o.rtol).abs().add(o.atol);
  const actual = fa.sub(fb).abs();
  return close.logicalOr(isfinite(actual).logicalAnd(actual.le(allowed)));
}

/**
 * torch.allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False): whether every element
 * is close (see isclose), as a boolean. Reads the result synchronously.
 */
export function allclose(a: Tensor, b: Tensor, ...args: (number | boolean | undefined | IscloseOptions)[]): boolean {
  const r = isclose(a, b, ...args).all();
  return r.dataSync()[0] !== 0;
}
