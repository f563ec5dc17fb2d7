/**
 * The workers backend: wiring. Storage lives in pooled shared memory (memory.ts); kernels are
 * jobs in a dependency graph (scheduler.ts); a large kernel is cut into shards (dispatch.ts)
 * that run on a worker pool; the families table (families.ts) says how each Backend method
 * maps to a core range kernel.
 *
 * Ops return at once. Each storage remembers its last pending writer and its pending readers;
 * a kernel starts when the writers of everything it reads (read-after-write), and the writer and
 * readers of what it writes (write-after-write, write-after-read), are done. A small kernel whose
 * dependencies are all done runs inline, synchronously, on the calling thread; a large one runs
 * on the pool. Shards report their end in shared memory (signals.ts), so a synchronous read can
 * block in Atomics.wait and still drive the work: it finishes what ended, runs newly ready
 * kernels itself, claims back shards no worker has started, and sleeps only on shards a worker
 * is running. Without a blocked read, one asynchronous watch on a running shard's word (never
 * more than one, however many tasks are out) does the same from the event loop. Nothing is kept
 * per task once its job is done, so a loop that never yields stays bounded. Results are bitwise
 * the cpu backend's at any thread count, on any path.
 */
import { getArena, bringInTiny, itemSize, THREAD_BYTES, NotSupportedError, RuntimeError, TypeError, ValueError, getBackend, type Arena, type ArenaStats, type Backend, type DType, type Storage, type TypedArray, type View } from '@kindling/core';
import * as kernels from '@kindling/core/kernels';
import { blockCount, compileWasmKernels, isSplittable, type ReduceOp } from '@kindling/core/kernels';
import { checkIndex, encode, kview, overlapsReads, rowSize, shardCount, shardRange } from './dispatch.js';
import { FAMILIES, isView, numel, opName, STORAGE_METHODS, type Family, type FamilyName } from './families.js';
import { WorkersStorage } from './memory.js';
import type { CreatePool, KernelArg, Task, WorkerPool, WorkerSetup } from './pool.js';
import { Job, Scheduler } from './scheduler.js';
import { claim, DIED, DONE, ended, FAILED, messageOf, QUEUED, RUNNING, settle, Signals, STOLEN, stateOf, waitWhile, wordOf } from './signals.js';
import { runKernel } from './task.js';

type RangeKernel = (...args: unknown[]) => void;
const KERNELS = kernels as unknown as Record<string, RangeKernel>;

/**
 * Default inline threshold in elements touched (a matmul touches M * N * K). Measured on this
 * project's 2-core machine with the wasm kernels: a chain of dependent adds runs inline at 25-45
 * us per op up to 2^17 elements and 290-540 us at 2^20, where two pool threads take 160-300 us
 * and 720-760 us (a pool round trip, two thread wake-ups, costs more than a fast kernel); the pool
 * first wins near 2^22. The MLP step (784-256-10, batch 512) on 2 threads took 23-25 ms with
 * 65536, 21-22 with 2^20 and 20-21 with 2^21, where its small matmuls and elementwise ops stay
 * inline and its large matmuls split. PyTorch's grain, 32768, assumes a much cheaper hand-off.
 */
export const DEFAULT_INLINE_THRESHOLD = 1 << 21;

/** Most worker threads one pool may have. */
export const MAX_THREADS = 256;

/** A fault the test hook can inject (see WorkersBackend.injectFault). */
export type Fault = 'throw' | 'exit' | 'alloc';

/** Settings of one workers backend instance. */
export interface WorkersBackendOptions {
  /** Device name (default 'workers'). */
  name?: string;
  /** Worker threads: an integer in [1, MAX_THREADS]. */
  threads: number;
  /** Kernels touching fewer elements run inline on the calling thread; 0 sends everything to the pool. */
  inlineThreshold?: number;
  /** Where storage lives (default: the process's arena, shared with the cpu device). It must be shared memory. */
  arena?: Arena;
  /**
   * Whether a synchronous read may block this thread until pool kernels are done (default: true
   * wherever Atomics.wait is allowed, i.e. everywhere but a browser's main thread). Where it is
   * false, a synchronous read of a tensor computed on the pool throws until it has been awaited.
   */
  blockingReads?: boolean;
  /** Makes the pool (called on first use, and again after dispose or a thread-count change). */
  createPool: CreatePool;
}

