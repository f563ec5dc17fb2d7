/**
 * The WebAssembly SIMD kernels against the JS kernels, bitwise: the same range kernel runs once
 * on views of a WebAssembly.Memory with the kernels installed (the wasm path) and once on plain
 * arrays (the JS path). Ragged lengths, odd offsets, NaN / infinities / signed zeros, empty
 * inputs and sub-ranges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  binaryRange, blockCount, combineBlocksRange, expForFloat32, matmulRange, reduceBlocksRange, reduceRange, softmaxBackwardRange, softmaxRange, unaryRange,
  type BinaryOp, type KView, type ReduceOp, type UnaryOp,
} from '../src/kernels/index.js';
import { installWasmKernels, uninstallWasmKernels, wasmReady, withoutWasmKernels, warmUpWasmKernels, WASM_BINARY_OPS, WASM_SCRATCH_BYTES, WASM_UNARY_OPS } from '../src/kernels/wasm/runtime.js';
import { WebAssemblyApi as WA } from './wasm-global.js';

const memory = new WA.Memory({ initial: 1024, maximum: 65536, shared: true }); // 64 MiB
let top = 0;

/** A float32 array in the wasm memory (bump allocated, 16-byte aligned) holding `values`. */
function wasmArray(values: ArrayLike<number>): Float32Array {
  const bytes = (values.length * 4 + 15) & ~15;
  if (top + bytes > memory.buffer.byteLength) top = WASM_SCRATCH_BYTES + 64; // wrap: earlier arrays are dead
  const a = new Float32Array(memory.buffer, top, values.length);
  a.set(values);
  top += bytes;
  return a;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 88.7, 89, 95, -87.4, -103.9, -104, -120, 1e-40, -1e-40, 3.4e38];

/** Test values: mostly uniform in [-scale, scale], with the special values sprinkled in. */
/** Uniform in [-scale, scale), no special values. */
function finiteValues(n: number, seed: number, scale: number): Float32Array {
  const r = lcg(seed);
  return Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);
}

function values(n: number, seed: number, scale = 6): Float32Array {
  const r = lcg(seed), out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = r() < 0.1 ? SPECIAL[Math.floor(r() * SPECIAL.length)]! : (r() * 2 - 1) * scale;
  return out;
}

const LENGTHS = [...Array.from({ length: 68 }, (_, i) => i), 1023, 1025];

function kv(data: Float32Array, shape: number[], strides: number[], offset: number): KView {
  return { data, shape, strides, offset };
}

/** Bitwise equality with every NaN equal (wasm canonicalizes NaN payloads). */
function expectSameBits(got: Float32Array, want: Float32Array, what: string): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!, w = want[i]!;
    if (!(Object.is(g, w) || (g !== g && w !== w))) expect({ what, i, got: g }).toEqual({ what, i, got: w });
  }
}

beforeAll(() => {
  installWasmKernels(memory, 0);
  top = WASM_SCRATCH_BYTES + 64;
  warmUpWasmKernels();
});
afterAll(() => uninstallWasmKernels());

describe('wasm runtime', () => {
  it('recognizes views of its memory only', () => {
    const mine = wasmArray([1, 2]);
    expect(wasmReady(mine)).toBe(true);
    expect(wasmReady(new Float32Array(2))).toBe(false);
    // Kernels installed on another memory: this memory's views are no longer theirs (the cached buffer is forgotten).
    const other = new WA.Memory({ initial: Math.ceil((WASM_SCRATCH_BYTES + 64) / 65536) });
    installWasmKernels(other, 0);
    try {
      expect(wasmReady(mine)).toBe(false);
      expect(wasmReady(new Float32Array(other.buffer, WASM_SCRATCH_BYTES, 2))).toBe(true);
    } finally {
      installWasmKernels(memory, 0);
    }
    expect(wasmReady(mine)).toBe(true);
  });
});

