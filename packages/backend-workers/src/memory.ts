/**
 * Workers memory: storages, the pool of shared blocks they live in, and their release. Storages
 * smaller than the inline threshold start in ordinary memory (as on cpu: no shared-memory
 * bookkeeping for the many small tensors that never leave the calling thread) and move into a
 * pooled shared block the first time a pool kernel touches them; larger ones are shared from the
 * start.
 */
import { allocArray, arrayView, BlockPool, itemSize, type Block, type DType, type PoolStats, type Storage, type TypedArray } from '@kindling/core';
import type { BufferArg } from './pool.js';
import type { Job } from './scheduler.js';

/** Zero-length arrays: the values of a storage that has none (yet, or any more). */
export const EMPTY: Record<DType, TypedArray> = {
  float32: new Float32Array(0), float64: new Float64Array(0), int64: new Float64Array(0), int32: new Int32Array(0), bool: new Uint8Array(0),
};

/**
 * New shared memory. V8 does not count SharedArrayBuffer memory when deciding to collect
 * garbage, so tensors dropped without dispose would return their blocks to the pool (through the
 * FinalizationRegistry) only much later, and every miss costs fresh pages. An ordinary
 * ArrayBuffer of the same size, never touched (so no pages are committed) and dropped at once,
 * reports that much external memory and keeps collection, and so recycling, in step.
 */
function freshSharedMemory(bytes: number): SharedArrayBuffer {
  void new ArrayBuffer(bytes);
  return new SharedArrayBuffer(bytes);
}

/** A storage's claim on a pooled block; `live` turns false once the block went back to the pool. */
export interface Handle {
  readonly block: Block<SharedArrayBuffer>;
  live: boolean;
}

/** Workers storage: the values plus their scheduling state. */
export class WorkersStorage implements Storage {
  version = 0;
  /** The last kernel issued that writes this storage (done or not). */
  writer: Job | null = null;
  /** Kernels issued since `writer` that read this storage. */
  readers: Job[] = [];
  /** Why the values are unusable (a failed kernel or allocation); sticky. */
  error: Error | null = null;
  /** Set by dispose: later reads and kernels fail with it; kernels issued before still run. */
  disposed: Error | null = null;
  /**
   * Whether the values come from pool work not awaited since: a kernel that ran on the pool, or
   * read such values (see WorkersBackend.taint). Where the thread cannot block, such values are
   * not readable synchronously.
   */
  tainted = false;
  /** Whether a tainted kernel read this storage since its last write (a write must wait for it). */
  poolRead = false;
  /** The shared block, or null while the values live in ordinary memory. */
  handle: Handle | null = null;
  /** How workers find the memory (null until shared). */
  arg: BufferArg | null = null;

  constructor(
    readonly dtype: DType,
    readonly length: number,
    /** The values: ordinary memory, or a window on the shared block once shared. */
    public data: TypedArray,
  ) {}
}

/** The shared blocks of one backend, recycled through a BlockPool. */
export class SharedMemory {
  private readonly pool: BlockPool<SharedArrayBuffer>;
  private readonly finalizer: FinalizationRegistry<Handle>;

  constructor(maxCachedBytes: number) {
    this.pool = new BlockPool(maxCachedBytes, freshSharedMemory);
    // A collected storage's block goes back to the pool (its kernels are done: pending jobs hold it).
    this.finalizer = new FinalizationRegistry((h) => this.free(h));
  }

  /** Counters of the pool (allocations reused vs fresh, bytes created). */
  get stats(): Readonly<PoolStats> {
    return this.pool.stats;
  }

  /** A new storage, in shared memory when `shared`, else in ordinary memory. */
  allocate(dtype: DType, length: number, shared: boolean): WorkersStorage {
    const s = new WorkersStorage(dtype, length, shared ? EMPTY[dtype] : allocArray(dtype, length));
    if (shared) this.share(s);
    return s;
  }

  /** Moves a storage's values into a pooled shared block (once), so workers can reach them. */
  share(s: WorkersStorage): void {
    if (s.arg !== null || s.error !== null) return;
    const block = this.pool.acquire(Math.max(1, s.length) * itemSize(s.dtype));
    const data = arrayView(s.dtype, block.buffer, block.byteOffset, s.length);
    data.set(s.data);
    s.data = data;
    s.arg = { buffer: block.buffer, byteOffset: block.byteOffset, dtype: s.dtype, length: s.length };
    s.handle = { block, live: true };
    this.finalizer.register(s, s.handle);
  }

  /** Gives a storage's values up now: its block goes back to the pool. */
  release(s: WorkersStorage): void {
    const h = s.handle;
    s.data = EMPTY[s.dtype];
    s.handle = null;
    s.arg = null;
    if (h !== null) this.free(h);
  }

  private free(h: Handle): void {
    if (!h.live) return;
    h.live = false;
    this.pool.release(h.block);
  }
}
