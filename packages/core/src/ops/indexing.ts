/**
 * Indexing ops: gather, scatter, scatterAdd, indexSelect, indexAdd, maskedFill, nonzero,
 * maskedSelect, advanced indexing (`x.index(...)` with tensor indices), index assignment
 * (`x.setIndex(items, value)`, `indexPut` / `indexPut_`), and their in-place twins.
 *
 * Advanced indexing follows PyTorch (and NumPy): integer and bool-mask tensors index dims;
 * the index tensors broadcast together to a shape B; if they are adjacent (after integer items
 * removed their dims) B replaces them in place, else B goes first. It is computed by turning
 * the indices into element offsets and gathering from / scattering into the storage viewed as
 * one flat dim, so any layout works on any backend.
 */
import { noGrad } from '../autograd/grad-mode.js';
import type { Backend, View } from '../backend/backend.js';
import { isFloating, isIntegral, scalarTypeName } from '../dtype.js';
import { IndexError, RuntimeError } from '../errors.js';
import { broadcastShapes, contiguousStrides, normalizeDim, numel, sameShape, shapeStr } from '../shape.js';
import { Tensor } from '../tensor.js';
import { arange, fromValues, zeros } from './creation.js';
import { inplaceFrom, writeUntracked } from './inplace.js';
import { where, type Scalar, type TensorLike } from './pointwise.js';
import { broadcastView, castValues, commonBackend, copyMode, gradFor, record, scalarTensor } from './support.js';
import { clampSlice, parseIndex, type IndexItem } from './views.js';

/** A 0-d tensor seen as 1-d (size 1), so kernels always get a dim to index. */
function atLeast1d(v: View): View {
  return v.shape.length > 0 ? v : { storage: v.storage, shape: [1], strides: [0], offset: v.offset };
}

/** The `dim` given to gather / scatter / index ops, normalized; 0-d tensors accept 0 and -1. */
function indexDim(x: Tensor, dim: number): number {
  return normalizeDim(dim, x.ndim);
}

// ------------------------------------------------------------------ gather / scatter

/** Options of gather (PyTorch's keyword; sparse gradients are not supported, so it is ignored). */
export interface GatherOptions {
  sparseGrad?: boolean;
}

function checkSameRank(x: Tensor, index: Tensor, what: string): void {
  if (Math.max(x.ndim, 1) !== Math.max(index.ndim, 1)) throw new RuntimeError(`Index tensor must have the same number of dimensions as ${what} tensor`);
}

/**
 * torch.gather(x, dim, index): out[i][j][k] = x[index[i][j][k]][j][k] (for dim 0); out has
 * index's shape. index must be int64 and no larger than x outside `dim`.
 *
 * @remarks Differs from PyTorch: `sparseGrad` is accepted and ignored (gradients are dense).
 */
export function gather(x: Tensor, dim: number, index: Tensor, _opts: GatherOptions = {}): Tensor {
  commonBackend(x, index);
  if (index.dtype !== 'int64') throw new RuntimeError('gather(): Expected dtype int64 for index');
  const d = indexDim(x, dim);
  checkSameRank(x, index, 'input');
  for (let k = 0; k < index.ndim; k++) {
    if (k !== d && index.shape[k]! > x.shape[k]!) {
      throw new RuntimeError(`Size does not match at dimension ${k} expected index ${shapeStr(index.shape)} to be smaller than self ${shapeStr(x.shape)} apart from dimension ${d}`);
    }
  }
  const out = Tensor.empty(index.shape, x.dtype, x.backend);
  if (index.numel() > 0) x.backend.gather(atLeast1d(out), atLeast1d(x), d, atLeast1d(index));
  const xShape = x.shape;
  record(out, 'GatherBackward0', [x], [index], ([g], [idx]) => [zeros([...xShape], { dtype: g!.dtype, device: g!.device }).scatterAdd(d, idx!, g!)]);
  return out;
}

/** Options of scatter: `reduce: 'add'` accumulates like scatterAdd. */
export interface ScatterOptions {
  reduce?: 'add' | 'multiply';
}

