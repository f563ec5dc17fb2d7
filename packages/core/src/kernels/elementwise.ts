/**
 * Elementwise range kernels: each computes output elements [start, end) in row-major order.
 * The cpu backend calls them once over the whole output; workers call them per shard.
 * Inputs arrive already broadcast to the output shape (stride 0) and, for arithmetic, already
 * in the output dtype; core does all shape and dtype logic.
 */
import type { KView } from './view.js';
import type { TypedArray } from '../dtype.js';
import { Rows } from './rows.js';
import { RuntimeError } from '../errors.js';
import { erf, expf, expForFloat32, pyRemainder, roundHalfEven, tanhForFloat32 } from './math.js';
import { stagingArea, STAGE_LENGTH, wasmKernels, wasmReady } from './wasm/runtime.js';

const rows = new Rows();

/** Runs shorter than this stay in JS: a call into wasm costs about as much as a few elements. */
export const WASM_MIN_RUN = 16;

/** Unary ops; `p0`/`p1` carry their scalar parameters where noted. */
export type UnaryOp =
  | 'neg' | 'abs' | 'exp' | 'log' | 'sqrt' | 'relu' | 'sigmoid' | 'tanh'
  | 'sin' | 'cos' | 'tan' | 'asin' | 'acos' | 'atan' | 'sinh' | 'cosh' | 'asinh' | 'acosh' | 'atanh'
  | 'log1p' | 'expm1' | 'log2' | 'log10' | 'exp2' | 'rsqrt' | 'reciprocal' | 'square' | 'sign'
  | 'floor' | 'ceil' | 'round' | 'trunc' | 'erf' | 'logicalNot'
  | 'gelu'       // exact (erf) form
  | 'geluTanh'   // approximate='tanh'
  | 'silu'
  | 'softplus'   // p0 beta, p1 threshold
  | 'elu'        // p0 alpha
  | 'leakyRelu'  // p0 negative slope
  | 'powScalar'  // x ** p0
  | 'rpowScalar' // p0 ** x
  | 'clamp'      // p0 min, p1 max (NaN for none)
  | 'isnan';

/** Binary ops, comparisons and logical ops included. Comparisons write bool (0/1). */
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'atan2' | 'remainder' | 'fmod'
  | 'floorDivide' | 'intFloorDivide' | 'intTruncDivide' | 'intRemainder' | 'intFmod' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'logicalAnd' | 'logicalOr' | 'logicalXor';

/** How copy converts values: plain store, truncate to an integer (float -> int64), or to bool. */
export type CopyMode = 'plain' | 'trunc' | 'bool';

export function fillRange(out: KView, value: number, start: number, end: number): void {
  const o = out.data;
  const it = rows.init(out.shape, [out.strides], [out.offset], start, end);
  while (it.next()) {
    let oi = it.o0;
    const so = it.s0;
    if (so === 1) o.fill(value, oi, oi + it.n);
    else for (let n = it.n; n > 0; n--, oi += so) o[oi] = value;
  }
}

export function copyRange(mode: CopyMode, out: KView, x: KView, start: number, end: number): void {
  const o = out.data, a = x.data;
  const it = rows.init(out.shape, [out.strides, x.strides], [out.offset, x.offset], start, end);
  while (it.next()) {
    let oi = it.o0, ai = it.o1;
    const so = it.s0, sa = it.s1, n = it.n;
    if (mode === 'plain') {
      if (so === 1 && sa === 1 && o.constructor === a.constructor) o.set(a.subarray(ai, ai + n), oi);
      else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = a[ai]!;
    } else if (mode === 'trunc') {
      for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.trunc(a[ai]!);
    } else {
      for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = a[ai] !== 0 ? 1 : 0;
    }
  }
}

/**
 * float32 exp of a run outside the memory (or strided) through the wasm kernel, staged in chunks
 * (same bits as expf, some 30x faster than its JS twin); false if no kernels are installed.
 */
function expStaged(o: Float32Array, oi: number, so: number, a: TypedArray, ai: number, sa: number, n: number): boolean {
  const st = stagingArea();
  if (st === null) return false;
  const run = st.k.unary.get('exp')!, buf = st.f32;
  for (let done = 0; done < n;) {
    const m = Math.min(STAGE_LENGTH, n - done);
    for (let j = 0; j < m; j++, ai += sa) buf[j] = a[ai]!;
    run(st.ptr, st.ptr, m);
    for (let j = 0; j < m; j++, oi += so) o[oi] = buf[j]!;
    done += m;
  }
  return true;
}

/**
 * Unary ops on float32 views in the wasm memory run contiguous runs in wasm (same bits: exp uses
 * expf, sigmoid and silu expForFloat32, on both paths).
 */
