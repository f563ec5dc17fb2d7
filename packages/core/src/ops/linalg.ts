/** Matrix products: matmul (1-d, 2-d, batched with broadcasting), mm, bmm, dot. */
import type { View } from '../backend/backend.js';
import { scalarTypeName } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { commonBackend, record, checkTensor } from './support.js';
import { namedView } from './views.js';

function sameDtype(a: Tensor, b: Tensor, what: string): void {
  if (a.dtype !== b.dtype) {
    throw new RuntimeError(`expected ${what} to have the same dtype, but got: ${scalarTypeName(a.dtype).toLowerCase()} != ${scalarTypeName(b.dtype).toLowerCase()}`);
  }
}

/** A 2-d tensor as a batch of one. */
function asBatch(t: Tensor): View {
  return { storage: t.storage, shape: [1, t.shape[0]!, t.shape[1]!], strides: [0, t.strides[0]!, t.strides[1]!], offset: t.offset };
}

/** The kernel call: [B, M, K] @ [B, K, N]. */
function product(a: Tensor, b: Tensor, av: View, bv: View, shape: number[]): Tensor {
  const backend = commonBackend(a, b);
  const out = Tensor.empty(shape, a.dtype, backend);
  const ov: View = shape.length === 2 ? asBatch(out) : out;
  backend.matmul(ov, av, bv);
  return out;
}