function checkScatter(name: string, x: Tensor, d: number, index: Tensor, src: Tensor | null): void {
  if (index.dtype !== 'int64') throw new RuntimeError(`${name}(): Expected dtype int64 for index`);
  if (src && src.dtype !== x.dtype) throw new RuntimeError(`${name}(): Expected self.dtype to be equal to src.dtype`);
  checkSameRank(x, index, 'self');
  if (src) checkSameRank(src, index, 'src');
  for (let k = 0; k < index.ndim; k++) {
    const bad = (k !== d && index.shape[k]! > x.shape[k]!) || (src !== null && index.shape[k]! > src.shape[k]!);
    if (bad) {
      throw new RuntimeError(`Expected index ${shapeStr(index.shape)} to be smaller than self ${shapeStr(x.shape)} apart from dimension ${d}${src ? ` and to be smaller size than src ${shapeStr(src.shape)}` : ''}`);
    }
  }
}

/** A copy of x with src (or a value) scattered into it: the forward of scatter and scatterAdd. */
function scatterInto(mode: 'add' | 'set', x: Tensor, d: number, index: Tensor, src: View): Tensor {
  const out = Tensor.empty(x.shape, x.dtype, x.backend);
  x.backend.copy('plain', out, x);
  if (index.numel() > 0) x.backend.scatter(mode, atLeast1d(out), d, atLeast1d(index), atLeast1d(src));
  return out;
}

/**
 * torch.scatter(x, dim, index, src | value): a copy of x where, for every element of index,
 * out[..., index[i], ...] (along dim) = src[i] (or the scalar). With repeated indices the last
 * one in row-major order wins (deterministic). `{ reduce: 'add' }` accumulates instead.
 *
 * @remarks Differs from PyTorch: `reduce: 'multiply'` is not supported (throws RuntimeError).
 */
export function scatter(x: Tensor, dim: number, index: Tensor, src: TensorLike, opts: ScatterOptions = {}): Tensor {
  const s = src instanceof Tensor ? src : null;
  commonBackend(x, index, s);
  const d = indexDim(x, dim);
  checkScatter('scatter', x, d, index, s);
  if (opts.reduce === 'multiply') throw new RuntimeError("scatter(): reduce='multiply' is not supported by Kindling");
  if (opts.reduce === 'add' && s) return scatterAdd(x, d, index, s);
  const value = s ?? broadcastView(scalarTensor(src as Scalar, x.dtype, x.backend), index.shape);
  if (opts.reduce === 'add') {
    const sum = scatterInto('add', x, d, index, value);
    record(sum, 'ScatterReduceBackward0', [x], [], ([g]) => [g!]);
    return sum;
  }
  const out = scatterInto('set', x, d, index, value);
  if (s) {
    record(out, 'ScatterBackward0', [x, s], [index], ([g], [idx], needs) => [
      needs[0] ? g!.scatter(d, idx!, 0) : null,
      needs[1] ? g!.gather(d, idx!) : null,
    ]);
  } else {
    record(out, 'ScatterBackward1', [x], [index], ([g], [idx]) => [g!.scatter(d, idx!, 0)]);
  }
  return out;
}

/** torch.scatter_add(x, dim, index, src): a copy of x with src added at the indexed places (deterministic). */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  commonBackend(x, index, src);
  const d = indexDim(x, dim);
  checkScatter('scatter_add', x, d, index, src);
  const out = scatterInto('add', x, d, index, src);
  record(out, 'ScatterAddBackward0', [x, src], [index], ([g], [idx], needs) => [
    needs[0] ? g! : null,
    needs[1] ? g!.gather(d, idx!) : null,
  ]);
  return out;
}

/**
 * Tensor.scatter_: scatter in place.
 *
 * @remarks Differs from PyTorch: `reduce: 'multiply'` is not supported (throws RuntimeError).
 */
export function scatter_(x: Tensor, dim: number, index: Tensor, src: TensorLike, opts: ScatterOptions = {}): Tensor {
  return inplaceFrom(x, [src instanceof Tensor ? src : null], false, (t) => scatter(t, dim, index, src, opts));
}

