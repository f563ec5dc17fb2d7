/**
 * The WebAssembly SIMD kernels at run time: compile the embedded module once, instantiate it per
 * thread on the storage memory, and let the JS range kernels ask for a fast path.
 *
 * ABI (all pointers are byte addresses in the memory, lengths count float32 elements):
 * - `un_<op>(x, o, n)`: o[i] = op(x[i]) for the ops of WASM_UNARY_OPS;
 * - `bin_<op>_<vv|vs|sv>(a, b, o, n)`: o[i] = a[i] op b[i]; `vs` / `sv` read one broadcast element
 *   of b / a;
 * - `sum_row(x, n) -> f64`, `max_row` / `min_row(x, n) -> f32`, `argmax_row` / `argmin_row(x, n) -> i32`:
 *   one contiguous row;
 * - `col_sum(x, rs, rows, cols, o, div)`: column sums of a [rows, cols] block with row stride rs
 *   bytes and contiguous columns, divided by `div`, into contiguous o;
 * - `softmax_rows(x, o, n, rows, xs, os)`: `rows` rows of n, row r at x + r * xs and o + r * os (bytes);
 * - `logsoftmax_row(x, o, n)`, `softmax_bwd_row` / `logsoftmax_bwd_row(g, y, o, n)`: one row;
 * - `mm(o, ldo, a, am, ak, b, bk, bn, M, N, K)`: o = a @ b, strides in bytes, o's columns contiguous.
 * Each thread's instance keeps its scratch at the pointer given to `init` (WASM_SCRATCH_BYTES).
 */
import type { TypedArray } from '../../dtype.js';
import type { BinaryOp, UnaryOp } from '../elementwise.js';
import { EXP_FRAC } from '../math.js';
import { WASM_SHARED_BASE64, WASM_UNSHARED_BASE64, WASM_SCRATCH_BYTES, WASM_SCRATCH_FREE, WASM_UNARY_OPS, WASM_BINARY_OPS } from './module.js';

export { WASM_SCRATCH_BYTES, WASM_UNARY_OPS, WASM_BINARY_OPS };

// The generator's op tables name only real ops (a renamed op is a type error here).
WASM_UNARY_OPS satisfies readonly UnaryOp[];
WASM_BINARY_OPS satisfies readonly BinaryOp[];

/**
 * The parts of the WebAssembly API used here. Core builds without DOM or Node types, so the
 * global is reached through globalThis; a real WebAssembly.Memory / Module fits these types.
 */
export interface WasmMemoryLike {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
/** A compiled WebAssembly.Module (opaque here; it can be posted to workers). */
export type WasmModuleLike = object;

const WA = (globalThis as unknown as {
  WebAssembly: {
    Module: new (bytes: Uint8Array) => WasmModuleLike;
    Instance: new (module: WasmModuleLike, imports: object) => { exports: Record<string, unknown> };
  };
}).WebAssembly;
const base64Decode = (globalThis as unknown as { atob: (s: string) => string }).atob;

/** A unary kernel: (x, o, n). */
type Unary = (x: number, o: number, n: number) => void;
/** A binary kernel: (a, b, o, n). */
type Binary = (a: number, b: number, o: number, n: number) => void;

/** The instance's exports, typed. */
export interface WasmKernels {
  readonly memory: WasmMemoryLike;
  /** This thread's scratch pointer. */
  readonly scratch: number;
  readonly unary: ReadonlyMap<string, Unary>;
  /** Per op: [vv, vs, sv]. */
  readonly binary: ReadonlyMap<string, readonly [Binary, Binary, Binary]>;
  sum_row(x: number, n: number): number;
  max_row(x: number, n: number): number;
  min_row(x: number, n: number): number;
  argmax_row(x: number, n: number): number;
  argmin_row(x: number, n: number): number;
  col_sum(x: number, rs: number, rows: number, cols: number, o: number, div: number): void;
  softmax_rows(x: number, o: number, n: number, rows: number, xs: number, os: number): void;
  logsoftmax_row(x: number, o: number, n: number): void;
  softmax_bwd_row(g: number, y: number, o: number, n: number): void;
  logsoftmax_bwd_row(g: number, y: number, o: number, n: number): void;
  mm(o: number, ldo: number, a: number, am: number, ak: number, b: number, bk: number, bn: number, M: number, N: number, K: number): void;
}

const modules: { shared?: WasmModuleLike; unshared?: WasmModuleLike } = {};

function decode(b64: string): Uint8Array {
  const s = base64Decode(b64);
  const u8 = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) u8[i] = s.charCodeAt(i);
  return u8;
}

/**
 * The compiled kernels (synchronous, cached): the variant that imports a shared memory or an
 * unshared one. A compiled module can be posted to workers.
 */
export function compileWasmKernels(shared: boolean): WasmModuleLike {
  const key = shared ? 'shared' : 'unshared';
  return (modules[key] ??= new WA.Module(decode(shared ? WASM_SHARED_BASE64 : WASM_UNSHARED_BASE64)));
}

function isShared(memory: WasmMemoryLike): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

let installed: WasmKernels | null = null;

/**
 * Instantiates the kernels for this thread on `memory`. `scratchPtr` (16-byte aligned) starts
 * WASM_SCRATCH_BYTES bytes of the memory that only this thread uses. `module` (from
 * compileWasmKernels, e.g. posted by the main thread) must match the memory's sharedness.
 */
