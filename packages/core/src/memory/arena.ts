/**
 * The arena: one WebAssembly.Memory holding tensor storage, carved into blocks by size class,
 * and run as a cache of hot storage.
 *
 * - Blocks are recycled by size class (backend/block-pool.ts's classes) at once when their
 *   storage is disposed, freed by a `tidy` scope or by backward, or collected (the
 *   FinalizationRegistry, whenever the event loop turns).
 * - The memory grows in large steps (fresh pages cost 2.5x warm ones) up to the cache size. Past
 *   that, the least recently used blocks are evicted: their values are copied out to an ordinary,
 *   garbage-collected array and the block is recycled. Their storage stays valid and comes back
 *   in when a kernel uses it again. Tensors used every step stay resident; dead ones leave once
 *   and the garbage collector frees their copies (V8 counts ordinary array buffers as external
 *   memory, so it collects in time). Blocks with pending kernels (`pins`) are never evicted.
 *   Values that come back in enlarge the cache by their size (up to the ceiling): only a live
 *   working set larger than the cache reloads, and it then finds room; garbage never reloads.
 * - The memory never shrinks and has a hard ceiling (4 GiB at most). Storage that does not fit
 *   under it falls back to an ordinary array, used by the JS kernels: never an error.
 * - Tiny storage (at most HEAP_BYTES, as scalars, losses and small biases) starts on the JS heap:
 *   the garbage collector frees it with its tensor. Registering a storage with the
 *   FinalizationRegistry costs more than a tiny op's whole kernel, and tiny kernels gain nothing
 *   from wasm. A kernel over many elements (or a pool kernel) brings a tiny operand into the
 *   memory, where it stays, as any other storage.
 *
 * The arena never references a storage, only its Slot, so dropped storages can be collected.
 */
import { allocArray, arrayView, itemSize, type DType, type TypedArray } from '../dtype.js';
import { sizeClass } from '../backend/block-pool.js';
import { TINY_BYTES } from '../kernels/wasm/runtime.js';

/** WebAssembly page size in bytes. */
export const PAGE_BYTES = 65536;
/** The most pages a 32-bit (shared) memory may have: 4 GiB. */
export const MAX_PAGES = 65536;
/** How many of the least recently used blocks an allocation looks through for one of its own size to evict. */
const EVICT_SCAN = 64;
/** Storage of at most this many bytes starts on the JS heap (V8 keeps typed arrays this small inside its heap). */
export const HEAP_BYTES = TINY_BYTES;

/** Settings of an arena. */
export interface ArenaOptions {
  /** Hard limit of the memory in bytes (default and maximum 4 GiB). Larger storage falls back to ordinary arrays. */
  ceilingBytes?: number;
  /**
   * Bytes the memory grows to before least recently used blocks are evicted (default 256 MiB, at
   * most the ceiling). It grows by every byte an evicted storage brings back when used again, so
   * a working set larger than it settles in the memory while dead blocks never enlarge it.
   */
  cacheBytes?: number;
  /** Smallest growth step in bytes (default 64 MiB). */
  growBytes?: number;
  /** Initial size in bytes (default 16 MiB). */
  initialBytes?: number;
  /** Whether the memory is shared (default: when SharedArrayBuffer is available). */
  shared?: boolean;
}

/** What the arena has done so far (live counters, for `torch.memory()`, tests and the benchmark). */
export interface ArenaStats {
  /** Bytes of the WebAssembly.Memory (it never shrinks). */
  arenaBytes: number;
  /** The cache size now: the memory grows up to it before evicting (see ArenaOptions.cacheBytes). */
  cacheBytes: number;
  /** Bytes of blocks holding resident storage. */
  residentBytes: number;
  /** Bytes of recycled blocks waiting for reuse. */
  freeBytes: number;
  /** Storages with a block in the memory now (resident): not evicted, fallen back, disposed, freed or collected. */
  liveStorages: number;
  /** Tiny storages made on the JS heap (the garbage collector frees them; see HEAP_BYTES). */
  heapStorages: number;
  /** Blocks handed back at once (dispose, tidy, backward; heap storages are not counted). */
  released: number;
  /** Blocks handed back when their storage was garbage collected. */
  collected: number;
  /** Allocations (and reloads) served by a recycled block. */
  recycled: number;
  /** Allocations (and reloads) carved from never used memory. */
  fresh: number;
  /** Blocks copied out to ordinary memory to make room. */
  evictions: number;
  /** Bytes copied out by evictions. */
  evictedBytes: number;
  /** Evicted storages brought back into the memory when used again. */
  reloads: number;
  /** Storages placed in ordinary memory because the memory could not hold them. */
  fallbacks: number;
  /** Times the memory grew. */
  grows: number;
}

