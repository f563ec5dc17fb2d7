/**
 * Focused checks of every Backend kernel family on strided, permuted, offset and broadcast
 * views, against a straightforward reference (index arithmetic per element, the same scalar
 * math) and, for any backend other than cpu, bitwise against the cpu backend.
 *
 * Each check builds storages with `backend.fromArray`, runs one kernel call, reads the whole
 * output storage back with `backend.read` and compares all of it: elements outside the output
 * view must be left untouched.
 */
import type { Backend, Storage, View } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import { tensor as tensorOf } from '../ops/creation.js';
import { contiguousStrides } from '../shape.js';
import { allocArray, type DType, type TypedArray } from '../dtype.js';
import type { BinaryOp, CopyMode, CumulativeOp, KView, ReduceOp, ScatterMode, UnaryOp, UnfoldParams } from '../kernels/index.js';
import { blockCount, combineBlocksRange, REDUCE_BLOCK, reduceBlocksRange } from '../kernels/reduce.js';
import { erf, pyRemainder, roundHalfEven } from '../kernels/math.js';

// ------------------------------------------------------------------ layouts and data

/** A strided view's geometry. */
export interface Layout {
  shape: number[];
  strides: number[];
  offset: number;
}

/** Storage elements a layout needs. */
function span(l: Layout): number {
  let last = l.offset;
  for (let i = 0; i < l.shape.length; i++) {
    if (l.shape[i] === 0) return l.offset;
    last += (l.shape[i]! - 1) * l.strides[i]!;
  }
  return last + 1;
}

/** Calls fn(flat, storageIndex) for every element of a layout in row-major order. */
function forEach(l: Layout, fn: (flat: number, at: number) => void): void {
  const nd = l.shape.length;
  const total = l.shape.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < total; flat++) {
    let rem = flat, at = l.offset;
    for (let d = nd - 1; d >= 0; d--) {
      const size = l.shape[d]!, i = rem % size;
      rem = (rem - i) / size;
      at += i * l.strides[d]!;
    }
    fn(flat, at);
  }
}

/** The layout variants every family runs on. `broadcast` ones are for inputs only. */
function variants(shape: readonly number[], input: boolean): { name: string; layout: Layout }[] {
  const c = contiguousStrides(shape);
  const out: { name: string; layout: Layout }[] = [{ name: 'contiguous', layout: { shape: [...shape], strides: c, offset: 0 } }];
  if (shape.length >= 2) {
    // Column-major: the layout of a transposed / permuted tensor.
    const rev = contiguousStrides([...shape].reverse()).reverse();
    out.push({ name: 'permuted', layout: { shape: [...shape], strides: rev, offset: 0 } });
  }
  // Every dim strided by 2 (gaps between elements) and an offset into the storage.
  out.push({ name: 'strided+offset', layout: { shape: [...shape], strides: c.map((s) => s * 2), offset: 3 } });
  if (input && shape.length >= 1) {
    const b = [...c];
    b[0] = 0;
    out.push({ name: 'broadcast', layout: { shape: [...shape], strides: b, offset: 1 } });
  }
  return out;
}

/** A deterministic value stream. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Storage contents for `dtype`: floats in [-3, 3] (with some exact halves), small ints, or 0/1. */
function randomValues(dtype: DType, n: number, seed: number, kind: 'any' | 'positive' | 'near-one' | 'nonzero' = 'any'): TypedArray {
  const r = lcg(seed);
  const a = allocArray(dtype, n);
  for (let i = 0; i < n; i++) {
    const u = r();
    let v: number;
    if (dtype === 'bool') v = u < 0.5 ? 0 : 1;
    else if (dtype === 'int32' || dtype === 'int64') {
      v = Math.floor(u * 11) - 5;
      if (kind === 'positive' || kind === 'near-one') v = Math.abs(v) + 1;
      if (kind === 'nonzero' && v === 0) v = 3;
    } else if (kind === 'near-one') v = 0.9 + 0.2 * u;
    else {
      v = i % 7 === 3 ? Math.round(u * 12 - 6) / 2 : u * 6 - 3; // exact halves exercise rounding
      if (kind === 'positive') v = Math.abs(v) + 0.25;
      if (kind === 'nonzero' && v === 0) v = 1.5;
    }
    a[i] = v;
  }
  return a;
}

// ------------------------------------------------------------------ running one kernel call

/** One operand of a kernel call: its dtype, layout and full storage contents. */
interface Operand {
  dtype: DType;
  layout: Layout;
  values: TypedArray;
}

function operand(dtype: DType, layout: Layout, seed: number, kind?: 'any' | 'positive' | 'near-one' | 'nonzero'): Operand {
  return { dtype, layout, values: randomValues(dtype, span(layout) + 2, seed, kind) };
}

/** Runs `call` on `backend` with fresh storages for the operands; returns operand 0's storage contents. */
async function runOn(backend: Backend, ops: readonly Operand[], call: (b: Backend, views: View[]) => void): Promise<TypedArray> {
  const storages: Storage[] = ops.map((o) => backend.fromArray(o.dtype, o.values));
  const views: View[] = ops.map((o, i) => ({ storage: storages[i]!, shape: o.layout.shape, strides: o.layout.strides, offset: o.layout.offset }));
  call(backend, views);
  const out = await backend.read(storages[0]!);
  if (out.length !== storages[0]!.length) throw new Error(`read returned ${out.length} values for a storage of ${storages[0]!.length}`);
  return out.slice();
}

/** Tolerance of a comparison: exact, or relative for float math. */
type Tol = 'exact' | 'close';

function same(a: number, b: number, dtype: DType, tol: Tol): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  if (tol === 'exact' || !Number.isFinite(a) || !Number.isFinite(b)) return false;
  const rel = dtype === 'float32' ? 2e-6 : 1e-12;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-30) + (dtype === 'float32' ? 1e-30 : 1e-300);
}

