/** The built-in cpu backend: computes every kernel at once, over the whole range, on this thread. */
import type { DType, TypedArray } from '../dtype.js';
import { getArena, ArenaStorage, bringInTiny, type Arena } from '../memory/index.js';
import * as k from '../kernels/index.js';
import type { KView } from '../kernels/index.js';
import type { Backend, View } from './backend.js';

/**
 * The kernel views of a call's operands. In a call over many elements, tiny operands on the JS
 * heap come into the memory, where the wasm kernels reach them. Bringing an operand (back) in can
 * evict or (by growing an unshared memory) invalidate an operand fetched before it; then they are
 * fetched again where they are now, without moving anything.
 */
function kvs(arena: Arena, vs: View[]): KView[] {
  bringInTiny(vs);
  const epoch = arena.epoch;
  const out = vs.map((v) => kview(v, (v.storage as ArenaStorage).data));
  if (arena.epoch === epoch) return out;
  return vs.map((v) => kview(v, (v.storage as ArenaStorage).peek()));
}

function kview(v: View, data: TypedArray): KView {
  return { data, shape: v.shape, strides: v.strides, offset: v.offset };
}

function size(v: View): number {
  let n = 1;
  for (const s of v.shape) n *= s;
  return n;
}

/** Settings of a cpu backend instance (the registered `cpu` device uses the defaults). */
export interface CpuBackendOptions {
  /** Device name (default 'cpu'); another name registers a second cpu-like device. */
  name?: string;
  /** Where storage lives (default: the process's arena, `getArena()`). */
  arena?: Arena;
}

/**
 * Creates the cpu backend. Storage lives in the arena (by default the process's one, shared with
 * the workers device): blocks of one WebAssembly.Memory, recycled, evicted when cold and
 * reloaded when used (see memory/arena.ts).
 */
export function createCpuBackend(options: CpuBackendOptions = {}): Backend {
  const arena = options.arena ?? getArena();
  const allocate = (dtype: DType, length: number): ArenaStorage => new ArenaStorage(arena, dtype, length);
  const kv1 = (v: View): KView => kview(v, (v.storage as ArenaStorage).data);
  const kv = (...vs: View[]): KView[] => kvs(arena, vs);
  return {
    name: options.name ?? 'cpu',
    allocate,
    fromArray(dtype: DType, values: TypedArray): ArenaStorage {
      const storage = allocate(dtype, values.length);
      storage.peek().set(values);
      return storage;
    },
    release: (s) => (s as ArenaStorage).release(),
    readSync: (s) => (s as ArenaStorage).peek(),
    read: async (s) => (s as ArenaStorage).peek(),
    fill: (out, value) => k.fillRange(kv1(out), value, 0, size(out)),
    copy: (mode, out, x) => { const [o, a] = kv(out, x); k.copyRange(mode, o!, a!, 0, size(out)); },
    unary: (op, out, x, p0, p1) => { const [o, a] = kv(out, x); k.unaryRange(op, o!, a!, 0, size(out), p0, p1); },
    binary: (op, out, x, y) => { const [o, a, b] = kv(out, x, y); k.binaryRange(op, o!, a!, b!, 0, size(out)); },
    where: (out, c, x, y) => { const [o, m, a, b] = kv(out, c, x, y); k.whereRange(o!, m!, a!, b!, 0, size(out)); },
    reduce: (op, out, x, nr) => { const [o, a] = kv(out, x); k.reduceRange(op, o!, a!, nr, 0, size(out)); },
    matmul: (out, x, y) => { const [o, a, b] = kv(out, x, y); k.matmulRange(o!, a!, b!, 0, out.shape[0]! * out.shape[1]!); },
    gather: (out, x, dim, index) => { const [o, a, i] = kv(out, x, index); k.gatherRange(o!, a!, dim, i!, 0, size(out)); },
    scatter: (mode, out, dim, index, src) => { const [o, i, a] = kv(out, index, src); k.scatterRange(mode, o!, dim, i!, a!, 0, size(out)); },
    indexSelect: (out, x, dim, index) => { const [o, a, i] = kv(out, x, index); k.indexSelectRange(o!, a!, dim, i!, 0, size(out)); },
    indexAdd: (out, dim, index, src) => { const [o, i, a] = kv(out, index, src); k.indexAddRange(o!, dim, i!, a!, 0, size(out)); },
    cumulative: (op, out, x, dim) => { const [o, a] = kv(out, x); k.cumulativeRange(op, o!, a!, dim, 0, k.laneCount(out.shape, dim)); },
    unfold: (op, out, x, params) => { const [o, a] = kv(out, x); k.unfoldRange(op, o!, a!, params, 0, size(out)); },
    sort: (values, indices, x, dim, descending, stable) => {
      const [v, i, a] = kv(values, indices, x);
      k.sortRange(v!, i!, a!, dim, descending, stable, 0, k.laneCount(x.shape, dim));
    },
    softmax: (op, out, x) => { const [o, a] = kv(out, x); k.softmaxRange(op, o!, a!, 0, k.softmaxRows(out.shape)); },
    softmaxBackward: (op, out, g, y) => { const [o, a, b] = kv(out, g, y); k.softmaxBackwardRange(op, o!, a!, b!, 0, k.softmaxRows(out.shape)); },
  };
}
