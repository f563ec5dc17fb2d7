/**
 * Workers memory: storage lives in the process's arena (core's memory/arena.ts), the one shared
 * WebAssembly.Memory the cpu device uses too, so moving a tensor between the devices is a copy
 * inside the memory and every worker reaches every storage through the Memory object it was
 * given. A storage here is an ArenaStorage plus its scheduling state. Blocks with kernels on the
 * pool are pinned, so the arena never evicts them; the arena may grow while they run (a shared
 * memory keeps its contents in place) and each thread re-makes its views against the new buffer.
 */
import { ArenaStorage, type Arena, type DType } from '@kindling/core';
import type { BufferArg } from './pool.js';
import type { Job } from './scheduler.js';

/** Workers storage: the values (in the arena) plus their scheduling state. */
export class WorkersStorage extends ArenaStorage {
  /** The last kernel issued that writes this storage (done or not). */
  writer: Job | null = null;
  /** Kernels issued since `writer` that read this storage. */
  readers: Job[] = [];
  /** Why the values are unusable (a failed kernel or allocation); sticky. */
  error: Error | null = null;
  /** Set by dispose: later reads and kernels fail; kernels issued before still run. */
  disposed = false;
  /**
   * Whether the values come from pool work not awaited since: a kernel that ran on the pool, or
   * read such values (see WorkersBackend.taint). Where the thread cannot block, such values are
   * not readable synchronously.
   */
  tainted = false;
  /** Whether a tainted kernel read this storage since its last write (a write must wait for it). */
  poolRead = false;

  constructor(arena: Arena, dtype: DType, length: number) {
    super(arena, dtype, length);
  }

  /**
   * Keeps the values in the memory for a pool kernel: pins the block (never evicted while
   * pinned), marks it recently used and brings evicted values back in. False if the memory cannot hold them (the values
   * then live in ordinary memory, which only this thread's kernels can use).
   */
  pin(): boolean {
    this.slot.pins++;
    if (this.slot.ptr < 0) return this.bringIn();
    // Used by a pool kernel: as recently used as a kernel on this thread makes it. Untouched, a
    // weight only pool kernels read would look unused, be evicted and come back every few steps
    // (each return enlarging the cache: the memory would grow without end).
    this.arena.touch(this.slot);
    return true;
  }

  /** Ends a pin taken by `pin`. */
  unpin(): void {
    this.slot.pins--;
  }

  /** Where workers find the values in the memory (while resident). */
  get arg(): BufferArg {
    return { byteOffset: this.slot.ptr, dtype: this.dtype, length: this.length };
  }
}
