/**
 * The worker thread: claims a shard task, runs it over shared memory with the very kernels the
 * cpu backend calls, and reports the end in the task's completion word (see signals.ts), so a
 * reader blocked on this shard wakes up, even if this thread dies.
 */
import { claim, DIED, DONE, FAILED, QUEUED, RUNNING, settle } from './signals.js';
import { workerData } from 'node:worker_threads';
import { installThreadKernels } from '@kindling/core';
import { runKernel, useMemory } from './task.js';
import type { Task, WorkerSetup } from './pool.js';

// This thread's memory and wasm kernels (on the scratch region it takes), warmed up now.
const setup = workerData as WorkerSetup;
useMemory(setup.memory);
const slot = Atomics.add(setup.next, 0, 1);
if (setup.module !== null) installThreadKernels(setup.memory, setup.scratch[slot] ?? -1, setup.module);

/** The task this thread is running (for the exit handler). */
let current: Task | null = null;

// A thread that ends mid-task (process.exit, an uncaught error) fails its shard instead of
// leaving a blocked reader waiting for it.
process.on('exit', (code) => {
  if (current !== null) settle(current.signal, DIED, `the worker thread exited with code ${code}`);
});

/** piscina calls this once per task. */
export default function runTask(task: Task): void {
  // The calling thread may have claimed the shard while it was queued: then it is not ours.
  if (!claim(task.signal, QUEUED, RUNNING)) return;
  current = task;
  try {
    if (task.fault === 'exit') process.exit(3);
    if (task.fault === 'throw') throw new Error('injected kernel fault');
    runKernel(task);
    settle(task.signal, DONE);
  } catch (e) {
    settle(task.signal, FAILED, e instanceof Error ? e.message : String(e));
  } finally {
    current = null;
  }
}
