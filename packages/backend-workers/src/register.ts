/**
 * Registering the workers device, shared by the Node entry (index.ts: piscina threads) and the
 * browser entry (browser.ts: comlink-wrapped Web Workers), which differ only in the pool they
 * make and the default thread count.
 */
import { registerBackend, type Tensor } from '@kindling/core';
import { WorkersBackend } from './backend.js';
import type { WorkerPool } from './pool.js';

/** Options of registerWorkersBackend. */
export interface WorkersOptions {
  /** Worker threads (default: the machine's available parallelism). */
  threads?: number;
  /**
   * Kernels touching fewer elements than this run inline, synchronously, on the calling thread
   * (default 65536, tuned from PyTorch's grain of 32768 by measurement). 0 sends every kernel
   * through the pool.
   */
  inlineThreshold?: number;
  /** Most bytes of freed shared memory kept for reuse (default 1 GiB). */
  maxCachedBytes?: number;
  /** Device name (default 'workers'). */
  name?: string;
}

/** How a runtime makes its pool. */
export interface Runtime {
  defaultThreads(): number;
  createPool(threads: number): WorkerPool;
}

const instances = new Map<string, WorkersBackend>();

/** registerWorkersBackend for one runtime (see the entries' TSDoc). */
export function register(options: WorkersOptions, runtime: Runtime): void {
  const name = options.name ?? 'workers';
  const old = instances.get(name);
  if (old) {
    instances.delete(name);
    void old.dispose();
  }
  registerBackend(name, () => {
    const b = new WorkersBackend({
      name,
      threads: options.threads ?? runtime.defaultThreads(),
      inlineThreshold: options.inlineThreshold,
      maxCachedBytes: options.maxCachedBytes,
      createPool: (threads) => runtime.createPool(threads),
    });
    instances.set(name, b);
    return b;
  });
}

/**
 * Waits for every kernel issued on the workers devices, then ends their worker threads. Not
 * needed for Node to exit (idle workers never keep it alive); a later kernel starts a new pool.
 */
export async function disposeWorkers(): Promise<void> {
  await Promise.all([...instances.values()].map((b) => b.dispose()));
}

/**
 * Frees a workers tensor's memory for reuse now rather than when it is garbage collected. Every
 * tensor sharing its storage (views) becomes unusable: reads reject, kernels reading it fail.
 * Does nothing for tensors of other devices.
 */
export function disposeTensor(t: Tensor): void {
  if (t.backend instanceof WorkersBackend) t.backend.release(t.storage);
}
