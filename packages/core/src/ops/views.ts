/**
 * View ops: results share storage with their input, as in PyTorch. Backward of a view is the
 * inverse view, or (select / slice) writing the gradient into zeros of the input's shape.
 */
import { checkInt, pyTypeName } from '../args.js';
import { IndexError, RuntimeError, TypeError, ValueError } from '../errors.js';
import { contiguousStrides, inferShape, normalizeDim, sameShape, shapeArgs, shapeStr, viewStrides } from '../shape.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { Tensor } from '../tensor.js';
import { castValues, copyMode, record, sumToShape } from './support.js';
import { advancedIndex } from './indexing.js';

/** A view of `t` with new geometry (not recorded). */
export function makeView(t: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  const v = new Tensor(t.storage, t.dtype, shape, strides, offset, t.backend);
  v._base = t._base ?? t;
  v._noGradView = t._noGradView || !isGradEnabled();
  v._viewVersion = t.storage.version; // a fresh view is current: only later writes make it stale
  return v;
}

/** @internal Zeros of `shape` with `g` written where `viewOf` of them would read: the backward of select/slice. */
export function intoZeros(g: Tensor, shape: readonly number[], name: string, viewOf: (t: Tensor) => Tensor): Tensor {
  const out = Tensor.empty(shape, g.dtype, g.backend);
  g.backend.fill(out, 0);
  g.backend.copy(copyMode(g.dtype, g.dtype), viewOf(out), g);
  record(out, name, [g], [], ([gg]) => [viewOf(gg!)]);
  return out;
}

/** @internal Where a view sits in its contiguous base, as recorded ops on tensors of the base's shape. */
export interface ViewGeometry {
  /** The view's elements of `z` (a tensor of the base's shape). */
  of(z: Tensor): Tensor;
  /** `g` (of the view's shape) written into zeros of the base's shape. */
  scatter(g: Tensor): Tensor;
  /** A constant of the base's shape: 1 outside the view, 0 inside. */
  outsideMask(like: Tensor): Tensor;
}

/** @internal The geometry of a view (shape, strides, offset `rel` into its contiguous base). */
export function viewGeometry(baseShape: readonly number[], shape: readonly number[], strides: readonly number[], rel: number): ViewGeometry {
  const standard = contiguousStrides(baseShape);
  const of = (z: Tensor): Tensor => {
    const c = sameShape(z.strides, standard) ? z : z.clone();
    const out = makeView(c, shape, strides, c.offset + rel);
    record(out, 'AsStridedBackward0', [c], [], ([g]) => [scatter(g!)]);
    return out;
  };
  const scatter = (g: Tensor): Tensor => intoZeros(g, baseShape, 'AsStridedScatterBackward0', of);
  const outsideMask = (like: Tensor): Tensor => {
    const m = Tensor.empty(baseShape, like.dtype, like.backend);
    like.backend.fill(m, 1);
    like.backend.fill(makeView(m, shape, strides, rel), 0);
    return m;
  };
  return { of, scatter, outsideMask };
}

type ShapeArg = number | readonly number[];


