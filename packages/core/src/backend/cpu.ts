/** The built-in cpu backend: computes every kernel at once, over the whole range, on this thread. */
import { allocArray, arrayView, itemSize, type DType, type TypedArray } from '../dtype.js';
import { BlockPool, SLAB_LIMIT, type Block } from './block-pool.js';
import * as k from '../kernels/index.js';
import type { KView } from '../kernels/index.js';
import type { Backend, Storage, View } from './backend.js';

/** cpu storage: a plain typed array. */
export interface CpuStorage extends Storage {
  readonly data: TypedArray;
}

function kv(v: View): KView {
  return { data: (v.storage as CpuStorage).data, shape: v.shape, strides: v.strides, offset: v.offset };
}

function size(v: View): number {
  let n = 1;
  for (const s of v.shape) n *= s;
  return n;
}

/**
 * Creates the cpu backend. Large storages (from SLAB_LIMIT bytes) come from a pool of recycled
 * ArrayBuffers, returned when their storage is garbage collected: first touch of fresh memory
 * costs more than most kernels. Small ones are plain typed arrays.
 */
export function createCpuBackend(maxCachedBytes = 2 ** 30): Backend {
  const memory = new BlockPool<ArrayBuffer>(maxCachedBytes, (bytes) => new ArrayBuffer(bytes));
  const collected = new FinalizationRegistry<Block<ArrayBuffer>>((block) => memory.release(block));
  const allocate = (dtype: DType, length: number): CpuStorage => {
    const bytes = length * itemSize(dtype);
    if (bytes < SLAB_LIMIT) return { dtype, length, version: 0, data: allocArray(dtype, length) };
    const block = memory.acquire(bytes);
    const storage = { dtype, length, version: 0, data: arrayView(dtype, block.buffer, block.byteOffset, length) };
    collected.register(storage, block);
    return storage;
  };
  return {
    name: 'cpu',
    allocate,
    fromArray(dtype: DType, values: TypedArray): CpuStorage {
      const storage = allocate(dtype, values.length);
      storage.data.set(values);
      return storage;
    },
    readSync: (s) => (s as CpuStorage).data,
    read: async (s) => (s as CpuStorage).data,
    fill: (out, value) => k.fillRange(kv(out), value, 0, size(out)),
    copy: (mode, out, x) => k.copyRange(mode, kv(out), kv(x), 0, size(out)),
    unary: (op, out, x, p0, p1) => k.unaryRange(op, kv(out), kv(x), 0, size(out), p0, p1),
    binary: (op, out, x, y) => k.binaryRange(op, kv(out), kv(x), kv(y), 0, size(out)),
    where: (out, c, x, y) => k.whereRange(kv(out), kv(c), kv(x), kv(y), 0, size(out)),
    reduce: (op, out, x, nr) => k.reduceRange(op, kv(out), kv(x), nr, 0, size(out)),
    matmul: (out, x, y) => k.matmulRange(kv(out), kv(x), kv(y), 0, out.shape[0]! * out.shape[1]!),
    gather: (out, x, dim, index) => k.gatherRange(kv(out), kv(x), dim, kv(index), 0, size(out)),
    scatter: (mode, out, dim, index, src) => k.scatterRange(mode, kv(out), dim, kv(index), kv(src), 0, size(out)),
    indexSelect: (out, x, dim, index) => k.indexSelectRange(kv(out), kv(x), dim, kv(index), 0, size(out)),
    indexAdd: (out, dim, index, src) => k.indexAddRange(kv(out), dim, kv(index), kv(src), 0, size(out)),
    cumulative: (op, out, x, dim) => k.cumulativeRange(op, kv(out), kv(x), dim, 0, k.laneCount(out.shape, dim)),
    unfold: (op, out, x, params) => k.unfoldRange(op, kv(out), kv(x), params, 0, size(out)),
    sort: (values, indices, x, dim, descending, stable) =>
      k.sortRange(kv(values), kv(indices), kv(x), dim, descending, stable, 0, k.laneCount(x.shape, dim)),
    softmax: (op, out, x) => k.softmaxRange(op, kv(out), kv(x), 0, k.softmaxRows(out.shape)),
    softmaxBackward: (op, out, g, y) => k.softmaxBackwardRange(op, kv(out), kv(g), kv(y), 0, k.softmaxRows(out.shape)),
  };
}