/** Tensor.scatter_add_: scatterAdd in place. */
export function scatterAdd_(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  return inplaceFrom(x, [src], false, (t) => scatterAdd(t, dim, index, src));
}

// ------------------------------------------------------------------ index_select / index_add

function checkIndexVector(name: string, index: Tensor): void {
  if (index.ndim > 1) throw new IndexError(`${name}(): Index is supposed to be a vector`);
  if (index.dtype !== 'int64' && index.dtype !== 'int32') throw new RuntimeError(`${name}(): Expected dtype int32/int64 for index`);
}

/** torch.index_select(x, dim, index): the slices of x along dim picked by a 1-d index. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  commonBackend(x, index);
  if (index.ndim > 1) throw new IndexError('index_select(): Index is supposed to be a vector');
  if (index.dtype !== 'int64' && index.dtype !== 'int32') throw new RuntimeError('index_select(): Expected dtype int32 or int64 for index');
  const d = indexDim(x, dim);
  const shape = x.ndim === 0 ? [] : x.shape.map((s, k) => (k === d ? index.numel() : s));
  if (x.ndim === 0 && index.numel() !== 1) throw new IndexError('index_select(): Index to scalar can have only 1 value, got ' + index.numel() + ' value(s)');
  const out = Tensor.empty(shape, x.dtype, x.backend);
  if (numel(shape) > 0) x.backend.indexSelect(atLeast1d(out), atLeast1d(x), d, atLeast1d(index));
  const xShape = x.shape;
  record(out, 'IndexSelectBackward0', [x], [index], ([g], [idx]) => [zeros([...xShape], { dtype: g!.dtype, device: g!.device }).indexAdd(d, idx!, g!)]);
  return out;
}

/** Options of index_add. */
export interface IndexAddOptions {
  /** Multiplier of source. */
  alpha?: number;
}

/**
 * torch.index_add(x, dim, index, source, alpha=1): a copy of x with alpha * source[j] added to
 * slice index[j] along dim (repeated indices accumulate, deterministically).
 */
export function indexAdd(x: Tensor, dim: number, index: Tensor, source: Tensor, opts: IndexAddOptions = {}): Tensor {
  commonBackend(x, index, source);
  checkIndexVector('index_add_', index);
  if (source.dtype !== x.dtype) {
    throw new RuntimeError(`index_add_(): self (${scalarTypeName(x.dtype)}) and source (${scalarTypeName(source.dtype)}) must have the same scalar type`);
  }
  const d = indexDim(x, dim);
  const n = index.numel();
  const expect = x.ndim === 0 ? [] : x.shape.map((s, k) => (k === d ? n : s));
  if (!(sameShape(source.shape, expect) || (source.ndim === 0 && n === 1 && x.ndim <= 1))) {
    throw new RuntimeError(`source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = ${shapeStr(x.shape)} source.shape = ${shapeStr(source.shape)}`);
  }
  const alpha = opts.alpha ?? 1;
  const src = alpha === 1 ? source : noGrad(() => source.mul(alpha));
  const out = Tensor.empty(x.shape, x.dtype, x.backend);
  x.backend.copy('plain', out, x);
  if (n > 0) x.backend.indexAdd(atLeast1d(out), d, atLeast1d(index), atLeast1d(src));
  const srcShape = source.shape;
  record(out, 'IndexAddBackward0', [x, source], [index], ([g], [idx], needs) => [
    needs[0] ? g! : null,
    needs[1] ? (alpha === 1 ? g! : g!.mul(alpha)).indexSelect(d, idx!).reshape(srcShape) : null,
  ]);
  return out;
}

/** Tensor.index_add_: indexAdd in place. */
export function indexAdd_(x: Tensor, dim: number, index: Tensor, source: Tensor, opts: IndexAddOptions = {}): Tensor {
  return inplaceFrom(x, [source], false, (t) => indexAdd(t, dim, index, source, opts));
}

// ------------------------------------------------------------------ masked_fill

/**
 * torch.masked_fill(x, mask, value): x where mask is false, value where it is true (mask and
 * x broadcast; value is a scalar or a 0-d tensor, cast to x's dtype).
 */
