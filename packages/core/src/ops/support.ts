/** What every op definition uses: device checks, broadcast views, casts and graph recording. */
import type { Backend, View } from '../backend/backend.js';
import { castScalar, isFloating, isIntegral, type DType } from '../dtype.js';
import { pyTypeName } from '../args.js';
import { RuntimeError, TypeError } from '../errors.js';
import { broadcastShapes, sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { keep } from '../memory/scope.js';
import { FnNode, type BackwardFn } from '../autograd/node.js';
import type { CopyMode } from '../kernels/index.js';

/** The one backend all tensors share, or PyTorch's same-device error. */
export function commonBackend(...ts: (Tensor | null | undefined)[]): Backend {
  let b: Backend | null = null;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    if (t === null || t === undefined) continue;
    if (!(t instanceof Tensor)) throw new TypeError(`expected Tensor as argument ${i}, but got ${pyTypeName(t)}`);
    if (b === null) b = t.backend;
    else if (t.backend !== b) {
      throw new RuntimeError(`Expected all tensors to be on the same device, but found at least two devices, ${b.name} and ${t.backend.name}!`);
    }
  }
  return b!;
}

/** PyTorch's TypeError unless `v` is a Tensor ("matmul(): argument 'other' (position 1) must be Tensor, not int"). */
export function checkTensor(fn: string, v: unknown, name: string, pos: number): asserts v is Tensor {
  if (!(v instanceof Tensor)) throw new TypeError(`${fn}(): argument '${name}' (position ${pos}) must be Tensor, not ${pyTypeName(v)}`);
}

/** PyTorch's TypeError unless `v` is a Tensor, a number or a boolean (a Python scalar). */
export function checkTensorLike(fn: string, v: unknown, name: string, pos: number): void {
  if (!(v instanceof Tensor) && typeof v !== 'number' && typeof v !== 'boolean') {
    throw new TypeError(`${fn}(): argument '${name}' (position ${pos}) must be Tensor, not ${pyTypeName(v)}`);
  }
}

/** A stride-0 view of `t` broadcast to `shape` (shape already validated). */
export function broadcastView(t: View, shape: readonly number[]): View {
  if (sameShape(t.shape, shape)) return t;
  const nd = shape.length, off = nd - t.shape.length;
  const strides = new Array<number>(nd);
  for (let i = 0; i < nd; i++) {
    const j = i - off;
    strides[i] = j < 0 || t.shape[j] === 1 ? 0 : t.strides[j]!;
  }
  return { storage: t.storage, shape, strides, offset: t.offset };
}

/** How a value of dtype `from` is stored into `to`. */
export function copyMode(from: DType, to: DType): CopyMode {
  if (to === 'bool') return 'bool';
  if (to === 'int64' && isFloating(from)) return 'trunc';
  return 'plain';
}

/** `t`'s values as `dtype` (the same tensor if it already is). Not recorded in the graph. */
export function castValues(t: Tensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return t;
  const out = Tensor.empty(t.shape, dtype, t.backend);
  t.backend.copy(copyMode(t.dtype, dtype), out, t);
  return out;
}

/** Internal 0-d operands by backend, dtype and value: they are only ever read by kernels. */
const scalarCache = new WeakMap<Backend, Map<string, Tensor>>();

/** A 0-d tensor holding `v` as `dtype` on `backend`, for use as a kernel operand (never written). */
export function scalarTensor(v: number | boolean, dtype: DType, backend: Backend): Tensor {
  const value = castScalar(+v, dtype);
  let cache = scalarCache.get(backend);
  if (!cache) scalarCache.set(backend, (cache = new Map()));
  const key = dtype + (Object.is(value, -0) ? '-0' : String(value));
  let out = cache.get(key);
  if (!out) {
    out = Tensor.empty([], dtype, backend);
    backend.fill(out, value);
    if (cache.size < 1024) cache.set(key, keep(out));
  }
  return out;
}

/** A fresh contiguous tensor. */
export function emptyOf(shape: readonly number[], dtype: DType, backend: Backend): Tensor {
  return Tensor.empty(shape, dtype, backend);
}

/** Records a node for `outputs` when any input requires grad (and grad mode is on). */
export function record(
  outputs: Tensor | readonly Tensor[],
  name: string,
  inputs: readonly (Tensor | null | undefined)[],
  saved: readonly (Tensor | null)[],
  backward: BackwardFn,
): void {
  if (!Tensor.needsGrad(...inputs)) return;
  const outs = outputs instanceof Tensor ? [outputs] : outputs;
  const node = new FnNode(name, saved, backward, outs);
  node.nextFunctions = inputs.map((t) => (t && t.requiresGrad ? t.gradEdge() : [null, 0]));
  outs.forEach((o, i) => {
    if (!isFloating(o.dtype)) return;
    o._gradFn = node;
    o._outputNr = i;
  });
}

/** Sums a broadcast gradient back to `shape` (differentiable). */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  let r = dims.length > 0 ? g.sum(dims, true) : g;
  if (lead > 0) r = r.view(shape);
  return r;
}

/** The gradient of input `t`: summed back over broadcast dims and cast to t's dtype. */
export function gradFor(g: Tensor, t: { readonly shape: readonly number[]; readonly dtype: DType }): Tensor {
  const r = sumToShape(g, t.shape);
  return r.dtype === t.dtype ? r : r.to(t.dtype);
}

/** The dtype float ops compute in: floats stay, integers and bool become float32. */
export function floatType(dtype: DType): DType {
  return isFloating(dtype) ? dtype : 'float32';
}

export { broadcastShapes, isIntegral };