function bitwiseSame(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

/** Throws if the storages differ, naming the first few positions. */
function expectStorage(what: string, got: TypedArray, want: TypedArray, dtype: DType, eq: (a: number, b: number) => boolean): void {
  if (got.length !== want.length) throw new Error(`${what}: storage length ${got.length}, expected ${want.length}`);
  const bad: string[] = [];
  let n = 0;
  for (let i = 0; i < want.length; i++) {
    if (!eq(got[i]!, want[i]!)) {
      n++;
      if (bad.length < 4) bad.push(`[${i}] ${got[i]} vs ${want[i]}`);
    }
  }
  if (n > 0) throw new Error(`${what} (${dtype}): ${n} storage elements differ: ${bad.join(', ')}`);
}

/**
 * Runs one kernel call on the backend under test, compares the whole output storage with the
 * reference and, for a non-cpu backend, bitwise with the cpu backend.
 */
async function check(
  backend: Backend,
  what: string,
  ops: readonly Operand[],
  call: (b: Backend, views: View[]) => void,
  reference: (out: TypedArray) => void,
  tol: Tol,
): Promise<void> {
  const got = await runOn(backend, ops, call);
  const want = ops[0]!.values.slice();
  reference(want);
  const dtype = ops[0]!.dtype;
  expectStorage(`${what} vs reference`, got, want, dtype, (a, b) => same(a, b, dtype, tol));
  if (backend.name !== 'cpu') {
    const cpu = await runOn(getBackend('cpu'), ops, call);
    expectStorage(`${what} vs cpu (bitwise)`, got, cpu, dtype, bitwiseSame);
  }
}

/** Values of an input operand in row-major order of its layout. */
function gather(o: Operand): number[] {
  const out: number[] = [];
  forEach(o.layout, (_, at) => out.push(o.values[at]!));
  return out;
}

/** Writes row-major `values` into `out` through a layout. */
function scatter(out: TypedArray, l: Layout, values: readonly number[]): void {
  forEach(l, (flat, at) => { out[at] = values[flat]!; });
}

// ------------------------------------------------------------------ references

/** Reference scalar math for every UnaryOp (p0 / p1 as the kernel documents them). */
export const UNARY_REFERENCE: Record<UnaryOp, (x: number, p0: number, p1: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  relu: (x) => (x > 0 || Number.isNaN(x) ? x : 0),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
  sin: Math.sin, cos: Math.cos, tan: Math.tan, asin: Math.asin, acos: Math.acos, atan: Math.atan,
  sinh: Math.sinh, cosh: Math.cosh, asinh: Math.asinh, acosh: Math.acosh, atanh: Math.atanh,
  log1p: Math.log1p, expm1: Math.expm1, log2: Math.log2, log10: Math.log10,
  exp2: (x) => 2 ** x,
  rsqrt: (x) => 1 / Math.sqrt(x),
  reciprocal: (x) => 1 / x,
  square: (x) => x * x,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  floor: Math.floor, ceil: Math.ceil, round: roundHalfEven, trunc: Math.trunc,
  erf,
  logicalNot: (x) => (x === 0 ? 1 : 0),
  gelu: (x) => 0.5 * x * (1 + erf(x * Math.SQRT1_2)),
  geluTanh: (x) => 0.5 * x * (1 + Math.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))),
  silu: (x) => x / (1 + Math.exp(-x)),
  softplus: (x, beta, threshold) => (x * beta > threshold ? x : Math.log1p(Math.exp(x * beta)) / beta),
  elu: (x, alpha) => (x > 0 ? x : alpha * Math.expm1(x)),
  leakyRelu: (x, slope) => (x > 0 ? x : x * slope),
  powScalar: (x, p) => x ** p,
  rpowScalar: (x, base) => base ** x,
  clamp: (x, lo, hi) => { let v = x; if (v < lo) v = lo; if (v > hi) v = hi; return v; },
  isnan: (x) => (Number.isNaN(x) ? 1 : 0),
};

/** Parameters each parameterized unary op is checked with. */
const UNARY_PARAMS: Partial<Record<UnaryOp, [number, number][]>> = {
  softplus: [[1, 20], [2, 1]],
  elu: [[1, 0], [0.5, 0]],
  leakyRelu: [[0.01, 0], [0.2, 0]],
  powScalar: [[2, 0], [3, 0], [0.5, 0], [-1.5, 0]],
  rpowScalar: [[2, 0], [0.5, 0]],
  clamp: [[-1, 1.5], [NaN, 0.5], [-0.5, NaN]],
};

/** Ops whose output is bool whatever the input. */
const BOOL_UNARY: ReadonlySet<UnaryOp> = new Set<UnaryOp>(['logicalNot', 'isnan']);

/** Reference for every BinaryOp; comparisons and logical ops give 0 / 1. */
export const BINARY_REFERENCE: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: Math.max,
  minimum: Math.min,
  atan2: Math.atan2,
  remainder: pyRemainder,
  fmod: (a, b) => a % b,
  floorDivide: (a, b) => Math.floor(a / b),
  intFloorDivide: (a, b) => Math.floor(a / b),
  intTruncDivide: (a, b) => Math.trunc(a / b),
  intRemainder: pyRemainder,
  intFmod: (a, b) => a % b,
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
  logicalAnd: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  logicalOr: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
  logicalXor: (a, b) => ((a !== 0) !== (b !== 0) ? 1 : 0),
};

