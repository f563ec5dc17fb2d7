/**
 * What travels to a worker, and the small pool interface the backend schedules on. Node uses
 * worker threads (node-pool.ts); the browser build puts comlink-wrapped Web Workers behind the
 * same interface.
 */
import type { DType, WasmMemory } from '@kindling/core';
import type { SignalArg } from './signals.js';

/** `length` elements of `dtype` at `byteOffset` in the shared WebAssembly.Memory every thread holds. */
export interface BufferArg {
  readonly byteOffset: number;
  readonly dtype: DType;
  readonly length: number;
}

/** A strided view over shared memory; the worker turns it into a kernel's KView. */
export interface ViewArg {
  readonly view: BufferArg;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

/** A raw typed array in shared memory (e.g. the partial sums of a split reduction). */
export interface ArrayArg {
  readonly array: BufferArg;
}

/** One argument of a range kernel: a view, a raw array, or a plain value (number, op name, parameter object). */
export type KernelArg = number | string | boolean | null | undefined | ViewArg | ArrayArg | object;

/**
 * One shard: call range kernel `kernel` of `@kindling/core/kernels` with `args`, inserting
 * `start, end` at position `at` of the argument list.
 */
export interface Task {
  readonly kernel: string;
  readonly args: readonly KernelArg[];
  readonly at: number;
  readonly start: number;
  readonly end: number;
  /** The shard's completion word: the worker claims the shard there and reports its end. */
  readonly signal: SignalArg;
  /** Test hook only (see WorkersBackend.injectFault): make this task fail in the worker. */
  readonly fault?: 'throw' | 'exit';
}

/**
 * What every worker thread starts with: the shared memory holding all storage, the compiled
 * wasm kernels (compiled once, on the main thread) and the scratch regions reserved for the
 * threads in the memory; a thread takes the next free one through `next`.
 */
export interface WorkerSetup {
  readonly memory: WasmMemory;
  /** The compiled kernels (a WebAssembly.Module), or null where they are unavailable. */
  readonly module: object | null;
  /** Byte offsets of THREAD_BYTES regions, one per thread (with spares for replaced threads). */
  readonly scratch: readonly number[];
  /** One shared counter: the index of the next unused scratch region. */
  readonly next: Int32Array;
}

/**
 * Makes a pool of `threads` threads, each started with `setup`. The pool calls `died` when a
 * thread ended with tasks posted to it that it may not have claimed (they are then run elsewhere).
 */
export type CreatePool = (threads: number, setup: WorkerSetup, died: () => void) => WorkerPool;

/** A set of worker threads that run tasks. */
export interface WorkerPool {
  /** Number of threads. */
  readonly threads: number;
  /**
   * Sends one task to some thread. The pool keeps nothing for it: its end shows only in its
   * completion word, so a caller that never yields to the event loop piles nothing up. Throws if
   * the pool has no thread to send it to.
   */
  send(task: Task): void;
  /** Whether the threads keep the process alive (while kernels are pending); idle ones never do. */
  keepAlive(on: boolean): void;
  /** Ends every thread (the backend calls it once no task is pending). */
  destroy(): Promise<void>;
}
