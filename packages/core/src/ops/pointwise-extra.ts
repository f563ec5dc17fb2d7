/**
 * More elementwise ops: clamp (scalar or tensor bounds), clampMin, clampMax, lerp, atan2,
 * remainder, fmod, outer, and the in-place twins clamp_ / clampMin_ / clampMax_. Forwards run
 * the unary / binary kernel families; backwards are written with ops.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { isFloating, isIntegral, resultType, scalarTypeName, type DType, type Operand } from '../dtype.js';
import { checkOptions } from '../args.js';
import { RuntimeError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { inplaceFrom } from './inplace.js';
import { binaryKernel, div as pwDiv, unaryKernel, where, type Scalar, type TensorLike } from './pointwise.js';
import { castValues, checkTensorLike, commonBackend, floatType, gradFor, record } from './support.js';

// ------------------------------------------------------------------ clamp

/** Keywords of clamp. */
export interface ClampOptions {
  min?: TensorLike | null;
  max?: TensorLike | null;
}

type Bound = TensorLike | null | undefined;

function isClampOptions(v: unknown): v is ClampOptions {
  return v !== null && typeof v === 'object' && !(v instanceof Tensor);
}

function clampArgs(min: Bound | ClampOptions, max: Bound): [Bound, Bound] {
  if (isClampOptions(min)) {
    const o = checkOptions('clamp', min, ['min', 'max']);
    return clampArgs(o.min, o.max);
  }
  if (min !== null && min !== undefined) checkTensorLike('clamp', min, 'min', 1);
  if (max !== null && max !== undefined) checkTensorLike('clamp', max, 'max', 2);
  return [min, max];
}

/** The clamp forward and backward, naming the node per the overload PyTorch would pick. */
function clampImpl(x: Tensor, lo: Bound, hi: Bound, names: { scalar: string; tensor: string }): Tensor {
  const min = lo ?? null, max = hi ?? null;
  if (min === null && max === null) throw new RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  if (x.dtype === 'bool') throw new RuntimeError('"clamp_cpu" not implemented for \'Bool\'');
  const operands: Operand[] = [x];
  if (min !== null) operands.push(min as Operand);
  if (max !== null) operands.push(max as Operand);
  const dtype = resultType(...operands);
  const tMin = min instanceof Tensor ? min : null, tMax = max instanceof Tensor ? max : null;
  if (tMin === null && tMax === null) {
    // Scalar bounds: one unary kernel (NaN means "no bound" there).
    const out = unaryKernel('clamp', x, dtype, min === null ? NaN : +min, max === null ? NaN : +max);
    record(out, names.scalar, [x], [x], ([g], [sx]) => {
      let keep: Tensor;
      if (min === null) keep = sx!.le(max as Scalar);
      else if (max === null) keep = sx!.ge(min as Scalar);
      else keep = sx!.ge(min as Scalar).logicalAnd(sx!.le(max as Scalar));
      return [gradFor(where(keep, g!, 0), x)];
    });
    return out;
  }
  commonBackend(x, tMin, tMax);
  const out = noGrad(() => {
    let r = castValues(x, dtype);
    if (min !== null) r = binaryKernel('maximum', r, min instanceof Tensor ? castValues(min, dtype) : min, dtype);
    if (max !== null) r = binaryKernel('minimum', r, max instanceof Tensor ? castValues(max, dtype) : max, dtype);
    return r;
  });
  record(out, names.tensor, [x, tMin, tMax], [x, tMin, tMax], ([g], [sx, smin, smax], needs) => {
    const lo2 = smin ?? (min as Scalar | null), hi2 = smax ?? (max as Scalar | null);
    const grads: (Tensor | null)[] = [null, null, null];
    if (lo2 !== null && hi2 !== null) {
      if (needs[0]) grads[0] = gradFor(where(sx!.ge(lo2).logicalAnd(sx!.le(hi2)), g!, 0), x);
      if (needs[1]) grads[1] = gradFor(where(sx!.lt(lo2).logicalAnd(lt(lo2, hi2)), g!, 0), tMin!);
      if (needs[2]) grads[2] = gradFor(where(sx!.gt(hi2).logicalOr(lt(hi2, lo2)), g!, 0), tMax!);
    } else if (lo2 !== null) {
      if (needs[0]) grads[0] = gradFor(where(sx!.ge(lo2), g!, 0), x);
      if (needs[1]) grads[1] = gradFor(where(sx!.lt(lo2), g!, 0), tMin!);
    } else {
      if (needs[0]) grads[0] = gradFor(where(sx!.le(hi2!), g!, 0), x);
      if (needs[2]) grads[2] = gradFor(where(sx!.gt(hi2!), g!, 0), tMax!);
    }
    return grads;
  });
  return out;
}