export function unaryRange(op: UnaryOp, out: KView, x: KView, start: number, end: number, p0 = 0, p1 = 0): void {
  const o = out.data, a = x.data;
  const simd = o instanceof Float32Array && a instanceof Float32Array && wasmReady(o) && wasmReady(a) ? wasmKernels()!.unary.get(op) : undefined;
  const it = rows.init(out.shape, [out.strides, x.strides], [out.offset, x.offset], start, end);
  while (it.next()) {
    let oi = it.o0, ai = it.o1;
    const so = it.s0, sa = it.s1, n = it.n;
    if (simd !== undefined && so === 1 && sa === 1 && n >= WASM_MIN_RUN) {
      simd(a.byteOffset + 4 * ai, o.byteOffset + 4 * oi, n);
      continue;
    }
    switch (op) {
      case 'neg': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = -a[ai]!; break;
      case 'abs': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.abs(a[ai]!); break;
      case 'exp':
        if (o instanceof Float32Array && n >= WASM_MIN_RUN && expStaged(o, oi, so, a, ai, sa, n)) break;
        if (o instanceof Float32Array) for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = expf(a[ai]!);
        else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.exp(a[ai]!);
        break;
      case 'log': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.log(a[ai]!); break;
      case 'sqrt': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.sqrt(a[ai]!); break;
      case 'relu': for (let i = 0; i < n; i++, oi += so, ai += sa) { const v = a[ai]!; o[oi] = v > 0 || v !== v ? v : 0; } break;
      case 'sigmoid':
        if (o instanceof Float32Array) for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = 1 / (1 + expForFloat32(-a[ai]!));
        else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = 1 / (1 + Math.exp(-a[ai]!));
        break;
      case 'tanh':
        if (o instanceof Float32Array) for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = tanhForFloat32(a[ai]!);
        else for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.tanh(a[ai]!);
        break;
      case 'sin': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.sin(a[ai]!); break;
      case 'cos': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.cos(a[ai]!); break;
      case 'tan': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.tan(a[ai]!); break;
      case 'asin': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.asin(a[ai]!); break;
      case 'acos': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.acos(a[ai]!); break;
      case 'atan': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.atan(a[ai]!); break;
      case 'sinh': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.sinh(a[ai]!); break;
      case 'cosh': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.cosh(a[ai]!); break;
      case 'asinh': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.asinh(a[ai]!); break;
      case 'acosh': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.acosh(a[ai]!); break;
      case 'atanh': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.atanh(a[ai]!); break;
      case 'log1p': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.log1p(a[ai]!); break;
      case 'expm1': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.expm1(a[ai]!); break;
      case 'log2': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.log2(a[ai]!); break;
      case 'log10': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.log10(a[ai]!); break;
      case 'exp2': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = 2 ** a[ai]!; break;
      case 'rsqrt': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = 1 / Math.sqrt(a[ai]!); break;
      case 'reciprocal': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = 1 / a[ai]!; break;
      case 'square': for (let i = 0; i < n; i++, oi += so, ai += sa) { const v = a[ai]!; o[oi] = v * v; } break;
      case 'sign': for (let i = 0; i < n; i++, oi += so, ai += sa) { const v = a[ai]!; o[oi] = v > 0 ? 1 : v < 0 ? -1 : v; } break;
      case 'floor': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.floor(a[ai]!); break;
      case 'ceil': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.ceil(a[ai]!); break;
      case 'round': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = roundHalfEven(a[ai]!); break;
      case 'trunc': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = Math.trunc(a[ai]!); break;
      case 'erf': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = erf(a[ai]!); break;
      case 'logicalNot': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = a[ai] === 0 ? 1 : 0; break;
      case 'isnan': for (let i = 0; i < n; i++, oi += so, ai += sa) { const v = a[ai]!; o[oi] = v !== v ? 1 : 0; } break;
      case 'gelu': for (let i = 0; i < n; i++, oi += so, ai += sa) { const v = a[ai]!; o[oi] = 0.5 * v * (1 + erf(v * Math.SQRT1_2)); } break;
      case 'geluTanh': for (let i = 0; i < n; i++, oi += so, ai += sa) {
        const v = a[ai]!;
        o[oi] = 0.5 * v * (1 + Math.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v)));
      } break;
      case 'silu':
        if (o instanceof Float32Array) for (let i = 0; i < n; i++, oi += so, ai += sa) { const v = a[ai]!; o[oi] = v / (1 + expForFloat32(-v)); }
        else for (let i = 0; i < n; i++, oi += so, ai += sa) { const v = a[ai]!; o[oi] = v / (1 + Math.exp(-v)); }
        break;
      case 'softplus': for (let i = 0; i < n; i++, oi += so, ai += sa) {
        const bv = a[ai]! * p0;
        o[oi] = bv > p1 ? a[ai]! : Math.log1p(Math.exp(bv)) / p0;
      } break;
      case 'elu': for (let i = 0; i < n; i++, oi += so, ai += sa) { const v = a[ai]!; o[oi] = v > 0 ? v : p0 * Math.expm1(v); } break;
      case 'leakyRelu': for (let i = 0; i < n; i++, oi += so, ai += sa) { const v = a[ai]!; o[oi] = v > 0 ? v : v * p0; } break;
      case 'powScalar': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = a[ai]! ** p0; break;
      case 'rpowScalar': for (let i = 0; i < n; i++, oi += so, ai += sa) o[oi] = p0 ** a[ai]!; break;
      case 'clamp': for (let i = 0; i < n; i++, oi += so, ai += sa) {
        let v = a[ai]!;
        if (v < p0) v = p0; // NaN bounds compare false: no bound
        if (v > p1) v = p1;
        o[oi] = v;
      } break;
    }
  }
}

