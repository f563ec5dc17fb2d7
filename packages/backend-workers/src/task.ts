/**
 * Running one shard task: the same code in a worker thread and, for a shard the calling thread
 * claimed back from the queue, on the calling thread. It needs only the pure kernels.
 */
import * as kernels from '@kindling/core/kernels';
import type { KView } from '@kindling/core/kernels';
import type { ArrayArg, BufferArg, KernelArg, Task, ViewArg } from './pool.js';
import { claim, DONE, FAILED, QUEUED, RUNNING, settle, stateOf } from './signals.js';

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

/** The shard this worker thread is running, if any (read by a thread that dies mid-task). */
export let currentShard: Task | null = null;

/**
 * A worker thread's whole job for one task, in Node and in browsers: claim the shard (the
 * calling thread may have claimed it back while it was queued: then it is not ours), run it, and
 * report its end in the completion word. `die` ends the thread (the 'exit' test fault); it
 * reports DIED itself or leaves that to the runtime's exit hook.
 */
export function runShard(task: Task, die: () => never): void {
  if (!claim(task.signal, QUEUED, RUNNING)) return;
  currentShard = task;
  try {
    if (task.fault === 'exit') die();
    if (task.fault === 'throw') throw new Error('injected kernel fault');
    runKernel(task);
    settle(task.signal, DONE);
  } catch (e) {
    if (stateOf(task.signal) === RUNNING) settle(task.signal, FAILED, e instanceof Error ? e.message : String(e));
  } finally {
    currentShard = null;
  }
}