describe('wasm elementwise kernels equal the JS kernels bitwise', () => {
  it('unary ops, every length 0..67, 1023, 1025, odd offsets and sub-ranges', () => {
    for (const op of WASM_UNARY_OPS as readonly UnaryOp[]) {
      for (const n of LENGTHS) {
        for (const off of [0, 1, 3]) {
          const src = values(n + off, n * 7 + off);
          const js = new Float32Array(n + off), jsIn = src.slice();
          const wo = wasmArray(new Float32Array(n + off)), wi = wasmArray(src);
          const [start, end] = n > 10 && off === 3 ? [3, n - 2] : [0, n];
          withoutWasmKernels(() => unaryRange(op, kv(js, [n], [1], off), kv(jsIn, [n], [1], off), start, end));
          unaryRange(op, kv(wo, [n], [1], off), kv(wi, [n], [1], off), start, end);
          expectSameBits(wo, js, `${op} n=${n} off=${off}`);
        }
      }
    }
  });

  it('exp, tanh, sigmoid and silu stay within 1 ulp of the float64 result', () => {
    const x = values(4096, 5, 100);
    const o = wasmArray(new Float32Array(x.length)), xi = wasmArray(x);
    const ulp = (v: number) => { const a = Math.abs(Math.fround(v)); const f = new Float32Array([a]); const u = new Uint32Array(f.buffer); u[0]! += 1; return f[0]! - a; };
    const refs: Record<string, (v: number) => number> = { exp: Math.exp, tanh: Math.tanh, sigmoid: (v) => 1 / (1 + Math.exp(-v)), silu: (v) => v / (1 + Math.exp(-v)) };
    for (const [op, ref] of Object.entries(refs)) {
      unaryRange(op as UnaryOp, kv(o, [x.length], [1], 0), kv(xi, [x.length], [1], 0), 0, x.length);
      for (let i = 0; i < x.length; i++) {
        const want = ref(x[i]!), got = o[i]!;
        if (Number.isNaN(want)) { expect(got).toBeNaN(); continue; }
        if (!Number.isFinite(want) || got === Math.fround(want)) continue;
        expect(Math.abs(got - want)).toBeLessThanOrEqual(ulp(want));
      }
    }
    expect(Math.fround(expForFloat32(1))).toBe(Math.fround(Math.E));
  });

  it('binary ops: contiguous, scalar either side, row and column broadcast, sub-ranges', () => {
    for (const op of WASM_BINARY_OPS as readonly BinaryOp[]) {
      for (const n of LENGTHS) {
        const a = values(n + 1, n), b = values(n + 2, n + 1000);
        const geos: { name: string; shape: number[]; sa: number[]; sb: number[] }[] = [
          { name: 'vv', shape: [n], sa: [1], sb: [1] },
          { name: 'vs', shape: [n], sa: [1], sb: [0] },
          { name: 'sv', shape: [n], sa: [0], sb: [1] },
        ];
        if (n >= 20) {
          const c = Math.floor(n / 3), r = 3;
          geos.push({ name: 'row broadcast', shape: [r, c], sa: [c, 1], sb: [0, 1] });
          geos.push({ name: 'column broadcast', shape: [r, c], sa: [c, 1], sb: [1, 0] });
          geos.push({ name: 'column broadcast first', shape: [r, c], sa: [1, 0], sb: [c, 1] });
        }
        for (const g of geos) {
          const total = g.shape.reduce((p, q) => p * q, 1);
          const [start, end] = total > 8 ? [2, total - 1] : [0, total];
          const js = new Float32Array(total + 1), wo = wasmArray(js);
          binaryRange(op, kv(js, g.shape, g.shape.length === 1 ? [1] : [g.shape[1]!, 1], 1), kv(a.slice(), g.shape, g.sa, 1), kv(b.slice(), g.shape, g.sb, 2), start, end);
          binaryRange(op, kv(wo, g.shape, g.shape.length === 1 ? [1] : [g.shape[1]!, 1], 1), kv(wasmArray(a), g.shape, g.sa, 1), kv(wasmArray(b), g.shape, g.sb, 2), start, end);
          expectSameBits(wo, js, `${op} ${g.name} n=${n}`);
        }
      }
    }
  });
});

