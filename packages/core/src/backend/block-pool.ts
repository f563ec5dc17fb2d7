/**
 * Storage memory recycled by size class, for backends (the cpu backend with ArrayBuffers, the
 * workers backend with SharedArrayBuffers).
 *
 * Fresh memory is expensive (the OS zeroes each page on first touch: about 190 ms per 64 MB on
 * the reference machines), so a block freed by a collected or disposed tensor goes back to a free
 * list of its size class and the next allocation of that class reuses it, pages already mapped.
 *
 * Size classes are powers of two up to 4 KiB, then quarter steps between powers of two (at most
 * 25% waste). Blocks under SLAB_LIMIT are carved from shared 4 MiB slabs, so a scalar does not
 * cost a SharedArrayBuffer of its own; larger blocks own their buffer. Free lists keep at most
 * `maxCachedBytes` of large blocks; past that a freed block is dropped for the GC to reclaim.
 */

/** A piece of memory: `bytes` bytes at `byteOffset` in `buffer`. */
export interface Block<B extends ArrayBufferLike = ArrayBufferLike> {
  readonly buffer: B;
  readonly byteOffset: number;
  /** The size class: the usable size in bytes. */
  readonly bytes: number;
}

/** Blocks smaller than this are carved from slabs. */
export const SLAB_LIMIT = 256 * 1024;
const SLAB_BYTES = 4 * 1024 * 1024;

/** The size class of a request: the smallest class holding `n` bytes. */
export function sizeClass(n: number): number {
  if (n <= 64) return 64;
  if (n <= 4096) return 2 ** Math.ceil(Math.log2(n));
  const p = 2 ** Math.floor(Math.log2(n - 1)); // p < n <= 2p
  const quarter = p / 4;
  return p + Math.ceil((n - p) / quarter) * quarter;
}

/** Counters describing what the pool did, for tests and the benchmark. */
export interface PoolStats {
  /** Bytes of SharedArrayBuffer created so far (slabs and large blocks). */
  createdBytes: number;
  /** Allocations served from a free list. */
  reused: number;
  /** Allocations that needed new memory. */
  fresh: number;
  /** Bytes currently waiting in free lists. */
  cachedBytes: number;
}

/** Recycles blocks of `B` buffers (ArrayBuffer, SharedArrayBuffer) by size class. */
export class BlockPool<B extends ArrayBufferLike = ArrayBufferLike> {
  private readonly free = new Map<number, Block<B>[]>();
  private slab: B | null = null;
  private slabUsed = 0;
  /** What the pool has done so far (live counters). */
  readonly stats: PoolStats = { createdBytes: 0, reused: 0, fresh: 0, cachedBytes: 0 };

  /**
   * @param maxCachedBytes the most bytes of large free blocks kept for reuse.
   * @param newBuffer makes a fresh buffer of a given byte size.
   */
  constructor(readonly maxCachedBytes: number, private readonly newBuffer: (bytes: number) => B) {}

  /** A block of at least `bytes` bytes; its contents are whatever its last user left. */
  acquire(bytes: number): Block<B> {
    const cls = sizeClass(bytes);
    const list = this.free.get(cls);
    const reused = list?.pop();
    if (reused) {
      this.stats.reused++;
      if (cls >= SLAB_LIMIT) this.stats.cachedBytes -= cls;
      return reused;
    }
    this.stats.fresh++;
    if (cls >= SLAB_LIMIT) {
      this.stats.createdBytes += cls;
      return { buffer: this.newBuffer(cls), byteOffset: 0, bytes: cls };
    }
    if (this.slab === null || this.slabUsed + cls > SLAB_BYTES) {
      this.slab = this.newBuffer(SLAB_BYTES);
      this.slabUsed = 0;
      this.stats.createdBytes += SLAB_BYTES;
    }
    const block = { buffer: this.slab, byteOffset: this.slabUsed, bytes: cls };
    this.slabUsed += cls;
    return block;
  }

  /** Returns a block for reuse. The caller guarantees nothing reads or writes it any more. */
  release(block: Block<B>): void {
    const large = block.bytes >= SLAB_LIMIT;
    if (large) {
      if (this.stats.cachedBytes + block.bytes > this.maxCachedBytes) return; // let the GC have it
      this.stats.cachedBytes += block.bytes;
    }
    let list = this.free.get(block.bytes);
    if (!list) this.free.set(block.bytes, (list = []));
    list.push(block);
  }

  /** Drops every cached large block (slab pieces stay: their slabs are shared). */
  trim(): void {
    for (const cls of [...this.free.keys()]) if (cls >= SLAB_LIMIT) this.free.delete(cls);
    this.stats.cachedBytes = 0;
  }
}