/** How long a blocked reader leaves a queued shard to the workers before running it itself. */
const CLAIM_GRACE_MS = 20;
/** The same for a shard carrying an injected fault, so the fault really happens in a worker. */
const FAULT_GRACE_MS = 2000;
/** How long a blocked reader sleeps on a running shard before looking again. */
const WAIT_SLICE_MS = 100;

/** One shard of a pool kernel: its task, and its end once seen (its word is then reused). */
interface Shard {
  readonly task: Task;
  /** The final state (-1 until seen) and the failure message. */
  final: number;
  message: string;
}

/** A kernel running on the pool: its shards, and what runs on this thread once they are all done. */
interface PoolRun {
  readonly shards: Shard[];
  readonly after: (() => void) | null;
}

/** A job on the pool: its shards, the storages it writes (the first `nw` of `views`), and the pool. */
interface Running extends PoolRun {
  readonly views: WorkersStorage[];
  readonly nw: number;
  readonly pool: PoolHandle;
}

/** A pool, with its jobs not done yet; retired pools end once none is left. */
interface PoolHandle {
  readonly pool: WorkerPool;
  jobs: number;
  drained: (() => void) | null;
}

type WaitAsync = (a: Int32Array, index: number, value: number, ms: number) => { async: boolean; value: unknown };
/** Atomics.waitAsync where the platform has it (not in every browser: a short timer polls there). */
const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;

/** Whether this thread may block in Atomics.wait (a browser's main thread may not). */
function threadCanBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Checks a thread count: an integer in [1, MAX_THREADS]. */
export function checkThreads(threads: unknown, what: string): number {
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    const kind = typeof threads === 'number' && Number.isInteger(threads) ? ValueError : TypeError;
    throw new kind(`${what} must be an integer from 1 to ${MAX_THREADS}, but got ${String(threads)}`);
  }
  return threads;
}

export interface WorkersBackend extends Pick<Backend, FamilyName> {}

/** The workers backend (see the module comment). Create it with registerWorkersBackend. */
export class WorkersBackend implements Backend {
  readonly name: string;
  /** Kernels touching fewer elements than this run inline; 0 sends every kernel to the pool. */
  inlineThreshold: number;
  /** Whether synchronous reads may block this thread (see WorkersBackendOptions.blockingReads). */
  readonly blockingReads: boolean;
  private nThreads: number;
  private pool: PoolHandle | null = null;
  /** The arena holding this device's storage (its memory is handed to every worker). */
  readonly arena: Arena;
  private readonly scheduler = new Scheduler();
  private readonly signals = new Signals();
  /** Jobs whose shards are on the pool. */
  private readonly running = new Map<Job, Running>();
  private armed: Fault | null = null;
  /** Whether the asynchronous watch on the running shards is armed (see watch). */
  private watching = false;
  /** Scratch regions reserved in the memory for worker threads' wasm kernels (kept across pools). */
  private readonly scratch: number[] = [];

  constructor(private readonly options: WorkersBackendOptions) {
    this.name = options.name ?? 'workers';
    this.nThreads = checkThreads(options.threads, 'threads');
    this.inlineThreshold = options.inlineThreshold ?? DEFAULT_INLINE_THRESHOLD;
    this.blockingReads = options.blockingReads ?? threadCanBlock();
    this.arena = options.arena ?? getArena();
    if (!this.arena.shared) throw new RuntimeError('the workers backend needs shared memory (SharedArrayBuffer): this page is not cross-origin isolated');
    // Install one method per kernel family from the table.
    const self = this as unknown as Record<string, (...args: unknown[]) => void>;
    for (const name of kernelMethodNames()) {
      const fam = FAMILIES[name as FamilyName];
      self[name] = fam
        ? (...args: unknown[]) => this.launch(name, fam, args)
        : () => { throw new NotSupportedError(`the workers backend does not implement the ${name} kernel family yet`); };
    }
  }

  /** Worker threads in the pool. */
  get threads(): number {
    return this.nThreads;
  }