const COMPARISONS: ReadonlySet<BinaryOp> = new Set<BinaryOp>(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor']);

/** The binary ops core runs on integer dtypes (the rest promote to float first). */
const INT_BINARY: readonly BinaryOp[] = ['add', 'sub', 'mul', 'maximum', 'minimum', 'remainder', 'fmod', 'floorDivide', 'intFloorDivide', 'intTruncDivide', 'intRemainder', 'intFmod', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor'];

// ------------------------------------------------------------------ the family checks

/** Shapes every family runs on: small ones of each rank, and one large enough to be sharded. */
const SHAPES: readonly number[][] = [[], [7], [3, 4], [2, 3, 5], [37, 261]];

function isLarge(shape: readonly number[]): boolean {
  return shape.reduce((a, b) => a * b, 1) > 4096;
}

/** Layout pairs for (output, input) over a shape: every input variant against a few outputs. */
function pairs(shape: readonly number[]): { name: string; out: Layout; x: Layout }[] {
  const outs = variants(shape, false), ins = variants(shape, true);
  const res: { name: string; out: Layout; x: Layout }[] = [];
  for (const x of ins) res.push({ name: `out contiguous, x ${x.name}`, out: outs[0]!.layout, x: x.layout });
  for (const o of outs.slice(1)) res.push({ name: `out ${o.name}, x ${ins[ins.length - 1]!.name}`, out: o.layout, x: ins[ins.length - 1]!.layout });
  return res;
}

const shapeName = (s: readonly number[]): string => `[${s.join(',')}]`;

/** fill: every dtype, into strided outputs. */
export async function checkFill(backend: Backend, dtype: DType): Promise<void> {
  const value = dtype === 'bool' ? 1 : dtype === 'float32' ? Math.fround(-2.7) : dtype === 'float64' ? -2.7 : -7;
  let seed = 1;
  for (const shape of SHAPES) {
    for (const v of variants(shape, false)) {
      const out = operand(dtype, v.layout, seed++);
      await check(backend, `fill ${shapeName(shape)} ${v.name}`, [out], (b, [o]) => b.fill(o!, value), (want) => forEach(v.layout, (_, at) => { want[at] = value; }), 'exact');
    }
  }
}

/** copy: each conversion mode core uses, strided to strided. */
export async function checkCopy(backend: Backend): Promise<void> {
  const conversions: [CopyMode, DType, DType][] = [
    ['plain', 'float32', 'float32'], ['plain', 'float64', 'float64'], ['plain', 'int64', 'int64'], ['plain', 'int32', 'int32'], ['plain', 'bool', 'bool'],
    ['plain', 'float32', 'float64'], ['plain', 'float64', 'float32'], ['plain', 'int32', 'float32'], ['plain', 'int64', 'int32'],
    ['plain', 'bool', 'float32'], ['plain', 'bool', 'int64'], ['plain', 'int64', 'float64'], ['plain', 'float32', 'int32'],
    ['trunc', 'float32', 'int64'], ['trunc', 'float64', 'int64'],
    ['bool', 'float32', 'bool'], ['bool', 'float64', 'bool'], ['bool', 'int64', 'bool'], ['bool', 'int32', 'bool'],
  ];
  let seed = 100;
  for (const [mode, from, to] of conversions) {
    for (const shape of SHAPES) {
      for (const p of pairs(shape)) {
        const out = operand(to, p.out, seed++), x = operand(from, p.x, seed++);
        if (mode === 'bool' && x.values.length > 2) { x.values[0] = NaN; x.values[1] = -0; } // NaN is true, -0 false (for float storages)
        const conv = allocArray(to, 1);
        await check(backend, `copy ${mode} ${from}->${to} ${shapeName(shape)} ${p.name}`, [out, x], (b, [o, xv]) => b.copy(mode, o!, xv!), (want) => {
          const vals = gather(x).map((v) => {
            conv[0] = mode === 'trunc' ? Math.trunc(v) : mode === 'bool' ? (v !== 0 ? 1 : 0) : v;
            return conv[0]!;
          });
          scatter(want, p.out, vals);
        }, 'exact');
      }
    }
  }
}

/** unary: every op, float32 and float64 (and the integer / bool ops core runs on those dtypes). */
export async function checkUnary(backend: Backend, dtype: DType): Promise<void> {
  const floating = dtype === 'float32' || dtype === 'float64';
  const ops = (Object.keys(UNARY_REFERENCE) as UnaryOp[]).filter((op) =>
    floating || op === 'neg' || op === 'abs' || op === 'sign' || op === 'logicalNot' || op === 'square' || (op === 'clamp' && dtype !== 'bool'));
  const intOk = (op: UnaryOp): boolean => dtype !== 'bool' || op === 'logicalNot';
  let seed = 1000;
  for (const op of ops.filter(intOk)) {
    const outDtype: DType = BOOL_UNARY.has(op) ? 'bool' : dtype;
    const params = UNARY_PARAMS[op] ?? [[0, 0]];
    for (const [p0, p1] of params) {
      for (const shape of SHAPES) {
        // Large shapes only for a few ops: enough to exercise sharding, cheap to check.
        if (isLarge(shape) && !['exp', 'relu', 'gelu', 'clamp', 'logicalNot', 'neg'].includes(op)) continue;
        for (const p of pairs(shape)) {
          const out = operand(outDtype, p.out, seed++), x = operand(dtype, p.x, seed++);
          if (floating && op === 'isnan' && x.values.length > 1) x.values[0] = NaN;
          const f = UNARY_REFERENCE[op];
          await check(backend, `unary ${op}(${p0}, ${p1}) ${shapeName(shape)} ${p.name}`, [out, x], (b, [o, xv]) => b.unary(op, o!, xv!, p0, p1),
            (want) => scatter(want, p.out, gather(x).map((v) => f(v, p0, p1))), floating && !BOOL_UNARY.has(op) ? 'close' : 'exact');
        }
      }
    }
  }
}

/** binary: every op with broadcast / permuted / strided operands; comparisons write bool. */
export async function checkBinary(backend: Backend, dtype: DType): Promise<void> {
  const floating = dtype === 'float32' || dtype === 'float64';
  const ops = dtype === 'bool' ? (['eq', 'ne', 'logicalAnd', 'logicalOr', 'logicalXor', 'maximum', 'minimum'] as BinaryOp[])
    : floating ? (Object.keys(BINARY_REFERENCE) as BinaryOp[]) : INT_BINARY;
  let seed = 5000;
  for (const op of ops) {
    const outDtype: DType = COMPARISONS.has(op) ? 'bool' : dtype;
    const kindY = op === 'remainder' || op === 'fmod' || op.endsWith('Divide') || op.startsWith('int') || (op === 'div' && !floating) ? 'nonzero' : 'any';
    const kindX = op === 'pow' ? 'positive' : 'any';
    for (const shape of SHAPES) {
      if (isLarge(shape) && !['add', 'mul', 'lt', 'maximum'].includes(op)) continue;
      const outs = variants(shape, false), ins = variants(shape, true);
      // x and y take different layouts so the walk handles unequal strides per operand.
      const combos = ins.map((xv, i) => ({ out: outs[i % outs.length]!, x: xv, y: ins[(i + 1) % ins.length]! }));
      for (const cmb of combos) {
        const out = operand(outDtype, cmb.out.layout, seed++), x = operand(dtype, cmb.x.layout, seed++, kindX), y = operand(dtype, cmb.y.layout, seed++, kindY);
        if (COMPARISONS.has(op) && y.values.length > 0) { // make some elements equal
          forEach(cmb.x.layout, (flat, at) => { if (flat % 3 === 0) x.values[at] = 1; });
          forEach(cmb.y.layout, (flat, at) => { if (flat % 3 === 0) y.values[at] = 1; });
        }
        const f = BINARY_REFERENCE[op];
        const conv = allocArray(outDtype, 1);
        await check(backend, `binary ${op} ${shapeName(shape)} out ${cmb.out.name}, x ${cmb.x.name}, y ${cmb.y.name}`, [out, x, y],
          (b, [o, xv, yv]) => b.binary(op, o!, xv!, yv!),
          (want) => {
            const xs = gather(x), ys = gather(y);
            scatter(want, cmb.out.layout, xs.map((v, i) => { conv[0] = f(v, ys[i]!); return conv[0]!; }));
          }, floating && !COMPARISONS.has(op) ? 'close' : 'exact');
      }
    }
  }
}

/** where: a broadcast bool condition choosing between differently laid out operands. */
export async function checkWhere(backend: Backend, dtype: DType): Promise<void> {
  let seed = 9000;
  for (const shape of SHAPES) {
    const outs = variants(shape, false), ins = variants(shape, true);
    for (let i = 0; i < ins.length; i++) {
      const lo = outs[i % outs.length]!.layout, lc = ins[(i + 2) % ins.length]!.layout, lx = ins[i]!.layout, ly = ins[(i + 1) % ins.length]!.layout;
      const out = operand(dtype, lo, seed++), c = operand('bool', lc, seed++), x = operand(dtype, lx, seed++), y = operand(dtype, ly, seed++);
      await check(backend, `where ${shapeName(shape)} variant ${i}`, [out, c, x, y], (b, [o, cv, xv, yv]) => b.where(o!, cv!, xv!, yv!), (want) => {
        const cs = gather(c), xs = gather(x), ys = gather(y);
        scatter(want, lo, cs.map((v, k) => (v !== 0 ? xs[k]! : ys[k]!)));
      }, 'exact');
    }
  }
}

/** The reference reduction of one row of values (in row-major order), in float64. */
function reduceRef(op: ReduceOp, vals: readonly number[]): number {
  switch (op) {
    case 'sum': return vals.reduce((a, b) => a + b, 0);
    case 'mean': return vals.reduce((a, b) => a + b, 0) / vals.length;
    case 'prod': return vals.reduce((a, b) => a * b, 1);
    case 'max': return vals.some(Number.isNaN) ? NaN : Math.max(...vals);
    case 'min': return vals.some(Number.isNaN) ? NaN : Math.min(...vals);
    case 'argmax': case 'argmin': {
      let best = 0;
      for (let i = 0; i < vals.length; i++) {
        const v = vals[i]!, b = vals[best]!;
        if (Number.isNaN(b)) break;
        if (Number.isNaN(v) || (op === 'argmax' ? v > b : v < b)) best = i;
      }
      return best;
    }
    case 'any': return vals.some((v) => v !== 0) ? 1 : 0;
    case 'all': return vals.every((v) => v !== 0) ? 1 : 0;
  }
}

/** One reduction geometry: x is [...kept, ...reduced] as the backend receives it. */
interface ReduceGeometry {
  name: string;
  x: Layout;
  nr: number;
  out: Layout;
}

function reduceGeometries(): ReduceGeometry[] {
  const g: ReduceGeometry[] = [];
  // [4, 5, 6] contiguous, reducing dims 0 and 2: x = [5 | 4, 6] with strides [6 | 30, 1].
  g.push({ name: 'kept middle dim, two reduced dims', x: { shape: [5, 4, 6], strides: [6, 30, 1], offset: 0 }, nr: 2, out: { shape: [5], strides: [1], offset: 0 } });
  // A transposed matrix reduced along its rows: the column-sum path (outputs along unit stride).
  g.push({ name: 'column reduce', x: { shape: [7, 9], strides: [1, 7], offset: 0 }, nr: 1, out: { shape: [7], strides: [1], offset: 0 } });
  // Last dim of a contiguous 3-d tensor, into a strided output with an offset.
  g.push({ name: 'last dim, strided out', x: { shape: [3, 4, 8], strides: [32, 8, 1], offset: 0 }, nr: 1, out: { shape: [3, 4], strides: [1, 6], offset: 2 } });
  // A strided, offset input with gaps.
  g.push({ name: 'strided input', x: { shape: [4, 6], strides: [14, 2], offset: 5 }, nr: 1, out: { shape: [4], strides: [2], offset: 1 } });
  // Whole tensor to a 0-d output.
  g.push({ name: 'all dims', x: { shape: [3, 5], strides: [1, 3], offset: 0 }, nr: 2, out: { shape: [], strides: [], offset: 0 } });
  // A broadcast (stride-0) input.
  g.push({ name: 'broadcast input', x: { shape: [3, 6], strides: [0, 1], offset: 1 }, nr: 1, out: { shape: [3], strides: [1], offset: 0 } });
  // Large enough to be sharded by rows.
  g.push({ name: 'many rows', x: { shape: [600, 13], strides: [1, 600], offset: 0 }, nr: 1, out: { shape: [600], strides: [1], offset: 0 } });
  return g;
}

/** reduce: every op over strided geometries, with the reference reduction of each row. */
export async function checkReduce(backend: Backend, dtype: DType): Promise<void> {
  const floating = dtype === 'float32' || dtype === 'float64';
  const ops: ReduceOp[] = dtype === 'bool' ? ['any', 'all', 'sum'] : floating
    ? ['sum', 'mean', 'prod', 'max', 'min', 'argmax', 'argmin', 'any', 'all'] : ['sum', 'prod', 'max', 'min', 'argmax', 'argmin', 'any', 'all'];
  let seed = 12000;
  for (const op of ops) {
    const outDtype: DType = op === 'argmax' || op === 'argmin' ? 'int64' : op === 'any' || op === 'all' ? 'bool'
      : (op === 'sum' || op === 'prod') && !floating ? 'int64' : dtype;
    for (const geo of reduceGeometries()) {
      const out = operand(outDtype, geo.out, seed++), x = operand(dtype, geo.x, seed++, op === 'prod' ? 'near-one' : 'any');
      const nk = geo.x.shape.length - geo.nr;
      const rowLen = geo.x.shape.slice(nk).reduce((a, b) => a * b, 1);
      const conv = allocArray(outDtype, 1);
      const tol: Tol = floating && (op === 'sum' || op === 'mean' || op === 'prod') ? 'close' : 'exact';
      await check(backend, `reduce ${op} ${geo.name}`, [out, x], (b, [o, xv]) => b.reduce(op, o!, xv!, geo.nr), (want) => {
        const xs = gather(x);
        const res: number[] = [];
        for (let r = 0; r < xs.length / rowLen; r++) {
          conv[0] = reduceRef(op, xs.slice(r * rowLen, (r + 1) * rowLen));
          res.push(conv[0]!);
        }
        scatter(want, geo.out, res);
      }, tol);
    }
    // NaN handling: max / min propagate NaN, argmax / argmin point at the first NaN.
    if (floating && ['max', 'min', 'argmax', 'argmin', 'sum'].includes(op)) {
      const geo = reduceGeometries()[2]!;
      const out = operand(outDtype, geo.out, seed++), x = operand(dtype, geo.x, seed++);
      for (const k of [3, 13, 14, 40, 47]) x.values[k] = NaN; // rows 0, 1 (twice), 5 (twice)
      const nk = geo.x.shape.length - geo.nr;
      const rowLen = geo.x.shape.slice(nk).reduce((a, b) => a * b, 1);
      const conv = allocArray(outDtype, 1);
      await check(backend, `reduce ${op} with NaN`, [out, x], (b, [o, xv]) => b.reduce(op, o!, xv!, geo.nr), (want) => {
        const xs = gather(x);
        const res: number[] = [];
        for (let r = 0; r < xs.length / rowLen; r++) { conv[0] = reduceRef(op, xs.slice(r * rowLen, (r + 1) * rowLen)); res.push(conv[0]!); }
        scatter(want, geo.out, res);
      }, 'exact');
    }
  }
}

/**
 * reduce over rows longer than REDUCE_BLOCK: the result must equal, bitwise, the split reduction
 * (reduceBlocksRange per (row, block), then combineBlocksRange), whatever way the backend
 * splits the work.
 */
export async function checkBlockedReduce(backend: Backend, dtype: 'float32' | 'float64'): Promise<void> {
  const R = 3 * REDUCE_BLOCK + 17;
  const geometries: ReduceGeometry[] = [
    { name: 'long contiguous rows', x: { shape: [3, R], strides: [R, 1], offset: 0 }, nr: 1, out: { shape: [3], strides: [1], offset: 0 } },
    { name: 'long column sums', x: { shape: [5, 2 * REDUCE_BLOCK + 100], strides: [1, 5], offset: 0 }, nr: 1, out: { shape: [5], strides: [1], offset: 0 } },
    { name: 'two long reduced dims', x: { shape: [2, 90, 100], strides: [1, 200, 2], offset: 0 }, nr: 2, out: { shape: [2], strides: [3], offset: 1 } },
    { name: 'one huge row', x: { shape: [1, 5 * REDUCE_BLOCK + 3], strides: [0, 1], offset: 0 }, nr: 1, out: { shape: [], strides: [], offset: 0 } },
  ];
  let seed = 20000;
  for (const op of ['sum', 'mean', 'prod'] as ReduceOp[]) {
    for (const geo of geometries) {
      const out = operand(dtype, geo.out, seed++), x = operand(dtype, geo.x, seed++, op === 'prod' ? 'near-one' : 'any');
      const kx: KView = { data: x.values, shape: geo.x.shape, strides: geo.x.strides, offset: geo.x.offset };
      await check(backend, `blocked reduce ${op} ${geo.name}`, [out, x], (b, [o, xv]) => b.reduce(op, o!, xv!, geo.nr), (want) => {
        const nb = blockCount(kx, geo.nr);
        const rows = geo.out.shape.reduce((a, b) => a * b, 1);
        const partials = new Float64Array(rows * nb);
        // Split the (row, block) pairs in two uneven halves, as a multi-threaded backend might.
        const mid = Math.floor((rows * nb) / 3);
        reduceBlocksRange(op, partials, kx, geo.nr, nb, mid, rows * nb);
        reduceBlocksRange(op, partials, kx, geo.nr, nb, 0, mid);
        const rLen = geo.x.shape.slice(geo.x.shape.length - geo.nr).reduce((a, b) => a * b, 1);
        const ko: KView = { data: want, shape: geo.out.shape, strides: geo.out.strides, offset: geo.out.offset };
        combineBlocksRange(op, ko, partials, nb, rLen, 0, rows);
      }, 'exact');
    }
  }
}

/** matmul: batched products with broadcast batch strides, transposed operands and strided outputs. */
export async function checkMatmul(backend: Backend, dtype: DType): Promise<void> {
  interface Geo { name: string; out: Layout; x: Layout; y: Layout }
  const geos: Geo[] = [
    {
      name: 'broadcast x batch, transposed y',
      out: { shape: [2, 3, 4], strides: [12, 4, 1], offset: 0 },
      x: { shape: [2, 3, 5], strides: [0, 5, 1], offset: 0 },
      y: { shape: [2, 5, 4], strides: [20, 1, 5], offset: 0 },
    },
    {
      name: 'transposed x, broadcast y batch, strided out with offset',
      out: { shape: [3, 2, 4], strides: [1, 3, 6], offset: 2 },
      x: { shape: [3, 2, 5], strides: [10, 1, 2], offset: 1 },
      y: { shape: [3, 5, 4], strides: [0, 4, 1], offset: 0 },
    },
    {
      name: 'row vector times strided matrix',
      out: { shape: [1, 1, 6], strides: [0, 0, 2], offset: 1 },
      x: { shape: [1, 1, 7], strides: [0, 0, 3], offset: 2 },
      y: { shape: [1, 7, 6], strides: [0, 1, 7], offset: 0 },
    },
    { name: 'K = 0', out: { shape: [1, 2, 3], strides: [6, 3, 1], offset: 0 }, x: { shape: [1, 2, 0], strides: [0, 0, 1], offset: 0 }, y: { shape: [1, 0, 3], strides: [0, 3, 1], offset: 0 } },
    {
      name: 'large, shardable',
      out: { shape: [2, 64, 50], strides: [3200, 50, 1], offset: 0 },
      x: { shape: [2, 64, 70], strides: [0, 1, 64], offset: 0 },
      y: { shape: [2, 70, 50], strides: [3500, 50, 1], offset: 0 },
    },
  ];
  let seed = 30000;
  for (const geo of geos) {
    const out = operand(dtype, geo.out, seed++), x = operand(dtype, geo.x, seed++), y = operand(dtype, geo.y, seed++);
    const [B, M, N] = geo.out.shape as [number, number, number];
    const K = geo.x.shape[2]!;
    const at = (l: Layout, i: number, j: number, k: number): number => l.offset + i * l.strides[0]! + j * l.strides[1]! + k * l.strides[2]!;
    await check(backend, `matmul ${geo.name}`, [out, x, y], (b, [o, xv, yv]) => b.matmul(o!, xv!, yv!), (want) => {
      for (let b = 0; b < B; b++) for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
        let acc = 0;
        // float32 accumulates in float32 (PyTorch's and Kindling's order: k ascending from 0).
        if (dtype === 'float32') for (let k = 0; k < K; k++) acc = Math.fround(acc + Math.fround(x.values[at(geo.x, b, i, k)]! * y.values[at(geo.y, b, k, j)]!));
        else for (let k = 0; k < K; k++) acc += x.values[at(geo.x, b, i, k)]! * y.values[at(geo.y, b, k, j)]!;
        want[at(geo.out, b, i, j)] = acc;
      }
    }, dtype === 'float32' || dtype === 'float64' ? 'close' : 'exact');
  }
}

// ------------------------------------------------------------------ fused softmax rows

/** Rows of a row-major value list (row length n). */
function rowsOf(vals: readonly number[], n: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < vals.length; i += n) out.push(vals.slice(i, i + n));
  return out;
}