/** Tensor.view: same data, new shape; fails when the strides do not allow it. */
export function view(x: Tensor, ...shape: ShapeArg[]): Tensor {
  const s = inferShape(shapeArgs(shape, 'size', 'view'), x.numel());
  const st = viewStrides(x.shape, x.strides, s);
  if (st === null) {
    throw new RuntimeError("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
  }
  return reshapedView(x, s, st, 'ViewBackward0');
}

/** A view of x with shape s and strides st, recorded under `name`; its backward reshapes back. */
/**
 * @internal A view of a tensor whose layout allows it, recorded under PyTorch's node name for the
 * op that made it (matmul's `_unsafe_view`, `squeeze_`).
 */
export function namedView(x: Tensor, shape: readonly number[], name: string): Tensor {
  return reshapedView(x, shape, viewStrides(x.shape, x.strides, shape)!, name);
}

function reshapedView(x: Tensor, s: readonly number[], st: readonly number[], name: string): Tensor {
  const out = makeView(x, s, st, x.offset);
  const inShape = x.shape;
  record(out, name, [x], [], ([g]) => [g!.reshape(inShape)]);
  return out;
}

/**
 * Tensor.reshape: a view when possible (PyTorch 1.13 records ReshapeAliasBackward0), else a
 * contiguous copy viewed to the shape (CloneBackward0 then UnsafeViewBackward0).
 */
export function reshape(x: Tensor, ...shape: ShapeArg[]): Tensor {
  const s = inferShape(shapeArgs(shape, 'shape', 'reshape'), x.numel());
  const st = viewStrides(x.shape, x.strides, s);
  if (st !== null) return reshapedView(x, s, st, 'ReshapeAliasBackward0');
  const c = x.contiguous();
  return reshapedView(c, s, viewStrides(c.shape, c.strides, s)!, 'UnsafeViewBackward0');
}

/** torch.flatten(x, start_dim=0, end_dim=-1): merges dims start..end into one (a view when the layout allows, like reshape). */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeDim(startDim, x.ndim, 'start_dim', 'flatten'), e = normalizeDim(endDim, x.ndim, 'end_dim', 'flatten');
  if (s > e) throw new RuntimeError('flatten() has invalid args: start_dim cannot come after end_dim');
  if (s === e) return x;
  const shape = [...x.shape.slice(0, s), x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

/** torch.permute(x, dims): the dims reordered, as a view: `x.permute(2, 0, 1)` or `x.permute([2, 0, 1])`. */
export function permute(x: Tensor, ...dims: ShapeArg[]): Tensor {
  const d = shapeArgs(dims, 'dims', 'permute').map((v) => normalizeDim(v, x.ndim));
  if (d.length !== x.ndim) {
    throw new RuntimeError(`permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${x.ndim} is not equal to len(dims) = ${d.length}`);
  }
  if (new Set(d).size !== d.length) throw new RuntimeError('permute(): duplicate dims are not allowed.');
  const out = makeView(x, d.map((i) => x.shape[i]!), d.map((i) => x.strides[i]!), x.offset);
  const inverse = new Array<number>(d.length);
  d.forEach((v, i) => (inverse[v] = i));
  record(out, 'PermuteBackward0', [x], [], ([g]) => [g!.permute(inverse)]);
  return out;
}

function swapped(x: Tensor, a: number, b: number): Tensor {
  const shape = [...x.shape], strides = [...x.strides];
  [shape[a], shape[b]] = [shape[b]!, shape[a]!];
  [strides[a], strides[b]] = [strides[b]!, strides[a]!];
  return makeView(x, shape, strides, x.offset);
}

/** torch.transpose(x, dim0, dim1): two dims swapped, as a view. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const a = normalizeDim(dim0, x.ndim, 'dim0', 'transpose'), b = normalizeDim(dim1, x.ndim, 'dim1', 'transpose');
  const out = swapped(x, a, b);
  record(out, 'TransposeBackward0', [x], [], ([g]) => [g!.transpose(a, b)]);
  return out;
}

/** Tensor.t: transpose of a matrix (vectors and scalars come back as they are). */
export function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw new RuntimeError(`t() expects a tensor with <= 2 dimensions, but self is ${x.ndim}D`);
  const out = x.ndim < 2 ? makeView(x, x.shape, x.strides, x.offset) : swapped(x, 0, 1);
  record(out, 'TBackward0', [x], [], ([g]) => [g!.t()]);
  return out;
}

/** Tensor.expand: broadcast size-1 dims (and new leading dims) without copying; -1 keeps a size. */
export function expand(x: Tensor, ...shape: ShapeArg[]): Tensor {
  const target = shapeArgs(shape, 'size', 'expand');
  if (target.length < x.ndim) {
    throw new RuntimeError(`expand(torch.FloatTensor{${shapeStr(x.shape)}}, size=${shapeStr(target)}): the number of sizes provided (${target.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`);
  }
  const lead = target.length - x.ndim;
  const outShape: number[] = [], outStrides: number[] = [];
  for (let i = 0; i < target.length; i++) {
    const j = i - lead, want = target[i]!;
    if (j < 0) {
      if (want < 0) throw new RuntimeError(`The expanded size of the tensor (${want}) isn't allowed in a leading, non-existing dimension ${i}`);
      outShape.push(want); outStrides.push(0);
      continue;
    }
    const have = x.shape[j]!;
    if (want === -1 || want === have) { outShape.push(have); outStrides.push(x.strides[j]!); continue; }
    if (have !== 1) {
      throw new RuntimeError(`The expanded size of the tensor (${want}) must match the existing size (${have}) at non-singleton dimension ${i}.  Target sizes: ${shapeStr(target)}.  Tensor sizes: ${shapeStr(x.shape)}`);
    }
    outShape.push(want); outStrides.push(0);
  }
  const out = makeView(x, outShape, outStrides, x.offset);
  const inShape = x.shape;
  record(out, 'ExpandBackward0', [x], [], ([g]) => [sumToShape(g!, inShape)]);
  return out;
}

/** Tensor.expand_as(other): expand to other's shape, as a view. */
export function expandAs(x: Tensor, other: Tensor): Tensor {
  return expand(x, other.shape);
}

/** Tensor.squeeze: drops size-1 dims (all, or the given one). */
export function squeeze(x: Tensor, dim?: number): Tensor {
  let keep: number[];
  if (dim === undefined) keep = x.shape.map((_, i) => i).filter((i) => x.shape[i] !== 1);
  else {
    const d = normalizeDim(dim, x.ndim, 'dim', 'squeeze');
    keep = x.shape.map((_, i) => i).filter((i) => i !== d || x.shape[i] !== 1);
  }
  const out = makeView(x, keep.map((i) => x.shape[i]!), keep.map((i) => x.strides[i]!), x.offset);
  const inShape = x.shape;
  record(out, dim === undefined ? 'SqueezeBackward0' : 'SqueezeBackward1', [x], [], ([g]) => [g!.reshape(inShape)]);
  return out;
}

/** torch.unsqueeze(x, dim): a size-1 dim inserted at `dim`, as a view. */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim + 1, 'dim', 'unsqueeze');
  const shape = [...x.shape], strides = [...x.strides];
  const stride = d < x.ndim ? x.shape[d]! * x.strides[d]! : 1;
  shape.splice(d, 0, 1);
  strides.splice(d, 0, stride);
  const out = makeView(x, shape, strides, x.offset);
  record(out, 'UnsqueezeBackward0', [x], [], ([g]) => [g!.squeeze(d)]);
  return out;
}