export function maskedFill(x: Tensor, mask: Tensor, value: TensorLike): Tensor {
  const v = value instanceof Tensor ? value : null;
  commonBackend(x, mask, v);
  if (mask.dtype !== 'bool') throw new RuntimeError(`masked_fill_ only supports boolean masks, but got mask with dtype ${scalarTypeName(mask.dtype)}`);
  if (v && v.ndim !== 0) throw new RuntimeError(`masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${v.ndim} dimension(s).`);
  const shape = broadcastShapes(x.shape, mask.shape);
  const out = Tensor.empty(shape, x.dtype, x.backend);
  const fill = v ? castValues(v, x.dtype) : scalarTensor(value as Scalar, x.dtype, x.backend);
  x.backend.where(out, broadcastView(mask, shape), broadcastView(fill, shape), broadcastView(x, shape));
  if (v) {
    record(out, 'MaskedFillBackward1', [x, v], [mask], ([g], [m], needs) => [
      needs[0] ? gradFor(where(m!, 0, g!), x) : null,
      needs[1] ? gradFor(where(m!, g!, 0).sum(), v) : null,
    ]);
  } else {
    record(out, 'MaskedFillBackward0', [x], [mask], ([g], [m]) => [gradFor(where(m!, 0, g!), x)]);
  }
  return out;
}

/** Tensor.masked_fill_: maskedFill in place (mask must broadcast to x's shape). */
export function maskedFill_(x: Tensor, mask: Tensor, value: TensorLike): Tensor {
  const shape = broadcastShapes(x.shape, mask.shape);
  if (!sameShape(shape, x.shape)) throw new RuntimeError(`output with shape ${shapeStr(x.shape)} doesn't match the broadcast shape ${shapeStr(shape)}`);
  return inplaceFrom(x, [value instanceof Tensor ? value : null], false, (t) => maskedFill(t, mask, value));
}

// ------------------------------------------------------------------ nonzero, masked_select

/** Options of nonzero. */
export interface NonzeroOptions {
  /** Return one 1-d tensor per dim instead of an [n, ndim] tensor. */
  asTuple?: boolean;
}

/**
 * torch.nonzero(x): the indices of the nonzero elements, as an int64 [count, ndim] tensor in
 * row-major order. Its shape depends on the values, so they are read synchronously (waiting for
 * pending ones, as PyTorch synchronizes with a GPU here).
 */
export function nonzero(x: Tensor): Tensor;
export function nonzero(x: Tensor, opts: NonzeroOptions & { asTuple: true }): Tensor[];
export function nonzero(x: Tensor, opts?: NonzeroOptions): Tensor | Tensor[];
export function nonzero(x: Tensor, opts: NonzeroOptions = {}): Tensor | Tensor[] {
  const values = x.dataSync();
  const nd = x.ndim, strides = contiguousStrides(x.shape);
  const hits: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) hits.push(i);
  const out = new Float64Array(hits.length * nd);
  hits.forEach((flat, r) => {
    let rem = flat;
    for (let k = 0; k < nd; k++) {
      const c = Math.floor(rem / strides[k]!);
      rem -= c * strides[k]!;
      out[r * nd + k] = c;
    }
  });
  const result = fromValues(out, [hits.length, nd], 'int64', x.backend);
  if (!opts.asTuple) return result;
  if (nd === 0) return [fromValues(new Float64Array(hits.length), [hits.length], 'int64', x.backend)];
  return Array.from({ length: nd }, (_, k) => result.select(1, k).contiguous());
}

/** torch.masked_select(x, mask): the elements of x (broadcast with mask) where mask is true, as a 1-d tensor. */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  if (mask.dtype !== 'bool') throw new RuntimeError(`masked_select: expected BoolTensor for mask`);
  const shape = broadcastShapes(x.shape, mask.shape);
  const m = sameShape(mask.shape, shape) ? mask : mask.expand(shape).contiguous();
  const xs = sameShape(x.shape, shape) ? x : x.expand(shape);
  return advancedIndex(xs, [m]);
}

// ------------------------------------------------------------------ advanced indexing