const EMPTY_F32 = new Float32Array(0);

/**
 * Where a storage's values are: a block of the memory (`ptr >= 0`) or an ordinary array.
 * Kernels take `view`; backends take it through ArenaStorage, which keeps it current.
 */
export class Slot {
  /** Byte offset of the block in the memory, or -1 while the values are in ordinary memory. */
  ptr = -1;
  /** The block's size class in bytes (0 while not resident). */
  bytes = 0;
  /** The values: a view on the memory while resident, else an ordinary array. */
  view: TypedArray = EMPTY_F32;
  /** Pending kernels using the block: never evicted while positive. */
  pins = 0;
  /** Set once the storage is freed; the values are gone. */
  freed = false;
  /** Tiny values on the JS heap, not yet brought into the memory. */
  heap = false;
  /** Whether the values were evicted (and not brought back since). */
  evicted = false;
  /** The next more recently used resident slot (LRU list link). */
  newer: Slot | null = null;
  /** The next less recently used resident slot (LRU list link). */
  older: Slot | null = null;

  constructor(
    /** The element type. */
    readonly dtype: DType,
    /** The number of elements. */
    readonly length: number,
  ) {}

  /** Bytes the values need. */
  get needed(): number {
    return Math.max(1, this.length * itemSize(this.dtype));
  }
}

/**
 * The part of WebAssembly.Memory the arena uses (core builds without DOM or Node types, so the
 * global is reached through globalThis).
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(deltaPages: number): number;
}

const WasmMemoryClass = (globalThis as unknown as {
  WebAssembly: { Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory };
}).WebAssembly.Memory;

function sharedMemoryWorks(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  const g = globalThis as { crossOriginIsolated?: boolean };
  return g.crossOriginIsolated !== false;
}

/** One WebAssembly.Memory carved into blocks (see the module comment). */
export class Arena {
  /** The memory: hand it to wasm kernels and workers. */
  readonly memory: WasmMemory;
  /** Whether `memory` is shared (workers can use it). */
  readonly shared: boolean;
  /** Hard limit in bytes. */
  readonly ceilingBytes: number;
  /** Soft limit in bytes: past it the arena evicts instead of growing (it grows with reloads). */
  cacheBytes: number;
  private readonly growBytes: number;
  /** The memory's current buffer (replaced on every grow: views are re-made against it). */
  buffer: ArrayBufferLike;
  private top = 0;
  /** Bytes recycled since free blocks were last merged (merging is worth it past a request's size). */
  private freedSinceMerge = 0;
  private readonly free = new Map<number, number[]>();
  /** Most and least recently used resident slots. */
  private newest: Slot | null = null;
  private oldest: Slot | null = null;
  /** What the arena did (live counters). */
  readonly stats: ArenaStats;
  /**
   * Recycles the block of a resident slot whose storage was garbage collected (when the event loop
   * turns). It watches a storage only while its slot is resident (from `place` to `vacate`), so it
   * holds nothing of an evicted copy and keeps no record of a freed storage: a synchronous loop,
   * where finalizers never run, piles up none.
   */
  private readonly finalizer = new FinalizationRegistry<Slot>((slot) => this.collect(slot));
  /**
   * Bumped whenever values move (an eviction) or the buffer changes (a grow): views fetched
   * before a change may be stale and are fetched again.
   */
  epoch = 0;

