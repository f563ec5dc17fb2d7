/**
 * Registering the workers device, shared by the Node entry (index.ts: worker threads) and the
 * browser entry (browser.ts: comlink-wrapped Web Workers), which differ only in the pool they
 * make and the default thread count.
 */
import { checkOptions as checkCoreOptions, configuredNumThreads, listDevices, registerBackend, RuntimeError, TypeError, type Tensor } from '@kindling/core';
import { checkThreads, MAX_THREADS, WorkersBackend } from './backend.js';
import type { WorkerPool, WorkerSetup } from './pool.js';

/** Options of registerWorkersBackend. */
export interface WorkersOptions {
  /**
   * Worker threads: an integer from 1 to 256 (default: the value given to torch.setNumThreads,
   * else the machine's available parallelism).
   */
  threads?: number;
  /**
   * Kernels touching fewer elements than this run inline, synchronously, on the calling thread
   * (default 2^21, DEFAULT_INLINE_THRESHOLD: chosen by measurement, a pool round trip costs more
   * than a fast kernel below it). 0 sends every kernel through the pool.
   */
  inlineThreshold?: number;
  /** Device name (default 'workers'); not the name of another kind of device ('cpu'). */
  name?: string;
  /**
   * Whether synchronous reads (`item()`, `tolist()`, `dataSync()`, printing) may block the
   * calling thread until the pool is done (default: detected; false only on a browser's main
   * thread). Where false, values computed on the pool must be awaited before a synchronous read.
   */
  blockingReads?: boolean;
}

const OPTION_KEYS: readonly (keyof WorkersOptions)[] = ['threads', 'inlineThreshold', 'name', 'blockingReads'];

/** Throws a clear error for a bad option (unknown keys through core's one options checker). */
export function checkOptions(options: WorkersOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('registerWorkersBackend(): options must be an object');
  checkCoreOptions('registerWorkersBackend', options, OPTION_KEYS);
  if (options.threads !== undefined) checkThreads(options.threads, 'registerWorkersBackend(): threads');
  const nonNegative = (key: 'inlineThreshold') => {
    const v = options[key];
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0) || (v !== Infinity && !Number.isInteger(v)))) {
      throw new TypeError(`registerWorkersBackend(): ${key} must be a non-negative integer, but got ${String(v)}`);
    }
  };
  nonNegative('inlineThreshold');
  if (options.blockingReads !== undefined && typeof options.blockingReads !== 'boolean') {
    throw new TypeError(`registerWorkersBackend(): blockingReads must be a boolean, but got ${String(options.blockingReads)}`);
  }
  const name = options.name;
  if (name !== undefined) {
    if (typeof name !== 'string' || name === '') throw new TypeError(`registerWorkersBackend(): name must be a non-empty string, but got ${String(name)}`);
    if (name === 'cpu' || (listDevices().includes(name) && !instances.has(name) && !registered.has(name))) {
      throw new RuntimeError(`registerWorkersBackend(): the device name '${name}' is taken by another backend; pick another name`);
    }
  }
}

const instances = new Map<string, WorkersBackend>();
/** Device names this package registered (instantiated or not). */
const registered = new Set<string>();

/** How a runtime makes its pool. */
export interface Runtime {
  /** Threads when neither the options nor torch.setNumThreads say (capped at MAX_THREADS). */
  defaultThreads(): number;
  createPool(threads: number, setup: WorkerSetup, died: () => void): WorkerPool;
}

/**
 * Registers the workers device (by default named 'workers') in core's registry. Registering a
 * name again replaces that device: the old backend's pool ends once the kernels issued on it are
 * done, and tensors already on it keep working. The backend and its pool start on first use.
 * Then `t.to('workers')`, `{ device: 'workers' }` and `setDefaultDevice('workers')` work as for
 * any device. Bad options (a thread count that is not an integer from 1 to 256, an unknown key,
 * the name of another kind of device) throw.
 */
export function register(options: WorkersOptions, runtime: Runtime): void {
  checkOptions(options);
  const name = options.name ?? 'workers';
  const old = instances.get(name);
  if (old) {
    instances.delete(name);
    void old.dispose();
  }
  registered.add(name);
  registerBackend(name, () => {
    const b = new WorkersBackend({
      name,
      threads: options.threads ?? configuredNumThreads() ?? Math.min(MAX_THREADS, runtime.defaultThreads()),
      inlineThreshold: options.inlineThreshold,
      blockingReads: options.blockingReads,
      createPool: (threads, setup, died) => runtime.createPool(threads, setup, died),
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
 * Frees a workers tensor's memory for reuse now rather than when it is garbage collected (once
 * the kernels already issued on it are done: they complete normally). Every tensor sharing its
 * storage (views) becomes unusable: reads fail saying it was disposed, kernels issued on it
 * later fail. Does nothing for tensors of other devices.
 */
export function disposeTensor(t: Tensor): void {
  if (t.backend instanceof WorkersBackend) t.backend.release(t.storage);
}
