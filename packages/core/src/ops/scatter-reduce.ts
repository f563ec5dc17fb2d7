/**
 * torch.scatter_reduce: src reduced into a copy of input at the indexed places along a dim
 * ('sum', 'prod', 'mean', 'amax', 'amin'), with or without input's own values, and its
 * in-place twin. Runs the scatter kernel family; backward follows PyTorch's formulas.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { isFloating, type DType } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { ScatterMode } from '../kernels/index.js';
import { inplaceFrom } from './inplace.js';
import { atLeast1d, checkScatter } from './indexing.js';
import { where } from './pointwise.js';
import { broadcastView, commonBackend, emptyOf, record, scalarTensor } from './support.js';

/** The reductions of scatterReduce. */
export type ScatterReduce = 'sum' | 'prod' | 'mean' | 'amax' | 'amin';

/** Keywords of scatterReduce. */
export interface ScatterReduceOptions {
  /** Whether input's own values take part in the reduction (default true). */
  includeSelf?: boolean;
}

const KERNEL_MODE: Record<ScatterReduce, ScatterMode> = { sum: 'add', mean: 'add', prod: 'prod', amax: 'amax', amin: 'amin' };

/** The value a reduction starts from where input's own values are left out. */
function identity(reduce: ScatterReduce, dtype: DType): number {
  if (reduce === 'prod') return 1;
  if (reduce !== 'amax' && reduce !== 'amin') return 0;
  const big = isFloating(dtype) ? Infinity : dtype === 'int32' ? 2 ** 31 - 1 : Number.MAX_SAFE_INTEGER;
  return reduce === 'amax' ? -big : big;
}

/** The forward, unrecorded: a copy of x with src reduced in. */
function reduceInto(x: Tensor, d: number, index: Tensor, src: Tensor, reduce: ScatterReduce, includeSelf: boolean): Tensor {
  const b = x.backend;
  const out = emptyOf(x.shape, x.dtype, b);
  b.copy('plain', out, x);
  if (index.numel() === 0) return out;
  const idx = atLeast1d(index);
  if (!includeSelf) b.scatter('set', atLeast1d(out), d, idx, atLeast1d(broadcastView(scalarTensor(identity(reduce, x.dtype), x.dtype, b), index.shape)));
  b.scatter(KERNEL_MODE[reduce], atLeast1d(out), d, idx, atLeast1d(src));
  if (reduce !== 'mean') return out;
  const counts = noGrad(() => countsOf(x, d, index, includeSelf));
  return noGrad(() => (isFloating(x.dtype) ? out.div(counts) : out.div(counts, { roundingMode: 'floor' })));
}

/** How many values each place of the result averages (at least 1), in x's dtype. */
function countsOf(x: Tensor, d: number, index: Tensor, includeSelf: boolean): Tensor {
  const start = x.newFull([...x.shape], includeSelf ? 1 : 0);
  return start.scatterAdd(d, index, index.newOnes([...index.shape], { dtype: x.dtype })).clampMin(1);
}

/**
 * torch.scatter_reduce(input, dim, index, src, reduce, { includeSelf = true }): a copy of input
 * where each src element is reduced into the place index names along dim. 'mean' divides by
 * the number of values (floor division for integers); places no index names keep input's value.
 */
export function scatterReduce(x: Tensor, dim: number, index: Tensor, src: Tensor, reduce: ScatterReduce, opts: ScatterReduceOptions = {}): Tensor {
  if (!(reduce in KERNEL_MODE)) throw new RuntimeError('reduce argument must be either sum, prod, mean, amax or amin.');
  const includeSelf = opts.includeSelf ?? true;
  commonBackend(x, index, src);
  const d = normalizeDim(dim, x.ndim);
  checkScatter('scatter', x, d, index, src);
  const out = reduceInto(x, d, index, src, reduce, includeSelf);
  record(out, 'ScatterReduceBackward0', [x, src], [x, src, index, out], ([g], [sx, ss, idx, res], needs) => {
    let [gx, gs] = scatterReduceGrads(g!, sx!, ss!, idx!, res!, d, reduce, includeSelf);
    if (!includeSelf) gx = gx.scatter(d, idx!, 0);
    return [needs[0] ? gx : null, needs[1] ? gs : null];
  });
  return out;
}

/** PyTorch's scatter_reduce_backward (before input's gradient is cleared where includeSelf is false). */
function scatterReduceGrads(g: Tensor, x: Tensor, src: Tensor, idx: Tensor, res: Tensor, d: number, reduce: ScatterReduce, includeSelf: boolean): [Tensor, Tensor] {
  if (reduce === 'sum') return [g, g.gather(d, idx)];
  if (reduce === 'mean') {
    const n = noGrad(() => countsOf(x, d, idx, includeSelf));
    return [g.div(n), g.gather(d, idx).div(n.gather(d, idx))];
  }
  if (reduce === 'prod') {
    // Exclusive products, computed with zeros masked to 1 so a single zero still gets its gradient.
    const maskedSelf = where(x.eq(0), 1, x);
    const gx = g.mul(maskedSelf.scatterReduce(d, idx, src, 'prod', { includeSelf })).div(maskedSelf);
    const srcZero = src.eq(0);
    const zerosAt = x.newZeros([...x.shape]).scatterAdd(d, idx, srcZero.to(x.dtype)).gather(d, idx);
    const singleZero = srcZero.logicalAnd(zerosAt.eq(1));
    const maskedSrcResult = x.scatterReduce(d, idx, where(singleZero, 1, src), 'prod', { includeSelf });
    const gs = where(singleZero, g.mul(maskedSrcResult).gather(d, idx), g.mul(res).gather(d, idx).div(where(srcZero, 1, src)));
    return [gx, gs];
  }
  // amax / amin: the gradient is shared evenly among the values equal to the result.
  const value = res.gather(d, idx);
  const selfIs = x.eq(res), srcIs = src.eq(value);
  const share = g.div(selfIs.to(x.dtype).scatterAdd(d, idx, srcIs.to(x.dtype)));
  return [share.mul(selfIs), share.gather(d, idx).mul(srcIs)];
}

/** Tensor.scatter_reduce_: scatterReduce in place. */
export function scatterReduce_(x: Tensor, dim: number, index: Tensor, src: Tensor, reduce: ScatterReduce, opts: ScatterReduceOptions = {}): Tensor {
  return inplaceFrom(x, [src], true, (t) => scatterReduce(t, dim, index, src, reduce, opts));
}
