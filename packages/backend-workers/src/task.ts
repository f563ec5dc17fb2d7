/**
 * Running one shard task: the same code in a worker thread and, for a shard the calling thread
 * claimed back from the queue, on the calling thread. It needs only the pure kernels.
 */
import * as kernels from '@kindling/core/kernels';
import type { KView } from '@kindling/core/kernels';
import type { WasmMemory } from '@kindling/core';
import type { ArrayArg, BufferArg, KernelArg, Task, ViewArg } from './pool.js';

type RangeKernel = (...args: unknown[]) => void;

/** The shared memory holding every storage (set once per thread). */
let memory: WasmMemory | null = null;

/** Sets the memory this thread's tasks address (the worker's copy of the Memory object). */
export function useMemory(m: WasmMemory): void {
  memory = m;
}

const arrayOf = (buffer: ArrayBufferLike, b: BufferArg) => kernels.arrayView(b.dtype, buffer, b.byteOffset, b.length);

function decode(a: KernelArg, buffer: ArrayBufferLike): unknown {
  if (a === null || typeof a !== 'object') return a;
  const o = a as Partial<ViewArg & ArrayArg>;
  if (o.view) return { data: arrayOf(buffer, o.view), shape: o.shape!, strides: o.strides!, offset: o.offset! } satisfies KView;
  if (o.array) return arrayOf(buffer, o.array);
  return a; // plain parameters (e.g. unfold's window geometry)
}

/**
 * Calls the task's range kernel over its shard, in `m` (default: this thread's memory). Throws
 * what the kernel throws.
 */
export function runKernel(task: Task, m: WasmMemory | null = memory): void {
  const fn = (kernels as unknown as Record<string, RangeKernel>)[task.kernel];
  if (typeof fn !== 'function') throw new Error(`unknown kernel ${task.kernel}`);
  if (m === null) throw new Error('this thread has no memory (useMemory was not called)');
  // Views on the current buffer: the memory may have grown since the last task.
  const buffer = m.buffer;
  const args = task.args.map((a) => decode(a, buffer));
  args.splice(task.at, 0, task.start, task.end);
  fn(...args);
}
