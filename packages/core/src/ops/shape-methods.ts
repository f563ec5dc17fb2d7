/**
 * Installs the shape, indexing, cumulative and extra pointwise ops as Tensor methods
 * (`x.flip(0)` for `torch.flip(x, [0])`), declaring them on the Tensor interface.
 */
import { Tensor } from '../tensor.js';
import * as cu from './cumulative.js';
import * as ix from './indexing.js';
import * as pe from './pointwise-extra.js';
import * as sh from './shape.js';
import type { CumulativeOptions } from './cumulative.js';
import type { GatherOptions, IndexAddOptions, IndexPutOptions, NonzeroOptions, ScatterOptions, SetIndexItems } from './indexing.js';
import type { ClampOptions } from './pointwise-extra.js';
import type { TensorLike } from './pointwise.js';
import type { DiagonalOptions, DimOptions, RollOptions } from './shape.js';

type Bound = TensorLike | null | undefined;

declare module '../tensor.js' {
  interface Tensor {
    // shape
    /** Pieces of `splitSize` (or of the listed sizes) along dim, as views. */
    split(splitSizeOrSections: number | readonly number[], dim?: number | DimOptions): Tensor[];
    /** At most `chunks` equal pieces along dim, as views. */
    chunk(chunks: number, dim?: number | DimOptions): Tensor[];
    /** The slices along dim, as views. */
    unbind(dim?: number | DimOptions): Tensor[];
    /** Tiles the tensor: `x.repeat(2, 1)` or `x.repeat([2, 1])`. */
    repeat(...sizes: (number | readonly number[])[]): Tensor;
    /** Reverses the given dims: `x.flip(0, 2)` or `x.flip([0, 2])`. */
    flip(...dims: (number | readonly number[] | { dims: number | readonly number[] })[]): Tensor;
    /** Rotates along dims (or the flattened tensor when dims is omitted). */
    roll(shifts: number | readonly number[] | RollOptions, dims?: number | readonly number[] | null | RollOptions): Tensor;
    /** Lower triangle of the last two dims (zeros above the `diagonal`-th diagonal). */
    tril(diagonal?: number | DiagonalOptions): Tensor;
    /** Upper triangle of the last two dims (zeros below the `diagonal`-th diagonal). */
    triu(diagonal?: number | DiagonalOptions): Tensor;
    // cumulative
    /** Running sums along dim (`x.cumsum(1)` or `x.cumsum({ dim: 1, dtype })`). */
    cumsum(dim?: number | CumulativeOptions, opts?: CumulativeOptions): Tensor;
    /** Running products along dim. */
    cumprod(dim?: number | CumulativeOptions, opts?: CumulativeOptions): Tensor;
    // indexing
    /** torch.gather along dim with an int64 index of the output's shape. */
    gather(dim: number, index: Tensor, opts?: GatherOptions): Tensor;
    /** A copy with src (or a scalar) written at index along dim. */
    scatter(dim: number, index: Tensor, src: TensorLike, opts?: ScatterOptions): Tensor;
    /** scatter in place. */
    scatter_(dim: number, index: Tensor, src: TensorLike, opts?: ScatterOptions): Tensor;
    /** A copy with src added at index along dim. */
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    /** scatterAdd in place. */
    scatterAdd_(dim: number, index: Tensor, src: Tensor): Tensor;
    /** The slices along dim picked by a 1-d index. */
    indexSelect(dim: number, index: Tensor): Tensor;
    /** A copy with alpha * source[j] added to slice index[j] along dim. */
    indexAdd(dim: number, index: Tensor, source: Tensor, opts?: IndexAddOptions): Tensor;
    /** indexAdd in place. */
    indexAdd_(dim: number, index: Tensor, source: Tensor, opts?: IndexAddOptions): Tensor;
    /** value where mask is true, else this (broadcasting). */
    maskedFill(mask: Tensor, value: TensorLike): Tensor;
    /** maskedFill in place. */
    maskedFill_(mask: Tensor, value: TensorLike): Tensor;
    /** The elements where mask is true, as a 1-d tensor. */
    maskedSelect(mask: Tensor): Tensor;
    /** Indices of the nonzero elements ([n, ndim] int64, or one tensor per dim with asTuple). */
    nonzero(): Tensor;
    nonzero(opts: NonzeroOptions & { asTuple: true }): Tensor[];
    nonzero(opts?: NonzeroOptions): Tensor | Tensor[];
    /** A copy with `this[indices] = values` for a list of index tensors (null: a whole dim). */
    indexPut(indices: readonly (Tensor | null)[], values: TensorLike, accumulate?: boolean | IndexPutOptions): Tensor;
    /** indexPut in place. */
    indexPut_(indices: readonly (Tensor | null)[], values: TensorLike, accumulate?: boolean | IndexPutOptions): Tensor;
    /**
     * `this[items] = value` in place (Python's __setitem__). `items` is one index item, a list
     * of items (a Python tuple) or a string: `x.setIndex([0, [1, 3]], v)` or
     * `x.setIndex('0, 1:3', v)` is `x[0, 1:3] = v`; `x.setIndex(mask, 0)` is `x[mask] = 0`.
     *
     * @remarks Differs from PyTorch: a method stands for `x[items] = value`; an array item is a
     * slice, not a list of indices.
     */
    setIndex(items: SetIndexItems, value: TensorLike): Tensor;
    // pointwise extras
    /** Limits values to [min, max] (scalars or tensors; either may be null). */
    clamp(min?: Bound | ClampOptions, max?: Bound): Tensor;
    /** clamp in place. */
    clamp_(min?: Bound | ClampOptions, max?: Bound): Tensor;
    /** Alias of clamp. */
    clip(min?: Bound | ClampOptions, max?: Bound): Tensor;
    /** Alias of clamp_. */
    clip_(min?: Bound | ClampOptions, max?: Bound): Tensor;
    /** Values below min raised to it. */
    clampMin(min: TensorLike): Tensor;
    /** clampMin in place. */
    clampMin_(min: TensorLike): Tensor;
    /** Values above max lowered to it. */
    clampMax(max: TensorLike): Tensor;
    /** clampMax in place. */
    clampMax_(max: TensorLike): Tensor;
    /** this + weight * (end - this). */
    lerp(end: Tensor, weight: TensorLike): Tensor;
    /** Elementwise atan2(this, other). */
    atan2(other: Tensor): Tensor;
    /** Python's modulo (the sign of the divisor). */
    remainder(other: TensorLike): Tensor;
    /** C's fmod (the sign of the dividend). */
    fmod(other: TensorLike): Tensor;
    /** Outer product with another vector. */
    outer(other: Tensor): Tensor;
    /** Alias of outer. */
    ger(other: Tensor): Tensor;
  }
}

