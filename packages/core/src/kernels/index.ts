/**
 * The kernels: pure range functions over typed arrays, shared by the cpu backend and by the
 * workers backend's threads. No Node or DOM APIs here.
 */
export type { KView } from './view.js';
export { Rows } from './rows.js';
export * from './elementwise.js';
export * from './reduce.js';
export * from './matmul.js';
export * from './math.js';
export * from './indexing.js';
export * from './cumulative.js';
export * from './sort.js';
export * from './unfold.js';
export * from './softmax.js';
export * from './wasm/runtime.js';
export { arrayView } from '../dtype.js';
// What a worker thread needs to run kernels on the shared memory (the entry workers import).
export { installThreadKernels, THREAD_BYTES } from '../memory/wasm.js';