  /**
   * Resizes the pool (torch.setNumThreads calls this). The current pool ends once the shards
   * already sent to it are done; later kernels start a pool of the new size.
   */
  setThreads(n: number): void {
    checkThreads(n, 'the number of threads');
    if (n === this.nThreads) return;
    this.nThreads = n;
    const old = this.pool;
    this.pool = null;
    if (old !== null) void this.retire(old);
  }

  /** The arena's counters (blocks recycled, evictions, ...: see torch.memory()). */
  get memoryStats(): Readonly<ArenaStats> {
    return this.arena.stats;
  }

  // ------------------------------------------------------------------ storage

  allocate(dtype: DType, length: number): WorkersStorage {
    try {
      if (this.armed === 'alloc') {
        this.armed = null;
        throw new RangeError('Array buffer allocation failed (injected fault)');
      }
      return new WorkersStorage(this.arena, dtype, length);
    } catch (e) {
      const s = new WorkersStorage(this.arena, dtype, 0);
      s.error = new RuntimeError(`could not allocate ${length * itemSize(dtype)} bytes for its output (${message(e)})`);
      return s;
    }
  }

  fromArray(dtype: DType, values: TypedArray): WorkersStorage {
    const s = this.allocate(dtype, values.length);
    if (s.error === null) s.data.set(values);
    return s;
  }

  /** The live values if computed and readable here without waiting, else null. Never blocks. */
  readSync(storage: Storage): TypedArray | null {
    const s = storage as WorkersStorage;
    if (s.error !== null || s.disposed || (s.tainted && !this.blockingReads)) return null;
    if (s.writer !== null && !s.writer.done) return null;
    return s.peek();
  }

  /**
   * The live values, waiting (blocking this thread) for the kernels that write them. Throws the
   * failure of a kernel that wrote them, or the dispose; where this thread may not block, throws
   * for values computed on the pool until they have been awaited.
   */
  readBlocking(storage: Storage): TypedArray {
    const s = storage as WorkersStorage;
    if (s.disposed) throw this.disposedError();
    if (s.tainted && !this.blockingReads) {
      throw new RuntimeError(`this ${this.name} tensor was computed on the worker pool, and this thread cannot wait for it (a browser's main thread cannot block): await t.itemAsync(), t.tolistAsync(), t.data() or t.ready() before reading it synchronously`);
    }
    const w = s.writer;
    if (w !== null && !w.done) this.waitFor(w);
    if (s.error !== null) throw s.error;
    return s.peek();
  }

  /**
   * A copy of the values once every kernel writing them has run, taken at that moment, so a
   * kernel issued after `read` that writes this storage cannot change what the read returns.
   */
  read(storage: Storage): Promise<TypedArray> {
    const s = storage as WorkersStorage;
    if (s.disposed) return Promise.reject(this.disposedError());
    const w = s.writer;
    const copy = new Promise<TypedArray>((resolve, reject) => {
      const take = () => (s.error !== null ? reject(s.error) : resolve(s.peek().slice()));
      if (w === null) take();
      else w.onDone(take);
    });
    return copy.then((v) => {
      if (s.writer === w) s.tainted = false; // awaited: readable synchronously from now on
      return v;
    });
  }

  /** Resolves when every kernel writing the values has run (rejects if one failed); no copy. */
  ready(storage: Storage): Promise<void> {
    const s = storage as WorkersStorage;
    if (s.disposed) return Promise.reject(this.disposedError());
    const w = s.writer;
    return new Promise<void>((resolve, reject) => {
      const settled = () => {
        if (s.error !== null) return reject(s.error);
        if (s.writer === w) s.tainted = false; // awaited: readable synchronously from now on
        resolve();
      };
      if (w === null) settled();
      else w.onDone(settled);
    });
  }

  /** What reading a disposed tensor throws (made when thrown: release is hot, an Error's stack is not free). */
  private disposedError(): RuntimeError {
    return new RuntimeError(`this ${this.name} tensor was disposed`);
  }