/** Binds `fn(x, ...args)` as `x.name(...args)`. */
function method<A extends unknown[], R>(fn: (x: Tensor, ...args: A) => R): (this: Tensor, ...args: A) => R {
  return function (this: Tensor, ...args: A): R {
    return fn(this, ...args);
  };
}

Object.assign(Tensor.prototype, {
  split: method(sh.split), chunk: method(sh.chunk), unbind: method(sh.unbind), repeat: method(sh.repeat),
  flip: method(sh.flip), roll: method(sh.roll), tril: method(sh.tril), triu: method(sh.triu),
  cumsum: method(cu.cumsum), cumprod: method(cu.cumprod),
  gather: method(ix.gather), scatter: method(ix.scatter), scatter_: method(ix.scatter_),
  scatterAdd: method(ix.scatterAdd), scatterAdd_: method(ix.scatterAdd_), indexSelect: method(ix.indexSelect),
  indexAdd: method(ix.indexAdd), indexAdd_: method(ix.indexAdd_), maskedFill: method(ix.maskedFill),
  maskedFill_: method(ix.maskedFill_), maskedSelect: method(ix.maskedSelect),
  nonzero: method((x: Tensor, opts?: NonzeroOptions) => ix.nonzero(x, opts)),
  indexPut: method(ix.indexPut), indexPut_: method(ix.indexPut_), setIndex: method(ix.setIndex),
  clamp: method(pe.clamp), clamp_: method(pe.clamp_), clip: method(pe.clip), clip_: method(pe.clip_),
  clampMin: method(pe.clampMin), clampMin_: method(pe.clampMin_), clampMax: method(pe.clampMax), clampMax_: method(pe.clampMax_),
  lerp: method(pe.lerp), atan2: method(pe.atan2), remainder: method(pe.remainder), fmod: method(pe.fmod),
  outer: method(pe.outer), ger: method(pe.ger),
});