/** torch.mm: [n, m] @ [m, p]. */
export function mm(a: Tensor, b: Tensor): Tensor {
  checkTensor('mm', a, 'input', 1);
  checkTensor('mm', b, 'mat2', 1);
  if (a.ndim !== 2) throw new RuntimeError('self must be a matrix');
  if (b.ndim !== 2) throw new RuntimeError('mat2 must be a matrix');
  if (a.shape[1] !== b.shape[0]) {
    throw new RuntimeError(`mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
  }
  sameDtype(a, b, 'mat1 and mat2');
  const out = product(a, b, asBatch(a), asBatch(b), [a.shape[0]!, b.shape[1]!]);
  record(out, 'MmBackward0', [a, b], [b.requiresGrad ? a : null, a.requiresGrad ? b : null], ([g], [sa, sb], needs) => [
    needs[0] ? g!.mm(sb!.t()) : null,
    needs[1] ? sa!.t().mm(g!) : null,
  ]);
  return out;
}

/** torch.bmm: [B, n, m] @ [B, m, p]. */
export function bmm(a: Tensor, b: Tensor): Tensor {
  checkTensor('bmm', a, 'input', 1);
  checkTensor('bmm', b, 'mat2', 1);
  if (a.ndim !== 3) throw new RuntimeError('batch1 must be a 3D tensor');
  if (b.ndim !== 3) throw new RuntimeError('batch2 must be a 3D tensor');
  if (b.shape[0] !== a.shape[0] || b.shape[1] !== a.shape[2]) {
    throw new RuntimeError(`Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`);
  }
  sameDtype(a, b, 'batch1 and batch2');
  const out = product(a, b, a, b, [a.shape[0]!, a.shape[1]!, b.shape[2]!]);
  record(out, 'BmmBackward0', [a, b], [b.requiresGrad ? a : null, a.requiresGrad ? b : null], ([g], [sa, sb], needs) => [
    needs[0] ? g!.bmm(sb!.transpose(1, 2)) : null,
    needs[1] ? sa!.transpose(1, 2).bmm(g!) : null,
  ]);
  return out;
}

/** torch.dot: inner product of two vectors. */
export function dot(a: Tensor, b: Tensor): Tensor {
  checkTensor('dot', a, 'input', 1);
  checkTensor('dot', b, 'tensor', 1);
  if (a.ndim !== 1 || b.ndim !== 1) throw new RuntimeError(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  if (a.shape[0] !== b.shape[0]) {
    throw new RuntimeError(`inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
  }
  sameDtype(a, b, 'both vectors');
  const n = a.shape[0]!;
  const av: View = { storage: a.storage, shape: [1, 1, n], strides: [0, 0, a.strides[0]!], offset: a.offset };
  const bv: View = { storage: b.storage, shape: [1, n, 1], strides: [0, b.strides[0]!, 0], offset: b.offset };
  const out = Tensor.empty([], a.dtype, commonBackend(a, b));
  a.backend.matmul({ storage: out.storage, shape: [1, 1, 1], strides: [0, 0, 0], offset: 0 }, av, bv);
  record(out, 'DotBackward0', [a, b], [b.requiresGrad ? a : null, a.requiresGrad ? b : null], ([g], [sa, sb], needs) => [
    needs[0] ? sb!.mul(g!) : null,
    needs[1] ? sa!.mul(g!) : null,
  ]);
  return out;
}

/** torch.mv: matrix [n, m] times vector [m]. */
export function mv(a: Tensor, b: Tensor): Tensor {
  checkTensor('mv', a, 'input', 1);
  checkTensor('mv', b, 'vec', 1);
  if (a.ndim !== 2 || b.ndim !== 1) throw new RuntimeError(`vector + matrix @ vector expected, got 1, ${a.ndim}, ${b.ndim}`);
  if (a.shape[1] !== b.shape[0]) {
    throw new RuntimeError(`size mismatch, got input (${a.shape[0]}), mat (${a.shape[0]}x${a.shape[1]}), vec (${b.shape[0]})`);
  }
  sameDtype(a, b, 'mat and vec');
  const bv: View = { storage: b.storage, shape: [1, b.shape[0]!, 1], strides: [0, b.strides[0]!, 0], offset: b.offset };
  const out = Tensor.empty([a.shape[0]!], a.dtype, commonBackend(a, b));
  a.backend.matmul({ storage: out.storage, shape: [1, a.shape[0]!, 1], strides: [0, 1, 0], offset: 0 }, asBatch(a), bv);
  record(out, 'MvBackward0', [a, b], [b.requiresGrad ? a : null, a.requiresGrad ? b : null], ([g], [sa, sb], needs) => [
    needs[0] ? g!.unsqueeze(1).mul(sb!.unsqueeze(0)) : null,
    needs[1] ? sa!.t().mv(g!) : null,
  ]);
  return out;
}

/** t1 (3-d or more) @ t2 (1-d or 2-d) as one mm / mv over t1's leading dims folded together. */
function folded(t1: Tensor, t2: Tensor, transposeBack: boolean): Tensor {
  const lead = t1.shape.slice(0, -1);
  const flat = t1.reshape(-1, t1.shape[t1.ndim - 1]!);
  if (t2.ndim === 1) return namedView(mv(flat, t2), lead, 'UnsafeViewBackward0');
  const out = namedView(mm(flat, t2), [...lead, t2.shape[1]!], 'UnsafeViewBackward0');
  return transposeBack ? out.transpose(-1, -2).contiguous() : out;
}

/**
 * torch.matmul, decomposed as PyTorch 1.13 does (so gradFn names match): dot (1-d @ 1-d), mv,
 * mm, one folded mm when one side is a batch of matrices and the other a matrix or vector, and
 * otherwise bmm over the broadcast batch dims.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor('matmul', a, 'input', 1);
  checkTensor('matmul', b, 'other', 1);
  const da = a.ndim, db = b.ndim;
  if (da === 0 || db === 0) {
    throw new RuntimeError(`both arguments to matmul need to be at least 1D, but they are ${da}D and ${db}D`);
  }
  if (da === 1 && db === 1) return dot(a, b);
  if (da === 2 && db === 1) return mv(a, b);
  if (da === 1 && db === 2) return namedView(mm(a.unsqueeze(0), b), [b.shape[1]!], 'SqueezeBackward3');
  if (da === 2 && db === 2) return mm(a, b);
  if (da >= 3 && db <= 2) return folded(a, b, false);
  if (db >= 3 && da <= 2) return folded(b.transpose(-1, -2), da === 2 ? a.t() : a, true);
  // Both batched: broadcast the batch dims, flatten them into one, bmm, view back.
  const a2 = da === 1 ? a.unsqueeze(0) : a;
  const [m, k] = a2.shape.slice(-2) as [number, number];
  const [k2, n] = b.shape.slice(-2) as [number, number];
  const batch = broadcastShapes(a2.shape.slice(0, -2), b.shape.slice(0, -2));
  const bsz = batch.reduce((x, y) => x * y, 1);
  if (k !== k2) {
    throw new RuntimeError(`Expected size for first two dimensions of batch2 tensor to be: [${bsz}, ${k}] but got: [${bsz}, ${k2}].`);
  }
  const out = bmm(a2.expand([...batch, m, k]).reshape(bsz, m, k), b.expand([...batch, k, n]).reshape(bsz, k, n));
  return namedView(out, [...batch, ...(da === 1 ? [] : [m]), n], 'UnsafeViewBackward0');
}
