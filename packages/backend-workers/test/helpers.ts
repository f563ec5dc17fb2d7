/** Shared test helpers: backends at several thread counts, random strided layouts, bitwise checks. */
import { allocArray, getBackend, type Backend, type DType, type Storage, type TypedArray, type View } from '@kindling/core';
import { createNodePool, WorkersBackend } from '../src/index.js';

/** A workers backend not in the registry (for backend-level tests). */
export function workers(threads: number, inlineThreshold = 0): WorkersBackend {
  return new WorkersBackend({ name: `workers-${threads}-${inlineThreshold}`, threads, inlineThreshold, createPool: createNodePool });
}

export const cpu: Backend = getBackend('cpu');

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random values of `dtype`, with a few specials (NaN, infinities, -0) in floats when asked. */
export function randomValues(dtype: DType, n: number, r: () => number, specials = false): TypedArray {
  const a = allocArray(dtype, n);
  for (let i = 0; i < n; i++) {
    if (dtype === 'bool') a[i] = r() < 0.5 ? 1 : 0;
    else if (dtype === 'int32' || dtype === 'int64') a[i] = Math.floor(r() * 21) - 10;
    else if (specials && r() < 0.05) a[i] = [NaN, Infinity, -Infinity, -0, 0][Math.floor(r() * 5)]!;
    else a[i] = (r() - 0.5) * 8;
  }
  return a;
}

/**
 * A strided layout for a logical shape: dims permuted in memory, some dims stepped by 2 and
 * padded (a slice), and, when `broadcast`, some dims of stride 0. Returns the storage length.
 */
export interface Layout { strides: number[]; offset: number; length: number }

export function randomLayout(shape: readonly number[], r: () => number, broadcast = false): Layout {
  const nd = shape.length;
  const perm = [...Array(nd).keys()];
  for (let i = nd - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  const step = shape.map(() => (r() < 0.25 ? 2 : 1));
  const pad = shape.map(() => (r() < 0.3 ? 1 : 0));
  const zero = shape.map((s) => broadcast && r() < 0.3 && s > 0);
  // Physical dims in perm order (perm[0] outermost); each holds shape*step + pad slots.
  const phys = shape.map((s, d) => (zero[d] ? 1 : s * step[d]! + pad[d]!));
  const physStride = new Array<number>(nd).fill(0);
  let acc = 1;
  for (let i = nd - 1; i >= 0; i--) {
    const d = perm[i]!;
    physStride[d] = acc;
    acc *= Math.max(1, phys[d]!);
  }
  const strides = shape.map((_, d) => (zero[d] ? 0 : physStride[d]! * step[d]!));
  const offset = shape.reduce((o, _, d) => o + (zero[d] ? 0 : pad[d]! * physStride[d]!), 0);
  return { strides, offset, length: shape.some((s) => s === 0) ? offset + 1 : acc };
}

/** The same values on several backends: one storage per backend. */
export class Twin {
  readonly storages: Storage[];
  constructor(readonly backends: readonly Backend[], readonly dtype: DType, values: TypedArray) {
    this.storages = backends.map((b) => b.fromArray(dtype, values));
  }
  view(i: number, shape: readonly number[], strides: readonly number[], offset: number): View {
    return { storage: this.storages[i]!, shape, strides, offset };
  }
}

/** Element-wise identity, telling -0 from 0 and NaN equal to NaN. */
export function firstDifference(a: TypedArray, b: TypedArray): number {
  if (a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** Reads every backend's storage and returns a message for the first mismatch with backend 0. */
export async function compareStorages(t: Twin, what: string): Promise<string | null> {
  const values = await Promise.all(t.backends.map((b, i) => b.read(t.storages[i]!)));
  for (let i = 1; i < values.length; i++) {
    const d = firstDifference(values[0]!, values[i]!);
    if (d !== -1) return `${what}: ${t.backends[i]!.name} differs from ${t.backends[0]!.name} at ${d}: ${values[i]![d]} vs ${values[0]![d]}`;
  }
  return null;
}