/**
 * A sum in the documented canonical order (kernels/reduce.ts): element i into lane i % 8,
 * lanes combined as ((l0 + l2) + (l4 + l6)) + ((l1 + l3) + (l5 + l7)). The backward formulas
 * cancel (g - dot), so the reference must add in the same order to be compared in float64.
 */
function canonicalSum(vals: readonly number[]): number {
  const l = [0, 0, 0, 0, 0, 0, 0, 0];
  vals.forEach((v, i) => { l[i % 8]! += v; });
  return ((l[0]! + l[2]!) + (l[4]! + l[6]!)) + ((l[1]! + l[3]!) + (l[5]! + l[7]!));
}

/**
 * softmax / softmaxBackward (optional families): rows along the last dim of strided, permuted
 * and broadcast views, against float64 formulas.
 */
export async function checkSoftmax(backend: Backend, dtype: 'float32' | 'float64'): Promise<void> {
  if (!backend.softmax || !backend.softmaxBackward) throw new Error(`the ${backend.name} backend has no fused softmax families`);
  let seed = 50000;
  for (const shape of SHAPES.filter((s) => s.length > 0)) {
    const n = shape[shape.length - 1]!;
    for (const p of pairs(shape)) {
      for (const op of ['softmax', 'logSoftmax'] as const) {
        const out = operand(dtype, p.out, seed++), x = operand(dtype, p.x, seed++);
        await check(backend, `softmax ${op} ${shapeName(shape)} ${p.name}`, [out, x], (b, [o, xv]) => b.softmax!(op, o!, xv!), (want) => {
          const res = rowsOf(gather(x), n).flatMap((row) => {
            const m = Math.max(...row), lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
            return row.map((v) => (op === 'softmax' ? Math.exp(v - lse) : v - lse));
          });
          scatter(want, p.out, res);
        }, 'close');
        const g = operand(dtype, p.x, seed++), y = operand(dtype, { shape: [...shape], strides: contiguousStrides(shape), offset: 1 }, seed++, op === 'softmax' ? 'positive' : 'any');
        const bout = operand(dtype, p.out, seed++);
        await check(backend, `softmaxBackward ${op} ${shapeName(shape)} ${p.name}`, [bout, g, y], (b, [o, gv, yv]) => b.softmaxBackward!(op, o!, gv!, yv!), (want) => {
          const ys = rowsOf(gather(y), n), gs = rowsOf(gather(g), n);
          const res = gs.flatMap((gr, r) => {
            const yr = ys[r]!;
            if (op === 'softmax') {
              const dot = canonicalSum(gr.map((v, i) => v * yr[i]!));
              return gr.map((v, i) => yr[i]! * (v - dot));
            }
            const s = canonicalSum(gr);
            return gr.map((v, i) => v - Math.exp(yr[i]!) * s);
          });
          scatter(want, p.out, res);
        }, 'close');
      }
    }
  }
}

