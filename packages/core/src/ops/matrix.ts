/**
 * Matrix and tensor-algebra ops: diagonal (a view), diag, diagEmbed, trace, cross, kron, rot90,
 * einsum and cdist. Each is composed from existing ops and kernels, and records PyTorch's node
 * (DiagonalBackward0, TraceBackward0, ...) with a backward written with ops, so every gradient
 * is itself differentiable.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { isFloating, promoteTypes, scalarTypeName } from '../dtype.js';
import { RuntimeError, ValueError } from '../errors.js';
import { bindArgs } from '../nn/args.js';
import { broadcastShapes, normalizeDim, numel, viewStrides } from '../shape.js';
import { Tensor } from '../tensor.js';
import { where } from './pointwise.js';
import { cat, stack } from './shape.js';
import { emptyOf, gradFor, record } from './support.js';
import { intoZeros, makeView, namedView } from './views.js';

// ------------------------------------------------------------------ diagonals

/** The length of the `offset`-th diagonal of an n1 x n2 plane. */
function diagonalLength(n1: number, n2: number, offset: number): number {
  return Math.max(0, offset >= 0 ? Math.min(n1, n2 - offset) : Math.min(n1 + offset, n2));
}

/** The diagonal of dims d1, d2 (normalized, distinct) as an unrecorded view, moved to the last dim. */
function diagonalView(x: Tensor, offset: number, d1: number, d2: number): Tensor {
  const len = diagonalLength(x.shape[d1]!, x.shape[d2]!, offset);
  const shape: number[] = [], strides: number[] = [];
  for (let d = 0; d < x.ndim; d++) {
    if (d === d1 || d === d2) continue;
    shape.push(x.shape[d]!);
    strides.push(x.strides[d]!);
  }
  shape.push(len);
  strides.push(x.strides[d1]! + x.strides[d2]!);
  const shift = len === 0 ? 0 : offset >= 0 ? offset * x.strides[d2]! : -offset * x.strides[d1]!;
  return makeView(x, shape, strides, x.offset + shift);
}

