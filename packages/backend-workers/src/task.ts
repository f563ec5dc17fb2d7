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

/** Test hook 'exit' in Node: ends this thread mid-task (the 'exit' handler reports the shard DIED). */
function exitProcess(): void {
  (globalThis as { process?: { exit(code: number): void } }).process?.exit(3);
}

/** The task this thread is running (for an exit handler), or null. */
let current: Task | null = null;

/** The task this thread is running, or null. */
export function currentTask(): Task | null {
  return current;
}

/**
 * A worker's whole job for one task: claim the shard in its completion word (the calling thread
 * may have claimed it back while it was queued: then it is not ours), run it, and report its end
 * there. Any worker entry (Node's, a browser's) calls this; `exitThread` is how the 'exit' test
 * fault ends the thread there.
 */
export function runShard(task: Task, exitThread: () => void = exitProcess): void {
  if (!claim(task.signal, QUEUED, RUNNING)) return;
  current = task;
  try {
    if (task.fault === 'exit') {
      exitThread();
      throw new Error('the worker thread closed'); // a Web Worker's close() returns: stop here
    }
    if (task.fault === 'throw') throw new Error('injected kernel fault');
    runKernel(task);
    settle(task.signal, DONE);
  } catch (e) {
    // An exiting thread may have reported DIED itself (see browser-worker.ts).
    if (stateOf(task.signal) === RUNNING) settle(task.signal, FAILED, e instanceof Error ? e.message : String(e));
  } finally {
    current = null;
  }
}