describe('wasm reductions follow the canonical order bitwise', () => {
  const OPS: ReduceOp[] = ['sum', 'mean', 'max', 'min', 'argmax', 'argmin'];
  it('rows of every length 0..67, 1023, 1025 and 10000 (several blocks)', () => {
    for (const op of OPS) {
      for (const n of [...LENGTHS, 10000]) {
        const rowsN = 3, x = values(rowsN * n + 1, n + 77);
        const js = new Float32Array(rowsN), wo = wasmArray(js);
        reduceRange(op, kv(js, [rowsN], [1], 0), kv(x.slice(), [rowsN, n], [n, 1], 1), 1, 0, rowsN);
        reduceRange(op, kv(wo, [rowsN], [1], 0), kv(wasmArray(x), [rowsN, n], [n, 1], 1), 1, 0, rowsN);
        expectSameBits(wo, js, `${op} rows n=${n}`);
      }
    }
  });

  it('max and min rows whose extreme is a zero or NaN: the signed zero and NaN as the JS kernel gives', () => {
    const pools = [[0, -0], [0, -0, -1, -Infinity], [-0, -2], [0, 1, Infinity], [-0, NaN, -3]];
    for (const op of ['max', 'min'] as const) {
      for (const pool of pools) {
        for (const n of [1, 2, 5, 8, 9, 17, 40]) {
          for (let seed = 0; seed < 12; seed++) {
            const rowsN = 2, x = new Float32Array(rowsN * n);
            for (let i = 0; i < x.length; i++) x[i] = pool[(i * 7 + seed * 13 + (i >> 2) * seed) % pool.length]!;
            const js = new Float32Array(rowsN), wo = wasmArray(js);
            reduceRange(op, kv(js, [rowsN], [1], 0), kv(x.slice(), [rowsN, n], [n, 1], 0), 1, 0, rowsN);
            reduceRange(op, kv(wo, [rowsN], [1], 0), kv(wasmArray(x), [rowsN, n], [n, 1], 0), 1, 0, rowsN);
            expectSameBits(wo, js, `${op} of ${pool.join(',')} n=${n} seed=${seed}`);
          }
        }
      }
    }
  });

  it('column sums (reducing dim 0 of a row-major matrix), ragged widths and 5000 rows', () => {
    for (const op of ['sum', 'mean'] as ReduceOp[]) {
      for (const [r, c] of [[1, 1], [7, 3], [9, 67], [5000, 13], [33, 1025], [4097, 5]] as [number, number][]) {
        const x = values(r * c + 2, r + c);
        const js = new Float32Array(c), wo = wasmArray(js);
        const [start, end] = c > 4 ? [1, c - 1] : [0, c];
        reduceRange(op, kv(js, [c], [1], 0), kv(x.slice(), [c, r], [1, c], 2), 1, start, end);
        reduceRange(op, kv(wo, [c], [1], 0), kv(wasmArray(x), [c, r], [1, c], 2), 1, start, end);
        expectSameBits(wo, js, `${op} columns ${r}x${c}`);
      }
    }
  });

  it('a long reduction split on block boundaries equals the whole one, on both paths', () => {
    for (const op of ['sum', 'mean', 'max', 'min'] as ReduceOp[]) {
      const n = 3 * 4096 + 17, x = values(2 * n, 9, 3).map((v) => (Number.isFinite(v) ? v : 1));
      for (const data of [x.slice(), wasmArray(x)]) {
        const xv = kv(data, [2, n], [n, 1], 0);
        const whole = new Float32Array(2), split = new Float32Array(2);
        reduceRange(op, kv(whole, [2], [1], 0), xv, 1, 0, 2);
        const nb = blockCount(xv, 1), partials = new Float64Array(2 * nb);
        reduceBlocksRange(op, partials, xv, 1, nb, 3, 2 * nb);
        reduceBlocksRange(op, partials, xv, 1, nb, 0, 3);
        combineBlocksRange(op, kv(split, [2], [1], 0), partials, nb, n, 0, 2);
        expectSameBits(split, whole, `${op} split`);
      }
    }
  });
});

