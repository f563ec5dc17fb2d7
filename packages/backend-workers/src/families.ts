/**
 * The kernel families, one table entry each: which core range kernel runs a Backend method and
 * how its range is cut into shards. A backend method's arguments are passed to the kernel in the
 * same order, with `start, end` inserted at position `at`; the written view(s) come first among
 * the views, every other view is read.
 *
 * Ranges are contiguous pieces of [0, range): output elements for elementwise families, rows of
 * the flattened [B*M] output for matmul, output elements (or fixed reduction blocks, see
 * `split`) for reductions.
 */
import type { Backend, View } from '@kindling/core';
import { laneCount, softmaxRows } from '@kindling/core/kernels';

/** The Backend members that are not kernel families (storage, reads, threads). */
export const STORAGE_METHODS: ReadonlySet<string> = new Set(['name', 'allocate', 'fromArray', 'readSync', 'readBlocking', 'read', 'ready', 'threads', 'setThreads', 'release']);

/** The Backend methods that run kernels (everything but storage management). */
export type FamilyName = Exclude<keyof Backend, 'name' | 'allocate' | 'fromArray' | 'readSync' | 'readBlocking' | 'read' | 'ready' | 'threads' | 'setThreads'>;

/** How one family runs. */
export interface Family {
  /** The range kernel's name in `@kindling/core/kernels`. */
  readonly kernel: string;
  /** Position of `start, end` in the kernel's parameter list. */
  readonly at: number;
  /** Length of the range the kernel is cut along. */
  readonly range: (args: readonly unknown[]) => number;
  /** Elements touched, compared with the inline threshold (default: the range). */
  readonly work?: (args: readonly unknown[]) => number;
  /** Number of leading views the kernel writes (default 1). */
  readonly writes?: number;
  /** Element i of the output reads only element i of each input view (in-place on one view is safe to shard). */
  readonly pointwise?: boolean;
  /** 'reduceBlocks': a few long reductions are split on REDUCE_BLOCK boundaries instead. */
  readonly split?: 'reduceBlocks';
  /**
   * Indexing families: argument positions of the index view, of the dim, and of the view whose
   * dim bounds the index, plus which error a bad index raises (as the kernel does). The backend
   * checks a resident index on the calling thread so bad input throws at the call, as on cpu.
   */
  readonly index?: { readonly index: number; readonly dim: number; readonly bound: number; readonly error: 'dim' | 'self' };
}

/** Number of elements of a view. */
export function numel(v: View): number {
  let n = 1;
  for (const s of v.shape) n *= s;
  return n;
}

const view = (args: readonly unknown[], i: number): View => args[i] as View;

/**
 * The families this backend runs. A Backend method missing here throws NotSupportedError on
 * workers (and a test lists it), so a family added to core never breaks the build.
 */
export const FAMILIES: Partial<Record<FamilyName, Family>> = {
  fill: { pointwise: true, kernel: 'fillRange', at: 2, range: (a) => numel(view(a, 0)) },
  copy: { pointwise: true, kernel: 'copyRange', at: 3, range: (a) => numel(view(a, 1)) },
  unary: { pointwise: true, kernel: 'unaryRange', at: 3, range: (a) => numel(view(a, 1)) },
  binary: { pointwise: true, kernel: 'binaryRange', at: 4, range: (a) => numel(view(a, 1)) },
  where: { pointwise: true, kernel: 'whereRange', at: 4, range: (a) => numel(view(a, 0)) },
  reduce: {
    kernel: 'reduceRange', at: 4, split: 'reduceBlocks',
    range: (a) => numel(view(a, 1)),
    work: (a) => numel(view(a, 2)),
  },
  matmul: {
    kernel: 'matmulRange', at: 3,
    range: (a) => view(a, 0).shape[0]! * view(a, 0).shape[1]!,
    work: (a) => numel(view(a, 0)) * view(a, 1).shape[2]!,
  },
  gather: {
    kernel: 'gatherRange', at: 4, range: (a) => numel(view(a, 0)),
    index: { index: 3, dim: 2, bound: 1, error: 'dim' },
  },
  // Scatter-like kernels walk every source element in each shard and keep their own targets.
  scatter: {
    kernel: 'scatterRange', at: 5, range: (a) => numel(view(a, 1)), work: (a) => numel(view(a, 3)),
    index: { index: 3, dim: 2, bound: 1, error: 'dim' },
  },
  indexSelect: {
    kernel: 'indexSelectRange', at: 4, range: (a) => numel(view(a, 0)),
    index: { index: 3, dim: 2, bound: 1, error: 'self' },
  },
  indexAdd: {
    kernel: 'indexAddRange', at: 4, range: (a) => numel(view(a, 0)), work: (a) => numel(view(a, 3)),
    index: { index: 2, dim: 1, bound: 0, error: 'self' },
  },
  // Lanes: the positions of out's shape without `dim`, each scanned in order.
  cumulative: {
    kernel: 'cumulativeRange', at: 4,
    range: (a) => laneCount(view(a, 1).shape, a[3] as number),
    work: (a) => numel(view(a, 1)),
  },
  unfold: {
    kernel: 'unfoldRange', at: 4, range: (a) => numel(view(a, 1)),
    work: (a) => Math.max(numel(view(a, 1)), numel(view(a, 2))),
  },
  // Lanes of x along `dim`, each sorted whole by one shard; writes values and indices.
  sort: {
    kernel: 'sortRange', at: 6, writes: 2,
    range: (a) => laneCount(view(a, 2).shape, a[3] as number),
    work: (a) => numel(view(a, 2)),
  },
  // Rows along the last dim, each computed whole by one shard.
  softmax: { kernel: 'softmaxRange', at: 3, range: (a) => softmaxRows(view(a, 1).shape), work: (a) => numel(view(a, 1)) },
  softmaxBackward: { kernel: 'softmaxBackwardRange', at: 4, range: (a) => softmaxRows(view(a, 1).shape), work: (a) => numel(view(a, 1)) },
};

/** True for a strided view argument (as opposed to an op name or a scalar). */
export function isView(a: unknown): a is View {
  return typeof a === 'object' && a !== null && 'storage' in a;
}

/** The op as error messages name it: the family plus its op argument ("unary exp", "matmul"). */
export function opName(family: string, args: readonly unknown[]): string {
  return typeof args[0] === 'string' ? `${family} ${args[0]}` : family;
}
