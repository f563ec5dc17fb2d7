/** Shape, stride and dimension helpers shared by every layer. */
import { checkInt, checkIntList } from './args.js';
import { IndexError, RuntimeError, TypeError } from './errors.js';

export type Shape = readonly number[];

export function numel(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/** Row-major strides of a contiguous tensor of `shape`. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function isContiguousLayout(shape: Shape, strides: Shape): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const size = shape[i]!;
    if (size === 1) continue;
    if (strides[i] !== expected) return false;
    expected *= size;
  }
  return true;
}

/**
 * Wraps a possibly negative dim into [0, ndim); PyTorch's TypeError for a dim that is not an
 * integer, its IndexError for one out of range. Every op taking a dim goes through here.
 */
export function normalizeDim(dim: number, ndim: number, name = 'dim', fn?: string): number {
  checkInt(dim, name, fn);
  const n = Math.max(ndim, 1);
  if (dim < -n || dim >= n) {
    throw new IndexError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + n : dim;
}

/** torch.broadcast_shapes, with PyTorch's error text. */
export function broadcastShapes(a: Shape, b: Shape): readonly number[] {
  if (a === b || sameShape(a, b)) return a; // shapes are never mutated, so sharing is safe
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RuntimeError(
        `The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** "[2, 3]", as PyTorch prints shapes inside messages. */
export function shapeStr(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Accepts `f(2, 3)`, `f([2, 3])` and `f()`; returns a fresh array of integers (PyTorch's
 * TypeError naming `name` for anything else).
 */
export function shapeArgs(args: readonly unknown[], name = 'size', fn?: string): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return [...checkIntList(args[0], name, fn)];
  for (const a of args) if (Array.isArray(a)) throw new TypeError(`${fn ? `${fn}(): ` : ''}argument '${name}' must be tuple of ints, but found element of type list`);
  return [...checkIntList(args, name, fn)];
}

/** Resolves one -1 in a requested shape against `n` elements (view / reshape). */
export function inferShape(shape: Shape, n: number): number[] {
  checkIntList(shape, 'size');
  let infer = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i]!;
    if (s === -1) {
      if (infer >= 0) throw new RuntimeError('only one dimension can be inferred');
      infer = i;
    } else if (s < 0) {
      throw new RuntimeError(`invalid shape dimension ${s}`);
    } else known *= s;
  }
  const out = [...shape];
  if (infer >= 0) {
    if (known === 0 || n % known !== 0) throw new RuntimeError(`shape '${shapeStr(shape)}' is invalid for input of size ${n}`);
    out[infer] = n / known;
  } else if (known !== n) {
    throw new RuntimeError(`shape '${shapeStr(shape)}' is invalid for input of size ${n}`);
  }
  return out;
}

/**
 * Strides for viewing (shape, strides) as `newShape` without copying, or null when the
 * memory layout does not allow it (PyTorch's computeStride).
 */
export function viewStrides(shape: Shape, strides: Shape, newShape: Shape): number[] | null {
  const n = numel(shape);
  const out = new Array<number>(newShape.length);
  if (n === 0) return contiguousStrides(newShape);
  // A 0-d tensor's one element can take any shape of ones (PyTorch: all strides 1).
  if (shape.length === 0) return newShape.map(() => 1);
  let viewD = newShape.length - 1;
  let chunkBase = strides[strides.length - 1] ?? 1;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    tensorNumel *= shape[d]!;
    if (d === 0 || (shape[d - 1] !== 1 && strides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD]!;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = strides[d - 1]!;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return null;
  return out;
}