  /**
   * Frees a storage's memory for reuse now instead of at garbage collection: at once, or when
   * the kernels already issued on it are done (they complete normally). Later reads of it, and
   * kernels issued on it later, fail.
   */
  release(storage: Storage): void {
    const s = storage as WorkersStorage;
    if (s.disposed) return;
    s.disposed = true;
    const pending = [s.writer, ...s.readers].filter((j): j is Job => j !== null && !j.done);
    let left = pending.length;
    if (left === 0) s.release();
    for (const j of pending) j.onDone(() => { if (--left === 0) s.release(); });
  }

  // ------------------------------------------------------------------ scheduling

  private addReader(s: WorkersStorage, job: Job): void {
    const rs = s.readers;
    if (rs.length >= 16) s.readers = rs.filter((r) => !r.done);
    s.readers.push(job);
  }

  /** Issues one kernel call of family `fam`: inline now, or as a job once its inputs are ready. */
  private launch(name: string, fam: Family, args: unknown[]): void {
    const total = fam.range(args);
    if (total === 0) return;
    const work = fam.work ? fam.work(args) : total;
    const onPool = work >= this.inlineThreshold;
    const settled = !onPool && this.settled(fam, args);
    this.taint(fam, args, onPool);
    if (settled) this.runInline(fam, args, total);
    else this.schedule(name, fam, args, total, work);
  }

  /**
   * Marks what the kernel writes as computed on the pool (so not readable synchronously where
   * the thread cannot block, until awaited) when it runs there, or reads or overwrites values
   * that are. Depends only on sizes and on what was awaited, never on timing.
   */
  private taint(fam: Family, args: readonly unknown[], onPool: boolean): void {
    const nw = fam.writes ?? 1;
    let t = onPool;
    for (let i = 0, v = 0; i < args.length && !t; i++) {
      const a = args[i];
      if (!isView(a)) continue;
      const s = a.storage as WorkersStorage;
      t = s.tainted || (v++ < nw && s.poolRead);
    }
    for (let i = 0, v = 0; i < args.length; i++) {
      const a = args[i];
      if (!isView(a)) continue;
      const s = a.storage as WorkersStorage;
      if (v++ < nw) {
        s.tainted = t;
        s.poolRead = false;
      } else if (t) s.poolRead = true;
    }
  }

