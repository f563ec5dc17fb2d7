/**
 * Each thread's WebAssembly kernels over the arena's memory: a private scratch region reserved
 * in the memory, the kernels instantiated on it (from a module compiled once and handed to every
 * worker) and warmed up, so the first real calls run compiled code.
 */
import { installWasmKernels, warmUpWasmKernels, WASM_SCRATCH_BYTES, type WasmModuleLike } from '../kernels/wasm/runtime.js';
import type { WasmMemory } from './arena.js';

/** Bytes a thread reserves in the memory: the kernels' scratch (the warm-up runs inside it too). */
export const THREAD_BYTES = WASM_SCRATCH_BYTES;

/**
 * Installs this thread's kernels on `memory`, using the THREAD_BYTES reserved at `at`. Returns
 * whether they run; if WebAssembly SIMD is unavailable the JS kernels serve, with the same results.
 */
export function installThreadKernels(memory: WasmMemory, at: number, module?: WasmModuleLike): boolean {
  if (at < 0) return false;
  try {
    installWasmKernels(memory, at, module);
  } catch {
    return false;
  }
  warmUpWasmKernels();
  return true;
}