/** A strided slice start:stop:step along one dim (bounds already clamped). */
function sliceView(x: Tensor, d: number, start: number, stop: number, step: number): Tensor {
  const shape = [...x.shape], strides = [...x.strides];
  shape[d] = Math.max(0, Math.ceil((stop - start) / step));
  strides[d] = x.strides[d]! * step;
  return makeView(x, shape, strides, x.offset + start * x.strides[d]!);
}

/** @internal Python slice semantics: clamps start/stop into [0, size] (stop >= start). */
export function clampSlice(size: number, start: number | null, stop: number | null, step: number): [number, number] {
  if (step === 0) throw new ValueError('slice step cannot be zero');
  if (step < 0) throw new ValueError('step must be greater than zero');
  let s = start ?? 0, e = stop ?? size;
  if (s < 0) s += size;
  if (e < 0) e += size;
  s = Math.min(Math.max(s, 0), size);
  e = Math.min(Math.max(e, s), size);
  return [s, e];
}

/** x[..., start:stop:step, ...] along `dim`, recorded as SliceBackward0. */
export function slice(x: Tensor, dim: number, start: number | null = null, stop: number | null = null, step = 1): Tensor {
  const d = normalizeDim(dim, x.ndim);
  const [s, e] = clampSlice(x.shape[d]!, start, stop, step);
  const out = sliceView(x, d, s, e, step);
  const inShape = x.shape;
  record(out, 'SliceBackward0', [x], [], ([g]) => [intoZeros(g!, inShape, 'SliceBackwardBackward0', (z) => sliceView(z, d, s, e, step))]);
  return out;
}

