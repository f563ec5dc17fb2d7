/**
 * Random backend-level cases for every kernel family: random shapes, dims and strided layouts
 * (permuted, sliced, broadcast inputs; permuted and sliced outputs). Each case runs the same
 * call on several backends and compares the written storages bitwise.
 */
import type { Backend, DType, View } from '@kindling/core';
import type { BinaryOp, ReduceOp, UnaryOp } from '@kindling/core/kernels';
import { randomLayout, randomValues, Twin, compareStorages } from './helpers.js';

export const UNARY_OPS: UnaryOp[] = [
  'neg', 'abs', 'exp', 'log', 'sqrt', 'relu', 'sigmoid', 'tanh', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan',
  'sinh', 'cosh', 'asinh', 'acosh', 'atanh', 'log1p', 'expm1', 'log2', 'log10', 'exp2', 'rsqrt', 'reciprocal',
  'square', 'sign', 'floor', 'ceil', 'round', 'trunc', 'erf', 'logicalNot', 'gelu', 'geluTanh', 'silu', 'softplus',
  'elu', 'leakyRelu', 'powScalar', 'rpowScalar', 'clamp', 'isnan',
];
export const BINARY_OPS: BinaryOp[] = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'atan2', 'remainder', 'fmod', 'floorDivide',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor',
];
const BOOL_OUT = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor']);
export const REDUCE_OPS: ReduceOp[] = ['sum', 'mean', 'prod', 'max', 'min', 'argmax', 'argmin', 'any', 'all'];
const DTYPES: DType[] = ['float32', 'float64', 'int64', 'int32', 'bool'];

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: R, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

/** One operand: a twin storage plus its view geometry. */
interface Operand { twin: Twin; shape: number[]; strides: number[]; offset: number }

/** A random case: `call(b, i)` issues the kernel on backend i; `outs` are compared afterwards. */
export interface Case { name: string; call(b: Backend, i: number): void; outs: Operand[] }

function operand(backends: readonly Backend[], dtype: DType, shape: number[], r: R, opts: { broadcast?: boolean; specials?: boolean; values?: (n: number) => ArrayLike<number> } = {}): Operand {
  const l = randomLayout(shape, r, opts.broadcast ?? false);
  const values = randomValues(dtype, l.length, r, opts.specials ?? true);
  if (opts.values) values.set(opts.values(l.length));
  return { twin: new Twin(backends, dtype, values), shape, strides: l.strides, offset: l.offset };
}

const v = (o: Operand, i: number): View => o.twin.view(i, o.shape, o.strides, o.offset);

function randomShape(r: R, maxRank = 4, maxDim = 6): number[] {
  const nd = int(r, 0, maxRank);
  return Array.from({ length: nd }, () => (r() < 0.05 ? 0 : int(r, 1, maxDim)));
}

/** Index values in [0, size) (int64), laid out with random strides. */
function indexOperand(backends: readonly Backend[], shape: number[], size: number, r: R): Operand {
  return operand(backends, 'int64', shape, r, { values: (n) => Float64Array.from({ length: n }, () => Math.floor(r() * size)) });
}

export type Family = 'fill' | 'copy' | 'unary' | 'binary' | 'where' | 'reduce' | 'matmul' | 'gather' | 'scatter' | 'indexSelect' | 'indexAdd' | 'cumulative' | 'unfold' | 'sort';
export const FAMILY_NAMES: Family[] = ['fill', 'copy', 'unary', 'binary', 'where', 'reduce', 'matmul', 'gather', 'scatter', 'indexSelect', 'indexAdd', 'cumulative', 'unfold', 'sort'];

