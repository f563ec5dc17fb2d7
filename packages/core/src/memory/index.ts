/**
 * Memory: tensor storage in one WebAssembly.Memory per process (or page), run as a cache of
 * hot storage (arena.ts); recycling at once with dispose / tidy (scope.ts); `torch.memory()`.
 */
import { RuntimeError } from '../errors.js';
import { Arena, type ArenaOptions, type ArenaStats } from './arena.js';
import { installThreadKernels, THREAD_BYTES } from './wasm.js';

export { Arena, Slot, PAGE_BYTES, MAX_PAGES, HEAP_BYTES, type WasmMemory, type ArenaOptions, type ArenaStats } from './arena.js';
export { ArenaStorage, bringInTiny, BRING_IN_AT, disposedError } from './storage.js';
export { tidy, keep, trackNew, disposeStorage } from './scope.js';
export { installThreadKernels, THREAD_BYTES } from './wasm.js';

let shared: Arena | null = null;
let pending: ArenaOptions = {};

/**
 * The process's arena, where the cpu and workers devices keep their storage (made on first use,
 * with this thread's WebAssembly kernels installed on its memory).
 */
export function getArena(): Arena {
  if (shared === null) {
    shared = new Arena(pending);
    installThreadKernels(shared.memory, shared.reserve(THREAD_BYTES));
  }
  return shared;
}

/**
 * Sets the process arena's limits; only before the first tensor is created (afterwards it throws).
 *
 * @remarks Not in PyTorch. `cacheBytes` (default 256 MiB, enlarged by what comes back after eviction) is how large the
 * memory grows before the least recently used storage is copied out; `ceilingBytes` (default 4 GiB) is its hard limit.
 */
export function configureMemory(options: ArenaOptions): void {
  if (shared !== null) throw new RuntimeError('configureMemory: the memory is already in use; call it before creating tensors');
  pending = { ...options };
}

/** What `torch.memory()` reports: the arena's counters. */
export type MemoryInfo = ArenaStats;

/**
 * The memory counters of the cpu and workers devices: arena size, resident and free bytes,
 * live storages, blocks recycled, released (dispose, tidy, backward) and collected, evictions,
 * reloads, fallbacks to ordinary memory, and grows.
 *
 * @remarks Not in PyTorch (close to `torch.cuda.memory_stats()`); TensorFlow.js has `tf.memory()`.
 */
export function memory(): MemoryInfo {
  return { ...getArena().stats };
}