  /** Whether nothing the kernel reads or writes is pending, failed or disposed (so it may run right now). */
  private settled(fam: Family, args: readonly unknown[]): boolean {
    const nw = fam.writes ?? 1;
    for (let i = 0, v = 0; i < args.length; i++) {
      const a = args[i];
      if (!isView(a)) continue;
      const s = a.storage as WorkersStorage, w = s.writer;
      if (s.error !== null || s.disposed || (w !== null && !w.done)) return false;
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
    const deps: Job[] = [];
    let disposed = false;
    for (const a of args) {
      if (!isView(a)) continue;
      const s = a.storage as WorkersStorage;
      const w = s.writer;
      if (w !== null && !w.done) deps.push(w);
      if (views.length < nw) for (const r of s.readers) if (!r.done) deps.push(r);
      disposed ||= s.disposed;
      views.push(s);
    }
    if (fam.index) checkIndex(fam.index, args);
    const op = opName(name, args);
    const job = new Job(op, () => {
      if (disposed) throw new RuntimeError(`workers: ${op} was not run because an input was disposed`);
      for (const s of views) if (s.error !== null) throw dependencyError(op, s, views, nw);
      if (work < this.inlineThreshold) {
        this.runInlineNamed(op, fam, args, total);
        this.scheduler.finish(job, null);
      } else this.dispatch(job, fam, args, views, nw, total, work);
    });
    for (let i = 0; i < views.length; i++) {
      const s = views[i]!;
      if (i < nw) {
        s.writer = job;
        s.readers = [];
      } else if (!views.slice(0, nw).includes(s)) this.addReader(s, job);
    }
    // A failed job (in start, or later) makes its outputs' values unusable: their reads reject.
    job.onDone(() => { if (job.error !== null) for (let i = 0; i < nw; i++) views[i]!.error = job.error; });
    this.scheduler.submit(job, deps);
  }

  private runInline(fam: Family, args: readonly unknown[], total: number): void {
    bringInTiny(args);
    const epoch = this.arena.epoch;
    let k = kernelArgs(fam, args, total, false);
    // Bringing an evicted operand back in moved others (or grew an unshared memory): fetch
    // them again where they are now, moving nothing.
    if (this.arena.epoch !== epoch) k = kernelArgs(fam, args, total, true);
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

  /** runInline, with a failure (e.g. a bad index found by the kernel) naming the op. */
  private runInlineNamed(op: string, fam: Family, args: readonly unknown[], total: number): void {
    try {
      this.runInline(fam, args, total);
    } catch (e) {
      throw new RuntimeError(`workers: ${op} failed: ${message(e)}`);
    }
  }

  // ------------------------------------------------------------------ the pool

  private getPool(): PoolHandle {
    return (this.pool ??= { pool: this.options.createPool(this.nThreads, this.workerSetup(), () => this.threadDied()), jobs: 0, drained: null });
  }

  /** What the next pool's threads start with (see WorkerSetup); spares serve replaced threads. */
  private workerSetup(): WorkerSetup {
    while (this.scratch.length < 2 * this.nThreads) this.scratch.push(this.arena.reserve(THREAD_BYTES));
    let module: object | null = null;
    try {
      module = compileWasmKernels(true);
    } catch {
      // No WebAssembly SIMD here: the JS kernels serve, with the same results.
    }
    return { memory: this.arena.memory, module, scratch: [...this.scratch], next: new Int32Array(new SharedArrayBuffer(4)) };
  }

  /** Ends a pool once no job on it is left. */
  private async retire(p: PoolHandle): Promise<void> {
    if (p.jobs > 0) await new Promise<void>((r) => (p.drained = r));
    await p.pool.destroy();
  }

  /**
   * Sends a kernel's shards to the pool; the job completes when every shard has ended. Its
   * operands stay pinned in the memory until then (never evicted). If the memory cannot hold
   * one, it lives in ordinary memory that workers cannot reach, and the kernel runs here.
   */
  private dispatch(job: Job, fam: Family, args: unknown[], views: WorkersStorage[], nw: number, total: number, work: number): void {
    let resident = true;
    for (const s of views) resident = s.pin() && resident;
    if (!resident) {
      for (const s of views) s.unpin();
      this.runInlineNamed(job.op, fam, args, total);
      this.scheduler.finish(job, null);
      return;
    }
    const split = fam.split === 'reduceBlocks' ? this.splitReduce(args) : null;
    let run: PoolRun;
    if (split !== null) run = split;
    else {
      // A write that overlaps what another element reads (e.g. a[1:].sub_(a[:-1])) depends on the
      // order elements are visited: run it as one shard, in the cpu backend's order.
      const n = overlapsReads(fam, args) ? 1 : shardCount(this.nThreads, this.inlineThreshold, total, work);
      run = { shards: this.post(fam.kernel, fam.at, args.map(encode), total, n), after: null };
    }
    let p: PoolHandle;
    try {
      p = this.getPool();
      for (const sh of run.shards) p.pool.send(sh.task);
    } catch (e) {
      // No thread to send to (a worker script that cannot start): the job fails; shards sent
      // before are ignored by then (their words went back).
      for (const sh of run.shards) this.signals.release(sh.task.signal);
      for (const s of views) s.unpin();
      throw e;
    }
    if (p.jobs++ === 0) p.pool.keepAlive(true);
    this.running.set(job, { ...run, views, nw, pool: p });
    this.watch();
  }

  /** The shards of `kernel` over [0, total), n of them (not sent yet). */
  private post(kernel: string, at: number, args: readonly KernelArg[], total: number, n: number): Shard[] {
    let fault: 'throw' | 'exit' | undefined;
    if (this.armed === 'throw' || this.armed === 'exit') {
      fault = this.armed;
      this.armed = null;
    }
    const shards: Shard[] = [];
    for (let i = 0; i < n; i++) {
      const [start, end] = shardRange(total, i, n);
      const signal = this.signals.acquire();
      const task: Task = fault !== undefined && i === 0 ? { kernel, args, at, start, end, signal, fault } : { kernel, args, at, start, end, signal };
      shards.push({ task, final: -1, message: '' });
    }
    return shards;
  }

  /** The state of a shard: its copied end, or its word while the task is out. */
  private shardState(sh: Shard): number {
    return sh.final >= 0 ? sh.final : stateOf(sh.task.signal);
  }

  /** Completes a pool job whose shards have all ended. */
  private check(job: Job): void {
    const run = this.running.get(job);
    if (run === undefined) return;
    for (const sh of run.shards) if (!ended(this.shardState(sh))) return;
    // Every shard ended: keep how, and give the words back.
    let failure: string | null = null;
    for (const sh of run.shards) {
      if (sh.final < 0) {
        sh.final = stateOf(sh.task.signal);
        if (sh.final !== DONE) sh.message = messageOf(sh.task.signal);
      }
      if (sh.final !== DONE) failure ??= sh.message;
      this.signals.release(sh.task.signal);
    }
    this.running.delete(job);
    const p = run.pool;
    if (--p.jobs === 0) {
      p.pool.keepAlive(false);
      p.drained?.();
    }
    let error: Error | null = failure === null ? null : new RuntimeError(`workers: ${job.op} failed in a worker thread: ${failure}`);
    if (error === null && run.after !== null) {
      try {
        run.after();
      } catch (e) {
        error = new RuntimeError(`workers: ${job.op} failed: ${message(e)}`);
      }
    }
    for (const s of run.views) s.unpin();
    this.scheduler.finish(job, error);
  }

  /** Completes the pool jobs whose shards have all ended (which starts their dependents). */
  private poll(): void {
    for (const job of [...this.running.keys()]) this.check(job);
  }

  /**
   * Completes pool jobs from the event loop when nothing blocks on them: one asynchronous wait
   * on the word of a shard not ended yet (its end notifies), then a poll, and
   * again while jobs are running. One wait at a time, however many tasks are out.
   */
  private watch(): void {
    if (this.watching) return;
    let open: Shard | null = null;
    for (const run of this.running.values()) {
      for (const sh of run.shards) {
        if (!ended(this.shardState(sh))) {
          open = sh;
          break;
        }
      }
      if (open !== null) break;
    }
    if (open === null && this.running.size === 0) return;
    this.watching = true;
    const again = () => {
      this.watching = false;
      this.poll();
      this.watch();
    };
    const r = open !== null && waitAsync !== undefined ? waitAsync(...wordOf(open.task.signal), WAIT_SLICE_MS) : null;
    if (r !== null && r.async) void (r.value as Promise<unknown>).then(again);
    else setTimeout(again, open === null ? 0 : 1);
  }

  /** A thread ended: this thread runs the shards it may have left queued (a claim decides who runs each). */
  private threadDied(): void {
    for (const run of this.running.values()) for (const sh of run.shards) if (this.shardState(sh) === QUEUED) this.steal(sh.task);
    this.poll();
  }

  /**
   * A few long reductions (sum-like, max, min, any, all): shards compute fixed REDUCE_BLOCK block
   * partials, then the partials are combined in order on this thread. Same blocks, same order as
   * reduceRange: same bits. Null when splitting by output elements is the better cut.
   */
  private splitReduce(args: unknown[]): PoolRun | null {
    const [rop, out, x, nr] = args as [ReduceOp, View, View, number];
    const nOut = numel(out);
    if (!isSplittable(rop) || nOut >= 2 * this.nThreads) return null;
    const nb = blockCount(kview(x), nr);
    if (nb < 2) return null;
    const units = nOut * nb;
    const partials = new WorkersStorage(this.arena, 'float64', units);
    if (!partials.pin()) {
      partials.unpin();
      partials.release();
      return null;
    }
    const n = Math.max(1, Math.min(this.nThreads, units, this.inlineThreshold > 0 ? Math.floor(numel(x) / this.inlineThreshold) : units));
    const shards = this.post('reduceBlocksRange', 5, [rop, { array: partials.arg }, encode(x), nr, nb], units, n);
    const after = () => {
      try {
        kernels.combineBlocksRange(rop, kview(out), partials.peek() as Float64Array, nb, rowSize(x, nr), 0, nOut);
      } finally {
        partials.unpin();
        partials.release();
      }
    };
    return { shards, after };
  }

  // ------------------------------------------------------------------ blocking reads

  /**
   * Blocks until `target` is done, driving the work meanwhile: finishes pool jobs whose shards
   * ended (which starts their dependents: sent to the pool, or run inline if small), sleeps on a
   * shard a worker is running, and runs itself the shards no worker claimed within a short grace
   * (a pool that has not started yet, or a task sent to a worker that died).
   */
  private waitFor(target: Job): void {
    while (!target.done) {
      let running: Shard | null = null;
      const queued: Shard[] = [];
      let progressed = false;
      for (const [job, run] of [...this.running]) {
        this.check(job);
        if (!this.running.has(job)) {
          progressed = true;
          continue;
        }
        for (const sh of run.shards) {
          const st = this.shardState(sh);
          if (st === RUNNING) running ??= sh;
          else if (st === QUEUED) queued.push(sh);
        }
      }
      if (progressed || target.done) continue;
      // Shards no worker has claimed yet get a grace (workers busy with earlier shards claim them
      // in turn), then this thread runs those still unclaimed; otherwise sleep on a running one.
      if (queued.length > 0) {
        const first = queued[0]!.task;
        waitWhile(first.signal, QUEUED, first.fault === undefined ? CLAIM_GRACE_MS : FAULT_GRACE_MS);
        for (const sh of queued) this.steal(sh.task);
      } else if (running !== null) waitWhile(running.task.signal, RUNNING, WAIT_SLICE_MS);
      else if (this.running.size === 0) {
        throw new RuntimeError(`workers: internal error: a read waits for ${target.op}, but no kernel is running`);
      }
    }
  }

  /** Runs a queued shard on this thread, if no worker claimed it first. */
  private steal(task: Task): void {
    if (!claim(task.signal, QUEUED, STOLEN)) return;
    try {
      if (task.fault === 'throw') throw new Error('injected kernel fault');
      if (task.fault === 'exit') {
        settle(task.signal, DIED, 'injected worker exit (the shard ran on the calling thread, which did not exit)');
        return;
      }
      runKernel(task, this.arena.memory);
      settle(task.signal, DONE);
    } catch (e) {
      settle(task.signal, FAILED, message(e));
    }
  }

  // ------------------------------------------------------------------ lifecycle and test hooks

  /** Resolves when every kernel issued so far has finished (successfully or not). */
  async idle(): Promise<void> {
    while (this.scheduler.pending.size > 0) await Promise.all([...this.scheduler.pending].map((j) => j.whenDone()));
  }

  /** Waits for the issued kernels, then ends the worker threads. A later kernel starts a new pool. */
  async dispose(): Promise<void> {
    await this.idle();
    const p = this.pool;
    this.pool = null;
    if (p !== null) await this.retire(p);
  }

  /**
   * Test hook: makes the next pool task throw inside its worker ('throw'), kill its worker
   * ('exit'), or the next allocation fail ('alloc'). One shot.
   */
  injectFault(fault: Fault): void {
    this.armed = fault;
  }
}

/** A kernel's argument list: views as kernel views (peeked: where they are, moving nothing), with start, end inserted. */
function kernelArgs(fam: Family, args: readonly unknown[], total: number, peek: boolean): unknown[] {
  const n = args.length, at = fam.at, k = new Array<unknown>(n + 2);
  for (let i = 0, j = 0; i <= n; i++) {
    if (i === at) {
      k[j++] = 0;
      k[j++] = total;
    }
    if (i < n) {
      const a = args[i];
      k[j++] = isView(a) ? kview(a, peek) : a;
    }
  }
  return k;
}

function dependencyError(op: string, s: WorkersStorage, views: WorkersStorage[], nw: number): RuntimeError {
  return new RuntimeError(views.indexOf(s) < nw
    ? `workers: ${op} failed: ${s.error!.message}`
    : `workers: ${op} was not run because an input failed: ${s.error!.message}`);
}

/** Every Backend method that runs a kernel, read off core's cpu backend so new families show up. */
function kernelMethodNames(): string[] {
  const cpu = getBackend('cpu') as unknown as Record<string, unknown>;
  const fromCpu = Object.keys(cpu).filter((k) => !STORAGE_METHODS.has(k) && typeof cpu[k] === 'function');
  return [...new Set([...Object.keys(FAMILIES), ...fromCpu])];
}
