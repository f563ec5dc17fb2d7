/**
 * Shape ops that copy: cat, stack, split, chunk, repeat, flip, roll, tril, triu (split and
 * chunk return views). Each forward is strided copies through the backend's `copy` / `where`
 * families; each backward is written with ops, so gradients of gradients work.
 */
import type { View } from '../backend/backend.js';
import { promoteTypes } from '../dtype.js';
import { checkInt, checkIntList, checkOptions, pyTypeName } from '../args.js';
import { RuntimeError, TypeError } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { contiguousStrides, normalizeDim, numel, sameShape, shapeArgs, shapeStr } from '../shape.js';
import { Tensor } from '../tensor.js';
import { zeros } from './creation.js';
import { broadcastView, commonBackend, copyMode, gradFor, record, scalarTensor } from './support.js';
import { makeView } from './views.js';

/** The `dim` keyword of cat, stack, split, chunk. */
export interface DimOptions {
  dim?: number;
}

/** Accepts a dim or `{ dim }`; `fallback` when neither gives one. */
function dimArg(fn: string, arg: number | DimOptions | undefined, fallback: number): number {
  if (arg === undefined || typeof arg === 'number') return arg ?? fallback;
  if (typeof arg !== 'object' || arg === null) return checkInt(arg, 'dim', fn);
  return checkOptions(fn, arg, ['dim']).dim ?? fallback;
}

/** PyTorch's TypeErrors unless `tensors` is an array of Tensors. */
function checkTensorList(fn: string, tensors: unknown): asserts tensors is readonly Tensor[] {
  if (!Array.isArray(tensors)) {
    throw new TypeError(`${fn}(): argument 'tensors' (position 1) must be tuple of Tensors, not ${pyTypeName(tensors)}`);
  }
  tensors.forEach((t: unknown, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`expected Tensor as element ${i} in argument 0, but got ${pyTypeName(t)}`);
  });
}

/** `t` narrowed to [start, start + length) along `d`, as a plain view for a kernel call. */
function narrowed(t: View, d: number, start: number, length: number): View {
  const shape = [...t.shape];
  shape[d] = length;
  return { storage: t.storage, shape, strides: t.strides, offset: t.offset + start * t.strides[d]! };
}

// ------------------------------------------------------------------ cat, stack

/**
 * torch.cat(tensors, dim=0): joins tensors along an existing dim, promoting dtypes. As in
 * PyTorch, 1-d empty tensors are skipped (legacy behaviour). `cat([a, b], 1)` or `cat([a, b], { dim: 1 })`.
 */
export function cat(tensors: readonly Tensor[], dim?: number | DimOptions): Tensor {
  checkTensorList('cat', tensors);
  if (tensors.length === 0) throw new RuntimeError('torch.cat(): expected a non-empty list of Tensors');
  const backend = commonBackend(...tensors);
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  tensors.forEach((t, i) => {
    if (t.ndim === 0) throw new RuntimeError(`zero-dimensional tensor (at position ${i}) cannot be concatenated`);
  });
  const skipped = (t: Tensor): boolean => t.ndim === 1 && t.shape[0] === 0;
  const ref = tensors.find((t) => !skipped(t));
  if (ref === undefined) {
    const out = Tensor.empty([0], dtype, backend);
    record(out, 'CatBackward0', tensors, [], (_g, _s, needs) => tensors.map((t, i) => (needs[i] ? zeros([0], { dtype: t.dtype, device: t.device }) : null)));
    return out;
  }
  const d = normalizeDim(dimArg('cat', dim, 0), ref.ndim);
  let total = 0;
  tensors.forEach((t, i) => {
    if (skipped(t)) return;
    if (t.ndim !== ref.ndim) throw new RuntimeError(`Tensors must have same number of dimensions: got ${ref.ndim} and ${t.ndim}`);
    for (let k = 0; k < ref.ndim; k++) {
      if (k !== d && t.shape[k] !== ref.shape[k]) {
        throw new RuntimeError(`Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[k]} but got size ${t.shape[k]} for tensor number ${i} in the list.`);
      }
    }
    total += t.shape[d]!;
  });
  const shape = [...ref.shape];
  shape[d] = total;
  const out = Tensor.empty(shape, dtype, backend);
  const starts: number[] = [];
  let at = 0;
  for (const t of tensors) {
    starts.push(at);
    if (skipped(t)) continue;
    if (t.shape[d]! > 0) backend.copy(copyMode(t.dtype, dtype), narrowed(out, d, at, t.shape[d]!), t);
    at += t.shape[d]!;
  }
  const metas = tensors.map((t) => ({ shape: t.shape, dtype: t.dtype, device: t.device }));
  record(out, 'CatBackward0', tensors, [], ([g], _s, needs) => metas.map((m, i) => {
    if (!needs[i]) return null;
    if (m.shape.length === 1 && m.shape[0] === 0) return zeros([0], { dtype: m.dtype, device: m.device });
    return gradFor(g!.narrow(d, starts[i]!, m.shape[d]!), m);
  }));
  return out;
}

