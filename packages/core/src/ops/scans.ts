/**
 * Scans along a dim built from pointwise ops: cummax, cummin and logcumsumexp. A scan of n
 * elements takes ceil(log2 n) steps, each combining every element with the one 2^k before it
 * (Hillis-Steele), so these run on every backend through the existing families.
 */
import { isGradEnabled, noGrad } from '../autograd/grad-mode.js';
import { isFloating, scalarTypeName } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { arange, zeros } from './creation.js';
import { scatterAdd } from './indexing.js';
import { maximum, minimum, where } from './pointwise.js';
import { splitOptions } from './reduce-extra.js';
import type { ValuesIndices } from './reduce.js';
import { cat } from './shape.js';
import { valuesIndices } from './sort.js';
import { record } from './support.js';

/** Inclusive scan of t along d: r[j] = combine(r[j], r[j - s]) for s = 1, 2, 4, ... */
function scan(t: Tensor, d: number, combine: (later: Tensor, earlier: Tensor) => Tensor): Tensor {
  const n = t.shape[d] ?? 1;
  let r = t;
  for (let s = 1; s < n; s *= 2) r = cat([r.narrow(d, 0, s), combine(r.narrow(d, s, n - s), r.narrow(d, 0, n - s))], d);
  return r;
}

/** The dim argument of the scans: `(x, 1)` or `(x, { dim: 1 })`. */
function dimArg(name: string, x: Tensor, args: readonly unknown[]): number {
  const [pos, opts] = splitOptions<{ dim: number }>(args, name, ['dim']);
  const dim = (pos[0] ?? opts.dim) as number | undefined;
  if (dim === undefined) throw new RuntimeError(`${name}() missing 1 required positional arguments: "dim"`);
  return normalizeDim(dim, x.ndim);
}

/**
 * Running max / min with PyTorch's indices: a new extreme, or an equal one, moves the index
 * (the last position of the running extreme); from the first NaN on, the value is NaN and the
 * index stays at that NaN.
 */
function runningExtreme(op: 'max' | 'min', x: Tensor, dim: number | { dim: number }): ValuesIndices {
  const name = op === 'max' ? 'cummax' : 'cummin';
  const d = dimArg(name, x, [dim]);
  const n = x.ndim === 0 ? 1 : x.shape[d]!;
  const [values, indices] = noGrad(() => {
    const t = x.detach();
    if (t.numel() === 0 || t.ndim === 0) return [t.clone(), zeros(t.shape, { dtype: 'int64', device: t.device })];
    const v = scan(t, d, op === 'max' ? maximum : minimum);
    const prev = v.narrow(d, 0, n - 1), cur = t.narrow(d, 1, n - 1);
    const moves = cur.ne(cur).logicalOr(prev.eq(prev).logicalAnd(op === 'max' ? cur.ge(prev) : cur.le(prev)));
    const pos = arange(n, { device: t.device }).view(t.shape.map((_, k) => (k === d ? n : 1))).expand(t.shape);
    const first = zeros(t.shape.map((s, k) => (k === d ? 1 : s)), { dtype: 'int64', device: t.device });
    const marks = cat([first, where(moves, pos.narrow(d, 1, n - 1), 0)], d);
    return [v, scan(marks, d, maximum)];
  });
  const shape = x.shape;
  record(values, op === 'max' ? 'CummaxBackward0' : 'CumminBackward0', [x], [indices], ([g], [idx]) => [
    x.ndim === 0 ? g! : scatterAdd(zeros(shape, { dtype: g!.dtype, device: g!.device }), d, idx!, g!),
  ]);
  return valuesIndices(values, indices, name);
}

/** torch.cummax(input, dim) -> { values, indices }: the running maximum along dim and where it was. */
export function cummax(x: Tensor, dim: number | { dim: number }): ValuesIndices {
  return runningExtreme('max', x, dim);
}

/** torch.cummin(input, dim) -> { values, indices }: the running minimum along dim and where it was. */
export function cummin(x: Tensor, dim: number | { dim: number }): ValuesIndices {
  return runningExtreme('min', x, dim);
}

/** log(exp(a) + exp(b)), exact at equal infinities. */
function logaddexp(a: Tensor, b: Tensor): Tensor {
  const m = maximum(a, b);
  const gap = where(a.eq(b), 0, a.sub(b).abs());
  return m.add(gap.neg().exp().log1p());
}

/** logcumsumexp along d, never recorded. */
function logcumsumexpValues(x: Tensor, d: number): Tensor {
  return noGrad(() => (x.ndim === 0 ? x.detach().clone() : scan(x.detach(), d, logaddexp)));
}

/**
 * torch.logcumsumexp(input, dim): log of the running sum of exp along dim, computed stably.
 * Floating inputs only.
 */
export function logcumsumexp(x: Tensor, dim: number | { dim: number }): Tensor {
  const d = dimArg('logcumsumexp', x, [dim]);
  if (!isFloating(x.dtype)) throw new RuntimeError(`"logcumsumexp_out_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  const out = logcumsumexpValues(x, d);
  record(out, 'LogcumsumexpBackward0', [x], [x, out], ([g], [sx, y]) => {
    if (x.ndim === 0) return [g!];
    // dx_i = sum_{j >= i} g_j exp(x_i - y_j), summed in log space for the positive and the
    // negative parts of g separately (as PyTorch does), so nothing overflows.
    const fromEnd = (t: Tensor): Tensor => logcumsumexp(t.flip(d), d).flip(d);
    // Under createGraph the output is recomputed from x, so its dependence on x is recorded too.
    const yx = isGradEnabled() ? logcumsumexp(sx!, d) : y!;
    const part = (gp: Tensor): Tensor => fromEnd(where(gp.gt(0), gp.log().sub(yx), -Infinity)).add(sx!).exp();
    return [part(g!).sub(part(g!.neg()))];
  });
  return out;
}