function diagonalDims(ndim: number, dim1: number, dim2: number): [number, number] {
  const d1 = normalizeDim(dim1, ndim), d2 = normalizeDim(dim2, ndim);
  if (d1 === d2) throw new RuntimeError(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  return [d1, d2];
}

/** Keywords of diagonal and diagEmbed. */
export interface DiagonalDimsOptions {
  offset?: number;
  dim1?: number;
  dim2?: number;
}

/**
 * torch.diagonal(input, offset=0, dim1=0, dim2=1): the `offset`-th diagonal of the planes
 * (dim1, dim2), as a view whose last dim runs along the diagonal (as in PyTorch).
 */
export function diagonal(x: Tensor, ...args: (number | DiagonalDimsOptions)[]): Tensor {
  const a = bindArgs<Required<DiagonalDimsOptions>>('diagonal', args, ['offset', 'dim1', 'dim2'], { offset: 0, dim1: 0, dim2: 1 });
  const [d1, d2] = diagonalDims(x.ndim, a.dim1, a.dim2);
  const out = diagonalView(x, a.offset, d1, d2);
  const inShape = x.shape;
  record(out, 'DiagonalBackward0', [x], [], ([g]) => [intoZeros(g!, inShape, 'DiagonalBackwardBackward0', (z) => diagonalView(z, a.offset, d1, d2))]);
  return out;
}

/**
 * torch.diag_embed(input, offset=0, dim1=-2, dim2=-1): a tensor with one more dim whose planes
 * (dim1, dim2) hold input's last dim on their `offset`-th diagonal, zeros elsewhere.
 */
export function diagEmbed(x: Tensor, ...args: (number | DiagonalDimsOptions)[]): Tensor {
  const a = bindArgs<Required<DiagonalDimsOptions>>('diag_embed', args, ['offset', 'dim1', 'dim2'], { offset: 0, dim1: -2, dim2: -1 });
  const [d1, d2] = diagonalDims(x.ndim + 1, a.dim1, a.dim2);
  const n = (x.shape[x.ndim - 1] ?? 1) + Math.abs(a.offset);
  const shape = [...x.shape.slice(0, -1)];
  for (const d of [Math.min(d1, d2), Math.max(d1, d2)]) shape.splice(d, 0, n);
  const out = intoZerosRaw(x, shape, (z) => diagonalView(z, a.offset, d1, d2));
  record(out, 'DiagEmbedBackward0', [x], [], ([g]) => [diagonal(g!, a.offset, d1, d2)]);
  return out;
}

/** Zeros of `shape` with x written into `viewOf` of them (not recorded). */
function intoZerosRaw(x: Tensor, shape: readonly number[], viewOf: (t: Tensor) => Tensor): Tensor {
  const out = emptyOf(shape, x.dtype, x.backend);
  x.backend.fill(out, 0);
  if (x.numel() > 0) x.backend.copy('plain', viewOf(out), x);
  return out;
}

/**
 * torch.diag(input, diagonal=0): a 1-d input becomes the `diagonal`-th diagonal of a square
 * matrix; a 2-d input gives its `diagonal`-th diagonal as a new 1-d tensor.
 */
export function diag(x: Tensor, diagonal_: number | { diagonal?: number } = 0): Tensor {
  const k = typeof diagonal_ === 'number' ? diagonal_ : diagonal_.diagonal ?? 0;
  if (x.ndim === 1) {
    const n = x.shape[0]! + Math.abs(k);
    const out = intoZerosRaw(x, [n, n], (z) => diagonalView(z, k, 0, 1));
    record(out, 'DiagBackward0', [x], [], ([g]) => [diagonal(g!, k)]);
    return out;
  }
  if (x.ndim !== 2) throw new RuntimeError('matrix or a vector expected');
  const out = noGrad(() => diagonalView(x, k, 0, 1).clone());
  const inShape = x.shape;
  record(out, 'DiagBackward0', [x], [], ([g]) => [intoZeros(g!, inShape, 'DiagBackwardBackward0', (z) => diagonalView(z, k, 0, 1))]);
  return out;
}

/** torch.trace(input): the sum of a matrix's main diagonal (int64 for integer inputs). */
export function trace(x: Tensor): Tensor {
  if (x.ndim !== 2) throw new RuntimeError(`trace: expected a matrix, but got tensor with dim ${x.ndim}`);
  const out = noGrad(() => diagonalView(x, 0, 0, 1).sum());
  const inShape = x.shape, len = diagonalLength(x.shape[0]!, x.shape[1]!, 0);
  record(out, 'TraceBackward0', [x], [], ([g]) => [intoZeros(g!.expand([len]), inShape, 'TraceBackwardBackward0', (z) => diagonalView(z, 0, 0, 1))]);
  return out;
}

// ------------------------------------------------------------------ cross, kron, rot90

/** Keywords of cross. */
export interface CrossOptions {
  dim?: number | null;
}

/** a x b along d for same-shaped a and b, from ops (so it is recorded when called under grad). */
function crossAlong(a: Tensor, b: Tensor, d: number): Tensor {
  const [a0, a1, a2] = [0, 1, 2].map((i) => a.select(d, i)) as [Tensor, Tensor, Tensor];
  const [b0, b1, b2] = [0, 1, 2].map((i) => b.select(d, i)) as [Tensor, Tensor, Tensor];
  return stack([a1.mul(b2).sub(a2.mul(b1)), a2.mul(b0).sub(a0.mul(b2)), a0.mul(b1).sub(a1.mul(b0))], d);
}

/**
 * torch.cross(input, other, dim=None): the cross product of 3-vectors along `dim`, broadcasting
 * the other dims. Without `dim`, the first dim of size 3 (PyTorch's deprecated default).
 */
export function cross(a: Tensor, b: Tensor, dim: number | null | CrossOptions = null): Tensor {
  const given = dim !== null && typeof dim === 'object' ? dim.dim ?? null : dim;
  if (a.ndim !== b.ndim) throw new RuntimeError('linalg.cross: inputs must have the same number of dimensions.');
  let d: number;
  if (given === null) {
    d = a.shape.findIndex((s) => s === 3);
    if (d < 0) throw new RuntimeError('no dimension of size 3 in input');
  } else d = normalizeDim(given, a.ndim);
  if (a.shape[d] !== 3 || b.shape[d] !== 3) {
    throw new RuntimeError(`linalg.cross: inputs dimension ${d} must have length 3. Got ${a.shape[d]} and ${b.shape[d]}`);
  }
  const shape = broadcastShapes(a.shape, b.shape);
  const out = noGrad(() => crossAlong(a.expand(shape), b.expand(shape), d));
  record(out, 'LinalgCrossBackward0', [a, b], [a, b], ([g], [sa, sb], needs) => [
    needs[0] ? gradFor(cross(sb!.expand(shape), g!, d), a) : null,
    needs[1] ? gradFor(cross(g!, sa!.expand(shape), d), b) : null,
  ]);
  return out;
}

/**
 * torch.kron(input, other): the Kronecker product. The shorter shape is padded with leading
 * ones; the result has sizes input.size(i) * other.size(i).
 */
export function kron(a: Tensor, b: Tensor): Tensor {
  const nd = Math.max(a.ndim, b.ndim);
  const aSize = (i: number): number => a.shape[i - (nd - a.ndim)] ?? 1;
  const bSize = (i: number): number => b.shape[i - (nd - b.ndim)] ?? 1;
  const aShape: number[] = [], bShape: number[] = [], outShape: number[] = [];
  for (let i = 0; i < nd; i++) {
    aShape.push(aSize(i), 1);
    bShape.push(1, bSize(i));
    outShape.push(aSize(i) * bSize(i));
  }
  const prod = a.reshape(aShape).mul(b.reshape(bShape));
  return namedView(prod, outShape, 'UnsafeViewBackward0');
}

/** Keywords of rot90. */
export interface Rot90Options {
  k?: number;
  dims?: readonly number[];
}

/**
 * torch.rot90(input, k=1, dims=[0, 1]): rotates by 90 degrees k times in the plane of `dims`,
 * from the first dim toward the second.
 */
export function rot90(x: Tensor, ...args: (number | readonly number[] | Rot90Options)[]): Tensor {
  const a = bindArgs<Required<Rot90Options>>('rot90', args, ['k', 'dims'], { k: 1, dims: [0, 1] });
  const dims = a.dims;
  if (dims.length !== 2) throw new RuntimeError(`expected total rotation dims == 2, but got dims = ${dims.length}`);
  if (x.ndim < 2) throw new RuntimeError(`expected total dims >= 2, but got total dims = ${x.ndim}`);
  const [d0, d1] = dims as [number, number];
  if (d0 === d1 || Math.abs(d0 - d1) === x.ndim) {
    throw new RuntimeError(`expected rotation dims to be different, but got dim0 = ${d0} and dim1 = ${d1}`);
  }
  if (d0 < -x.ndim || d0 >= x.ndim) throw new RuntimeError(`Rotation dim0 out of range, dim0 = ${d0}`);
  if (d1 < -x.ndim || d1 >= x.ndim) throw new RuntimeError(`Rotation dim1 out of range, dim1 = ${d1}`);
  const k = ((a.k % 4) + 4) % 4;
  const out = noGrad(() => {
    if (k === 1) return x.flip(d1).transpose(d0, d1).contiguous();
    if (k === 2) return x.flip(d0, d1);
    if (k === 3) return x.flip(d0).transpose(d0, d1).contiguous();
    return x.clone();
  });
  record(out, 'Rot90Backward0', [x], [], ([g]) => [rot90(g!, -k, [d0, d1])]);
  return out;
}

// ------------------------------------------------------------------ einsum

/** Axis ids: a label's char code (< 128), or 128 + k for the k-th broadcast ('...') dim. */
const ELLIPSIS_BASE = 128;

interface EinsumTerm {
  /** Label char codes in order, with -1 where '...' stands. */
  labels: number[];
  hasEllipsis: boolean;
}

function isLabel(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/** Parses one subscript term (an operand's or the output's), reporting positions in `equation`. */
function parseTerm(equation: string, start: number, end: number, operand: number | null): EinsumTerm {
  const labels: number[] = [];
  let hasEllipsis = false;
  for (let i = start; i < end; i++) {
    const c = equation[i]!;
    if (c === ' ') continue;
    if (c === '.') {
      if (hasEllipsis) {
        throw new RuntimeError(operand === null ? "einsum(): found '.' for output but an ellipsis (...) was already found" : `einsum(): found '.' for operand ${operand} for which an ellipsis was already found`);
      }
      if (equation.slice(i, i + 3) !== '...') {
        throw new RuntimeError(operand === null ? "einsum(): found '.' for output that is not part of any ellipsis (...)" : `einsum(): found '.' for operand ${operand} that is not part of any ellipsis (...)`);
      }
      hasEllipsis = true;
      labels.push(-1);
      i += 2;
    } else if (isLabel(c)) labels.push(c.charCodeAt(0));
    else throw new RuntimeError(`einsum(): invalid subscript given at index ${i} in the equation string, subscripts must be in [a-zA-Z]`);
  }
  return { labels, hasEllipsis };
}

/** An operand's axis ids, its ellipsis expanded to its right-aligned share of the broadcast dims. */
function operandAxes(term: EinsumTerm, ndim: number, ellNdim: number): number[] {
  const own = ndim - (term.labels.length - (term.hasEllipsis ? 1 : 0));
  const axes: number[] = [];
  for (const l of term.labels) {
    if (l >= 0) axes.push(l);
    else for (let k = ellNdim - own; k < ellNdim; k++) axes.push(ELLIPSIS_BASE + k);
  }
  return axes;
}

/**
 * (left * right) summed over `sumDims`, keeping them as size 1, for operands of equal rank
 * whose sizes broadcast. Dims summed on both sides become one batched matmul (bmm), like
 * PyTorch's sumproduct_pair; with none it is a broadcast multiply.
 */
function sumProductPair(left: Tensor, right: Tensor, sumDims: readonly number[]): Tensor {
  const rank = left.ndim;
  const both: number[] = [], lo: number[] = [], ro: number[] = [], summed: number[] = [];
  for (let d = 0; d < rank; d++) {
    const l = left.shape[d]!, r = right.shape[d]!;
    if (sumDims.includes(d)) {
      if (l > 1 && r > 1) summed.push(d);
      else if (l > 1) left = left.sum(d, true);
      else if (r > 1) right = right.sum(d, true);
    } else if (l === r) both.push(d);
    else if (r === 1) lo.push(d);
    else ro.push(d);
  }
  if (summed.length === 0) return left.mul(right);
  const size = (t: Tensor, dims: readonly number[]): number => dims.reduce((p, d) => p * t.shape[d]!, 1);
  const keptOnes = sumDims.filter((d) => !summed.includes(d));
  const B = size(left, both), L = size(left, lo), K = size(left, summed), R = size(right, ro);
  // Each side's dims of size 1 (the other side's own dims, dims already summed) ride along at the end.
  const l3 = left.permute([...both, ...lo, ...summed, ...ro, ...keptOnes]).reshape(B, L, K);
  const r3 = right.permute([...both, ...summed, ...ro, ...lo, ...keptOnes]).reshape(B, K, R);
  const order = [...both, ...lo, ...ro, ...summed, ...keptOnes];
  const sizes = order.map((d) => (summed.includes(d) || keptOnes.includes(d) ? 1 : Math.max(left.shape[d]!, right.shape[d]!)));
  const inverse = new Array<number>(rank);
  order.forEach((d, i) => (inverse[d] = i));
  return l3.bmm(r3).reshape(sizes).permute(inverse);
}

/**
 * torch.einsum(equation, *operands): Einstein summation, PyTorch's equation syntax: letters
 * a-z / A-Z label dims, '...' the broadcast dims, an optional '->' output (without it: '...'
 * then the labels that appear once, alphabetically). Built from diagonal, permute, sum and
 * batched matmul, so it is differentiable and uses the matmul kernel for contractions.
 * `einsum('ij,jk->ik', a, b)` or `einsum('ij,jk->ik', [a, b])`.
 */
export function einsum(equation: string, ...operands: (Tensor | readonly Tensor[])[]): Tensor {
  const ops: Tensor[] = operands.length === 1 && Array.isArray(operands[0]) ? [...(operands[0] as readonly Tensor[])] : (operands as Tensor[]);
  if (ops.length === 0) throw new ValueError('einsum(): must specify the equation string and at least one operand, or at least one operand and its subscripts list');
  const arrow = equation.indexOf('->');
  const lhsEnd = arrow < 0 ? equation.length : arrow;
  const terms: EinsumTerm[] = [];
  let start = 0;
  for (let i = 0; i <= lhsEnd; i++) {
    if (i < lhsEnd && equation[i] !== ',') continue;
    if (terms.length === ops.length) throw new RuntimeError('einsum(): fewer operands were provided than specified in the equation');
    terms.push(parseTerm(equation, start, i, terms.length));
    start = i + 1;
  }
  if (terms.length < ops.length) throw new RuntimeError('einsum(): more operands were provided than specified in the equation');

  // Dims per operand, the broadcast ('...') rank, and each label's count.
  let ellNdim = 0;
  const counts = new Map<number, number>();
  terms.forEach((term, i) => {
    const n = term.labels.length - (term.hasEllipsis ? 1 : 0), nd = ops[i]!.ndim;
    if (!term.hasEllipsis && n !== nd) {
      throw new RuntimeError(`einsum(): the number of subscripts in the equation (${n}) does not match the number of dimensions (${nd}) for operand ${i} and no ellipsis was given`);
    }
    if (term.hasEllipsis && n > nd) {
      throw new RuntimeError(`einsum(): the number of subscripts in the equation (${n}) is more than the number of dimensions (${nd}) for operand ${i}`);
    }
    if (term.hasEllipsis) ellNdim = Math.max(ellNdim, nd - n);
    for (const l of term.labels) if (l >= 0) counts.set(l, (counts.get(l) ?? 0) + 1);
  });
  const ellAxes = Array.from({ length: ellNdim }, (_, k) => ELLIPSIS_BASE + k);

  // The output axes, then the contracted ones: the layout every operand is brought to.
  let outAxes: number[];
  if (arrow >= 0) {
    const out = parseTerm(equation, arrow + 2, equation.length, null);
    outAxes = [];
    for (const l of out.labels) {
      if (l < 0) { outAxes.push(...ellAxes); continue; }
      const name = String.fromCharCode(l);
      if (outAxes.includes(l)) throw new RuntimeError(`einsum(): output subscript ${name} appears more than once in the output`);
      if (!counts.has(l)) throw new RuntimeError(`einsum(): output subscript ${name} does not appear in the equation for any input operand`);
      outAxes.push(l);
    }
  } else {
    outAxes = [...ellAxes, ...[...counts.keys()].filter((l) => counts.get(l) === 1).sort((p, q) => p - q)];
  }
  const contracted = [...[...counts.keys()].sort((p, q) => p - q), ...ellAxes].filter((a) => !outAxes.includes(a));
  const layout = [...outAxes, ...contracted];

  // Each operand: repeated labels to diagonals, then permuted (and unsqueezed) to the layout.
  const sizes = new Map<number, number>();
  const dtype = ops.map((t) => t.dtype).reduce(promoteTypes);
  const lastUse = new Map<number, number>();
  const laid = ops.map((t0, i) => {
    let t = t0.dtype === dtype ? t0 : t0.to(dtype);
    const axes = operandAxes(terms[i]!, t.ndim, ellNdim);
    for (let p = 0; p < axes.length; p++) {
      const q = axes.indexOf(axes[p]!, p + 1);
      if (q < 0) continue;
      if (t.shape[p] !== t.shape[q]) {
        throw new RuntimeError(`einsum(): subscript ${String.fromCharCode(axes[p]!)} is repeated for operand ${i} but the sizes don't match, ${t.shape[q]} != ${t.shape[p]}`);
      }
      t = diagonal(t, 0, p, q);
      axes.push(axes[p]!);
      axes.splice(q, 1);
      axes.splice(p, 1);
      p--;
    }
    axes.forEach((a, d) => {
      const s = t.shape[d]!, seen = sizes.get(a);
      if (seen !== undefined && seen !== s && seen !== 1 && s !== 1) {
        const name = a >= ELLIPSIS_BASE ? '...' : String.fromCharCode(a);
        throw new RuntimeError(`einsum(): subscript ${name} has size ${s} for operand ${i} which does not broadcast with previously seen size ${seen}`);
      }
      if (seen === undefined || seen === 1) sizes.set(a, s);
      if (s > 1 || !lastUse.has(a)) lastUse.set(a, i);
    });
    const present = layout.filter((a) => axes.includes(a));
    t = t.permute(present.map((a) => axes.indexOf(a)));
    return layout.some((a) => !axes.includes(a)) ? t.reshape(layout.map((a) => (axes.includes(a) ? t.shape[present.indexOf(a)]! : 1))) : t;
  });

  const outShape = outAxes.map((a) => sizes.get(a) ?? 1);
  const firstContracted = outAxes.length;
  if (laid.length === 1) {
    const only = laid[0]!;
    return contracted.length === 0 ? only : only.sum(contracted.map((_, k) => firstContracted + k));
  }
  // Fold left to right, summing each contracted dim with the last operand that has it.
  let result = laid[0]!;
  for (let i = 1; i < laid.length; i++) {
    const sumDims = contracted.map((_, k) => firstContracted + k).filter((d) => lastUse.get(layout[d]!) === i);
    result = sumProductPair(result, laid[i]!, sumDims);
  }
  // Contracted dims not summed yet (they never met a later operand with size > 1).
  const rest = contracted.map((_, k) => firstContracted + k).filter((d) => result.shape[d] !== 1);
  if (rest.length > 0) result = result.sum(rest, true);
  if (contracted.length === 0) return result;
  return viewStrides(result.shape, result.strides, outShape) !== null ? result.view(outShape) : result.reshape(outShape);
}

// ------------------------------------------------------------------ cdist

/** Keywords of cdist. */
export interface CdistOptions {
  p?: number;
  computeMode?: 'use_mm_for_euclid_dist_if_necessary' | 'use_mm_for_euclid_dist' | 'donot_use_mm_for_euclid_dist' | null;
}

const COMPUTE_MODES = ['use_mm_for_euclid_dist_if_necessary', 'use_mm_for_euclid_dist', 'donot_use_mm_for_euclid_dist'];

/**
 * torch.cdist(x1, x2, p=2, compute_mode='use_mm_for_euclid_dist_if_necessary'): the p-norm
 * distance between each row of x1 [..., P, M] and each row of x2 [..., R, M], giving
 * [..., P, R] (batch dims broadcast). For p = 2 with more than 25 rows on either side (or
 * 'use_mm_for_euclid_dist'), it uses PyTorch's matmul form |a|^2 - 2 a.b + |b|^2.
 */
export function cdist(x1: Tensor, x2: Tensor, ...args: (number | string | null | CdistOptions)[]): Tensor {
  const a = bindArgs<CdistOptions>('cdist', args, ['p', 'computeMode'], { p: 2, computeMode: null });
  const p = a.p!, mode = a.computeMode ?? COMPUTE_MODES[0]!;
  if (!COMPUTE_MODES.includes(mode)) throw new ValueError(`${mode} is not a valid value for compute_mode`);
  if (!isFloating(x1.dtype)) throw new RuntimeError(`cdist only supports floating-point dtypes, X1 got: ${scalarTypeName(x1.dtype)}`);
  if (!isFloating(x2.dtype)) throw new RuntimeError(`cdist only supports floating-point dtypes, X2 got: ${scalarTypeName(x2.dtype)}`);
  if (x1.ndim < 2) throw new RuntimeError(`cdist only supports at least 2D tensors, X1 got: ${x1.ndim}D`);
  if (x2.ndim < 2) throw new RuntimeError(`cdist only supports at least 2D tensors, X2 got: ${x2.ndim}D`);
  const m1 = x1.shape[x1.ndim - 1]!, m2 = x2.shape[x2.ndim - 1]!;
  if (m1 !== m2) throw new RuntimeError(`X1 and X2 must have the same number of columns. X1: ${m1} X2: ${m2}`);
  if (!(p >= 0)) throw new RuntimeError('cdist only supports non-negative p values');
  if (x1.dtype !== x2.dtype) throw new RuntimeError(`expected scalar type ${scalarTypeName(x1.dtype)} but found ${scalarTypeName(x2.dtype)}`);
  const r1 = x1.shape[x1.ndim - 2]!, r2 = x2.shape[x2.ndim - 2]!;
  const batch = broadcastShapes(x1.shape.slice(0, -2), x2.shape.slice(0, -2));
  const useMm = p === 2 && x1.numel() > 0 && x2.numel() > 0 && (mode === COMPUTE_MODES[1] || (mode === COMPUTE_MODES[0] && (r1 > 25 || r2 > 25)));
  if (useMm) {
    const n = numel(batch);
    const a3 = x1.expand([...batch, r1, m1]).reshape(n, r1, m1), b3 = x2.expand([...batch, r2, m1]).reshape(n, r2, m1);
    return euclideanDist(a3, b3).view([...batch, r1, r2]);
  }
  const out = noGrad(() => pairwiseNorm(x1.unsqueeze(-2).sub(x2.unsqueeze(-3)), p));
  record(out, 'CdistBackward0', [x1, x2], [x1, x2, out], ([g], [s1, s2, dist], needs) => {
    const term = g!.unsqueeze(-1).mul(cdistDerivative(s1!.unsqueeze(-2).sub(s2!.unsqueeze(-3)), dist!.unsqueeze(-1), p));
    return [needs[0] ? gradFor(term.sum(-2), x1) : null, needs[1] ? gradFor(term.sum(-3).neg(), x2) : null];
  });
  return out;
}

/** The p-norm over the last dim of the pairwise differences. */
function pairwiseNorm(diff: Tensor, p: number): Tensor {
  if (p === 0) return diff.ne(0).sum(-1).to(diff.dtype);
  if (p === 1) return diff.abs().sum(-1);
  if (p === 2) return diff.square().sum(-1).sqrt();
  if (p === Infinity) return diff.abs().amax(-1);
  return diff.abs().pow(p).sum(-1).pow(1 / p);
}

/** d dist / d x1 for each pair (PyTorch's _cdist_backward), zero where the distance is zero. */
function cdistDerivative(diff: Tensor, dist: Tensor, p: number): Tensor {
  if (p === 0) return diff.mul(0);
  if (p === 1) return diff.sign();
  if (p === Infinity) return diff.sign().mul(diff.abs().eq(dist));
  const zero = dist.eq(0);
  const safe = where(zero, 1, dist);
  const r = p === 2 ? diff.div(safe) : diff.mul(diff.abs().pow(p - 2)).div(safe.pow(p - 1));
  return where(zero, 0, p < 1 ? where(diff.eq(0), 0, r) : r);
}

/** PyTorch's _euclidean_dist for [B, P, M] and [B, R, M]: one batched matmul, clamped at 0. */
function euclideanDist(a: Tensor, b: Tensor): Tensor {
  const out = noGrad(() => {
    const an = a.pow(2).sum(-1, true), bn = b.pow(2).sum(-1, true);
    const a2 = cat([a.mul(-2), an, an.mul(0).add(1)], -1), b2 = cat([b, bn.mul(0).add(1), bn], -1);
    return a2.matmul(b2.transpose(-1, -2)).clampMin(0).sqrt();
  });
  record(out, 'EuclideanDistBackward0', [a, b], [a, b, out], ([g], [sa, sb, res], needs) => {
    const ratio = where(res!.eq(0), 0, g!.div(res!));
    return [
      needs[0] ? sa!.mul(ratio.sum(-1, true)).sub(ratio.matmul(sb!)) : null,
      needs[1] ? sb!.mul(ratio.sum(-2).unsqueeze(-1)).sub(ratio.transpose(-1, -2).matmul(sa!)) : null,
    ];
  });
  return out;
}