describe('wasm matmul', () => {
  /** tx / ty: x / y transposed; sx: x every other element (neither of its strides is 1); bx0: x broadcast over the batch. */
  interface Geo { B: number; M: number; N: number; K: number; tx?: boolean; ty?: boolean; sx?: boolean; bx0?: boolean }
  const GEOS: Geo[] = [
    { B: 1, M: 1, N: 1, K: 1 }, { B: 1, M: 5, N: 7, K: 3 }, { B: 1, M: 6, N: 8, K: 256 }, { B: 1, M: 13, N: 17, K: 300 },
    { B: 1, M: 7, N: 600, K: 5 }, { B: 2, M: 9, N: 11, K: 13, tx: true }, { B: 2, M: 9, N: 11, K: 13, ty: true, bx0: true },
    { B: 1, M: 31, N: 67, K: 517, tx: true, ty: true }, { B: 1, M: 4, N: 0, K: 3 }, { B: 1, M: 3, N: 4, K: 0 },
    // A read in place (row-major; transposed with at most 4 B panels) or packed (transposed with
    // more panels, other strides, edge rows): K past KC and ragged, N past NC with a narrow last
    // block, ragged NR tails, several batches.
    { B: 1, M: 13, N: 17, K: 300, tx: true }, { B: 1, M: 10, N: 45, K: 517, tx: true }, { B: 1, M: 9, N: 532, K: 263, tx: true },
    { B: 1, M: 9, N: 532, K: 263 }, { B: 3, M: 6, N: 40, K: 258, tx: true }, { B: 3, M: 6, N: 29, K: 258 },
    { B: 2, M: 8, N: 33, K: 7, tx: true, bx0: true }, { B: 1, M: 12, N: 20, K: 261, sx: true }, { B: 2, M: 11, N: 9, K: 70, sx: true, tx: true },
  ];

  /** Row-major or transposed [B, R, C] layout of a batch of matrices, starting at element 1, every `step`-th element. */
  function layout(B: number, R: number, C: number, t: boolean, b0: boolean, step = 1): { shape: number[]; strides: number[]; offset: number } {
    return { shape: [B, R, C], strides: [b0 ? 0 : R * C * step, (t ? 1 : C) * step, (t ? R : 1) * step], offset: 1 };
  }

  it('equals the JS float32 kernel bitwise and the float32-accumulation reference, at any row split', () => {
    for (const g of GEOS) {
      const { B, M, N, K } = g;
      const xl = layout(B, M, K, !!g.tx, !!g.bx0, g.sx ? 2 : 1), yl = layout(B, K, N, !!g.ty, false);
      // NaN / infinities / signed zeros in the first geometries, finite values in the long ones.
      const finite = (v: number, r: number) => (K < 100 || Number.isFinite(v) ? v : r);
      const x = values(B * M * K * (g.sx ? 2 : 1) + 1, M + K, 2).map((v) => finite(v, 0.5)), y = values(B * K * N + 1, K + N, 2).map((v) => finite(v, -0.25));
      const ol = { shape: [B, M, N], strides: [M * N, N, 1], offset: 2 };
      const js = new Float32Array(B * M * N + 2).fill(7), wo = wasmArray(js);
      const rows = B * M, cut = Math.floor(rows / 3);
      const xw = wasmArray(x), yw = wasmArray(y);
      for (const [s0, e0] of [[cut, rows], [0, cut]]) {
        matmulRange({ data: js, ...ol }, { data: x, ...xl }, { data: y, ...yl }, s0!, e0!);
        matmulRange({ data: wo, ...ol }, { data: xw, ...xl }, { data: yw, ...yl }, s0!, e0!);
      }
      expectSameBits(wo, js, `matmul ${JSON.stringify(g)}`);
      // Hand-written reference: f32 products added in order in f32.
      const want = new Float32Array(js.length).fill(7);
      const at = (l: { strides: number[]; offset: number }, b: number, i: number, j: number) => l.offset + b * l.strides[0]! + i * l.strides[1]! + j * l.strides[2]!;
      for (let b = 0; b < B; b++) for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
        let acc = 0;
        for (let k = 0; k < K; k++) acc = Math.fround(acc + Math.fround(x[at(xl, b, i, k)]! * y[at(yl, b, k, j)]!));
        want[at(ol, b, i, j)] = acc;
      }
      expectSameBits(js, want, `matmul reference ${JSON.stringify(g)}`);
    }
  });
});

describe('wasm softmax rows', () => {
  it('forward and backward equal the JS kernels bitwise: ragged rows, NaN / inf rows, sub-ranges', () => {
    for (const op of ['softmax', 'logSoftmax'] as const) {
      for (const [n, wide] of [...LENGTHS.map((n) => [n, false] as const), [4100, false], [4100, true]] as const) {
        // wide: finite values only, spread so that x - max passes the subnormal results and the clamp at -110
        const R = 3, x = wide ? finiteValues(R * n + 1, n + 5, 70) : values(R * n + 1, n + 5, 8);
        if (n > 20) { x.fill(-Infinity, 1, 1 + n); x[2 * n + 3] = Infinity; } // an all -inf row and a row with +inf
        if (n % 3 === 1) x.set(finiteValues(n, n + 8, 40), 2 * n + 1); // a last row spanning less than 86, after a special one
        const g = values(R * n + 1, n + 6, 2), y = values(R * n + 1, n + 7, 1).map((v) => (op === 'softmax' ? Math.abs(v) : -Math.abs(v)));
        const view = (d: Float32Array) => kv(d, [R, n], [n, 1], 1);
        const [start, end] = [1, R];
        const js = new Float32Array(R * n + 1), wo = wasmArray(js);
        withoutWasmKernels(() => softmaxRange(op, view(js), view(x.slice()), start, end));
        softmaxRange(op, view(wo), view(wasmArray(x)), start, end);
        expectSameBits(wo, js, `${op} n=${n}`);
        const jb = new Float32Array(R * n + 1), wb = wasmArray(jb);
        softmaxBackwardRange(op, view(jb), view(g.slice()), view(y.slice()), 0, R);
        softmaxBackwardRange(op, view(wb), view(wasmArray(g)), view(wasmArray(y)), 0, R);
        expectSameBits(wb, jb, `${op} backward n=${n}`);
      }
    }
  });
});

