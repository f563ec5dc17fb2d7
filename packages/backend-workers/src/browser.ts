/**
 * `@kindling/backend-workers` in browsers (the package's `browser` export condition): the same
 * workers device, on comlink-wrapped module Web Workers instead of Node worker threads.
 *
 * Shared memory needs a cross-origin isolated page (served with `Cross-Origin-Opener-Policy:
 * same-origin` and `Cross-Origin-Embedder-Policy: require-corp`). Without it, registering warns
 * once and 'workers' stays a valid device that runs the cpu kernels on the calling thread.
 */
import { getBackend, registerBackend } from '@kindling/core';
import { createComlinkPool } from './comlink-pool.js';
import { scope } from './browser-globals.js';
import { checkOptions, register, type WorkersOptions } from './register.js';

export { DEFAULT_INLINE_THRESHOLD, MAX_THREADS, WorkersBackend, type Fault, type WorkersBackendOptions } from './backend.js';
export { WorkersStorage } from './memory.js';
export { Job, Scheduler } from './scheduler.js';
export { FAMILIES, STORAGE_METHODS, type Family, type FamilyName } from './families.js';
export type { Task, WorkerPool, KernelArg, BufferArg, ViewArg, ArrayArg } from './pool.js';
export { createComlinkPool, defaultWorkerUrl } from './comlink-pool.js';
export { disposeWorkers, disposeTensor, type WorkersOptions } from './register.js';

/** Options of registerWorkersBackend in browsers. */
export interface BrowserWorkersOptions extends WorkersOptions {
  /**
   * URL of the bundled worker script (default: `browser-worker.bundle.js` beside this module,
   * which Vite and most bundlers copy on their own). Pass it when your bundler moves the file.
   */
  workerUrl?: string | URL;
}

let warned = false;

/** Whether this page can share memory with workers. */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && scope.crossOriginIsolated !== false;
}

/**
 * Registers the workers device (by default named 'workers'); threads default to
 * `navigator.hardwareConcurrency`. On a page that is not cross-origin isolated it warns once and
 * registers a device of that name running the cpu kernels, so code written for 'workers' runs
 * unchanged.
 */
export function registerWorkersBackend(options: BrowserWorkersOptions = {}): void {
  const { workerUrl, ...common } = options;
  checkOptions(common);
  if (!canShareMemory()) {
    if (!warned) {
      warned = true;
      console.warn(
        "Kindling: this page is not cross-origin isolated, so it cannot share memory with workers; the 'workers' device runs the cpu kernels on this thread. Serve the page with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp to use the worker pool.",
      );
    }
    const name = options.name ?? 'workers';
    registerBackend(name, () => ({ ...getBackend('cpu'), name }));
    return;
  }
  register(common, {
    defaultThreads: () => scope.navigator?.hardwareConcurrency ?? 4,
    createPool: (threads, setup) => createComlinkPool(threads, setup, workerUrl),
  });
}
