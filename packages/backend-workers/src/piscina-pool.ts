/** The Node pool: piscina worker threads running dist/worker.js. */
import { Piscina } from 'piscina';
import type { Task, WorkerPool, WorkerSetup } from './pool.js';

/**
 * The compiled worker script. Under a TypeScript runner (vitest runs src/*.ts) the worker still
 * has to be plain JavaScript, so it comes from the package's dist folder (built before tests).
 */
function workerFile(): string {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? '../dist/worker.js' : './worker.js', here).href;
}

/**
 * A piscina pool of `threads` workers, each started with `setup` (the shared memory holding all
 * storage, the compiled kernels). Idle workers are unref'd, so they never keep Node alive.
 */
export function createPiscinaPool(threads: number, setup: WorkerSetup): WorkerPool {
  const piscina = new Piscina({
    filename: workerFile(),
    workerData: setup,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Infinity, // keep warm (JIT-compiled kernels) threads; they are unref'd anyway
    recordTiming: false,
    // Send every task to a worker at once, never into piscina's own queue: piscina learns that a
    // worker finished only from a message, which a thread blocked in a synchronous read does not
    // receive; the backend learns it from shared memory (see signals.ts) and keeps sending.
    concurrentTasksPerWorker: 1 << 20,
  });
  // A worker that dies with no task on it is reported as an 'error' event; piscina has already
  // replaced it, and an unhandled 'error' event would crash the process.
  piscina.on('error', () => {});
  return {
    threads,
    run: (task: Task) => piscina.run(task) as Promise<void>,
    destroy: () => piscina.destroy(),
  };
}