// ------------------------------------------------------------------ indexing, cumulative, unfold

function unravel(shape: readonly number[], flat: number): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!, i = flat % size;
    idx[d] = i;
    flat = (flat - i) / size;
  }
  return idx;
}

function offsetOf(l: Layout, idx: readonly number[]): number {
  let at = l.offset;
  for (let d = 0; d < idx.length; d++) at += idx[d]! * l.strides[d]!;
  return at;
}

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** An int64 index operand over `layout` with values in [0, bound). */
function indexOperand(layout: Layout, bound: number, seed: number): Operand {
  const r = lcg(seed);
  const values = allocArray('int64', span(layout) + 2);
  for (let i = 0; i < values.length; i++) values[i] = Math.floor(r() * bound);
  return { dtype: 'int64', layout, values };
}

/** Layouts of one shape for the indexing checks: contiguous, column-major, and strided with an offset. */
function threeLayouts(shape: readonly number[]): Layout[] {
  const ls = variants(shape, false).map((v) => v.layout);
  // 1-d shapes have no permuted variant: add a wider stride instead.
  if (ls.length < 3) ls.push({ shape: [...shape], strides: contiguousStrides(shape).map((s) => s * 3), offset: 1 });
  return ls;
}

/** Expects `call` to fail with PyTorch's message, either at once or when the output is read. */
async function expectFailure(backend: Backend, ops: readonly Operand[], call: (b: Backend, views: View[]) => void, message: string): Promise<void> {
  let error: unknown = null;
  try {
    await runOn(backend, ops, call);
  } catch (e) {
    error = e;
  }
  if (!(error instanceof Error) || !error.message.startsWith(message)) {
    throw new Error(`expected an error starting with "${message}", got ${error instanceof Error ? `${error.name}: ${error.message}` : 'no error'}`);
  }
}