  constructor(options: ArenaOptions = {}) {
    const ceiling = Math.min(options.ceilingBytes ?? MAX_PAGES * PAGE_BYTES, MAX_PAGES * PAGE_BYTES);
    const maxPages = Math.max(1, Math.floor(ceiling / PAGE_BYTES));
    this.ceilingBytes = maxPages * PAGE_BYTES;
    this.cacheBytes = Math.min(options.cacheBytes ?? 256 * 2 ** 20, this.ceilingBytes);
    this.growBytes = options.growBytes ?? 64 * 2 ** 20;
    const initialPages = Math.min(maxPages, Math.max(1, Math.ceil((options.initialBytes ?? 16 * 2 ** 20) / PAGE_BYTES)));
    this.shared = options.shared ?? sharedMemoryWorks();
    this.memory = new WasmMemoryClass({ initial: initialPages, maximum: maxPages, shared: this.shared });
    this.buffer = this.memory.buffer;
    this.stats = {
      arenaBytes: this.buffer.byteLength, cacheBytes: this.cacheBytes, residentBytes: 0, freeBytes: 0, liveStorages: 0, heapStorages: 0, released: 0, collected: 0,
      recycled: 0, fresh: 0, evictions: 0, evictedBytes: 0, reloads: 0, fallbacks: 0, grows: 0,
    };
  }

  /**
   * A new slot for `length` elements of `dtype`, owned by `owner` (its storage: the block is
   * recycled when the owner is garbage collected): on the JS heap if tiny, else resident if it
   * fits, else an ordinary array.
   */
  allocate(owner: object, dtype: DType, length: number): Slot {
    const slot = new Slot(dtype, length);
    if (length * itemSize(dtype) <= HEAP_BYTES) {
      this.stats.heapStorages++;
      slot.heap = true;
      slot.view = allocArray(dtype, length);
      return slot;
    }
    if (!this.place(slot, owner)) {
      this.stats.fallbacks++;
      slot.view = allocArray(dtype, length);
    }
    return slot;
  }

  /**
   * A block of `bytes` bytes that is never recycled nor evicted (e.g. a thread's wasm scratch
   * space), or -1 if the memory cannot hold it.
   */
  reserve(bytes: number): number {
    return this.acquire(sizeClass(bytes));
  }

  /** Marks a resident slot as the most recently used. Cheap: called on every kernel argument. */
  touch(slot: Slot): void {
    if (this.newest === slot) return;
    this.unlink(slot);
    this.link(slot);
  }

  /** The slot's values as a view on the current buffer (re-made after a grow). */
  viewOf(slot: Slot): TypedArray {
    if (slot.ptr >= 0 && slot.view.buffer !== this.buffer) slot.view = arrayView(slot.dtype, this.buffer, slot.ptr, slot.length);
    return slot.view;
  }

  /**
   * Brings evicted (or fallen back, or heap) values of `owner`'s slot into the memory if room can
   * be made; returns whether the slot is resident now. Values stay valid either way. A heap slot
   * brought in is the memory's from then on.
   */
  reload(slot: Slot, owner: object): boolean {
    if (slot.ptr >= 0) return true;
    if (slot.freed) return false;
    const outside = slot.view;
    // Live values evicted too early: room for them from now on (garbage never comes back).
    if (slot.evicted) this.cacheBytes = this.stats.cacheBytes = Math.min(this.ceilingBytes, this.cacheBytes + sizeClass(slot.needed));
    if (!this.place(slot, owner)) return false;
    slot.view.set(outside);
    if (slot.heap) slot.heap = false;
    else {
      slot.evicted = false;
      this.stats.reloads++;
    }
    return true;
  }

  /** Frees a slot's values now (dispose, tidy, backward); the block is recycled at once. */
  release(slot: Slot): void {
    if (slot.freed) return;
    if (!slot.heap) this.stats.released++;
    this.drop(slot);
  }

  /** A resident slot's storage was garbage collected (every other way out of the memory ends the watch first): recycle its block. */
  private collect(slot: Slot): void {
    this.stats.collected++;
    this.drop(slot);
  }

  /** Copies the least recently used unpinned block out to ordinary memory; false if none is left. */
  private evictOne(): boolean {
    let s = this.oldest;
    while (s !== null && s.pins > 0) s = s.newer;
    if (s === null) return false;
    this.evict(s);
    return true;
  }

