/** Loads tfjs-core with its cpu and wasm backends (wasm: single thread, SIMD when available). */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type Tfjs = typeof tf;

/** tfjs with both backends initialized; the wasm binaries load from the installed package. */
export async function loadTfjs(): Promise<Tfjs> {
  const require = createRequire(import.meta.url);
  setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs-backend-wasm failed to initialize');
  if (!(await tf.setBackend('cpu'))) throw new Error('tfjs-backend-cpu failed to initialize');
  return tf;
}
