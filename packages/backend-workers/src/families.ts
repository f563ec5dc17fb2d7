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

/** The Backend methods that run kernels (everything but storage management). */
export type FamilyName = Exclude<keyof Backend, 'name' | 'allocate' | 'fromArray' | 'readSync' | 'read'>;

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
  /** 'reduceBlocks': a few long reductions are split on REDUCE_BLOCK boundaries instead. */
  readonly split?: 'reduceBlocks';
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
  fill: { kernel: 'fillRange', at: 2, range: (a) => numel(view(a, 0)) },
  copy: { kernel: 'copyRange', at: 3, range: (a) => numel(view(a, 1)) },
  unary: { kernel: 'unaryRange', at: 3, range: (a) => numel(view(a, 1)) },
  binary: { kernel: 'binaryRange', at: 4, range: (a) => numel(view(a, 1)) },
  where: { kernel: 'whereRange', at: 4, range: (a) => numel(view(a, 0)) },
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
};

/** True for a strided view argument (as opposed to an op name or a scalar). */
export function isView(a: unknown): a is View {
  return typeof a === 'object' && a !== null && 'storage' in a;
}

/** The op as error messages name it: the family plus its op argument ("unary exp", "matmul"). */
export function opName(family: string, args: readonly unknown[]): string {
  return typeof args[0] === 'string' ? `${family} ${args[0]}` : family;
}