  /**
   * Evicts one of the EVICT_SCAN least recently used unpinned blocks that is of class `cls`, and
   * hands out its block; -1 if none is. A loop's dead tensors come back in the same shapes each
   * step, so this usually finds one: evicting the very oldest block instead would leave a hole of
   * another size and cost a merge of the free lists (or more evictions) per allocation.
   */
  private evictClass(cls: number): number {
    let seen = 0;
    for (let s = this.oldest; s !== null && seen < EVICT_SCAN; s = s.newer) {
      if (s.pins > 0) continue;
      seen++;
      if (s.bytes !== cls) continue;
      this.evict(s);
      return this.takeFree(cls);
    }
    return -1;
  }

  /** Copies a resident, unpinned slot's values out to an ordinary array and recycles its block. */
  private evict(s: Slot): void {
    this.stats.evictions++;
    this.stats.evictedBytes += s.bytes;
    const copy = this.viewOf(s).slice();
    this.vacate(s);
    this.epoch++;
    s.view = copy;
    s.evicted = true;
  }

  private drop(slot: Slot): void {
    slot.freed = true;
    if (slot.ptr >= 0) this.vacate(slot);
    slot.view = EMPTY_F32;
  }

  /** Gives a resident slot's block back to the free lists. */
  private vacate(slot: Slot): void {
    this.unlink(slot);
    this.stats.residentBytes -= slot.bytes;
    this.stats.liveStorages--;
    this.recycle(slot.ptr, slot.bytes);
    slot.ptr = -1;
    slot.bytes = 0;
    this.finalizer.unregister(slot);
  }

  private recycle(ptr: number, bytes: number): void {
    let list = this.free.get(bytes);
    if (!list) this.free.set(bytes, (list = []));
    list.push(ptr);
    this.stats.freeBytes += bytes;
    this.freedSinceMerge += bytes;
  }

  /**
   * Finds a block for the slot and makes it resident, watched for its owner's collection; false
   * if the memory cannot hold it.
   */
  private place(slot: Slot, owner: object): boolean {
    const cls = sizeClass(slot.needed);
    const ptr = this.acquire(cls);
    if (ptr < 0) return false;
    slot.ptr = ptr;
    slot.bytes = cls;
    this.finalizer.register(owner, slot, slot);
    this.stats.liveStorages++;
    slot.view = arrayView(slot.dtype, this.buffer, ptr, slot.length);
    this.stats.residentBytes += cls;
    this.link(slot);
    return true;
  }

  /**
   * A block of size class `cls`: a recycled one, a new one under the cache size (growing the
   * memory), a piece of a larger free block, one freed by evicting the least recently used
   * blocks, or, last, a new one above the cache size up to the ceiling. -1 if none.
   */
  private acquire(cls: number): number {
    if (cls > this.ceilingBytes) return -1;
    let ptr = this.takeFree(cls);
    if (ptr >= 0) return ptr;
    if (this.growTo(this.top + cls, this.cacheBytes, true)) return this.bump(cls);
    ptr = this.fit(cls);
    if (ptr >= 0) return ptr;
    ptr = this.evictClass(cls);
    if (ptr >= 0) return ptr;
    while (this.evictOne()) {
      ptr = this.fit(cls);
      if (ptr >= 0) return ptr;
    }
    // Everything left is pinned: grow past the cache size, by no more than needed.
    if (this.growTo(this.top + cls, this.ceilingBytes, false)) return this.bump(cls);
    return -1;
  }

  /** A free block of class `cls`, cut from a larger one, or found by merging neighbours; -1 if none. */
  private fit(cls: number): number {
    let ptr = this.takeFree(cls);
    if (ptr < 0) ptr = this.split(cls);
    if (ptr >= 0 || this.freedSinceMerge < cls) return ptr;
    this.coalesce();
    ptr = this.takeFree(cls);
    if (ptr >= 0) return ptr;
    if (this.top + cls <= this.buffer.byteLength) return this.bump(cls);
    return this.split(cls);
  }