/** a < b for a tensor or scalar on either side, as a bool tensor (or a 0-d one for two scalars). */
function lt(a: Tensor | Scalar, b: Tensor | Scalar): Tensor {
  if (a instanceof Tensor) return a.lt(b);
  if (b instanceof Tensor) return b.gt(a);
  throw new RuntimeError('unreachable: clamp backward with two scalar bounds');
}

/**
 * torch.clamp(x, min=None, max=None): limits values to [min, max]; bounds are scalars or
 * tensors (broadcast). `clamp(x, -1, 1)`, `clamp(x, { max: 0 })`, `clamp(x, lo, hi)` for tensors.
 */
export function clamp(x: Tensor, min?: Bound | ClampOptions, max?: Bound): Tensor {
  const [lo, hi] = clampArgs(min, max);
  return clampImpl(x, lo, hi, { scalar: 'ClampBackward1', tensor: 'ClampBackward0' });
}

/** torch.clip: alias of clamp. */
export const clip = clamp;

/** torch.clamp_min(x, min). */
export function clampMin(x: Tensor, min: TensorLike): Tensor {
  return clampImpl(x, min, null, { scalar: 'ClampMinBackward0', tensor: 'ClampMinBackward1' });
}

/** torch.clamp_max(x, max). */
export function clampMax(x: Tensor, max: TensorLike): Tensor {
  return clampImpl(x, null, max, { scalar: 'ClampMaxBackward0', tensor: 'ClampMaxBackward1' });
}

/** Tensor.clamp_: clamp in place (the result dtype must stay x's). */
export function clamp_(x: Tensor, min?: Bound | ClampOptions, max?: Bound): Tensor {
  const [lo, hi] = clampArgs(min, max);
  return inplaceFrom(x, [lo instanceof Tensor ? lo : null, hi instanceof Tensor ? hi : null], true, (s) => clamp(s, lo, hi));
}

/** Tensor.clip_: alias of clamp_. */
export const clip_ = clamp_;

/** Tensor.clamp_min_. */
export function clampMin_(x: Tensor, min: TensorLike): Tensor {
  return inplaceFrom(x, [min instanceof Tensor ? min : null], true, (s) => clampMin(s, min));
}

/** Tensor.clamp_max_. */
export function clampMax_(x: Tensor, max: TensorLike): Tensor {
  return inplaceFrom(x, [max instanceof Tensor ? max : null], true, (s) => clampMax(s, max));
}

// ------------------------------------------------------------------ lerp

function dtypeName(d: DType): string {
  return scalarTypeName(d).toLowerCase();
}

/**
 * torch.lerp(start, end, weight): start + weight * (end - start), with a scalar or tensor
 * weight, broadcasting. Computed as PyTorch does for accuracy: from `end` when |weight| >= 0.5.
 */
