/**
 * One shard of a core range kernel over shared memory: what every worker thread runs, in Node
 * (worker.ts, under piscina) and in browsers (browser-worker.ts, under comlink). It imports only
 * the pure kernels (`@kindling/core/kernels`), the very functions the cpu backend calls.
 */
import * as kernels from '@kindling/core/kernels';
import type { KView } from '@kindling/core/kernels';
import type { ArrayArg, BufferArg, KernelArg, Task, ViewArg } from './pool.js';

type RangeKernel = (...args: unknown[]) => void;

const arrayOf = (b: BufferArg) => kernels.arrayView(b.dtype, b.buffer, b.byteOffset, b.length);

function decode(a: KernelArg): unknown {
  if (a === null || typeof a !== 'object') return a;
  const o = a as Partial<ViewArg & ArrayArg>;
  if (o.view) return { data: arrayOf(o.view), shape: o.shape!, strides: o.strides!, offset: o.offset! } satisfies KView;
  if (o.array) return arrayOf(o.array);
  return a; // plain parameters (e.g. unfold's window geometry)
}

/** Runs one task; `die` ends the thread (the 'exit' test fault), each runtime its own way. */
export function runTask(task: Task, die: () => never): void {
  if (task.fault !== undefined) {
    if (task.fault === 'exit') die();
    throw new Error('injected kernel fault');
  }
  const fn = (kernels as unknown as Record<string, RangeKernel>)[task.kernel];
  if (typeof fn !== 'function') throw new Error(`unknown kernel ${task.kernel}`);
  const args = task.args.map(decode);
  args.splice(task.at, 0, task.start, task.end);
  fn(...args);
}