/** torch.concat / torch.concatenate: aliases of cat. */
export const concat = cat;

/** torch.stack(tensors, dim=0): joins equally shaped tensors along a new dim. */
export function stack(tensors: readonly Tensor[], dim?: number | DimOptions): Tensor {
  checkTensorList('stack', tensors);
  if (tensors.length === 0) throw new RuntimeError('stack expects a non-empty TensorList');
  const backend = commonBackend(...tensors);
  const ref = tensors[0]!.shape;
  tensors.forEach((t, i) => {
    if (!sameShape(t.shape, ref)) {
      throw new RuntimeError(`stack expects each tensor to be equal size, but got ${shapeStr(ref)} at entry 0 and ${shapeStr(t.shape)} at entry ${i}`);
    }
  });
  const d = normalizeDim(dimArg('stack', dim, 0), ref.length + 1);
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  const shape = [...ref];
  shape.splice(d, 0, tensors.length);
  const out = Tensor.empty(shape, dtype, backend);
  const strides = out.strides.filter((_, k) => k !== d);
  tensors.forEach((t, i) => {
    backend.copy(copyMode(t.dtype, dtype), { storage: out.storage, shape: ref, strides, offset: i * out.strides[d]! }, t);
  });
  const metas = tensors.map((t) => ({ shape: t.shape, dtype: t.dtype }));
  record(out, 'StackBackward0', tensors, [], ([g], _s, needs) => metas.map((m, i) => (needs[i] ? gradFor(g!.select(d, i), m) : null)));
  return out;
}

// ------------------------------------------------------------------ split, chunk

/**
 * Views of `x` along `d` with the given sizes, all outputs of one node (PyTorch's
 * SplitBackward0 / SplitWithSizesBackward0) whose backward concatenates the pieces' gradients.
 */
function splitViews(x: Tensor, d: number, sizes: readonly number[], name: string): Tensor[] {
  const outs: Tensor[] = [];
  let at = 0;
  for (const n of sizes) {
    const shape = [...x.shape];
    shape[d] = n;
    outs.push(makeView(x, shape, x.strides, x.offset + at * x.strides[d]!));
    at += n;
  }
  record(outs, name, [x], [], (grads) => {
    // grads may be sparse or short (only the pieces that got a gradient): fill the rest with zeros.
    const parts = outs.map((o, i) => grads[i] ?? zeros(o.shape as number[], { dtype: x.dtype, device: x.device }));
    return [parts.length === 1 ? parts[0]! : cat(parts, d)];
  });
  return outs;
}

/**
 * torch.split(x, split_size_or_sections, dim=0): pieces of `split_size` (the last may be
 * smaller), or of the listed sizes. Returns views.
 */