/** An integer divisor, or PyTorch's error for zero. */
function nonzero(d: number): number {
  if (d === 0) throw new RuntimeError('ZeroDivisionError');
  return d;
}

/**
 * Binary ops on float32 views in the wasm memory run in wasm when a run's output is contiguous
 * and each input is contiguous or one broadcast element: contiguous operands, a scalar, and a
 * row or column broadcast (one run per row).
 */
export function binaryRange(op: BinaryOp, out: KView, x: KView, y: KView, start: number, end: number): void {
  const o = out.data, a = x.data, b = y.data;
  const simd = o instanceof Float32Array && a instanceof Float32Array && b instanceof Float32Array && wasmReady(o) && wasmReady(a) && wasmReady(b)
    ? wasmKernels()!.binary.get(op) : undefined;
  const it = rows.init(out.shape, [out.strides, x.strides, y.strides], [out.offset, x.offset, y.offset], start, end);
  while (it.next()) {
    let oi = it.o0, ai = it.o1, bi = it.o2;
    const so = it.s0, sa = it.s1, sb = it.s2, n = it.n;
    if (simd !== undefined && so === 1 && (sa === 1 || sb === 1) && sa <= 1 && sb <= 1 && sa >= 0 && sb >= 0 && n >= WASM_MIN_RUN) {
      simd[sa === 1 ? (sb === 1 ? 0 : 1) : 2]!(a.byteOffset + 4 * ai, b.byteOffset + 4 * bi, o.byteOffset + 4 * oi, n);
      continue;
    }
    switch (op) {
      case 'add': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! + b[bi]!; break;
      case 'sub': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! - b[bi]!; break;
      case 'mul': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! * b[bi]!; break;
      case 'div': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! / b[bi]!; break;
      case 'pow': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! ** b[bi]!; break;
      case 'maximum': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = Math.max(a[ai]!, b[bi]!); break;
      case 'minimum': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = Math.min(a[ai]!, b[bi]!); break;
      case 'atan2': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = Math.atan2(a[ai]!, b[bi]!); break;
      case 'remainder': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = pyRemainder(a[ai]!, b[bi]!); break;
      case 'fmod': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! % b[bi]!; break;
      case 'floorDivide': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = Math.floor(a[ai]! / b[bi]!); break;
      // Integer division and modulo: a zero divisor is PyTorch's error, found here where the values are.
      case 'intFloorDivide': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = Math.floor(a[ai]! / nonzero(b[bi]!)); break;
      case 'intTruncDivide': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = Math.trunc(a[ai]! / nonzero(b[bi]!)); break;
      case 'intRemainder': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = pyRemainder(a[ai]!, nonzero(b[bi]!)); break;
      case 'intFmod': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! % nonzero(b[bi]!); break;
      case 'eq': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai] === b[bi] ? 1 : 0; break;
      case 'ne': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai] !== b[bi] ? 1 : 0; break;
      case 'lt': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! < b[bi]! ? 1 : 0; break;
      case 'le': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! <= b[bi]! ? 1 : 0; break;
      case 'gt': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! > b[bi]! ? 1 : 0; break;
      case 'ge': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai]! >= b[bi]! ? 1 : 0; break;
      case 'logicalAnd': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai] !== 0 && b[bi] !== 0 ? 1 : 0; break;
      case 'logicalOr': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = a[ai] !== 0 || b[bi] !== 0 ? 1 : 0; break;
      case 'logicalXor': for (let i = 0; i < n; i++, oi += so, ai += sa, bi += sb) o[oi] = (a[ai] !== 0) !== (b[bi] !== 0) ? 1 : 0; break;
    }
  }
}

/** out = cond ? x : y (cond is bool). */
export function whereRange(out: KView, cond: KView, x: KView, y: KView, start: number, end: number): void {
  const o = out.data, c = cond.data, a = x.data, b = y.data;
  const it = rows.init(out.shape, [out.strides, cond.strides, x.strides, y.strides], [out.offset, cond.offset, x.offset, y.offset], start, end);
  while (it.next()) {
    let oi = it.o0, ci = it.o1, ai = it.o2, bi = it.o3;
    const so = it.s0, sc = it.s1, sa = it.s2, sb = it.s3;
    for (let n = it.n; n > 0; n--, oi += so, ci += sc, ai += sa, bi += sb) o[oi] = c[ci] !== 0 ? a[ai]! : b[bi]!;
  }
}