/** gather: out[i] = x[i with `dim` replaced by index[i]], over strided x, index and out. */
export async function checkGather(backend: Backend, dtype: DType): Promise<void> {
  let seed = 50000;
  const cases: { xShape: number[]; iShape: number[]; dim: number }[] = [
    { xShape: [4, 5], iShape: [4, 3], dim: 1 },
    { xShape: [4, 5], iShape: [6, 5], dim: 0 },
    { xShape: [3, 4, 5], iShape: [2, 4, 3], dim: 2 },
    { xShape: [3, 4, 5], iShape: [3, 2, 5], dim: 1 },
    { xShape: [7], iShape: [9], dim: 0 },
    { xShape: [40, 300], iShape: [40, 250], dim: 1 },
  ];
  for (const c of cases) {
    const xs = threeLayouts(c.xShape), is = threeLayouts(c.iShape);
    for (let v = 0; v < 3; v++) {
      const out = operand(dtype, is[(v + 2) % 3]!, seed++), x = operand(dtype, xs[v]!, seed++), index = indexOperand(is[(v + 1) % 3]!, c.xShape[c.dim]!, seed++);
      await check(backend, `gather dim ${c.dim} x [${c.xShape}] index [${c.iShape}] variant ${v}`, [out, x, index], (b, [o, xv, iv]) => b.gather(o!, xv!, c.dim, iv!), (want) => {
        for (let f = 0; f < count(c.iShape); f++) {
          const idx = unravel(c.iShape, f);
          const src = [...idx];
          src[c.dim] = index.values[offsetOf(index.layout, idx)]!;
          want[offsetOf(out.layout, idx)] = x.values[offsetOf(x.layout, src)]!;
        }
      }, 'exact');
    }
  }
  const out = operand(dtype, threeLayouts([2, 2])[0]!, seed++), x = operand(dtype, threeLayouts([2, 4])[0]!, seed++), index = indexOperand(threeLayouts([2, 2])[0]!, 4, seed++);
  index.values[3] = 7;
  await expectFailure(backend, [out, x, index], (b, [o, xv, iv]) => b.gather(o!, xv!, 1, iv!), 'index 7 is out of bounds for dimension 1 with size 4');
}

/** scatter (every mode: 'add', 'set', 'prod', 'amax', 'amin') into a pre-filled strided out, duplicates included. */
export async function checkScatter(backend: Backend, dtype: DType): Promise<void> {
  let seed = 52000;
  const cases: { oShape: number[]; iShape: number[]; dim: number }[] = [
    { oShape: [4, 5], iShape: [4, 7], dim: 1 },
    { oShape: [5, 4], iShape: [8, 3], dim: 0 },
    { oShape: [3, 4, 5], iShape: [2, 4, 6], dim: 2 },
    { oShape: [30, 200], iShape: [30, 300], dim: 1 },
  ];
  for (const mode of ['add', 'set', 'prod', 'amax', 'amin'] as ScatterMode[]) {
    for (const c of cases) {
      const os = threeLayouts(c.oShape), is = threeLayouts(c.iShape);
      for (let v = 0; v < 3; v++) {
        const out = operand(dtype, os[v]!, seed++), index = indexOperand(is[(v + 1) % 3]!, c.oShape[c.dim]!, seed++), src = operand(dtype, is[(v + 2) % 3]!, seed++);
        await check(backend, `scatter ${mode} dim ${c.dim} out [${c.oShape}] index [${c.iShape}] variant ${v}`, [out, index, src],
          (b, [o, iv, sv]) => b.scatter(mode, o!, c.dim, iv!, sv!), (want) => {
            for (let f = 0; f < count(c.iShape); f++) {
              const idx = unravel(c.iShape, f);
              const dst = [...idx];
              dst[c.dim] = index.values[offsetOf(index.layout, idx)]!;
              const at = offsetOf(out.layout, dst), val = src.values[offsetOf(src.layout, idx)]!;
              want[at] = scatterReference(mode, want[at]!, val);
            }
          }, (mode === 'add' || mode === 'prod') && (dtype === 'float32' || dtype === 'float64') ? 'close' : 'exact');
      }
    }
  }
}

/** What scatter mode `mode` leaves at a target holding `cur` when `val` arrives. */
function scatterReference(mode: ScatterMode, cur: number, val: number): number {
  if (mode === 'add') return cur + val;
  if (mode === 'prod') return cur * val;
  if (mode === 'amax') return Number.isNaN(val) || val > cur ? val : cur;
  if (mode === 'amin') return Number.isNaN(val) || val < cur ? val : cur;
  return val;
}

/** indexSelect: slices of a strided x picked by a strided 1-d index. */
export async function checkIndexSelect(backend: Backend, dtype: DType): Promise<void> {
  let seed = 54000;
  const cases: { xShape: number[]; n: number; dim: number }[] = [
    { xShape: [4, 5], n: 7, dim: 1 }, { xShape: [4, 5], n: 3, dim: 0 }, { xShape: [3, 4, 5], n: 6, dim: 1 }, { xShape: [6], n: 4, dim: 0 },
    { xShape: [50, 200], n: 120, dim: 1 },
  ];
  for (const c of cases) {
    const oShape = [...c.xShape];
    oShape[c.dim] = c.n;
    const xs = threeLayouts(c.xShape), os = threeLayouts(oShape);
    for (let v = 0; v < 3; v++) {
      const out = operand(dtype, os[v]!, seed++), x = operand(dtype, xs[(v + 1) % 3]!, seed++);
      const index = indexOperand(v === 2 ? { shape: [c.n], strides: [3], offset: 1 } : { shape: [c.n], strides: [1], offset: 0 }, c.xShape[c.dim]!, seed++);
      await check(backend, `indexSelect dim ${c.dim} x [${c.xShape}] n ${c.n} variant ${v}`, [out, x, index], (b, [o, xv, iv]) => b.indexSelect(o!, xv!, c.dim, iv!), (want) => {
        for (let f = 0; f < count(oShape); f++) {
          const idx = unravel(oShape, f);
          const src = [...idx];
          src[c.dim] = index.values[index.layout.offset + idx[c.dim]! * index.layout.strides[0]!]!;
          want[offsetOf(out.layout, idx)] = x.values[offsetOf(x.layout, src)]!;
        }
      }, 'exact');
    }
  }
  const out = operand(dtype, threeLayouts([2, 2])[0]!, seed++), x = operand(dtype, threeLayouts([2, 4])[0]!, seed++), index = indexOperand({ shape: [2], strides: [1], offset: 0 }, 4, seed++);
  index.values[1] = 4;
  await expectFailure(backend, [out, x, index], (b, [o, xv, iv]) => b.indexSelect(o!, xv!, 1, iv!), 'index out of range in self');
}