export function split(x: Tensor, splitSizeOrSections: number | readonly number[], dim?: number | DimOptions): Tensor[] {
  if (x.ndim === 0) throw new RuntimeError('split expects at least a 1-dimensional tensor');
  const d = normalizeDim(dimArg('split', dim, 0), x.ndim);
  const size = x.shape[d]!;
  if (typeof splitSizeOrSections !== 'number') {
    if (!Array.isArray(splitSizeOrSections)) throw new TypeError(`split(): argument 'split_size' must be int or tuple of ints, not ${pyTypeName(splitSizeOrSections)}`);
    const sizes = [...checkIntList(splitSizeOrSections, 'split_sizes', 'split_with_sizes')];
    if (sizes.some((s) => s < 0)) {
      throw new RuntimeError(`split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=${shapeStr(sizes)}`);
    }
    if (sizes.reduce((a, b) => a + b, 0) !== size) {
      throw new RuntimeError(`split_with_sizes expects split_sizes to sum exactly to ${size} (input tensor's size at dimension ${d}), but got split_sizes=${shapeStr(sizes)}`);
    }
    return splitViews(x, d, sizes, 'SplitWithSizesBackward0');
  }
  const s = checkInt(splitSizeOrSections, 'split_size', 'split');
  if (s < 0) throw new RuntimeError(`split expects split_size be non-negative, but got split_size=${s}`);
  if (s === 0 && size !== 0) throw new RuntimeError(`split_size can only be 0 if dimension size is 0, but got dimension size of ${size}`);
  const count = s === 0 ? 1 : Math.max(Math.ceil(size / s), 1);
  const sizes = Array.from({ length: count }, (_, i) => (i < count - 1 ? s : size - s * (count - 1)));
  return splitViews(x, d, sizes, 'SplitBackward0');
}