export function installWasmKernels(memory: WasmMemoryLike, scratchPtr: number, module?: WasmModuleLike): void {
  if (scratchPtr % 16 !== 0) throw new RangeError(`wasm scratch pointer ${scratchPtr} is not 16-byte aligned`);
  const mod = module ?? compileWasmKernels(isShared(memory));
  const instance = new WA.Instance(mod, { env: { memory, exp: Math.exp, log: Math.log } });
  const e = instance.exports as Record<string, (...args: number[]) => number>;
  e.init!(scratchPtr);
  // The exp table comes from kernels/math.ts, so both paths use the very same values.
  new Float64Array(memory.buffer, scratchPtr, EXP_FRAC.length).set(EXP_FRAC);
  const unary = new Map<string, Unary>();
  for (const op of WASM_UNARY_OPS) unary.set(op, e[`un_${op}`] as Unary);
  const binary = new Map<string, readonly [Binary, Binary, Binary]>();
  for (const op of WASM_BINARY_OPS) binary.set(op, [e[`bin_${op}_vv`] as Binary, e[`bin_${op}_vs`] as Binary, e[`bin_${op}_sv`] as Binary]);
  knownBuffer = null;
  installed = {
    memory, scratch: scratchPtr, unary, binary,
    sum_row: e.sum_row!, max_row: e.max_row!, min_row: e.min_row!, argmax_row: e.argmax_row!, argmin_row: e.argmin_row!, col_sum: e.col_sum!,
    softmax_rows: e.softmax_rows!, logsoftmax_row: e.logsoftmax_row!, softmax_bwd_row: e.softmax_bwd_row!, logsoftmax_bwd_row: e.logsoftmax_bwd_row!,
    mm: e.mm!,
  } as WasmKernels;
}

/** Removes this thread's kernels: every range kernel takes its JS path again. */
export function uninstallWasmKernels(): void {
  installed = null;
  knownBuffer = null;
}

/** Runs `fn` with this thread's kernels set aside, so every range kernel takes its JS path (tests compare the two). */
export function withoutWasmKernels<T>(fn: () => T): T {
  const k = installed;
  installed = null;
  try {
    return fn();
  } finally {
    installed = k;
  }
}

/** This thread's kernels, or null. */
export function wasmKernels(): WasmKernels | null {
  return installed;
}

/** The arena keeps storage of at most this many bytes on the JS heap (memory/arena.ts HEAP_BYTES). */
export const TINY_BYTES = 64;

/** The memory's buffer when last looked up (the getter is slow; a grow replaces the buffer). */
let knownBuffer: ArrayBufferLike | null = null;

/**
 * Whether the kernels are installed and `data` views their memory (so it has byte pointers).
 * A tiny array at offset 0 is a JS-heap array (no storage block starts at 0: the thread's scratch
 * does), answered without reading `.buffer`, which would move it off the heap.
 */
export function wasmReady(data: TypedArray): boolean {
  if (installed === null || (data.byteOffset === 0 && data.byteLength <= TINY_BYTES)) return false;
  const b = data.buffer;
  return b === knownBuffer || b === (knownBuffer = installed.memory.buffer);
}

/**
 * A staging area in this thread's scratch (free between kernel calls): values that are not in the
 * memory, or strided, are copied in, run through a wasm kernel and copied out. Used where the JS
 * twin is far slower than a copy (expf's float32 steps form a long dependency chain). Null if no
 * kernels are installed; `ptr` is its byte address, `f32` a view of `STAGE_LENGTH` floats.
 */
export function stagingArea(): { ptr: number; f32: Float32Array; k: WasmKernels } | null {
  const k = installed;
  if (k === null) return null;
  const ptr = k.scratch + WASM_SCRATCH_FREE.packB;
  return { ptr, f32: new Float32Array(k.memory.buffer, ptr, STAGE_LENGTH), k };
}

/** Floats in the staging area (half of it each for a softmax row's input and output). */
export const STAGE_LENGTH = WASM_SCRATCH_FREE.packBBytes / 4;

/**
 * Runs every kernel a few times on small data inside this thread's scratch, so the engine has
 * compiled them before the first real call (V8 runs a function's first calls unoptimized).
 * Call it after installWasmKernels, e.g. when a pool thread starts.
 */
export function warmUpWasmKernels(): void {
  const rounds = 8;
  const k = installed;
  if (k === null) return;
  const n = 1024, a = k.scratch + WASM_SCRATCH_FREE.packB, b = a + 4 * n, o = b + 4 * n;
  const data = new Float32Array(k.memory.buffer, a, 3 * n);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 37) % 101) / 50 - 1;
  const m = 32, ma = k.scratch + WASM_SCRATCH_FREE.lanes, mb = ma + 4 * m * m, mo = mb + 4 * m * m;
  new Float32Array(k.memory.buffer, ma, 2 * m * m).fill(0.25);
  for (let r = 0; r < rounds; r++) {
    for (const f of k.unary.values()) f(a, o, n);
    for (const fs of k.binary.values()) for (const f of fs) f(a, b, o, n);
    k.sum_row(a, n); k.max_row(a, n); k.min_row(a, n); k.argmax_row(a, n); k.argmin_row(a, n);
    k.col_sum(a, 4 * 32, 32, 32, o, 1);
    k.softmax_rows(a, o, n / 2, 2, 2 * n, 2 * n); k.logsoftmax_row(a, o, n); k.softmax_bwd_row(a, b, o, n); k.logsoftmax_bwd_row(a, b, o, n);
    k.mm(mo, 4 * m, ma, 4 * m, 4, mb, 4 * m, 4, m, m, m);
  }
}
