/**
 * Running one shard task: the same code in a worker thread and, for a shard the calling thread
 * claimed back from the queue, on the calling thread. It needs only the pure kernels.
 */
import * as kernels from '@kindling/core/kernels';
import type { KView } from '@kindling/core/kernels';
import type { WasmMemory } from '@kindling/core';
import type { ArrayArg, BufferArg, KernelArg, Task, ViewArg, WorkerSetup } from './pool.js';
import { claim, DONE, FAILED, QUEUED, RUNNING, settle, stateOf } from './signals.js';

type RangeKernel = (...args: unknown[]) => void;

/** The shared memory holding every storage (set once per thread). */
let memory: WasmMemory | null = null;

/** Sets the memory this thread's tasks address (the worker's copy of the Memory object). */
export function useMemory(m: WasmMemory): void {
  memory = m;
}

/**
 * A worker thread's start, in Node and in browsers: address the shared memory, and install and
 * warm up the wasm kernels on a scratch region of its own.
 */
export function setUpThread(setup: WorkerSetup): void {
  useMemory(setup.memory);
  const slot = Atomics.add(setup.next, 0, 1);
  if (setup.module !== null) kernels.installThreadKernels(setup.memory, setup.scratch[slot] ?? -1, setup.module);
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