/** An index item with tensor indices allowed (see `Tensor.index`). */
export type AdvancedIndexItem = IndexItem | Tensor | boolean;

/**
 * Where x[items] reads, independent of x's memory layout: integer items (fixed offsets),
 * slices (one result dim each), new axes, and the broadcast advanced indices.
 */
interface IndexPlan {
  readonly outShape: number[];
  readonly ints: { dim: number; i: number }[];
  readonly slices: { dim: number; start: number; step: number; count: number; r: number }[];
  /** Advanced indices (int64, wrapped to be non-negative) with their x dim (-1: a new axis). */
  readonly adv: { dim: number; index: Tensor }[];
  readonly bShape: readonly number[];
  /** First result dim of the broadcast index shape. */
  readonly bAt: number;
}

/** Python slice bounds clamped into [0, size], and the element count. */
function sliceBounds(size: number, start: number | null, stop: number | null, step: number): [number, number] {
  const [s, e] = clampSlice(size, start, stop, step);
  return [s, Math.ceil((e - s) / step)];
}

function isBoolIndex(it: AdvancedIndexItem): it is Tensor | boolean {
  return typeof it === 'boolean' || (it instanceof Tensor && it.dtype === 'bool');
}

/** Dims of x an item consumes. */
function consumes(it: AdvancedIndexItem): number {
  if (it === null || it === '...' || typeof it === 'boolean') return 0;
  if (it instanceof Tensor) return it.dtype === 'bool' ? it.ndim : 1;
  return 1;
}

/** The first out-of-range value of a resident index, or null (pending values are not checked). */
function firstOutOfRange(index: Tensor, size: number): number | null {
  if (index.backend.readSync(index.storage) === null) return null;
  for (const v of index.dataSync()) if (v < -size || v >= size) return v;
  return null;
}