  /**
   * Merges adjacent free blocks (a run ending at the top of the carved space goes back to it) and
   * files each run again as the fewest, largest classes.
   */
  private coalesce(): void {
    const blocks: number[] = []; // ptr, bytes pairs
    for (const [bytes, list] of this.free) for (const ptr of list) blocks.push(ptr, bytes);
    const order = Array.from({ length: blocks.length / 2 }, (_, i) => i).sort((a, b) => blocks[2 * a]! - blocks[2 * b]!);
    this.free.clear();
    this.stats.freeBytes = 0;
    const runs: number[] = [];
    for (const i of order) {
      const ptr = blocks[2 * i]!, bytes = blocks[2 * i + 1]!;
      const n = runs.length;
      if (n > 0 && runs[n - 2]! + runs[n - 1]! === ptr) runs[n - 1]! += bytes;
      else runs.push(ptr, bytes);
    }
    for (let r = runs.length - 2; r >= 0; r -= 2) {
      let at = runs[r]!, rest = runs[r + 1]!;
      if (at + rest === this.top) {
        this.top = at;
        continue;
      }
      while (rest > 0) {
        const c = largestClassBelow(rest);
        this.recycle(at, c);
        at += c;
        rest -= c;
      }
    }
    this.freedSinceMerge = 0;
  }

  private takeFree(cls: number): number {
    const list = this.free.get(cls);
    if (list === undefined || list.length === 0) return -1;
    this.stats.recycled++;
    this.stats.freeBytes -= cls;
    // A block handed out again no longer counts towards a merge.
    this.freedSinceMerge = Math.max(0, this.freedSinceMerge - cls);
    return list.pop()!;
  }

  private bump(cls: number): number {
    const ptr = this.top;
    this.top += cls;
    this.stats.fresh++;
    return ptr;
  }

  /** Cuts `cls` bytes from the smallest larger free block; the rest goes back as smaller classes. */
  private split(cls: number): number {
    let best = 0;
    for (const [size, list] of this.free) if (size > cls && list.length > 0 && (best === 0 || size < best)) best = size;
    if (best === 0) return -1;
    const ptr = this.takeFree(best);
    // Every class is a multiple of 64, as is the rest, so it splits exactly into classes.
    let at = ptr + cls, rest = best - cls;
    while (rest > 0) {
      const c = largestClassBelow(rest);
      this.recycle(at, c);
      at += c;
      rest -= c;
    }
    return ptr;
  }

  /** Grows the memory so that it holds `needed` bytes, up to `limit`, by large steps if `step`. */
  private growTo(needed: number, limit: number, step: boolean): boolean {
    const size = this.buffer.byteLength;
    if (needed <= size) return true;
    if (needed > limit) return false;
    const target = step ? Math.min(limit, Math.max(needed, size + this.growBytes, size * 1.5)) : needed;
    // Whole pages, never past the limit.
    const pages = Math.min(Math.ceil((target - size) / PAGE_BYTES), Math.floor((limit - size) / PAGE_BYTES));
    if (size + pages * PAGE_BYTES < needed) return false;
    try {
      this.memory.grow(pages);
    } catch {
      return false; // the system refused: callers fall back to ordinary memory
    }
    this.buffer = this.memory.buffer;
    this.epoch++;
    this.stats.arenaBytes = this.buffer.byteLength;
    this.stats.grows++;
    return true;
  }

  private link(slot: Slot): void {
    slot.older = this.newest;
    slot.newer = null;
    if (this.newest !== null) this.newest.newer = slot;
    else this.oldest = slot;
    this.newest = slot;
  }

  private unlink(slot: Slot): void {
    const { newer, older } = slot;
    if (newer !== null) newer.older = older;
    else if (this.newest === slot) this.newest = older;
    if (older !== null) older.newer = newer;
    else if (this.oldest === slot) this.oldest = newer;
    slot.newer = slot.older = null;
  }
}

/** The largest size class not above `n` (n a positive multiple of 64). */
function largestClassBelow(n: number): number {
  const c = sizeClass(n);
  if (c === n) return c;
  // Classes between p and 2p step by p / 4 (p >= 4096), and are powers of two below.
  const p = 2 ** Math.floor(Math.log2(n));
  if (p <= 4096) return p;
  return p + Math.floor((n - p) / (p / 4)) * (p / 4);
}
