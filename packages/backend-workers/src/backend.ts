/**
 * The workers backend: storage in pooled shared memory, a scheduler that orders kernels by what
 * they read and write, and a shard planner that runs large kernels across a worker pool.
 *
 * Ops return at once. Each storage remembers its last pending writer and its pending readers;
 * a kernel starts when the writers of everything it reads (read-after-write), and the writer and
 * readers of what it writes (write-after-write, write-after-read), are done. A small kernel whose
 * dependencies are all done runs inline, synchronously, on the calling thread, so small workloads
 * stay synchronous end to end; a large one is cut into shards that run on the pool. Workers and
 * the inline path run the same core range kernels as the cpu backend, and reductions keep the
 * fixed block order, so results are bitwise the cpu backend's at any thread count.
 */
import { allocArray, arrayView, BlockPool, getBackend, IndexError, itemSize, NotSupportedError, RuntimeError, type Backend, type DType, type Block, type PoolStats, type Storage, type TypedArray, type View } from '@kindling/core';
import * as kernels from '@kindling/core/kernels';
import { blockCount, isSplittable, type KView, type ReduceOp } from '@kindling/core/kernels';
import { FAMILIES, isView, numel, opName, type Family, type FamilyName } from './families.js';
import type { BufferArg, KernelArg, Task, WorkerPool } from './pool.js';

type RangeKernel = (...args: unknown[]) => void;
const KERNELS = kernels as unknown as Record<string, RangeKernel>;

/**
 * Default inline threshold in elements touched. PyTorch's grain is 32768; measured here (2 cores,
 * a chain of dependent ops) a pool round trip costs about 60-90 us, so add stays faster inline
 * up to about 10^5 elements and exp up to about 5 * 10^4: 65536 sits between them.
 */
export const DEFAULT_INLINE_THRESHOLD = 65536;

/** A fault the test hook can inject (see WorkersBackend.injectFault). */
export type Fault = 'throw' | 'exit' | 'alloc';

/** Settings of one workers backend instance. */
export interface WorkersBackendOptions {
  /** Device name (default 'workers'). */
  name?: string;
  /** Worker threads. */
  threads: number;
  /** Kernels touching fewer elements run inline on the calling thread; 0 sends everything to the pool. */
  inlineThreshold?: number;
  /** Most bytes of freed large blocks kept for reuse (default 1 GiB). */
  maxCachedBytes?: number;
  /** Makes the pool (called on first use, and again after dispose). */
  createPool: (threads: number) => WorkerPool;
}

/** One scheduled kernel (or a pending read). Its promise never rejects: failures land in `error`. */
class Job {
  done = false;
  error: Error | null = null;
  promise: Promise<void> = Promise.resolve();
}