export function lerp(start: Tensor, end: Tensor, weight: TensorLike): Tensor {
  if (end.dtype !== start.dtype) throw new RuntimeError(`expected dtype ${dtypeName(start.dtype)} for \`end\` but got dtype ${dtypeName(end.dtype)}`);
  const w = weight instanceof Tensor ? weight : null;
  if (w && w.dtype !== start.dtype) throw new RuntimeError(`expected dtype ${dtypeName(start.dtype)} for \`weight\` but got dtype ${dtypeName(w.dtype)}`);
  commonBackend(start, end, w);
  if (!isFloating(start.dtype)) throw new RuntimeError(`"lerp_kernel_scalar" not implemented for '${scalarTypeName(start.dtype)}'`);
  const out = noGrad(() => {
    const diff = end.sub(start);
    if (w === null) {
      const wv = +weight;
      const r = Math.abs(wv) < 0.5 ? start.add(diff.mul(wv)) : end.sub(diff.mul(1 - (start.dtype === 'float32' ? Math.fround(wv) : wv)));
      return r;
    }
    const small = w.abs().lt(0.5);
    return where(small, start.add(w.mul(diff)), end.sub(diff.mul(w.neg().add(1))));
  });
  if (w === null) {
    const wv = +weight;
    record(out, 'LerpBackward0', [start, end], [], ([g], _s, needs) => [
      needs[0] ? gradFor(g!.mul(1 - wv), start) : null,
      needs[1] ? gradFor(g!.mul(wv), end) : null,
    ]);
  } else {
    record(out, 'LerpBackward1', [start, end, w], [start, end, w], ([g], [s0, e0, w0], needs) => [
      needs[0] ? gradFor(g!.mul(w0!.neg().add(1)), start) : null,
      needs[1] ? gradFor(g!.mul(w0!), end) : null,
      needs[2] ? gradFor(g!.mul(e0!.sub(s0!)), w) : null,
    ]);
  }
  return out;
}

// ------------------------------------------------------------------ atan2, remainder, fmod

/** torch.atan2(input, other): the angle of (other, input), elementwise, in float. */
export function atan2(a: Tensor, b: Tensor): Tensor {
  const dtype = floatType(resultType(a, b));
  const out = binaryKernel('atan2', a, b, dtype);
  record(out, 'Atan2Backward0', [a, b], [a, b], ([g], [sa, sb], needs) => {
    const recip = sa!.mul(sa!).add(sb!.mul(sb!)).reciprocal();
    return [
      needs[0] ? gradFor(g!.mul(sb!).mul(recip), a) : null,
      needs[1] ? gradFor(g!.mul(sa!.neg()).mul(recip), b) : null,
    ];
  });
  return out;
}

function modulo(op: 'remainder' | 'fmod', a: TensorLike, b: TensorLike): Tensor {
  const dtype = resultType(a, b);
  // Integer (and bool) operands use the integer kernels, which raise PyTorch's error for a zero divisor.
  const kernel = isIntegral(dtype, true) ? (op === 'remainder' ? 'intRemainder' : 'intFmod') : op;
  const out = binaryKernel(kernel, a, b, dtype);
  const ta = a instanceof Tensor ? a : null, tb = b instanceof Tensor ? b : null;
  const prefix = op === 'remainder' ? 'Remainder' : 'Fmod';
  const mode = op === 'remainder' ? 'floor' : 'trunc';
  if (tb === null) {
    record(out, `${prefix}Backward0`, [ta], [], ([g]) => [gradFor(g!, ta!)]);
  } else {
    // d/db (a - b * q) = -q, with q = a / b rounded (floor for remainder, trunc for fmod); q
    // is piecewise constant, so it is computed unrecorded.
    record(out, `${prefix}Backward1`, [ta, tb], [ta, tb], ([g], [sa, sb], needs) => [
      needs[0] ? gradFor(g!, ta!) : null,
      needs[1] ? gradFor(g!.mul(noGrad(() => pwDiv(sa ?? (a as Scalar), sb!, { roundingMode: mode }).neg())), tb) : null,
    ]);
  }
  return out;
}

/** torch.remainder(a, b): Python's modulo (the result has the divisor's sign); tensors or scalars. */
export function remainder(a: TensorLike, b: TensorLike): Tensor {
  return modulo('remainder', a, b);
}

/** torch.fmod(a, b): C's fmod (the result has the dividend's sign). */
export function fmod(a: Tensor, b: TensorLike): Tensor {
  return modulo('fmod', a, b);
}

// ------------------------------------------------------------------ outer

/** torch.outer(a, b): the outer product of two vectors (a[:, None] * b). */
export function outer(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1) throw new RuntimeError(`outer: Expected 1-D argument self, but got ${a.ndim}-D`);
  if (b.ndim !== 1) throw new RuntimeError(`outer: Expected 1-D argument vec2, but got ${b.ndim}-D`);
  return a.reshape([a.shape[0]!, 1]).mul(b);
}

/** torch.ger: alias of outer. */
export const ger = outer;
