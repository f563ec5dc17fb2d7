/**
 * Running one shard task: the same code in a worker thread and, for a shard the calling thread
 * claimed back from the queue, on the calling thread. It needs only the pure kernels.
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

/** Calls the task's range kernel over its shard. Throws what the kernel throws. */
export function runKernel(task: Task): void {
  const fn = (kernels as unknown as Record<string, RangeKernel>)[task.kernel];
  if (typeof fn !== 'function') throw new Error(`unknown kernel ${task.kernel}`);
  const args = task.args.map(decode);
  args.splice(task.at, 0, task.start, task.end);
  fn(...args);
}