/** indexAdd: slices of src added into a pre-filled strided out at repeated indices. */
export async function checkIndexAdd(backend: Backend, dtype: DType): Promise<void> {
  let seed = 56000;
  const cases: { oShape: number[]; n: number; dim: number }[] = [
    { oShape: [4, 5], n: 7, dim: 1 }, { oShape: [4, 5], n: 6, dim: 0 }, { oShape: [3, 4, 5], n: 9, dim: 1 }, { oShape: [30, 150], n: 300, dim: 1 },
  ];
  for (const c of cases) {
    const sShape = [...c.oShape];
    sShape[c.dim] = c.n;
    const os = threeLayouts(c.oShape), ss = threeLayouts(sShape);
    for (let v = 0; v < 3; v++) {
      const out = operand(dtype, os[v]!, seed++), src = operand(dtype, ss[(v + 1) % 3]!, seed++);
      const index = indexOperand(v === 1 ? { shape: [c.n], strides: [2], offset: 3 } : { shape: [c.n], strides: [1], offset: 0 }, c.oShape[c.dim]!, seed++);
      await check(backend, `indexAdd dim ${c.dim} out [${c.oShape}] n ${c.n} variant ${v}`, [out, index, src], (b, [o, iv, sv]) => b.indexAdd(o!, c.dim, iv!, sv!), (want) => {
        for (let f = 0; f < count(sShape); f++) {
          const idx = unravel(sShape, f);
          const dst = [...idx];
          dst[c.dim] = index.values[index.layout.offset + idx[c.dim]! * index.layout.strides[0]!]!;
          const at = offsetOf(out.layout, dst);
          want[at] = want[at]! + src.values[offsetOf(src.layout, idx)]!;
        }
      }, dtype === 'float32' || dtype === 'float64' ? 'close' : 'exact');
    }
  }
}

/** cumulative: cumsum / cumprod along each dim of strided inputs into strided outputs. */
export async function checkCumulative(backend: Backend, dtype: DType): Promise<void> {
  let seed = 58000;
  for (const op of ['cumsum', 'cumprod'] as CumulativeOp[]) {
    for (const shape of [[7], [3, 4], [2, 3, 5], [60, 170]]) {
      for (let dim = 0; dim < shape.length; dim++) {
        for (const p of pairs(shape)) {
          const out = operand(dtype, p.out, seed++), x = operand(dtype, p.x, seed++, op === 'cumprod' ? 'near-one' : 'any');
          await check(backend, `cumulative ${op} dim ${dim} [${shape}] ${p.name}`, [out, x], (b, [o, xv]) => b.cumulative(op, o!, xv!, dim), (want) => {
            const conv = allocArray(dtype, 1);
            for (let f = 0; f < count(shape); f++) {
              const idx = unravel(shape, f);
              if (idx[dim] !== 0) continue;
              let acc = op === 'cumsum' ? 0 : 1;
              for (let j = 0; j < shape[dim]!; j++) {
                idx[dim] = j;
                const v = x.values[offsetOf(p.x, idx)]!;
                acc = op === 'cumsum' ? acc + v : acc * v;
                conv[0] = acc;
                want[offsetOf(p.out, idx)] = conv[0]!;
              }
            }
          }, dtype === 'float32' || dtype === 'float64' ? 'close' : 'exact');
        }
      }
    }
  }
}

/**
 * `read()` now; where this thread may not block (a browser's main thread), the read must throw
 * naming the async forms, and succeed once `ready()` resolved.
 */
export async function waitedFor<T>(read: () => T, ready: () => Promise<unknown>): Promise<T> {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof Error) || !/cannot wait/.test(e.message) || !/itemAsync/.test(e.message)) throw e;
    await ready();
    return read();
  }
}

/**
 * sort: values and int64 positions along each dim, both orders, on strided inputs with ties
 * (equal values must keep their order) and, for floats, NaNs (which sort as the largest).
 */
export async function checkSort(backend: Backend, dtype: DType): Promise<void> {
  if (!backend.sort) return checkDefaultSort(backend, dtype);
  let seed = 59000;
  for (const shape of [[7], [3, 4], [2, 3, 5], [30, 170]]) {
    for (let dim = 0; dim < shape.length; dim++) {
      for (const descending of [false, true]) {
        // Every layout on the small shapes; the large one (several shards) contiguous and strided.
        for (const p of isLarge(shape) ? pairs(shape).slice(0, 2) : pairs(shape)) {
          const x = operand(dtype, p.x, seed++);
          if (dtype === 'float32' || dtype === 'float64') for (let i = 0; i < x.values.length; i += 5) x.values[i] = NaN;
          const values = operand(dtype, p.out, seed++), indices = operand('int64', p.out, seed++);
          // want[lane position j] = the j-th element of the lane in a stable sort (NaN largest).
          const sorted = (lane: number[]): number[] => lane.map((_, j) => j).sort((i, j) => {
            const a = lane[i]!, b = lane[j]!;
            const key = (v: number): number => (Number.isNaN(v) ? Infinity : 0);
            const byNan = descending ? key(b) - key(a) : key(a) - key(b);
            if (byNan !== 0 || Number.isNaN(a)) return byNan;
            return descending ? b - a : a - b;
          });
          const reference = (write: (want: TypedArray, at: number, from: number, v: number) => void) => (want: TypedArray): void => {
            for (let f = 0; f < count(shape); f++) {
              const idx = unravel(shape, f);
              if (idx[dim] !== 0) continue;
              const lane: number[] = [];
              for (let j = 0; j < shape[dim]!; j++) { idx[dim] = j; lane.push(x.values[offsetOf(p.x, idx)]!); }
              sorted(lane).forEach((from, j) => { idx[dim] = j; write(want, offsetOf(p.out, idx), from, lane[from]!); });
            }
          };
          const what = `sort dim ${dim}${descending ? ' descending' : ''} [${shape}] ${p.name}`;
          await check(backend, `${what} values`, [values, indices, x], (b, [v, i, xv]) => b.sort!(v!, i!, xv!, dim, descending, true),
            reference((want, at, _, v) => { want[at] = v; }), 'exact');
          await check(backend, `${what} indices`, [indices, values, x], (b, [i, v, xv]) => b.sort!(v!, i!, xv!, dim, descending, true),
            reference((want, at, from) => { want[at] = from; }), 'exact');
        }
      }
    }
  }
}

/**
 * A backend without the optional sort family: core's default sort (built from the other
 * families) must give the cpu backend's results bitwise, on strided inputs with ties and NaNs.
 */
