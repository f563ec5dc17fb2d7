/**
 * Recycling at once: `torch.tidy(fn)` frees the storage of every tensor created inside `fn`
 * that it does not return (as in TensorFlow.js); `torch.keep(t)` exempts a tensor. Gradients
 * stored on `.grad` are kept automatically.
 */
import { RuntimeError } from '../errors.js';
import type { Backend, Storage } from '../backend/backend.js';

/** What tidy needs of a tensor (structural, so this module does not import tensor.ts). */
interface Owned {
  readonly storage: Storage;
  readonly backend: Backend;
}

/** The storages created in each open tidy scope, innermost last. */
const scopes: Map<Storage, Backend>[] = [];

/** What a running backward pass records of the storages created meanwhile (see temporaries.ts). */
export interface Recorder {
  created(storage: Storage, backend: Backend): void;
  kept(storage: Storage): void;
}

/** The recorders of the running backward passes (nested: a hook may run backward), innermost last. */
const recorders: Recorder[] = [];

/** @internal Starts or ends recording for a backward pass. */
export function pushRecorder(r: Recorder): void {
  recorders.push(r);
}

/** @internal Ends the innermost recording. */
export function popRecorder(): void {
  recorders.pop();
}

/** @internal Records a tensor whose storage was just created, for the innermost tidy scope. */
export function trackNew(t: Owned): void {
  if (scopes.length > 0) scopes[scopes.length - 1]!.set(t.storage, t.backend);
  if (recorders.length > 0) recorders[recorders.length - 1]!.created(t.storage, t.backend);
}

/**
 * Exempts a tensor's storage from the open tidy scopes (it stays valid after they end) and
 * from backward's freeing of its temporaries.
 */
export function keep<T extends Owned>(t: T): T {
  for (let i = 0; i < scopes.length; i++) scopes[i]!.delete(t.storage);
  for (let i = 0; i < recorders.length; i++) recorders[i]!.kept(t.storage);
  return t;
}

function isOwned(x: unknown): x is Owned {
  return typeof x === 'object' && x !== null && 'storage' in x && 'backend' in x;
}

/** Calls `visit` on every tensor in a result: a tensor, or arrays, Maps and plain objects of them. */
function eachTensor(x: unknown, visit: (t: Owned) => void, seen = new Set<unknown>()): void {
  if (typeof x !== 'object' || x === null || seen.has(x)) return;
  seen.add(x);
  if (isOwned(x)) visit(x);
  else if (Array.isArray(x)) for (const v of x) eachTensor(v, visit, seen);
  else if (x instanceof Map) for (const v of x.values()) eachTensor(v, visit, seen);
  else if (Object.getPrototypeOf(x) === Object.prototype) for (const v of Object.values(x)) eachTensor(v, visit, seen);
}

/**
 * Runs `fn` and frees, at once, the storage of every tensor created inside it except those it
 * returns (a tensor, or arrays, Maps and plain objects of tensors), those passed to `keep`, and
 * gradients stored on `.grad`. Views of a returned tensor keep its storage. Scopes nest: what an
 * inner scope returns belongs to the outer one. If `fn` throws, everything created inside is freed.
 *
 * ```ts
 * const loss = torch.tidy(() => {
 *   const out = model(x);
 *   const l = F.crossEntropy(out, y);
 *   l.backward();
 *   return l.detach();
 * });
 * ```
 *
 * @remarks Not in PyTorch (whose memory is freed by reference counting): TensorFlow.js's
 * `tf.tidy`. A Kindling loop also stays bounded without it (see `torch.memory()`); tidy recycles
 * sooner. Tensors created inside and stored elsewhere (an optimizer's state, a cache) must be
 * passed to `torch.keep`, or they are freed. `fn` must be synchronous.
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Map<Storage, Backend>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    freeAll(scope);
    throw e;
  }
  scopes.pop();
  if (typeof (result as { then?: unknown } | null)?.then === 'function') {
    freeAll(scope);
    throw new RuntimeError('torch.tidy: fn must be synchronous (it returned a Promise)');
  }
  const outer = scopes[scopes.length - 1];
  eachTensor(result, (t) => {
    if (!scope.delete(t.storage)) return;
    outer?.set(t.storage, t.backend);
  });
  freeAll(scope);
  return result;
}

function freeAll(scope: Map<Storage, Backend>): void {
  for (const [storage, backend] of scope) backend.release?.(storage);
}

/** Frees a tensor's storage now (every view of it becomes unusable). */
export function disposeStorage(t: Owned): void {
  for (let i = 0; i < scopes.length; i++) scopes[i]!.delete(t.storage);
  t.backend.release?.(t.storage);
}