/** A random case of `family` on `backends`; `big` makes shapes large enough to shard. */
export function randomCase(family: Family, bs: readonly Backend[], r: R, shape: number[] = randomShape(r)): Case {
  switch (family) {
    case 'fill': {
      const dtype = pick(r, DTYPES);
      const out = operand(bs, dtype, shape, r);
      const value = dtype === 'bool' ? 1 : dtype.startsWith('int') ? int(r, -5, 5) : r() * 10;
      return { name: `fill ${dtype}`, outs: [out], call: (b, i) => b.fill(v(out, i), value) };
    }
    case 'copy': {
      const mode = pick(r, ['plain', 'trunc', 'bool'] as const);
      const from = pick(r, mode === 'trunc' ? ['float32', 'float64'] as DType[] : DTYPES);
      const to: DType = mode === 'bool' ? 'bool' : mode === 'trunc' ? 'int64' : pick(r, ['float32', 'float64', 'int64', 'int32'] as DType[]);
      const x = operand(bs, from, shape, r, { broadcast: true, specials: mode !== 'trunc' });
      const out = operand(bs, to, shape, r);
      return { name: `copy ${mode} ${from}->${to}`, outs: [out], call: (b, i) => b.copy(mode, v(out, i), v(x, i)) };
    }
    case 'unary': {
      const op = pick(r, UNARY_OPS);
      const dtype = pick(r, ['float32', 'float64'] as DType[]);
      const x = operand(bs, dtype, shape, r, { broadcast: true });
      const out = operand(bs, op === 'isnan' || op === 'logicalNot' ? 'bool' : dtype, shape, r);
      const p0 = op === 'clamp' ? -1 : r() * 3 + 0.5, p1 = op === 'clamp' ? 1.5 : r() * 20;
      return { name: `unary ${op} ${dtype}`, outs: [out], call: (b, i) => b.unary(op, v(out, i), v(x, i), p0, p1) };
    }
    case 'binary': {
      const op = pick(r, BINARY_OPS);
      const dtype = pick(r, DTYPES);
      const x = operand(bs, dtype, shape, r, { broadcast: true });
      const y = operand(bs, dtype, shape, r, { broadcast: true });
      const out = operand(bs, BOOL_OUT.has(op) ? 'bool' : dtype, shape, r);
      return { name: `binary ${op} ${dtype}`, outs: [out], call: (b, i) => b.binary(op, v(out, i), v(x, i), v(y, i)) };
    }
    case 'where': {
      const dtype = pick(r, DTYPES);
      const c = operand(bs, 'bool', shape, r, { broadcast: true });
      const x = operand(bs, dtype, shape, r, { broadcast: true });
      const y = operand(bs, dtype, shape, r, { broadcast: true });
      const out = operand(bs, dtype, shape, r);
      return { name: `where ${dtype}`, outs: [out], call: (b, i) => b.where(v(out, i), v(c, i), v(x, i), v(y, i)) };
    }
    case 'reduce': {
      const op = pick(r, REDUCE_OPS);
      const nr = Math.max(1, Math.min(shape.length, int(r, 1, 3)));
      const xShape = shape.length === 0 ? [int(r, 1, 6)] : shape;
      const n = Math.min(nr, xShape.length);
      const dtype: DType = op === 'any' || op === 'all' ? pick(r, DTYPES) : pick(r, ['float32', 'float64'] as DType[]);
      const x = operand(bs, dtype, xShape, r, { broadcast: true, specials: r() < 0.3 });
      const kept = xShape.slice(0, xShape.length - n);
      const outDtype: DType = op === 'argmax' || op === 'argmin' ? 'int64' : op === 'any' || op === 'all' ? 'bool' : dtype;
      const out = operand(bs, outDtype, kept, r);
      return { name: `reduce ${op} ${dtype} [${xShape}] nr=${n}`, outs: [out], call: (b, i) => b.reduce(op, v(out, i), v(x, i), n) };
    }
    case 'matmul': {
      const B = int(r, 1, 3), M = int(r, 0, 9), K = int(r, 0, 9), N = int(r, 0, 9);
      const scale = shape.length >= 3 ? 8 : 1; // "big" cases scale the matrices up
      const dtype = pick(r, ['float32', 'float64', 'int64', 'int32'] as DType[]);
      const x = operand(bs, dtype, [B, M * scale, K * scale], r, { broadcast: true, specials: false });
      const y = operand(bs, dtype, [B, K * scale, N * scale], r, { broadcast: true, specials: false });
      const out = operand(bs, dtype, [B, M * scale, N * scale], r);
      return { name: `matmul ${dtype} ${B}x${M * scale}x${K * scale}x${N * scale}`, outs: [out], call: (b, i) => b.matmul(v(out, i), v(x, i), v(y, i)) };
    }
    case 'gather': {
      const xShape = shape.length === 0 ? [int(r, 1, 5)] : shape.map((s) => Math.max(1, s));
      const dim = int(r, 0, xShape.length - 1);
      const iShape = xShape.map((s, d) => (d === dim ? int(r, 0, 5) : int(r, 1, s)));
      const dtype = pick(r, DTYPES);
      const x = operand(bs, dtype, xShape, r);
      const index = indexOperand(bs, iShape, xShape[dim]!, r);
      const out = operand(bs, dtype, iShape, r);
      return { name: `gather ${dtype} dim=${dim}`, outs: [out], call: (b, i) => b.gather(v(out, i), v(x, i), dim, v(index, i)) };
    }
    case 'scatter': {
      const oShape = shape.length === 0 ? [int(r, 1, 5)] : shape.map((s) => Math.max(1, s));
      const dim = int(r, 0, oShape.length - 1);
      const iShape = oShape.map((s, d) => (d === dim ? int(r, 0, 6) : int(r, 1, s)));
      const mode = pick(r, ['add', 'set'] as const);
      const dtype = pick(r, ['float32', 'float64', 'int64', 'int32'] as DType[]);
      const out = operand(bs, dtype, oShape, r, { specials: false });
      const index = indexOperand(bs, iShape, oShape[dim]!, r);
      const src = operand(bs, dtype, iShape.map((s) => s + int(r, 0, 1)), r, { specials: false });
      return { name: `scatter ${mode} ${dtype} dim=${dim}`, outs: [out], call: (b, i) => b.scatter(mode, v(out, i), dim, v(index, i), v(src, i)) };
    }
    case 'indexSelect': {
      const xShape = shape.length === 0 ? [int(r, 1, 5)] : shape.map((s) => Math.max(1, s));
      const dim = int(r, 0, xShape.length - 1);
      const L = int(r, 0, 6);
      const dtype = pick(r, DTYPES);
      const x = operand(bs, dtype, xShape, r);
      const index = indexOperand(bs, [L], xShape[dim]!, r);
      const out = operand(bs, dtype, xShape.map((s, d) => (d === dim ? L : s)), r);
      return { name: `indexSelect ${dtype} dim=${dim}`, outs: [out], call: (b, i) => b.indexSelect(v(out, i), v(x, i), dim, v(index, i)) };
    }
    case 'indexAdd': {
      const oShape = shape.length === 0 ? [int(r, 1, 5)] : shape.map((s) => Math.max(1, s));
      const dim = int(r, 0, oShape.length - 1);
      const L = int(r, 0, 6);
      const dtype = pick(r, ['float32', 'float64', 'int64', 'int32'] as DType[]);
      const out = operand(bs, dtype, oShape, r, { specials: false });
      const index = indexOperand(bs, [L], oShape[dim]!, r);
      const src = operand(bs, dtype, oShape.map((s, d) => (d === dim ? L : s)), r, { broadcast: true, specials: false });
      return { name: `indexAdd ${dtype} dim=${dim}`, outs: [out], call: (b, i) => b.indexAdd(v(out, i), dim, v(index, i), v(src, i)) };
    }
    case 'cumulative': {
      const xShape = shape.length === 0 ? [int(r, 1, 5)] : shape;
      const dim = int(r, 0, xShape.length - 1);
      const op = pick(r, ['cumsum', 'cumprod'] as const);
      const dtype = pick(r, ['float32', 'float64', 'int64'] as DType[]);
      const x = operand(bs, dtype, xShape, r, { broadcast: true });
      const out = operand(bs, dtype, xShape, r);
      return { name: `cumulative ${op} ${dtype} dim=${dim}`, outs: [out], call: (b, i) => b.cumulative(op, v(out, i), v(x, i), dim) };
    }
    case 'sort': {
      const xShape = shape.length === 0 ? [int(r, 1, 5)] : shape;
      const dim = int(r, 0, xShape.length - 1);
      const descending = r() < 0.5;
      const dtype = pick(r, DTYPES);
      const x = operand(bs, dtype, xShape, r, { broadcast: true });
      const values = operand(bs, dtype, xShape, r), indices = operand(bs, 'int64', xShape, r);
      return {
        name: `sort ${dtype} dim=${dim}${descending ? ' descending' : ''}`, outs: [values, indices],
        call: (b, i) => b.sort!(v(values, i), v(indices, i), v(x, i), dim, descending, true),
      };
    }
    case 'unfold': {
      const N = int(r, 1, 2), C = int(r, 1, 3), KH = int(r, 1, 3), KW = int(r, 1, 3);
      const p = { sh: int(r, 1, 2), sw: int(r, 1, 2), ph: int(r, 0, 1), pw: int(r, 0, 1), dh: int(r, 1, 2), dw: int(r, 1, 2), padValue: r() < 0.5 ? 0 : -Infinity };
      const H = int(r, p.dh * (KH - 1) + 1, 9) + (shape.length >= 3 ? 24 : 0), W = int(r, p.dw * (KW - 1) + 1, 9) + (shape.length >= 3 ? 24 : 0);
      const OH = Math.floor((H + 2 * p.ph - p.dh * (KH - 1) - 1) / p.sh) + 1, OW = Math.floor((W + 2 * p.pw - p.dw * (KW - 1) - 1) / p.sw) + 1;
      const dtype = pick(r, ['float32', 'float64'] as DType[]);
      const img = [N, C, H, W], cols = [N, C, KH, KW, OH, OW];
      const op = pick(r, ['im2col', 'col2im'] as const);
      const x = operand(bs, dtype, op === 'im2col' ? img : cols, r, { specials: false });
      const out = operand(bs, dtype, op === 'im2col' ? cols : img, r);
      return { name: `unfold ${op} ${dtype} [${img}] k=${KH}x${KW}`, outs: [out], call: (b, i) => b.unfold(op, v(out, i), v(x, i), p) };
    }
  }
}

/** Runs a case on every backend and returns the first mismatch, or null. */
export async function runCase(c: Case, bs: readonly Backend[]): Promise<string | null> {
  const errors = bs.map((b, i) => {
    try {
      c.call(b, i);
      return null;
    } catch (e) {
      return String(e);
    }
  });
  for (let i = 1; i < bs.length; i++) if (errors[i] !== errors[0]) return `${c.name}: ${bs[i]!.name} threw ${errors[i]} but ${bs[0]!.name} threw ${errors[0]}`;
  for (const o of c.outs) {
    const m = await compareStorages(o.twin, c.name);
    if (m) return m;
  }
  return null;
}