/** torch.narrow(x, dim, start, length): `length` elements of `dim` from `start`, as a view. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  checkInt(start, 'start', 'narrow');
  checkInt(length, 'length', 'narrow');
  const d = normalizeDim(dim, x.ndim, 'dim', 'narrow'), size = x.shape[d]!;
  if (start < -size || start > size) {
    throw new IndexError(`start out of range (expected to be in range of [${-size}, ${size}], but got ${start})`);
  }
  const s = start < 0 ? start + size : start;
  if (length < 0 || s + length > size) throw new RuntimeError(`start (${s}) + length (${length}) exceeds dimension size (${size}).`);
  return slice(x, d, s, s + length, 1);
}

function selectView(x: Tensor, d: number, i: number): Tensor {
  const shape = [...x.shape], strides = [...x.strides];
  shape.splice(d, 1);
  strides.splice(d, 1);
  return makeView(x, shape, strides, x.offset + i * x.strides[d]!);
}

/** Tensor.select(dim, index): removes `dim`, picking one index. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  checkInt(index, 'index', 'select');
  if (x.ndim === 0) throw new IndexError('select() cannot be applied to a 0-dim tensor.');
  const d = normalizeDim(dim, x.ndim), size = x.shape[d]!;
  if (index < -size || index >= size) {
    throw new IndexError(`select(): index ${index} out of range for tensor of size ${shapeStr(x.shape)} at dimension ${d}`);
  }
  const i = index < 0 ? index + size : index;
  const out = selectView(x, d, i);
  const inShape = x.shape;
  record(out, 'SelectBackward0', [x], [], ([g]) => [intoZeros(g!, inShape, 'SelectBackwardBackward0', (z) => selectView(z, d, i))]);
  return out;
}

/**
 * One index item of `Tensor.index`: an integer picks (and removes) a dim, null inserts a new
 * axis, '...' stands for the remaining dims, ':' keeps a dim, and [start, stop, step] slices
 * (null for an omitted part), like Python's `x[0, 1:3, None, ::2]`. An int64 / int32 tensor
 * or a bool mask tensor (or a boolean) is an advanced index (see ops/indexing.ts): the result
 * is then a copy, as in PyTorch.
 */
export type IndexItem = number | null | '...' | ':' | readonly [number | null, (number | null)?, (number | null)?] | Tensor | boolean;

/** A slice item. */
type SliceItem = readonly [number | null, (number | null)?, (number | null)?];

const VALID_INDICES = 'only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices';

/**
 * @internal PyTorch's errors for an index item that is none of: an integer, null, '...', ':', a
 * slice `[start, stop?, step?]` of integers or nulls, a Tensor or a boolean.
 */
export function checkIndexItem(it: unknown): void {
  if (it === null || it === '...' || it === ':' || typeof it === 'boolean' || it instanceof Tensor) return;
  if (typeof it === 'number') {
    if (!Number.isInteger(it)) throw new IndexError(`${VALID_INDICES} (got ${pyTypeName(it)})`);
    return;
  }
  if (Array.isArray(it) && it.length >= 1 && it.length <= 3) {
    for (const v of it) {
      if (v !== null && v !== undefined && !Number.isInteger(v)) throw new TypeError('slice indices must be integers or None or have an __index__ method');
    }
    return;
  }
  throw new IndexError(`${VALID_INDICES} (got ${Array.isArray(it) ? `a list of length ${it.length}; a slice is [start, stop, step]` : pyTypeName(it)})`);
}

/** Parses Python index syntax: "0, 1:3, None, ::2, ...". */
export function parseIndex(text: string): IndexItem[] {
  return text.split(',').map((raw) => {
    const s = raw.trim();
    if (s === '...' || s === ':' ) return s;
    if (s === 'None') return null;
    if (s.includes(':')) {
      const parts = s.split(':').map((p) => (p.trim() === '' ? null : Number(p)));
      if (parts.length > 3 || parts.some((p) => p !== null && !Number.isInteger(p))) throw new IndexError(`invalid index: ${s}`);
      return [parts[0] ?? null, parts[1] ?? null, parts[2] ?? null] as const;
    }
    const n = Number(s);
    if (!Number.isInteger(n)) throw new IndexError(`invalid index: ${s}`);
    return n;
  });
}

/**
 * Basic indexing: `x.index(0, [1, 3], null, '...')` or `x.index('0, 1:3, None, ...')`.
 * The result is a view, with gradients, as in PyTorch.
 *
 * @remarks Differs from PyTorch: a method stands for `x[...]`, and an array item is a slice
 * `[start, stop, step]` (`[1, 3]` is `1:3`), not a list of indices; pass an int64 tensor
 * (`torch.tensor([1, 3], { dtype: 'int64' })`) for PyTorch's `x[[1, 3]]`.
 */