function buildPlan(x: Tensor, items: readonly AdvancedIndexItem[]): IndexPlan {
  if (items.filter((it) => it === '...').length > 1) throw new IndexError("an index can only have a single ellipsis ('...')");
  const used = items.reduce<number>((n, it) => n + consumes(it), 0);
  if (used > x.ndim) throw new IndexError(`too many indices for tensor of dimension ${x.ndim}`);
  type Entry = { kind: 'slice'; dim: number; start: number; step: number; count: number } | { kind: 'new' } | { kind: 'adv'; dim: number; index: Tensor };
  const entries: Entry[] = [];
  const ints: { dim: number; i: number }[] = [];
  const full = (dim: number): Entry => ({ kind: 'slice', dim, start: 0, step: 1, count: x.shape[dim]! });
  let d = 0;
  const addAdv = (dim: number, index: Tensor): void => {
    const size = dim < 0 ? 1 : x.shape[dim]!;
    const bad = firstOutOfRange(index, size);
    if (bad !== null) throw new IndexError(`index ${bad} is out of bounds for dimension ${entries.length} with size ${size}`);
    const long = castValues(index, 'int64');
    entries.push({ kind: 'adv', dim, index: where(long.lt(0), long.add(size), long) });
  };
  for (const it of items) {
    if (it === null) entries.push({ kind: 'new' });
    else if (it === '...') for (let k = 0; k < x.ndim - used; k++) entries.push(full(d++));
    else if (it === ':') entries.push(full(d++));
    else if (typeof it === 'number') {
      const size = x.shape[d]!;
      if (!Number.isInteger(it)) throw new IndexError('only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices');
      if (it < -size || it >= size) throw new IndexError(`index ${it} is out of bounds for dimension ${d} with size ${size}`);
      ints.push({ dim: d, i: it < 0 ? it + size : it });
      d++;
    } else if (isBoolIndex(it)) {
      const mask = typeof it === 'boolean' ? scalarTensor(it, 'bool', x.backend) : it;
      if (mask.ndim === 0) {
        // x[True] adds an axis of size 1 and x[False] one of size 0: an index into a new axis.
        addAdv(-1, fromValues(new Float64Array(mask.item() ? 1 : 0), [mask.item() ? 1 : 0], 'int64', x.backend));
        continue;
      }
      for (let k = 0; k < mask.ndim; k++) {
        if (mask.shape[k] !== x.shape[d + k]) {
          throw new IndexError(`The shape of the mask ${shapeStr(mask.shape)} at index ${k} does not match the shape of the indexed tensor ${shapeStr(x.shape)} at index ${d + k}`);
        }
      }
      const cols = nonzero(mask, { asTuple: true });
      cols.forEach((c) => addAdv(d++, c));
    } else if (it instanceof Tensor) {
      if (isFloating(it.dtype)) throw new IndexError('tensors used as indices must be long, int, byte or bool tensors');
      commonBackend(x, it);
      addAdv(d++, it);
    } else {
      const [start, count] = sliceBounds(x.shape[d]!, it[0] ?? null, it[1] ?? null, it[2] ?? 1);
      entries.push({ kind: 'slice', dim: d, start, step: it[2] ?? 1, count });
      d++;
    }
  }
  while (d < x.ndim) entries.push(full(d++));

  const advAt = entries.map((e, k) => (e.kind === 'adv' ? k : -1)).filter((k) => k >= 0);
  const adv = advAt.map((k) => entries[k] as { kind: 'adv'; dim: number; index: Tensor });
  let bShape: readonly number[] = [];
  for (const a of adv) {
    try {
      bShape = broadcastShapes(bShape, a.index.shape);
    } catch {
      throw new IndexError(`shape mismatch: indexing tensors could not be broadcast together with shapes ${adv.map((b) => shapeStr(b.index.shape)).join(', ')}`);
    }
  }
  const adjacent = advAt.length > 0 && advAt[advAt.length - 1]! - advAt[0]! + 1 === advAt.length;
  const outShape: number[] = [];
  const slices: IndexPlan['slices'] = [];
  let bAt = 0;
  if (advAt.length > 0 && !adjacent) outShape.push(...bShape);
  entries.forEach((e, k) => {
    if (e.kind === 'adv') {
      if (adjacent && k === advAt[0]) { bAt = outShape.length; outShape.push(...bShape); }
      return;
    }
    if (e.kind === 'slice') slices.push({ dim: e.dim, start: e.start, step: e.step, count: e.count, r: outShape.length });
    outShape.push(e.kind === 'slice' ? e.count : 1);
  });
  return { outShape, ints, slices, adv: adv.map((a) => ({ dim: a.dim, index: a.index })), bShape, bAt };
}

/** The storage offset of every element of x[plan] for a tensor laid out as (strides, offset): an int64 [n] tensor. */
function planOffsets(plan: IndexPlan, strides: readonly number[], offset: number, backend: Backend): Tensor {
  const device = backend.name;
  return noGrad(() => {
    const r = plan.outShape.length;
    let base = offset;
    for (const { dim, i } of plan.ints) base += i * strides[dim]!;
    let acc: Tensor | null = null;
    const add = (t: Tensor): void => { acc = acc === null ? t : acc.add(t); };
    for (const s of plan.slices) {
      const st = strides[s.dim]!;
      const shape = new Array<number>(r).fill(1);
      shape[s.r] = s.count;
      add(arange(s.count, { device }).mul(s.step * st).view(shape));
      base += s.start * st;
    }
    const nb = plan.bShape.length;
    for (const a of plan.adv) {
      const st = a.dim < 0 ? 0 : strides[a.dim]!;
      if (st === 0) continue;
      const padded = [...new Array<number>(nb - a.index.ndim).fill(1), ...a.index.shape];
      const shape = [...new Array<number>(plan.bAt).fill(1), ...padded, ...new Array<number>(r - plan.bAt - nb).fill(1)];
      add(a.index.mul(st).reshape(shape));
    }
    const total: Tensor = acc === null ? scalarTensor(base, 'int64', backend) : (acc as Tensor).add(base);
    return total.expand(plan.outShape).reshape(-1);
  });
}

/** The whole storage of `t` as one flat dim (what offsets index). */
function flatStorage(t: Tensor): View {
  return { storage: t.storage, shape: [t.storage.length], strides: [1], offset: 0 };
}

