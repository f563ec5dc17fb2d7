/** Sequential, ModuleList and ModuleDict. */
import { IndexError, TypeError } from '../../errors.js';
import type { Tensor } from '../../tensor.js';
import { Module } from '../module.js';

/** Normalises a list index (negative from the end) with PyTorch's error. */
function listIndex(i: number, n: number, what: string): number {
  if (!Number.isInteger(i)) throw new TypeError(`${what} indices must be integers or slices, not ${typeof i}`);
  const j = i < 0 ? i + n : i;
  if (j < 0 || j >= n) throw new IndexError(`index ${i} is out of range`);
  return j;
}

/**
 * nn.ModuleList: holds submodules in a list, registered as children `0`, `1`, ... (numeric
 * fields, so `list[0]` works). Iterate with `for ... of`.
 */
export class ModuleList<M extends Module = Module> extends Module implements Iterable<M> {
  [index: number]: M;

  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  /** Number of modules. */
  get length(): number {
    let n = 0;
    while ((this as Record<number, M>)[n] !== undefined) n++;
    return n;
  }

  /** The module at `i` (negative counts from the end). */
  get(i: number): M {
    return this[listIndex(i, this.length, this.constructor.name)]!;
  }

  /** Appends a module; returns this. */
  append(module: M): this {
    if (!(module instanceof Module)) throw new TypeError(`${this.constructor.name}.append should be called with a Module, got ${typeof module}`);
    this[this.length] = module;
    return this;
  }

  /** Appends modules; returns this. */
  extend(modules: Iterable<M>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  *[Symbol.iterator](): Iterator<M> {
    for (let i = 0, n = this.length; i < n; i++) yield this[i]!;
  }
}

/**
 * nn.Sequential(...modules): runs its modules in order, each one's output feeding the next.
 * Modules are children `0`, `1`, ... (`seq[0]`), as in PyTorch.
 */
export class Sequential extends ModuleList<Module> {
  constructor(...modules: Module[]) {
    super(modules);
  }

  /** Feeds `input` through every module in turn. */
  override forward(input: Tensor): Tensor {
    let x: unknown = input;
    for (const m of this) x = (m.forward as (a: unknown) => unknown)(x);
    return x as Tensor;
  }
}

/**
 * nn.ModuleDict: submodules by name, in insertion order (`dict.get('a')`). Keys are used as
 * given (no snake-casing), as in PyTorch.
 */
export class ModuleDict<M extends Module = Module> extends Module {
  readonly #items = new Map<string, M>();

  constructor(modules: Record<string, M> | Iterable<[string, M]> = {}) {
    super();
    this.update(modules);
  }

  protected override ownMembers(): { key: string; name: string; value: unknown }[] {
    const own = super.ownMembers();
    return [...own, ...[...this.#items].map(([k, v]) => ({ key: k, name: k, value: v }))];
  }

  /** The module under `key`. */
  get(key: string): M {
    const m = this.#items.get(key);
    if (m === undefined) throw new KeyError(key);
    return m;
  }

  /** Sets the module under `key`. */
  set(key: string, module: M): this {
    this.#items.set(key, module);
    return this;
  }

  /** Whether `key` is present. */
  has(key: string): boolean {
    return this.#items.has(key);
  }

  /** Adds every (key, module) pair; returns this. */
  update(modules: Record<string, M> | Iterable<[string, M]>): this {
    const entries = Symbol.iterator in modules ? [...(modules as Iterable<[string, M]>)] : Object.entries(modules);
    for (const [k, v] of entries) this.set(k, v);
    return this;
  }

  /** Number of modules. */
  get size(): number {
    return this.#items.size;
  }

  /** The keys in order. */
  keys(): IterableIterator<string> {
    return this.#items.keys();
  }

  /** The modules in order. */
  values(): IterableIterator<M> {
    return this.#items.values();
  }

  /** (key, module) pairs in order. */
  items(): IterableIterator<[string, M]> {
    return this.#items.entries();
  }
}

/** Python's KeyError for a missing ModuleDict key. */
class KeyError extends Error {
  constructor(key: string) {
    super(`'${key}'`);
    this.name = 'KeyError';
  }
}