export function index(x: Tensor, ...items: (IndexItem | string)[]): Tensor {
  const list: IndexItem[] = items.length === 1 && typeof items[0] === 'string' && items[0] !== '...' && items[0] !== ':' ? parseIndex(items[0]) : (items as IndexItem[]);
  list.forEach(checkIndexItem);
  if (list.some((it) => it instanceof Tensor || typeof it === 'boolean')) return advancedIndex(x, list);
  const consumed = list.filter((it) => it !== null && it !== '...').length;
  if (consumed > x.ndim) throw new IndexError(`too many indices for tensor of dimension ${x.ndim}`);
  // d: the dim of `out` the next item applies to; src: the dim of x it came from (for messages).
  let out = x, d = 0, src = 0;
  for (const it of list) {
    if (it === null) { out = unsqueeze(out, d); d++; }
    else if (it === '...') { d += x.ndim - consumed; src += x.ndim - consumed; }
    else if (it === ':') { d++; src++; }
    else if (typeof it === 'number') {
      const size = out.shape[d]!;
      if (it < -size || it >= size) throw new IndexError(`index ${it} is out of bounds for dimension ${src} with size ${size}`);
      out = select(out, d, it);
      src++;
    } else {
      const sl = it as SliceItem;
      out = slice(out, d, sl[0] ?? null, sl[1] ?? null, sl[2] ?? 1);
      d++;
      src++;
    }
  }
  return out === x ? makeView(x, x.shape, x.strides, x.offset) : out;
}

/**
 * A contiguous copy (CloneBackward0), whatever the layout.
 *
 * @remarks Differs from PyTorch: the copy is always contiguous; PyTorch's default
 * `memory_format=torch.preserve_format` keeps the strides of a dense, non-overlapping input.
 */
export function clone(x: Tensor): Tensor {
  const out = Tensor.empty(x.shape, x.dtype, x.backend);
  x.backend.copy('plain', out, x);
  record(out, 'CloneBackward0', [x], [], ([g]) => [g]);
  return out;
}

/** The tensor itself if contiguous, else a contiguous copy. */
export function contiguous(x: Tensor): Tensor {
  return x.isContiguous() ? x : clone(x);
}

/** The same values as another dtype (ToCopyBackward0 casts the gradient back). */
export function toDtype(x: Tensor, dtype: Tensor['dtype']): Tensor {
  if (x.dtype === dtype) return x;
  const out = castValues(x, dtype);
  record(out, 'ToCopyBackward0', [x], [], ([g]) => [g!.to(x.dtype)]);
  return out;
}


let warnedNumpyT = false;

/** Tensor.T: the dims reversed (a transpose for matrices); PyTorch's one-time deprecation warning for other ranks than 0 and 2. */
export function numpyT(x: Tensor): Tensor {
  if (x.ndim !== 2 && x.ndim !== 0 && !warnedNumpyT) {
    warnedNumpyT = true;
    (globalThis as { console?: { warn(message: string): void } }).console?.warn(
      'UserWarning: The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated and it will throw an error in a future release. Consider `x.mT` to transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.',
    );
  }
  return permute(x, x.shape.map((_, i) => x.ndim - 1 - i));
}

/** Tensor.mT / mH (the same for real dtypes): the last two dims swapped, for matrices and batches of them. */
export function matrixT(x: Tensor, name: 'mT' | 'mH'): Tensor {
  if (x.ndim < 2) throw new RuntimeError(`tensor.${name} is only supported on matrices or batches of matrices. Got ${x.ndim}-D tensor.`);
  return transpose(x, -2, -1);
}

/** Tensor.H: the conjugate transpose of a matrix (the transpose, for real dtypes; 0-d tensors come back as they are). */
export function conjT(x: Tensor): Tensor {
  if (x.ndim === 0) return numpyT(x);
  if (x.ndim !== 2) {
    throw new RuntimeError(`tensor.H is only supported on matrices (2-D tensors). Got ${x.ndim}-D tensor.${x.ndim > 2 ? ' For batches of matrices, consider using tensor.mH' : ''}`);
  }
  return transpose(x, 0, 1);
}
