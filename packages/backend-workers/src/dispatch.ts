/**
 * Dispatch geometry: how a kernel call is cut into shards, how a long reduction is split into
 * fixed blocks, and which writes overlap what the same kernel reads. Pure functions of views.
 */
import { IndexError, RuntimeError, type View } from '@kindling/core';
import * as kernels from '@kindling/core/kernels';
import type { KView } from '@kindling/core/kernels';
import { isView, numel, type Family } from './families.js';
import type { WorkersStorage } from './memory.js';
import type { KernelArg } from './pool.js';

/**
 * A view as a kernel on this thread sees it: its values brought into the memory if evicted, or,
 * with `peek`, where they are.
 */
export function kview(v: View, peek = false): KView {
  const s = v.storage as WorkersStorage;
  return { data: peek ? s.peek() : s.data, shape: v.shape, strides: v.strides, offset: v.offset };
}

/** A kernel argument as it travels to a worker (views by their shared memory). */
export function encode(a: unknown): KernelArg {
  if (!isView(a)) return a as KernelArg;
  return { view: (a.storage as WorkersStorage).arg, shape: a.shape, strides: a.strides, offset: a.offset };
}

/** How many shards a range of `total` units and `work` elements is cut into. */
export function shardCount(threads: number, inlineThreshold: number, total: number, work: number): number {
  const byWork = inlineThreshold > 0 ? Math.max(1, Math.floor(work / inlineThreshold)) : threads;
  return Math.max(1, Math.min(threads, byWork, total));
}

/** The bounds of shard `i` of `n` over [0, total). */
export function shardRange(total: number, i: number, n: number): [number, number] {
  return [Math.floor((total * i) / n), Math.floor((total * (i + 1)) / n)];
}

/** Elements per reduced row of x, whose last `nr` dims are reduced. */
export function rowSize(x: View, nr: number): number {
  let r = 1;
  for (let d = x.shape.length - nr; d < x.shape.length; d++) r *= x.shape[d]!;
  return r;
}

const indexRows = new kernels.Rows();

/**
 * Throws the kernel's own error now if a resident index holds an out-of-range value, so bad
 * input fails at the call as on cpu (the first bad value in row-major order, as the kernel
 * meets it). A pending index is checked by the kernel itself; then the read rejects.
 */
export function checkIndex(spec: NonNullable<Family['index']>, args: readonly unknown[]): void {
  const index = args[spec.index] as View, dim = args[spec.dim] as number, bound = args[spec.bound] as View;
  const s = index.storage as WorkersStorage;
  if (s.error !== null || (s.writer !== null && !s.writer.done)) return;
  const size = bound.shape[dim]!, ix = s.data;
  const it = indexRows.init(index.shape, [index.strides], [index.offset], 0, numel(index));
  while (it.next()) {
    for (let n = it.n, i = it.o0; n > 0; n--, i += it.s0) {
      const k = ix[i]!;
      if (k >= 0 && k < size) continue;
      if (spec.error === 'self') throw new IndexError('index out of range in self');
      throw new RuntimeError(`index ${k} is out of bounds for dimension ${dim} with size ${size}`);
    }
  }
}

/** The smallest and largest element offsets a view touches. */
function span(v: View): [number, number] {
  let lo = v.offset, hi = v.offset;
  for (let d = 0; d < v.shape.length; d++) {
    const ext = (v.shape[d]! - 1) * v.strides[d]!;
    if (ext < 0) lo += ext;
    else hi += ext;
  }
  return [lo, hi];
}

function sameView(a: View, b: View): boolean {
  if (a.offset !== b.offset || a.shape.length !== b.shape.length) return false;
  for (let d = 0; d < a.shape.length; d++) if (a.shape[d] !== b.shape[d] || (a.shape[d]! > 1 && a.strides[d] !== b.strides[d])) return false;
  return true;
}

/**
 * Whether a written view shares memory with a view the kernel reads, other than the very same
 * view in a pointwise family (where element i only reads element i: in-place ops are safe).
 */
export function overlapsReads(fam: Family, args: readonly unknown[]): boolean {
  const views = args.filter(isView);
  const nw = fam.writes ?? 1;
  for (let w = 0; w < nw; w++) {
    const out = views[w]!;
    const [lo, hi] = span(out);
    for (let i = nw; i < views.length; i++) {
      const v = views[i]!;
      if (v.storage !== out.storage) continue;
      if (fam.pointwise && sameView(v, out)) continue;
      const [l, h] = span(v);
      if (l <= hi && lo <= h) return true;
    }
  }
  return false;
}