/** Zero-length arrays: the values of a storage that has none (yet, or any more). */
const EMPTY: Record<DType, TypedArray> = {
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
interface Handle {
  readonly block: Block<SharedArrayBuffer>;
  live: boolean;
}

/**
 * Workers storage: the values plus their scheduling state. Storages smaller than the inline
 * threshold start in ordinary memory (as on cpu: no shared-memory bookkeeping for the many
 * small tensors that never leave the calling thread) and move into a pooled shared block the
 * first time a pool kernel touches them; larger ones are shared from the start.
 */
export class WorkersStorage implements Storage {
  version = 0;
  /** The last kernel issued that writes this storage (done or not). */
  writer: Job | null = null;
  /** Kernels and reads issued since `writer` that read this storage. */
  readers: Job[] = [];
  /** Why the values are unusable (a failed kernel, allocation or dispose); sticky. */
  error: Error | null = null;
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

function kview(v: View): KView {
  return { data: (v.storage as WorkersStorage).data, shape: v.shape, strides: v.strides, offset: v.offset };
}

function encode(a: unknown): KernelArg {
  if (!isView(a)) return a as KernelArg;
  return { view: (a.storage as WorkersStorage).arg!, shape: a.shape, strides: a.strides, offset: a.offset };
}

/** Runs `fn` after the current microtask and the one it queues (see WorkersBackend.read). */
function afterTwoMicrotasks(fn: () => void): void {
  queueMicrotask(() => queueMicrotask(fn));
}

/** Waits for every promise, then rejects with the first failure: no shard is left running. */
async function allSettled(ps: Promise<void>[]): Promise<void> {
  const rs = await Promise.allSettled(ps);
  for (const r of rs) if (r.status === 'rejected') throw r.reason;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export interface WorkersBackend extends Pick<Backend, FamilyName> {}

/** The workers backend (see the module comment). Create it with registerWorkersBackend. */
export class WorkersBackend implements Backend {
  readonly name: string;
  /** Worker threads in the pool. */
  readonly threads: number;
  /** Kernels touching fewer elements than this run inline; 0 sends every kernel to the pool. */
  inlineThreshold: number;
  private pool: WorkerPool | null = null;
  private readonly memory: BlockPool<SharedArrayBuffer>;
  private readonly finalizer: FinalizationRegistry<Handle>;
  private readonly inflight = new Set<Job>();
  private armed: Fault | null = null;

  constructor(private readonly options: WorkersBackendOptions) {
    this.name = options.name ?? 'workers';
    this.threads = Math.max(1, Math.floor(options.threads));
    this.inlineThreshold = options.inlineThreshold ?? DEFAULT_INLINE_THRESHOLD;
    this.memory = new BlockPool(options.maxCachedBytes ?? 2 ** 30, freshSharedMemory);
    // A collected storage's block goes back to the pool (its kernels are done: pending jobs hold it).
    this.finalizer = new FinalizationRegistry((h) => this.freeBlock(h));
    // Install one method per kernel family from the table.
    const self = this as unknown as Record<string, (...args: unknown[]) => void>;
    for (const name of kernelMethodNames()) {
      const fam = FAMILIES[name as FamilyName];
      self[name] = fam
        ? (...args: unknown[]) => this.launch(name, fam, args)
        : () => { throw new NotSupportedError(`the workers backend does not implement the ${name} kernel family yet`); };
    }
  }

  /** Counters of the shared-memory pool (allocations reused vs fresh, bytes created). */
  get memoryStats(): Readonly<PoolStats> {
    return this.memory.stats;
  }

  // ------------------------------------------------------------------ storage

  allocate(dtype: DType, length: number): WorkersStorage {
    const s = new WorkersStorage(dtype, length, EMPTY[dtype]);
    try {
      if (this.armed === 'alloc') {
        this.armed = null;
        throw new RangeError('Array buffer allocation failed (injected fault)');
      }
      if (length >= this.inlineThreshold) this.share(s);
      else s.data = allocArray(dtype, length);
    } catch (e) {
      s.error = new RuntimeError(`could not allocate ${length * itemSize(dtype)} bytes for its output (${message(e)})`);
    }
    return s;
  }

  fromArray(dtype: DType, values: TypedArray): WorkersStorage {
    const s = this.allocate(dtype, values.length);
    if (s.error === null) s.data.set(values);
    return s;
  }

  /** Moves a storage's values into a pooled shared block (once), so workers can reach them. */
  private share(s: WorkersStorage): void {
    if (s.arg !== null || s.error !== null) return;
    const block = this.memory.acquire(Math.max(1, s.length) * itemSize(s.dtype));
    const data = arrayView(s.dtype, block.buffer, block.byteOffset, s.length);
    data.set(s.data);
    s.data = data;
    s.arg = { buffer: block.buffer, byteOffset: block.byteOffset, dtype: s.dtype, length: s.length };
    s.handle = { block, live: true };
    this.finalizer.register(s, s.handle);
  }

  private freeBlock(h: Handle): void {
    if (!h.live) return;
    h.live = false;
    this.memory.release(h.block);
  }

  readSync(storage: Storage): TypedArray | null {
    const s = storage as WorkersStorage;
    if (s.error !== null || (s.writer !== null && !s.writer.done)) return null;
    return s.data;
  }

  /**
   * The values once every kernel writing them has run. The array is the live storage (as on
   * cpu): the read counts as a reader until the caller's continuation has run, so a kernel issued
   * after `read` that writes this storage waits instead of changing values being copied out.
   */
  read(storage: Storage): Promise<TypedArray> {
    const s = storage as WorkersStorage;
    const reader = new Job();
    let release!: () => void;
    reader.promise = new Promise<void>((r) => (release = r));
    const w = s.writer;
    this.addReader(s, reader);
    const value = (w !== null && !w.done ? w.promise : Promise.resolve()).then(() => {
      afterTwoMicrotasks(() => { reader.done = true; release(); });
      if (s.error !== null) throw s.error;
      return s.data;
    });
    return value;
  }

  /**
   * Frees a storage's memory for reuse now instead of at garbage collection (once the kernels
   * already issued on it are done). Later reads of it reject and kernels reading it fail.
   */
  release(storage: Storage): void {
    const s = storage as WorkersStorage;
    const h = s.handle;
    const pending = [s.writer, ...s.readers].filter((j): j is Job => j !== null && !j.done).map((j) => j.promise);
    s.error = new RuntimeError('this workers tensor was disposed');
    s.data = EMPTY[s.dtype];
    s.handle = null;
    s.arg = null;
    if (h === null) return;
    if (pending.length === 0) this.freeBlock(h);
    else void Promise.all(pending).then(() => this.freeBlock(h));
  }

  // ------------------------------------------------------------------ scheduling

  private addReader(s: WorkersStorage, job: Job): void {
    const rs = s.readers;
    if (rs.length >= 16) s.readers = rs.filter((r) => !r.done);
    s.readers.push(job);
  }

  /** Issues one kernel call of family `fam`: inline now, or on the pool once its inputs are ready. */
  private launch(name: string, fam: Family, args: unknown[]): void {
    const total = fam.range(args);
    if (total === 0) return;
    const work = fam.work ? fam.work(args) : total;
    if (work < this.inlineThreshold && this.settled(fam, args)) this.runInline(fam, args, total);
    else this.schedule(name, fam, args, total, work);
  }

  /** Whether nothing the kernel reads or writes is pending or failed (so it may run right now). */
  private settled(fam: Family, args: readonly unknown[]): boolean {
    const nw = fam.writes ?? 1;
    for (let i = 0, v = 0; i < args.length; i++) {
      const a = args[i];
      if (!isView(a)) continue;
      const s = a.storage as WorkersStorage, w = s.writer;
      if (s.error !== null || (w !== null && !w.done)) return false;
      if (v++ < nw && s.readers.length > 0) {
        for (const r of s.readers) if (!r.done) return false;
        s.readers.length = 0;
      }
    }
    return true;
  }

  /** Queues a kernel call behind its dependencies; it runs inline or on the pool when they are done. */
  private schedule(name: string, fam: Family, args: unknown[], total: number, work: number): void {
    const nw = fam.writes ?? 1;
    const views: WorkersStorage[] = [];
    let deps: Job[] | null = null;
    for (const a of args) {
      if (!isView(a)) continue;
      const s = a.storage as WorkersStorage;
      const w = s.writer;
      if (w !== null && !w.done) (deps ??= []).push(w);
      if (views.length < nw) for (const r of s.readers) if (!r.done) (deps ??= []).push(r);
      views.push(s);
    }
    if (fam.index) checkIndex(fam.index, args);
    // Scheduled: the job runs after its dependencies, and becomes the writer / a reader.
    const job = new Job();
    const op = opName(name, args);
    const run = async (): Promise<void> => {
      if (deps !== null) await Promise.all(deps.map((d) => d.promise));
      for (const s of views) if (s.error !== null) throw this.dependencyError(op, s, views, nw);
      try {
        if (work < this.inlineThreshold) this.runInline(fam, args, total);
        else await this.dispatch(op, fam, args, total, work);
      } catch (e) {
        // Every failure names the op (a kernel error on this thread included, e.g. a bad index).
        throw e instanceof RuntimeError && e.message.startsWith('workers: ') ? e : new RuntimeError(`workers: ${op} failed: ${message(e)}`);
      }
    };
    job.promise = run().then(
      () => this.finish(job, views, nw, null),
      (e: unknown) => this.finish(job, views, nw, e instanceof Error ? e : new Error(String(e))),
    );
    this.inflight.add(job);
    for (let i = 0; i < views.length; i++) {
      const s = views[i]!;
      if (i < nw) {
        s.writer = job;
        s.readers = [];
      } else if (!views.slice(0, nw).includes(s)) this.addReader(s, job);
    }
  }

  private dependencyError(op: string, s: WorkersStorage, views: WorkersStorage[], nw: number): RuntimeError {
    return new RuntimeError(views.indexOf(s) < nw
      ? `workers: ${op} failed: ${s.error!.message}`
      : `workers: ${op} was not run because an input failed: ${s.error!.message}`);
  }

  /** Marks a job done; a failure makes its outputs' values unusable (their reads reject). */
  private finish(job: Job, views: WorkersStorage[], nw: number, error: Error | null): void {
    job.done = true;
    this.inflight.delete(job);
    if (error === null) return;
    job.error = error;
    for (let i = 0; i < nw; i++) views[i]!.error = error;
  }

  private runInline(fam: Family, args: readonly unknown[], total: number): void {
    const n = args.length, at = fam.at, k = new Array<unknown>(n + 2);
    for (let i = 0, j = 0; i <= n; i++) {
      if (i === at) {
        k[j++] = 0;
        k[j++] = total;
      }
      if (i < n) {
        const a = args[i];
        k[j++] = isView(a) ? kview(a) : a;
      }
    }
    // Direct calls by arity: a spread call costs more than a small kernel here.
    const f = KERNELS[fam.kernel]!;
    switch (k.length) {
      case 4: f(k[0], k[1], k[2], k[3]); break;
      case 5: f(k[0], k[1], k[2], k[3], k[4]); break;
      case 6: f(k[0], k[1], k[2], k[3], k[4], k[5]); break;
      case 7: f(k[0], k[1], k[2], k[3], k[4], k[5], k[6]); break;
      default: f(...k);
    }
  }

  private getPool(): WorkerPool {
    return (this.pool ??= this.options.createPool(this.threads));
  }

  /** How many shards a range of `total` units and `work` elements is cut into. */
  private shards(total: number, work: number): number {
    const t = this.threads;
    const byWork = this.inlineThreshold > 0 ? Math.max(1, Math.floor(work / this.inlineThreshold)) : t;
    return Math.max(1, Math.min(t, byWork, total));
  }

  /** Runs `kernel` over [0, total) in contiguous shards on the pool. */
  private runShards(op: string, kernel: string, at: number, args: readonly KernelArg[], total: number, n: number): Promise<void> {
    const pool = this.getPool();
    let fault: 'throw' | 'exit' | undefined;
    if (this.armed === 'throw' || this.armed === 'exit') {
      fault = this.armed;
      this.armed = null;
    }
    const tasks: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const start = Math.floor((total * i) / n), end = Math.floor((total * (i + 1)) / n);
      const task: Task = fault !== undefined && i === 0 ? { kernel, args, at, start, end, fault } : { kernel, args, at, start, end };
      tasks.push(pool.run(task));
    }
    return allSettled(tasks).catch((e: unknown) => {
      throw new RuntimeError(`workers: ${op} failed in a worker thread: ${message(e)}`);
    });
  }

  /** share(), with an allocation failure reported as this op's failure. */
  private shareFor(op: string, s: WorkersStorage): void {
    try {
      this.share(s);
    } catch (e) {
      throw new RuntimeError(`workers: ${op} failed: could not allocate ${s.length * itemSize(s.dtype)} bytes of shared memory (${message(e)})`);
    }
  }

  private async dispatch(op: string, fam: Family, args: unknown[], total: number, work: number): Promise<void> {
    for (const a of args) if (isView(a)) this.shareFor(op, a.storage as WorkersStorage);
    if (fam.split === 'reduceBlocks' && (await this.trySplitReduce(op, args))) return;
    // A write that overlaps what another element reads (e.g. a[1:].sub_(a[:-1])) depends on the
    // order elements are visited: run it as one shard, in the cpu backend's order.
    const n = overlapsReads(fam, args) ? 1 : this.shards(total, work);
    await this.runShards(op, fam.kernel, fam.at, args.map(encode), total, n);
  }

  /**
   * A few long reductions (sum-like, max, min, any, all): shards compute fixed REDUCE_BLOCK block partials, then the
   * partials are combined in order here. Same blocks, same order as reduceRange: same bits.
   * Returns false when splitting by output elements is the better cut.
   */
  private async trySplitReduce(op: string, args: unknown[]): Promise<boolean> {
    const [rop, out, x, nr] = args as [ReduceOp, View, View, number];
    const nOut = numel(out);
    if (!isSplittable(rop) || nOut >= 2 * this.threads) return false;
    const xk: KView = kview(x);
    const nb = blockCount(xk, nr);
    if (nb < 2) return false;
    const units = nOut * nb;
    const partials = new WorkersStorage('float64', units, EMPTY.float64);
    this.shareFor(op, partials);
    try {
      const n = Math.max(1, Math.min(this.threads, units, this.inlineThreshold > 0 ? Math.floor(numel(x) / this.inlineThreshold) : units));
      await this.runShards(op, 'reduceBlocksRange', 5, [rop, { array: partials.arg! }, encode(x), nr, nb], units, n);
      kernels.combineBlocksRange(rop, kview(out), partials.data as Float64Array, nb, rowSize(x, nr), 0, nOut);
    } finally {
      this.release(partials);
    }
    return true;
  }

  // ------------------------------------------------------------------ lifecycle and test hooks

  /** Resolves when every kernel issued so far has finished (successfully or not). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight].map((j) => j.promise));
  }

  /** Waits for the issued kernels, then ends the worker threads. A later kernel starts a new pool. */
  async dispose(): Promise<void> {
    await this.idle();
    const pool = this.pool;
    this.pool = null;
    if (pool) await pool.destroy();
  }

  /**
   * Test hook: makes the next pool task throw inside its worker ('throw'), kill its worker
   * ('exit'), or the next allocation fail ('alloc'). One shot.
   */
  injectFault(fault: Fault): void {
    this.armed = fault;
  }
}

const indexRows = new kernels.Rows();

/**
 * Throws the kernel's own error now if a resident index holds an out-of-range value, so bad
 * input fails at the call as on cpu (the first bad value in row-major order, as the kernel
 * meets it). A pending index is checked by the kernel itself; then the read rejects.
 */
function checkIndex(spec: NonNullable<Family['index']>, args: readonly unknown[]): void {
  const index = args[spec.index] as View, dim = args[spec.dim] as number, bound = args[spec.bound] as View;
  const s = index.storage as WorkersStorage;
  if (s.error !== null || (s.writer !== null && !s.writer.done)) return;
  const size = bound.shape[dim]!, ix = s.data;
  const it = indexRows.init(index.shape, [index.strides], [index.offset], 0, numel(index));
  while (it.next()) {
    for (let n = it.n, i = it.o0; n > 0; n--, i += it.s0) {
      const k = ix[i]!;
      if (k >= 0 && k < size) continue;
      if (spec.error === 'self') throw new IndexError('index out of range in self');
      throw new RuntimeError(`index ${k} is out of bounds for dimension ${dim} with size ${size}`);
    }
  }
}

/** The smallest and largest element offsets a view touches. */
function span(v: View): [number, number] {
  let lo = v.offset, hi = v.offset;
  for (let d = 0; d < v.shape.length; d++) {
    const ext = (v.shape[d]! - 1) * v.strides[d]!;
    if (ext < 0) lo += ext;
    else hi += ext;
  }
  return [lo, hi];
}

function sameView(a: View, b: View): boolean {
  if (a.offset !== b.offset || a.shape.length !== b.shape.length) return false;
  for (let d = 0; d < a.shape.length; d++) if (a.shape[d] !== b.shape[d] || (a.shape[d]! > 1 && a.strides[d] !== b.strides[d])) return false;
  return true;
}

/**
 * Whether a written view shares memory with a view the kernel reads, other than the very same
 * view in a pointwise family (where element i only reads element i: in-place ops are safe).
 */
function overlapsReads(fam: Family, args: readonly unknown[]): boolean {
  const views = args.filter(isView);
  const nw = fam.writes ?? 1;
  for (let w = 0; w < nw; w++) {
    const out = views[w]!;
    const [lo, hi] = span(out);
    for (let i = nw; i < views.length; i++) {
      const v = views[i]!;
      if (v.storage !== out.storage) continue;
      if (fam.pointwise && sameView(v, out)) continue;
      const [l, h] = span(v);
      if (l <= hi && lo <= h) return true;
    }
  }
  return false;
}

function rowSize(x: View, nr: number): number {
  let r = 1;
  for (let d = x.shape.length - nr; d < x.shape.length; d++) r *= x.shape[d]!;
  return r;
}

/** Every Backend method that runs a kernel, read off core's cpu backend so new families show up. */
function kernelMethodNames(): string[] {
  const storageMethods = new Set(['name', 'allocate', 'fromArray', 'readSync', 'read']);
  const cpu = getBackend('cpu') as unknown as Record<string, unknown>;
  const fromCpu = Object.keys(cpu).filter((k) => !storageMethods.has(k) && typeof cpu[k] === 'function');
  return [...new Set([...Object.keys(FAMILIES), ...fromCpu])];
}