/** torch.chunk(x, chunks, dim=0): at most `chunks` pieces of ceil(size / chunks). Returns views. */
export function chunk(x: Tensor, chunks: number, dim?: number | DimOptions): Tensor[] {
  checkInt(chunks, 'chunks', 'chunk');
  if (x.ndim === 0) throw new RuntimeError('chunk expects at least a 1-dimensional tensor');
  if (chunks <= 0) throw new RuntimeError(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const d = normalizeDim(dimArg('chunk', dim, 0), x.ndim);
  const size = x.shape[d]!;
  const splitSize = Math.ceil(size / chunks);
  if (splitSize === 0 && size === 0) return split(x, Array.from({ length: chunks }, () => 0), d);
  return split(x, splitSize, d);
}

/** torch.unbind(x, dim=0): the slices along `dim`, as views (one node, UnbindBackward0). */
export function unbind(x: Tensor, dim?: number | DimOptions): Tensor[] {
  if (x.ndim === 0) throw new RuntimeError('Dimension specified as 0 but tensor has no dimensions');
  const d = normalizeDim(dimArg('unbind', dim, 0), x.ndim);
  const shape = x.shape.filter((_, k) => k !== d), strides = x.strides.filter((_, k) => k !== d);
  const outs = Array.from({ length: x.shape[d]! }, (_, i) => makeView(x, shape, strides, x.offset + i * x.strides[d]!));
  record(outs, 'UnbindBackward0', [x], [], (grads) => [
    stack(outs.map((_, i) => grads[i] ?? zeros(shape, { dtype: x.dtype, device: x.device })), d),
  ]);
  return outs;
}

// ------------------------------------------------------------------ repeat

/** Tensor.repeat(*sizes): tiles the tensor; `x.repeat(2, 1)` or `x.repeat([2, 1])`. */
export function repeat(x: Tensor, ...sizes: (number | readonly number[])[]): Tensor {
  const reps = shapeArgs(sizes, 'repeats', 'repeat');
  if (reps.length < x.ndim) {
    throw new RuntimeError('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  }
  const lead = reps.length - x.ndim;
  const inShape = [...Array<number>(lead).fill(1), ...x.shape];
  const inStrides = [...Array<number>(lead).fill(0), ...x.strides];
  const outShape = reps.map((r, i) => r * inShape[i]!);
  if (reps.some((r) => r < 0)) throw new RuntimeError(`Trying to create tensor with negative dimension ${outShape.find((s) => s < 0)}: ${shapeStr(outShape)}`);
  // The result viewed as [r0, s0, r1, s1, ...] is x broadcast along the r dims.
  const tiled = reps.flatMap((r, i) => [r, inShape[i]!]);
  const out = Tensor.empty(outShape, x.dtype, x.backend);
  if (numel(outShape) > 0) {
    const src: View = { storage: x.storage, shape: tiled, strides: reps.flatMap((_, i) => [0, inStrides[i]!]), offset: x.offset };
    x.backend.copy('plain', { storage: out.storage, shape: tiled, strides: contiguousStrides(tiled), offset: 0 }, src);
  }
  const xShape = x.shape;
  record(out, 'RepeatBackward0', [x], [], ([g]) => {
    if (reps.length === 0) return [g!];
    const summed = g!.reshape(tiled).sum(reps.map((_, i) => 2 * i));
    return [summed.reshape(xShape)];
  });
  return out;
}

// ------------------------------------------------------------------ flip, roll

function dimList(x: Tensor, dims: readonly number[]): number[] {
  const seen = new Set<number>();
  for (const v of dims) {
    const d = normalizeDim(v, x.ndim);
    if (seen.has(d)) throw new RuntimeError(`dim ${d} appears multiple times in the list of dims`);
    seen.add(d);
  }
  return [...seen];
}

/**
 * torch.flip(x, dims): reverses the order along the given dims (a copy, as in PyTorch).
 * `flip(x, [0, 2])`, `x.flip(0, 2)` or `flip(x, { dims: [0, 2] })`.
 */
export function flip(x: Tensor, ...dims: (number | readonly number[] | { dims: number | readonly number[] })[]): Tensor {
  const last = dims[dims.length - 1];
  const given = last !== undefined && typeof last === 'object' && !Array.isArray(last)
    ? [checkOptions('flip', last as { dims: number | readonly number[] }, ['dims']).dims]
    : (dims as (number | readonly number[])[]);
  const list = x.ndim === 0 ? [] : dimList(x, shapeArgs(given, 'dims', 'flip'));
  const strides = [...x.strides];
  let offset = x.offset;
  for (const d of list) {
    // A negative-stride view read back to front; it only ever reaches the copy kernel.
    if (x.shape[d]! > 0) offset += (x.shape[d]! - 1) * x.strides[d]!;
    strides[d] = -x.strides[d]!;
  }
  const out = Tensor.empty(x.shape, x.dtype, x.backend);
  if (x.numel() > 0) x.backend.copy('plain', out, { storage: x.storage, shape: x.shape, strides, offset });
  record(out, 'FlipBackward0', [x], [], ([g]) => [g!.flip(list)]);
  return out;
}

/** Options of roll. */
export interface RollOptions {
  shifts?: number | readonly number[];
  dims?: number | readonly number[] | null;
}

/** One roll along `d` into a new tensor: out[(i + shift) mod n] = x[i]. */
function rollOnce(x: Tensor, d: number, shift: number): Tensor {
  const n = x.shape[d]!;
  const out = Tensor.empty(x.shape, x.dtype, x.backend);
  if (x.numel() === 0) return out;
  const s = ((shift % n) + n) % n;
  x.backend.copy('plain', narrowed(out, d, s, n - s), narrowed(x, d, 0, n - s));
  if (s > 0) x.backend.copy('plain', narrowed(out, d, 0, s), narrowed(x, d, n - s, s));
  return out;
}

/**
 * torch.roll(x, shifts, dims=None): rotates elements along dims; without dims the tensor is
 * flattened, rolled and reshaped back. `roll(x, 1, 0)`, `roll(x, [1, 2], [0, 2])`, `roll(x, 2)`.
 */
export function roll(x: Tensor, shifts: number | readonly number[] | RollOptions, dims?: number | readonly number[] | null | RollOptions): Tensor {
  if (shifts !== null && typeof shifts === 'object' && !Array.isArray(shifts)) {
    const o = checkOptions('roll', shifts as RollOptions, ['shifts', 'dims']);
    return roll(x, o.shifts ?? [], o.dims ?? null);
  }
  if (dims !== null && typeof dims === 'object' && !Array.isArray(dims)) dims = checkOptions('roll', dims as RollOptions, ['dims']).dims ?? null;
  const sh = checkIntList(Array.isArray(shifts) ? shifts : [checkInt(shifts, 'shifts', 'roll')], 'shifts', 'roll');
  const ds = dims === null || dims === undefined ? [] : checkIntList(Array.isArray(dims) ? dims : [checkInt(dims, 'dims', 'roll')], 'dims', 'roll');
  if (ds.length === 0 && sh.length !== 1) throw new RuntimeError(`shifts and dimensions must align. shifts: ${sh.length}, dims:${ds.length}`);
  if (ds.length > 0 && sh.length !== ds.length) throw new RuntimeError(`shifts and dimensions must align. shifts: ${sh.length}, dims:${ds.length}`);
  const out = noGrad(() => {
    if (ds.length === 0) return rollOnce(x.reshape(-1), 0, sh[0]!).view(x.shape);
    let r = x;
    ds.forEach((v, i) => { r = rollOnce(r, normalizeDim(v, x.ndim), sh[i]!); });
    return r;
  });
  const back = sh.map((s) => -s);
  record(out, 'RollBackward0', [x], [], ([g]) => [ds.length === 0 ? g!.roll(back) : g!.roll(back, ds)]);
  return out;
}

// ------------------------------------------------------------------ tril, triu

/** The `diagonal` keyword of tril / triu. */
export interface DiagonalOptions {
  diagonal?: number;
}

function triangle(x: Tensor, diagonal: number | DiagonalOptions | undefined, lower: boolean): Tensor {
  const name = lower ? 'tril' : 'triu';
  if (x.ndim < 2) throw new RuntimeError(`${name}: input tensor must have at least 2 dimensions`);
  const k = diagonal === undefined || typeof diagonal === 'number' ? checkInt(diagonal ?? 0, 'diagonal', name)
    : typeof diagonal === 'object' && diagonal !== null ? checkInt(checkOptions(name, diagonal, ['diagonal']).diagonal ?? 0, 'diagonal', name)
      : checkInt(diagonal, 'diagonal', name);
  const rows = x.shape[x.ndim - 2]!, cols = x.shape[x.ndim - 1]!;
  // Keep element (i, j) when j - i <= k (tril) or j - i >= k (triu).
  const keep = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) keep[i * cols + j] = (lower ? j - i <= k : j - i >= k) ? 1 : 0;
  const mask: View = { storage: x.backend.fromArray('bool', keep), shape: [rows, cols], strides: [cols, 1], offset: 0 };
  const out = Tensor.empty(x.shape, x.dtype, x.backend);
  x.backend.where(out, broadcastView(mask, x.shape), x, broadcastView(scalarTensor(0, x.dtype, x.backend), x.shape));
  record(out, lower ? 'TrilBackward0' : 'TriuBackward0', [x], [], ([g]) => [lower ? g!.tril(k) : g!.triu(k)]);
  return out;
}

/** torch.tril(x, diagonal=0): zeros above the `diagonal`-th diagonal of the last two dims. */
export function tril(x: Tensor, diagonal?: number | DiagonalOptions): Tensor {
  return triangle(x, diagonal, true);
}

/** torch.triu(x, diagonal=0): zeros below the `diagonal`-th diagonal of the last two dims. */
export function triu(x: Tensor, diagonal?: number | DiagonalOptions): Tensor {
  return triangle(x, diagonal, false);
}
