/**
 * The backend test kit (whole reference corpus, every kernel family bitwise against cpu) on a
 * device whose storage lives in a WebAssembly.Memory with the wasm kernels installed: the cpu
 * backend's kernels then take their wasm fast paths wherever views allow, and must give the
 * same bits as the cpu device's JS paths.
 */
import { afterAll, describe, it } from 'vitest';
import { allocArray, arrayView, itemSize, registerBackend, type Backend, type DType, type Storage, type TypedArray } from '../src/index.js';
import { createCpuBackend } from '../src/backend/cpu.js';
import { installWasmKernels, uninstallWasmKernels, WASM_SCRATCH_BYTES } from '../src/kernels/wasm/runtime.js';
import { backendTestKit, referenceCorpus } from '../src/testing/index.js';
import { WebAssemblyApi as WA } from './wasm-global.js';

const memory = new WA.Memory({ initial: 8192, maximum: 65536, shared: true }); // 512 MiB
installWasmKernels(memory, 0);
afterAll(() => uninstallWasmKernels());

/** A bump allocator over the memory; past its end storage falls back to plain arrays (JS paths). */
let top = WASM_SCRATCH_BYTES;
function allocate(dtype: DType, length: number): Storage & { data: TypedArray } {
  const bytes = (length * itemSize(dtype) + 15) & ~15;
  if (top + bytes > memory.buffer.byteLength) return { dtype, length, version: 0, data: allocArray(dtype, length) };
  const data = arrayView(dtype, memory.buffer, top, length);
  top += bytes;
  return { dtype, length, version: 0, data };
}

registerBackend('cpuwasm', (): Backend => ({
  ...createCpuBackend(),
  name: 'cpuwasm',
  allocate,
  // Its storages are plain { data } records, not the cpu backend's arena storages.
  readSync: (s) => (s as Storage & { data: TypedArray }).data,
  read: async (s) => (s as Storage & { data: TypedArray }).data,
  release: () => {},
  fromArray(dtype, values) {
    const s = allocate(dtype, values.length);
    s.data.set(values);
    return s;
  },
}));

backendTestKit({ device: 'cpuwasm', describe, it, corpus: referenceCorpus() });

describe('cpuwasm device', () => {
  it('kept its storage in the wasm memory', () => {
    if (top <= WASM_SCRATCH_BYTES) throw new Error('no storage was allocated in the wasm memory');
  });
});
