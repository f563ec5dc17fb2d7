/**
 * `@kindling/backend-workers`: the `workers` device for Node. Large kernels are cut into shards
 * that run on worker threads over SharedArrayBuffer memory; small ones run inline.
 * Results are bitwise those of the cpu backend, at any thread count.
 *
 * ```ts
 * import * as torch from '@kindling/core';
 * import { registerWorkersBackend, disposeWorkers } from '@kindling/backend-workers';
 *
 * registerWorkersBackend({ threads: 4 });
 * const x = torch.randn([4096, 4096]).to('workers');
 * const y = x.exp().sum(1);       // returns at once; the kernels run on the pool
 * console.log(y.tolist());        // waits until the values exist, as PyTorch's tolist() on a GPU
 * console.log(await y.tolistAsync()); // the same without blocking the thread
 * await disposeWorkers();         // optional: idle workers never keep Node alive
 * ```
 */
import { availableParallelism } from 'node:os';
import { createNodePool } from './node-pool.js';
import { register, type WorkersOptions } from './register.js';

export { DEFAULT_INLINE_THRESHOLD, MAX_THREADS, WorkersBackend, type Fault, type WorkersBackendOptions } from './backend.js';
export { WorkersStorage } from './memory.js';
export { FAMILIES, STORAGE_METHODS, type Family, type FamilyName } from './families.js';
export { BlockPool, sizeClass, type Block, type PoolStats } from '@kindling/core';
export type { Task, WorkerPool, KernelArg, BufferArg, ViewArg, ArrayArg } from './pool.js';
export { createNodePool } from './node-pool.js';
export { disposeWorkers, disposeTensor, type WorkersOptions } from './register.js';

/**
 * Registers the workers device (by default named 'workers') in core's registry. Registering a
 * name again replaces that device: the old backend's pool ends once the kernels issued on it are
 * done, and tensors already on it keep working. The backend and its pool start on first use.
 * Then `t.to('workers')`, `{ device: 'workers' }` and `setDefaultDevice('workers')` work as for
 * any device. Bad options (a thread count that is not an integer from 1 to 256, an unknown key,
 * the name of another kind of device) throw.
 */
export function registerWorkersBackend(options: WorkersOptions = {}): void {
  register(options, { defaultThreads: availableParallelism, createPool: createNodePool });
}
