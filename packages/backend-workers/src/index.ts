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
import { createPiscinaPool } from './piscina-pool.js';
import { register, type WorkersOptions } from './register.js';

export { DEFAULT_INLINE_THRESHOLD, WorkersBackend, WorkersStorage, type Fault, type WorkersBackendOptions } from './backend.js';
export { FAMILIES, type Family, type FamilyName } from './families.js';
export { BlockPool, sizeClass, type Block, type PoolStats } from '@kindling/core';
export type { Task, WorkerPool, KernelArg, BufferArg, ViewArg, ArrayArg } from './pool.js';
export { createPiscinaPool } from './piscina-pool.js';
export { disposeWorkers, disposeTensor, type WorkersOptions } from './register.js';

/**
 * Registers the workers device (by default named 'workers') in core's registry, replacing an
 * earlier registration of the same name (whose pool is ended once its kernels are done). The
 * backend and its pool start on first use. Then `t.to('workers')`, `{ device: 'workers' }` and
 * `setDefaultDevice('workers')` work as for any device.
 */
export function registerWorkersBackend(options: WorkersOptions = {}): void {
  register(options, { defaultThreads: availableParallelism, createPool: createPiscinaPool });
}