describe('wasm softmax, many rows in one call', () => {
  it('rows of every kind in a row, each row bitwise the JS kernel', () => {
    // Kinds: narrow finite (every x - max within [-86, 0]), wide finite, with NaN, with +inf,
    // all -inf, and with zeros of both signs as the max. One kernel call takes the whole run and
    // finds each next row's max while it finishes the row before, so every kind follows every other.
    const kinds = [
      (n: number, s: number) => finiteValues(n, s, 40),
      (n: number, s: number) => finiteValues(n, s, 70),
      (n: number, s: number) => { const v = finiteValues(n, s, 5); v[n >> 1] = NaN; return v; },
      (n: number, s: number) => { const v = finiteValues(n, s, 5); v[n - 1] = Infinity; return v; },
      (n: number) => new Float32Array(n).fill(-Infinity),
      (n: number, s: number) => { const v = finiteValues(n, s, 5).map((t) => -Math.abs(t) - 1); v[0] = -0; v[n - 1] = 0; return v; },
    ];
    for (const n of [1, 3, 8, 15, 16, 17, 31, 33, 100, 1027]) {
      const order: number[] = [];
      for (let a = 0; a < kinds.length; a++) for (let b = 0; b < kinds.length; b++) order.push(a, b);
      const R = order.length, x = new Float32Array(R * n);
      order.forEach((k, r) => x.set(kinds[k]!(n, 97 * r + n), r * n));
      const view = (d: Float32Array) => kv(d, [R, n], [n, 1], 0);
      const js = new Float32Array(R * n), wo = wasmArray(js);
      withoutWasmKernels(() => softmaxRange('softmax', view(js), view(x.slice()), 0, R));
      softmaxRange('softmax', view(wo), view(wasmArray(x)), 0, R);
      expectSameBits(wo, js, `softmax rows n=${n}`);
    }
  });
});

describe('staged through the wasm kernels (values outside the memory, or strided)', () => {
  it('exp and softmax rows on plain and strided arrays equal the JS twin bitwise', () => {
    for (const n of [16, 67, 1025, 70000, 140000]) { // 140000 > one staging chunk
      const x = values(2 * n + 3, n, 20);
      x[5] = NaN; x[7] = -Infinity; x[9] = 100; x[11] = -100;
      for (const [shape, strides, off] of [[[n], [1], 1], [[n], [2], 3]] as const) {
        const js = new Float32Array(2 * n + 3), st = new Float32Array(2 * n + 3);
        withoutWasmKernels(() => unaryRange('exp', kv(js, [...shape], [...strides], off), kv(x, [...shape], [...strides], off), 0, n));
        unaryRange('exp', kv(st, [...shape], [...strides], off), kv(x, [...shape], [...strides], off), 0, n);
        expectSameBits(st, js, `staged exp n=${n} stride=${strides[0]}`);
      }
    }
    for (const op of ['softmax', 'logSoftmax'] as const) {
      for (const n of [1, 5, 10, 33, 4097]) {
        const R = 4, x = values(2 * R * n, n + 9, 6);
        x[3] = -Infinity;
        for (const sx of [1, 2]) {
          const view = (d: Float32Array, s: number) => kv(d, [R, n], [n * s, s], 0);
          const js = new Float32Array(2 * R * n), st = new Float32Array(2 * R * n);
          withoutWasmKernels(() => softmaxRange(op, view(js, 1), view(x, sx), 0, R));
          softmaxRange(op, view(st, 1), view(x, sx), 0, R);
          expectSameBits(st, js, `staged ${op} n=${n} stride=${sx}`);
        }
      }
    }
  });
});