async function checkDefaultSort(backend: Backend, dtype: DType): Promise<void> {
  for (const [shape, dim] of [[[7], 0], [[3, 4], 1], [[2, 3, 5], 0], [[2, 3, 5], 2]] as [number[], number][]) {
    const values = randomValues(dtype, count(shape), 59500 + dim);
    if (dtype === 'float32' || dtype === 'float64') for (let i = 0; i < values.length; i += 5) values[i] = NaN;
    for (const descending of [false, true]) {
      const results = await Promise.all([backend.name, 'cpu'].map(async (device) => {
        const x = tensorOf(values, { dtype, device }).reshape(shape).transpose(0, -1);
        const r = x.sort(dim, descending);
        return [Array.from(await r.values.data()), Array.from(await r.indices.data())];
      }));
      const [[v, i], [cv, ci]] = results as [number[][], number[][]];
      const what = `default sort dim ${dim}${descending ? ' descending' : ''} [${shape}] (${dtype}) on ${backend.name}`;
      if (!v!.every((a, k) => bitwiseSame(a, cv![k]!))) throw new Error(`${what}: values ${v} vs cpu ${cv}`);
      if (!i!.every((a, k) => a === ci![k])) throw new Error(`${what}: indices ${i} vs cpu ${ci}`);
    }
  }
}

/** unfold: im2col and col2im with strides, padding, dilation, strided operands. */
export async function checkUnfold(backend: Backend, dtype: DType): Promise<void> {
  let seed = 60000;
  const geos: { n: number; c: number; h: number; w: number; kh: number; kw: number; p: UnfoldParams }[] = [
    { n: 2, c: 3, h: 5, w: 6, kh: 3, kw: 2, p: { sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, padValue: 0 } },
    { n: 1, c: 2, h: 7, w: 7, kh: 3, kw: 3, p: { sh: 2, sw: 2, ph: 1, pw: 1, dh: 1, dw: 1, padValue: 0 } },
    { n: 2, c: 1, h: 8, w: 9, kh: 2, kw: 3, p: { sh: 1, sw: 2, ph: 2, pw: 1, dh: 2, dw: 2, padValue: -Infinity } },
    { n: 2, c: 4, h: 20, w: 22, kh: 3, kw: 3, p: { sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1, padValue: 0 } },
  ];
  for (const g of geos) {
    const { p } = g;
    const oh = Math.floor((g.h + 2 * p.ph - p.dh * (g.kh - 1) - 1) / p.sh) + 1;
    const ow = Math.floor((g.w + 2 * p.pw - p.dw * (g.kw - 1) - 1) / p.sw) + 1;
    const img = [g.n, g.c, g.h, g.w], cols = [g.n, g.c, g.kh, g.kw, oh, ow];
    const imgs = threeLayouts(img), colss = threeLayouts(cols);
    for (let v = 0; v < 3; v++) {
      // im2col: out = cols, x = image.
      const out = operand(dtype, colss[v]!, seed++), x = operand(dtype, imgs[(v + 1) % 3]!, seed++);
      await check(backend, `unfold im2col [${img}] k ${g.kh}x${g.kw} variant ${v}`, [out, x], (b, [o, xv]) => b.unfold('im2col', o!, xv!, p), (want) => {
        for (let f = 0; f < count(cols); f++) {
          const [n, c, i, j, oy, ox] = unravel(cols, f) as [number, number, number, number, number, number];
          const y = oy * p.sh - p.ph + i * p.dh, xx = ox * p.sw - p.pw + j * p.dw;
          want[offsetOf(out.layout, [n, c, i, j, oy, ox])] = y >= 0 && y < g.h && xx >= 0 && xx < g.w ? x.values[offsetOf(x.layout, [n, c, y, xx])]! : p.padValue;
        }
      }, 'exact');
      // col2im: out = image, x = cols; every window entry summed back, in (i, j) order.
      const out2 = operand(dtype, imgs[v]!, seed++), x2 = operand(dtype, colss[(v + 2) % 3]!, seed++);
      await check(backend, `unfold col2im [${img}] k ${g.kh}x${g.kw} variant ${v}`, [out2, x2], (b, [o, xv]) => b.unfold('col2im', o!, xv!, p), (want) => {
        const conv = allocArray(dtype, 1);
        for (let f = 0; f < count(img); f++) {
          const [n, c, y, xx] = unravel(img, f) as [number, number, number, number];
          let acc = 0;
          for (let i = 0; i < g.kh; i++) {
            const ny = y + p.ph - i * p.dh;
            if (ny < 0 || ny % p.sh !== 0 || ny / p.sh >= oh) continue;
            for (let j = 0; j < g.kw; j++) {
              const nx = xx + p.pw - j * p.dw;
              if (nx < 0 || nx % p.sw !== 0 || nx / p.sw >= ow) continue;
              acc += x2.values[offsetOf(x2.layout, [n, c, i, j, ny / p.sh, nx / p.sw])]!;
            }
          }
          conv[0] = acc;
          want[offsetOf(out2.layout, [n, c, y, xx])] = conv[0]!;
        }
      }, dtype === 'float32' || dtype === 'float64' ? 'close' : 'exact');
    }
  }
}

/** read / readSync / readBlocking / fromArray / allocate round trips. */
export async function checkReads(backend: Backend, dtype: DType): Promise<void> {
  for (const n of [0, 1, 5, 10000]) {
    const values = randomValues(dtype, n, 40000 + n);
    const s = backend.fromArray(dtype, values);
    if (s.dtype !== dtype || s.length !== n) throw new Error(`fromArray gave a storage of ${s.dtype}[${s.length}], expected ${dtype}[${n}]`);
    const got = await backend.read(s);
    expectStorage(`read after fromArray (n = ${n})`, got, values, dtype, bitwiseSame);
    const sync = backend.readSync(s);
    if (sync === null) throw new Error('readSync returned null (pending) after read resolved and no kernel was issued');
    expectStorage(`readSync after read (n = ${n})`, sync, values, dtype, bitwiseSame);
    const a = backend.allocate(dtype, n);
    if (a.dtype !== dtype || a.length !== n) throw new Error(`allocate gave a storage of ${a.dtype}[${a.length}], expected ${dtype}[${n}]`);
    if (n > 0) {
      backend.fill({ storage: a, shape: [n], strides: [1], offset: 0 }, 1);
      // A synchronous read right after the kernel: computed at once, or waited for (where this
      // thread may not block, only once awaited: the rule of a browser's main thread).
      const now = await waitedFor(() => backend.readSync(a) ?? backend.readBlocking?.(a) ?? null, () => backend.read(a));
      if (now === null) throw new Error(`readSync returned null right after fill and the backend has no readBlocking (n = ${n})`);
      if (now.length !== n || now.some((v) => v !== 1)) throw new Error(`readBlocking after allocate + fill gave wrong values (n = ${n})`);
      const filled = await backend.read(a);
      if (filled.length !== n || filled.some((v) => v !== 1)) throw new Error(`read after allocate + fill gave wrong values (n = ${n})`);
    }
  }
}

/** The kernel families a backend has: its function-valued members, less storage management. */
export function backendFamilies(backend: Backend): string[] {
  const storage = new Set(['allocate', 'fromArray', 'readSync', 'readBlocking', 'read', 'ready', 'setThreads', 'release']);
  const names = new Set<string>();
  for (let o: object | null = backend; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Object.getOwnPropertyNames(o)) {
      if (k !== 'constructor' && !storage.has(k) && typeof (backend as unknown as Record<string, unknown>)[k] === 'function') names.add(k);
    }
  }
  return [...names].sort();
}