/** x[plan] as a new tensor (IndexBackward0). */
function indexGet(x: Tensor, plan: IndexPlan): Tensor {
  const out = Tensor.empty(plan.outShape, x.dtype, x.backend);
  const n = numel(plan.outShape);
  if (n > 0) {
    const offsets = planOffsets(plan, x.strides, x.offset, x.backend);
    x.backend.gather({ storage: out.storage, shape: [n], strides: [1], offset: 0 }, flatStorage(x), 0, offsets);
  }
  const xShape = x.shape;
  record(out, 'IndexBackward0', [x], [], ([g]) => [indexPutPlan(zeros([...xShape], { dtype: g!.dtype, device: g!.device }), plan, g!, true)]);
  return out;
}

/** PyTorch's error unless `values` broadcasts to the indexing result's shape. */
function checkValuesShape(values: Tensor, shape: readonly number[]): void {
  let ok = true;
  try {
    ok = sameShape(broadcastShapes(values.shape, shape), shape);
  } catch {
    ok = false;
  }
  if (!ok) throw new RuntimeError(`shape mismatch: value tensor of shape ${shapeStr(values.shape)} cannot be broadcast to indexing result of shape ${shapeStr(shape)}`);
}

/** Values broadcast to the indexing result, cast to t's dtype, as a flat view for the kernel. */
function valuesFor(values: TensorLike, plan: IndexPlan, t: Tensor): View {
  const n = numel(plan.outShape);
  if (!(values instanceof Tensor)) return broadcastView(scalarTensor(values, t.dtype, t.backend), [n]);
  checkValuesShape(values, plan.outShape);
  return noGrad(() => castValues(values, t.dtype).expand(plan.outShape).reshape(-1));
}

/** Writes values into t's storage at plan (no autograd). */
function scatterPlan(t: Tensor, plan: IndexPlan, values: TensorLike, accumulate: boolean): void {
  const n = numel(plan.outShape);
  const flat = valuesFor(values, plan, t);
  if (n === 0) return;
  const offsets = planOffsets(plan, t.strides, t.offset, t.backend);
  t.backend.scatter(accumulate ? 'add' : 'set', flatStorage(t), 0, offsets, flat);
}

/** A copy of base with values put (or added) at plan: IndexPutBackward0. */
function indexPutPlan(base: Tensor, plan: IndexPlan, values: TensorLike, accumulate: boolean): Tensor {
  const v = values instanceof Tensor ? values : null;
  commonBackend(base, v);
  const out = Tensor.empty(base.shape, base.dtype, base.backend);
  base.backend.copy('plain', out, base);
  scatterPlan(out, plan, values, accumulate);
  const vMeta = v ? { shape: v.shape, dtype: v.dtype } : null;
  record(out, 'IndexPutBackward0', [base, v], [], ([g], _s, needs) => [
    needs[0] ? (accumulate ? g! : indexPutPlan(g!, plan, 0, false)) : null,
    needs[1] ? gradFor(indexGet(g!, plan), vMeta!) : null,
  ]);
  return out;
}

/** @internal x[items] when some item is a tensor or a bool: a copy, with gradients (IndexBackward0). */
export function advancedIndex(x: Tensor, items: readonly AdvancedIndexItem[]): Tensor {
  const list = scalarItems(items);
  if (!hasTensorItem(list)) return x.index(...(list as IndexItem[]));
  return indexGet(x, buildPlan(x, list));
}

/** 0-d integer tensors index like integers, as in PyTorch (which reads them: x[t] is a view). */
function scalarItems(items: readonly AdvancedIndexItem[]): AdvancedIndexItem[] {
  return items.map((it) => (it instanceof Tensor && it.ndim === 0 && isIntegral(it.dtype) ? (it.item() as number) : it));
}

/** The value of an assignment without its leading size-1 dims (PyTorch strips them, like NumPy). */
function stripLeadingOnes(value: TensorLike): TensorLike {
  if (!(value instanceof Tensor)) return value;
  const first = value.shape.findIndex((s) => s !== 1);
  const keep = first < 0 ? [] : value.shape.slice(first);
  return keep.length === value.ndim ? value : value.reshape(keep);
}

