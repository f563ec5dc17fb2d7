/**
 * `@kindling/backend-workers`: the `workers` device for Node. Large kernels are cut into shards
 * that run on piscina worker threads over SharedArrayBuffer memory; small ones run inline.
 * Results are bitwise those of the cpu backend, at any thread count.
 *
 * ```ts
 * import * as torch from '@kindling/core';
 * import { registerWorkersBackend, disposeWorkers } from '@kindling/backend-workers';
 *
 * registerWorkersBackend({ threads: 4 });
 * const x = torch.randn([4096, 4096]).to('workers');
 * const y = x.exp().sum(1);       // returns at once; the kernels run on the pool
 * console.log(await y.tolist());  // resolves when the values exist
 * await disposeWorkers();         // optional: idle workers never keep Node alive
 * ```
 */
import { availableParallelism } from 'node:os';
import { registerBackend, type Tensor } from '@kindling/core';
import { WorkersBackend } from './backend.js';
import { createPiscinaPool } from './piscina-pool.js';

export { DEFAULT_INLINE_THRESHOLD, WorkersBackend, WorkersStorage, type Fault, type WorkersBackendOptions } from './backend.js';
export { FAMILIES, type Family, type FamilyName } from './families.js';
export { BlockPool, sizeClass, type Block, type PoolStats } from '@kindling/core';
export type { Task, WorkerPool, KernelArg, BufferArg, ViewArg, ArrayArg } from './pool.js';
export { createPiscinaPool } from './piscina-pool.js';

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

const instances = new Map<string, WorkersBackend>();

/**
 * Registers the workers device (by default named 'workers') in core's registry, replacing an
 * earlier registration of the same name (whose pool is ended once its kernels are done). The
 * backend and its pool start on first use. Then `t.to('workers')`, `{ device: 'workers' }` and
 * `setDefaultDevice('workers')` work as for any device.
 */
export function registerWorkersBackend(options: WorkersOptions = {}): void {
  const name = options.name ?? 'workers';
  const old = instances.get(name);
  if (old) {
    instances.delete(name);
    void old.dispose();
  }
  registerBackend(name, () => {
    const b = new WorkersBackend({
      name,
      threads: options.threads ?? availableParallelism(),
      inlineThreshold: options.inlineThreshold,
      maxCachedBytes: options.maxCachedBytes,
      createPool: createPiscinaPool,
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
