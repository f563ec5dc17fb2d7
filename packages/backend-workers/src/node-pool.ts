/**
 * The Node pool: worker threads running dist/worker.js. A task is posted to a thread and nothing
 * is kept for it: the worker reports its end only in the task's completion word (signals.ts).
 * So a synchronous loop that never yields to the event loop piles up no per-task promises,
 * answers or bookkeeping (a pool with per-task answers, such as piscina, keeps each task until
 * its answer is read on the event loop, and memory grows with every step of such a loop).
 */
import { Worker } from 'node:worker_threads';
import { RuntimeError } from '@kindling/core';
import type { Task, WorkerPool, WorkerSetup } from './pool.js';

/**
 * The compiled worker script. Under a TypeScript runner (vitest runs src/*.ts) the worker still
 * has to be plain JavaScript, so it comes from the package's dist folder (built before tests).
 */
function workerFile(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? '../dist/worker.js' : './worker.js', here);
}

/** What a Node worker thread starts with: the pool's setup, and a flag it sets once set up. */
export interface NodeWorkerData {
  readonly setup: WorkerSetup;
  readonly started: Int32Array;
}

/**
 * A pool of `threads` worker threads, each started with `setup` (the shared memory holding all
 * storage, the compiled kernels). Tasks go to the threads in turn. A thread that ends is
 * replaced, and `died` is called: the tasks posted to it and not claimed will never run there.
 * Threads keep Node alive only while `keepAlive(true)` (work is pending).
 */
export function createNodePool(threads: number, setup: WorkerSetup, died: () => void = () => {}): WorkerPool {
  const workers: (Worker | null)[] = [];
  let next = 0;
  let alive = false;
  let destroyed = false;
  let broken: RuntimeError | null = null;

  function spawn(i: number): void {
    // The thread sets `started` once set up (in shared memory: its exit may be seen before any message).
    const started = new Int32Array(new SharedArrayBuffer(4));
    // Started from a one-line import, not the file itself: a program run with -e --input-type
    // passes that flag on to its threads, and it refuses a thread started from a file.
    const w = new Worker(`import(${JSON.stringify(workerFile().href)})`, { eval: true, workerData: { setup, started } satisfies NodeWorkerData });
    w.on('error', () => {}); // 'exit' follows, and handles it
    w.on('exit', (code) => {
      if (destroyed || workers[i] !== w) return;
      workers[i] = null;
      // A thread that never got set up (a script that fails to load) is not started again and again.
      if (Atomics.load(started, 0) === 1) spawn(i);
      else broken ??= new RuntimeError(`the workers pool could not start its worker thread ${workerFile().href} (it exited with code ${code})`);
      died();
    });
    if (!alive) w.unref();
    workers[i] = w;
  }

  for (let i = 0; i < threads; i++) spawn(i);
  return {
    threads,
    send(task: Task): void {
      for (let k = 0; k < threads; k++) {
        const w = workers[next];
        next = (next + 1) % threads;
        if (w) return w.postMessage(task);
      }
      throw broken ?? new RuntimeError('the workers pool has no thread running');
    },
    keepAlive(on: boolean): void {
      if (on === alive) return;
      alive = on;
      for (const w of workers) if (w) (on ? w.ref() : w.unref());
    },
    async destroy(): Promise<void> {
      destroyed = true;
      await Promise.all(workers.map((w) => w?.terminate()));
    },
  };
}