/** The items of setIndex: one item, a list of items (a Python tuple), or a Python-syntax string. */
export type SetIndexItems = AdvancedIndexItem | readonly AdvancedIndexItem[] | string;

function setItems(items: SetIndexItems): AdvancedIndexItem[] {
  if (typeof items === 'string' && items !== '...' && items !== ':') return parseIndex(items);
  if (Array.isArray(items)) return items as AdvancedIndexItem[];
  return [items as AdvancedIndexItem];
}

function hasTensorItem(items: readonly AdvancedIndexItem[]): boolean {
  return items.some((it) => it instanceof Tensor || typeof it === 'boolean');
}

/** In-place put of values at items: the shared body of setIndex and indexPut_. */
function putInPlace(x: Tensor, rawItems: AdvancedIndexItem[], rawValue: TensorLike, accumulate: boolean): Tensor {
  const items = scalarItems(rawItems);
  const value = stripLeadingOnes(rawValue);
  const v = value instanceof Tensor ? value : null;
  commonBackend(x, v);
  if (Tensor.needsGrad(x, v)) {
    const plan = buildPlan(x, items);
    return inplaceFrom(x, [v], false, (t) => indexPutPlan(t, plan, value, accumulate));
  }
  if (!accumulate && !hasTensorItem(items)) {
    // Basic indexing only: a strided copy into the view, no offsets needed.
    const view = noGrad(() => x.index(...(items as IndexItem[])));
    if (v) checkValuesShape(v, view.shape);
    const src = v ?? scalarTensor(value as Scalar, x.dtype, x.backend);
    writeUntracked(x, () => x.backend.copy(copyMode(src.dtype, x.dtype), view, broadcastView(src, view.shape)));
    return x;
  }
  return writeUntracked(x, () => scatterPlan(x, buildPlan(x, items), value, accumulate));
}

/**
 * `x[items] = value` (Python's __setitem__), in place: items as in `x.index` (integers, slices
 * `[start, stop, step]`, `':'`, `'...'`, `null`, int64 / bool tensors), given as one item, a
 * list of items (a Python tuple: `x.setIndex([0, [1, 3]], v)` is `x[0, 1:3] = v`) or a string
 * (`x.setIndex('0, 1:3', v)`). `value` (a scalar or a tensor) is broadcast to the indexed shape
 * and cast to x's dtype. Bumps x's version; records IndexPutBackward0 when grads flow. Returns x.
 *
 * @remarks Differs from PyTorch: a method stands for `x[items] = value`; an array item is a
 * slice, not a list of indices.
 */
export function setIndex(x: Tensor, items: SetIndexItems, value: TensorLike): Tensor {
  return putInPlace(x, setItems(items), value, false);
}

/** Options of index_put. */
export interface IndexPutOptions {
  /** Add into the indexed places (repeated indices accumulate) instead of overwriting. */
  accumulate?: boolean;
}

function accumulateArg(a: boolean | IndexPutOptions | undefined): boolean {
  return typeof a === 'boolean' ? a : a?.accumulate ?? false;
}

function tensorItems(indices: readonly (Tensor | null)[]): AdvancedIndexItem[] {
  return indices.map((t) => t ?? ':');
}

/**
 * torch.index_put(x, indices, values, accumulate=False): a copy of x with `x[indices] = values`
 * where `indices` is a list of index tensors (null for a whole dim).
 */
export function indexPut(x: Tensor, indices: readonly (Tensor | null)[], values: TensorLike, accumulate?: boolean | IndexPutOptions): Tensor {
  return indexPutPlan(x, buildPlan(x, tensorItems(indices)), values, accumulateArg(accumulate));
}

/** Tensor.index_put_: indexPut in place (accumulate adds; repeated indices accumulate deterministically). */
export function indexPut_(x: Tensor, indices: readonly (Tensor | null)[], values: TensorLike, accumulate?: boolean | IndexPutOptions): Tensor {
  return putInPlace(x, tensorItems(indices), values, accumulateArg(accumulate));
}

