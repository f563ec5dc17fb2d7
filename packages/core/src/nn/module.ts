/**
 * nn.Module and nn.Parameter.
 *
 * Parameters and submodules are found by reflection, tinygrad-style: a module's own fields, in
 * declaration order. A field holding a {@link Parameter} is a parameter; a field holding a
 * {@link Module} (or an array or record of modules) is a child. Buffers carry metadata
 * (persistent or not), so they are registered explicitly with {@link Module.registerBuffer}.
 * Names follow PyTorch's state-dict keys: camelCase fields are snake-cased by {@link snakeCase}.
 */
import type { DType } from '../dtype.js';
import { isFloating } from '../dtype.js';
import { RuntimeError, TypeError, ValueError } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Tensor } from '../tensor.js';
import { shapeStr } from '../shape.js';
import { to } from '../ops/convert.js';

/**
 * A Tensor that is a module parameter (torch.nn.Parameter): it requires grad by default and
 * shares `data`'s storage. Modules find their parameters by looking for Parameter fields.
 */
export class Parameter extends Tensor {
  /** Wraps `data` (sharing its storage) as a leaf parameter. */
  constructor(data: Tensor, requiresGrad = true) {
    super(data.storage, data.dtype, data.shape, data.strides, data.offset, data.backend);
    if (requiresGrad) this.requiresGrad_(true);
  }

  /** PyTorch's repr: `Parameter containing:` above the tensor. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}

/**
 * Maps a camelCase field name to PyTorch's snake_case attribute name: `runningMean` ->
 * `running_mean`, `weightIhL0Reverse` -> `weight_ih_l0_reverse`, `inProjWeight` ->
 * `in_proj_weight`. Names without capitals are returned unchanged.
 */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A hook run before forward with the module and its arguments; it may return new arguments. */
export type ForwardPreHook = (module: Module, args: unknown[]) => unknown[] | void;
/** A hook run after forward with the module, its arguments and output; it may return a new output. */
export type ForwardHook = (module: Module, args: unknown[], output: unknown) => unknown;
/** What register*Hook returns: `remove()` unregisters the hook. */
export interface RemovableHandle {
  remove(): void;
}

/** A state dict: PyTorch's parameter and buffer names mapped to tensors, in PyTorch's order. */
export type StateDict = Record<string, Tensor>;

/** Result of {@link Module.loadStateDict} (PyTorch's `_IncompatibleKeys`). */
export interface IncompatibleKeys {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** A member found by reflection: its field key, its PyTorch name, its value. */
interface Member {
  key: string;
  name: string;
  value: unknown;
}

/** Replaces the values behind `t` in place, keeping the object (PyTorch's `param.data = ...`). */
function swapData(t: Tensor, src: Tensor): void {
  const w = t as { -readonly [K in 'storage' | 'dtype' | 'shape' | 'strides' | 'offset' | 'backend']: Tensor[K] };
  w.storage = src.storage;
  w.dtype = src.dtype;
  w.shape = src.shape;
  w.strides = src.strides;
  w.offset = src.offset;
  w.backend = src.backend;
}

/** PyTorch's _addindent: indents every line but the first. */
function addIndent(s: string, n: number): string {
  const lines = s.split('\n');
  if (lines.length === 1) return s;
  const pad = ' '.repeat(n);
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join('\n');
}

/**
 * Base class for all neural network modules (torch.nn.Module).
 *
 * Subclasses declare parameters and submodules as ordinary fields and implement `forward`:
 *
 * ```ts
 * class Net extends nn.Module {
 *   fc1 = new nn.Linear(784, 128);
 *   fc2 = new nn.Linear(128, 10);
 *   forward(x: Tensor): Tensor { return this.fc2.forward(F.relu(this.fc1.forward(x))); }
 * }
 * const logits = new Net().forward(x);
 * ```
 *
 * **Calling a module is `module.forward(...)`.** JavaScript objects cannot be made callable
 * without a Proxy around a function, which would break `instanceof`, field reflection and
 * typing; so Kindling keeps the one name a PyTorch author already writes. The constructor
 * installs, per instance, a wrapper around the class's `forward` that runs the forward
 * pre-hooks, the class's forward and the forward hooks: `model.forward(x)` is PyTorch's
 * `model(x)`. Inside a subclass, `super.forward(x)` calls the parent's forward without hooks.
 * `forward` must be a method (not an arrow-function field), so the wrapper can find it.
 *
 * @remarks Differs from PyTorch: a plain array or record of modules in a field is discovered
 * too, named `field.0` / `field.key` (use {@link ModuleList} / {@link ModuleDict} for PyTorch's
 * repr); `to()` converts in place like PyTorch (the parameter objects are kept).
 */
export class Module {
  /** Whether the module is in training mode (see {@link Module.train} / {@link Module.eval}). */
  training = true;
  // Private fields stay invisible to reflection.
  readonly #buffers = new Map<string, boolean>();
  readonly #preHooks = new Map<number, ForwardPreHook>();
  readonly #hooks = new Map<number, ForwardHook>();
  static #nextHookId = 0;

  constructor() {
    const impl = this.forward as (...args: unknown[]) => unknown;
    Object.defineProperty(this, 'forward', {
      value: (...args: unknown[]): unknown => this.#run(impl, args),
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }

  /**
   * The computation of this module. Subclasses override it; callers call it (hooks included, see
   * the class notes).
   */
  forward(...args: never[]): unknown {
    void args;
    throw new RuntimeError(`Module [${this.constructor.name}] is missing the required "forward" function`);
  }

  #run(impl: (...args: unknown[]) => unknown, args: unknown[]): unknown {
    for (const hook of this.#preHooks.values()) {
      const r = hook(this, args);
      if (r !== undefined) args = Array.isArray(r) ? r : [r];
    }
    let out = impl.apply(this, args);
    for (const hook of this.#hooks.values()) {
      const r = hook(this, args, out);
      if (r !== undefined) out = r;
    }
    return out;
  }

  /** Registers `hook(module, args)` to run before every forward; returns a removable handle. */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    const id = Module.#nextHookId++;
    this.#preHooks.set(id, hook);
    return { remove: () => void this.#preHooks.delete(id) };
  }

  /** Registers `hook(module, args, output)` to run after every forward; returns a removable handle. */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    const id = Module.#nextHookId++;
    this.#hooks.set(id, hook);
    return { remove: () => void this.#hooks.delete(id) };
  }

  // ---------------------------------------------------------------- reflection

  /**
   * This module's own members in declaration order. Containers whose children are not fields
   * (ModuleDict) override it.
   * @internal
   */
  protected ownMembers(): Member[] {
    const self = this as unknown as Record<string, unknown>;
    return Object.keys(this).map((key) => ({ key, name: snakeCase(key), value: self[key] }));
  }

  /** Own parameters, buffers and children, as (name, value) pairs with their field keys. */
  #own(): { params: Member[]; buffers: (Member & { persistent: boolean })[]; children: Member[] } {
    const params: Member[] = [], buffers: (Member & { persistent: boolean })[] = [], children: Member[] = [];
    for (const m of this.ownMembers()) {
      const v = m.value;
      const persistent = this.#buffers.get(m.key);
      if (persistent !== undefined) {
        if (v instanceof Tensor) buffers.push({ ...m, persistent });
      } else if (v instanceof Parameter) params.push(m);
      else if (v instanceof Module) children.push(m);
      else if (Array.isArray(v) && v.length > 0 && v.every((c) => c instanceof Module)) {
        v.forEach((c, i) => children.push({ key: `${m.key}.${i}`, name: `${m.name}.${i}`, value: c }));
      } else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
        const entries = Object.entries(v as Record<string, unknown>);
        if (entries.length > 0 && entries.every(([, c]) => c instanceof Module)) {
          for (const [k, c] of entries) children.push({ key: `${m.key}.${k}`, name: `${m.name}.${k}`, value: c });
        }
      }
    }
    return { params, buffers, children };
  }

  /**
   * Adds a buffer: state that is not a parameter (BatchNorm's running mean). It becomes the
   * field `name` (camelCase; its state-dict key is snake-cased). Non-persistent buffers are left
   * out of the state dict. `null` registers an empty slot.
   */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    if (name.includes('.')) throw new RuntimeError(`buffer name can't contain "."`);
    if (name === '') throw new RuntimeError(`buffer name can't be empty string ""`);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError(`cannot assign '${typeof tensor}' object to buffer '${name}' (torch Tensor or None required)`);
    }
    (this as unknown as Record<string, unknown>)[name] = tensor;
    this.#buffers.set(name, persistent);
  }

  /** Registers `param` (or null) as the parameter field `name` (PyTorch's register_parameter). */
  registerParameter(name: string, param: Parameter | null): void {
    if (name.includes('.')) throw new RuntimeError(`parameter name can't contain "."`);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(`cannot assign 'Tensor' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    (this as unknown as Record<string, unknown>)[name] = param;
  }

  /** Adds a child module as the field `name` (PyTorch's add_module). */
  addModule(name: string, module: Module | null): void {
    (this as unknown as Record<string, unknown>)[name] = module;
  }

  /** Direct children with their names. */
  *namedChildren(): IterableIterator<[string, Module]> {
    const seen = new Set<Module>();
    for (const c of this.#own().children) {
      const m = c.value as Module;
      if (seen.has(m)) continue;
      seen.add(m);
      yield [c.name, m];
    }
  }

  /** Direct children. */
  *children(): IterableIterator<Module> {
    for (const [, m] of this.namedChildren()) yield m;
  }

  /** This module and all below it, each once, with dotted names ('' for this one). */
  *namedModules(prefix = '', memo = new Set<Module>()): IterableIterator<[string, Module]> {
    if (memo.has(this)) return;
    memo.add(this);
    yield [prefix, this];
    for (const [name, child] of this.namedChildren()) {
      yield* child.namedModules(prefix ? `${prefix}.${name}` : name, memo);
    }
  }

  /** This module and all below it, each once. */
  *modules(): IterableIterator<Module> {
    for (const [, m] of this.namedModules()) yield m;
  }

  #namedMembers(kind: 'params' | 'buffers', recurse: boolean): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const modules: Iterable<[string, Module]> = recurse ? this.namedModules() : [['', this]];
    for (const [prefix, m] of modules) {
      for (const member of m.#own()[kind]) {
        const t = member.value as Tensor;
        if (seen.has(t)) continue;
        seen.add(t);
        out.push([prefix ? `${prefix}.${member.name}` : member.name, t]);
      }
    }
    return out;
  }

  /** Parameters with dotted PyTorch names (`fc1.weight`), each once, in PyTorch's order. */
  namedParameters(opts: { recurse?: boolean } = {}): [string, Parameter][] {
    return this.#namedMembers('params', opts.recurse ?? true) as [string, Parameter][];
  }

  /** Parameters in PyTorch's order (what an optimizer takes). */
  parameters(opts: { recurse?: boolean } = {}): Parameter[] {
    return this.namedParameters(opts).map(([, p]) => p);
  }

  /** Buffers with dotted PyTorch names (`bn.running_mean`). */
  namedBuffers(opts: { recurse?: boolean } = {}): [string, Tensor][] {
    return this.#namedMembers('buffers', opts.recurse ?? true);
  }

  /** Buffers in PyTorch's order. */
  buffers(opts: { recurse?: boolean } = {}): Tensor[] {
    return this.namedBuffers(opts).map(([, b]) => b);
  }

  // ---------------------------------------------------------------- modes and bulk updates

  /** Sets training mode on this module and all below it; returns this. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new ValueError('training mode is expected to be boolean');
    this.training = mode;
    for (const c of this.children()) c.train(mode);
    return this;
  }

  /** Sets evaluation mode (`train(false)`); returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Calls `fn` on every child (recursively), then on this module; returns this. */
  apply(fn: (m: Module) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /** Sets every parameter's `.grad` to null (`setToNone`, the default as in PyTorch 2.x) or to zero. */
  zeroGrad(opts: { setToNone?: boolean } = {}): void {
    const setToNone = opts.setToNone ?? true;
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (setToNone) p.grad = null;
      else noGrad(() => p.grad!.detach_().zero_());
    }
  }

  /** Enables or disables gradient recording for every parameter; returns this. */
  requiresGrad_(flag = true): this {
    for (const p of this.parameters()) p.requiresGrad_(flag);
    return this;
  }

  /**
   * Moves and/or casts parameters and buffers in place: `model.to('workers')`,
   * `model.to('float64')`, `model.to({ device, dtype })`. A dtype applies to floating-point
   * tensors only (integer buffers such as num_batches_tracked keep theirs), as in PyTorch.
   * The parameter objects are kept, so an optimizer built before still holds them.
   */
  to(target: string | { device?: string; dtype?: DType }): this {
    const spec = typeof target === 'string' ? (isDtypeName(target) ? { dtype: target } : { device: target }) : target;
    const convert = (t: Tensor): Tensor => noGrad(() => to(t, {
      ...(spec.device !== undefined ? { device: spec.device } : {}),
      ...(spec.dtype !== undefined && isFloating(t.dtype) ? { dtype: spec.dtype } : {}),
    }));
    for (const m of this.modules()) {
      for (const t of [...m.parameters({ recurse: false }), ...m.buffers({ recurse: false })]) {
        const c = convert(t);
        if (c !== t) swapData(t, c);
        const g = t instanceof Parameter ? t.grad : null;
        if (g) {
          const cg = convert(g);
          if (cg !== g) swapData(g, cg);
        }
      }
    }
    return this;
  }

  /** Casts floating-point parameters and buffers to float64. */
  double(): this {
    return this.to('float64');
  }

  /** Casts floating-point parameters and buffers to float32. */
  float(): this {
    return this.to('float32');
  }

  // ---------------------------------------------------------------- state dict

  /**
   * Parameters and persistent buffers under PyTorch's keys (`features.1.running_mean`), as
   * detached tensors sharing their storage.
   */
  stateDict(opts: { prefix?: string; keepVars?: boolean } = {}): StateDict {
    const out: StateDict = {};
    const prefix = opts.prefix ?? '';
    for (const [name, m] of this.namedModules()) {
      const own = m.#own();
      const p = prefix + (name ? `${name}.` : '');
      for (const x of own.params) out[p + x.name] = opts.keepVars ? (x.value as Tensor) : (x.value as Tensor).detach();
      for (const x of own.buffers) if (x.persistent) out[p + x.name] = opts.keepVars ? (x.value as Tensor) : (x.value as Tensor).detach();
    }
    return out;
  }

  /**
   * Copies values from `stateDict` into the parameters and persistent buffers (shapes must
   * match). With `strict` (the default) missing or unexpected keys raise PyTorch's error;
   * either way the incompatible keys are returned.
   */
  loadStateDict(stateDict: StateDict | Map<string, Tensor>, opts: { strict?: boolean } = {}): IncompatibleKeys {
    const strict = opts.strict ?? true;
    const given = stateDict instanceof Map ? new Map(stateDict) : new Map(Object.entries(stateDict));
    const own = this.stateDict({ keepVars: true });
    const errors: string[] = [];
    const missingKeys: string[] = [];
    noGrad(() => {
      for (const [key, t] of Object.entries(own)) {
        const src = given.get(key);
        if (src === undefined) {
          missingKeys.push(key);
          continue;
        }
        if (!(src instanceof Tensor)) {
          errors.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${typeof src}`);
          continue;
        }
        if (src.shape.length !== t.shape.length || src.shape.some((s, i) => s !== t.shape[i])) {
          errors.push(`size mismatch for ${key}: copying a param with shape torch.Size(${shapeStr(src.shape)}) from checkpoint, the shape in current model is torch.Size(${shapeStr(t.shape)}).`);
          continue;
        }
        t.copy_(src);
      }
    });
    const unexpectedKeys = [...given.keys()].filter((k) => !(k in own));
    if (strict) {
      const quoted = (ks: string[]): string => ks.map((k) => `"${k}"`).join(', ');
      if (unexpectedKeys.length) errors.unshift(`Unexpected key(s) in state_dict: ${quoted(unexpectedKeys)}. `);
      if (missingKeys.length) errors.unshift(`Missing key(s) in state_dict: ${quoted(missingKeys)}. `);
    }
    if (errors.length) {
      throw new RuntimeError(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join('\n\t')}`);
    }
    return { missingKeys, unexpectedKeys };
  }

  // ---------------------------------------------------------------- printing

  /** The layer's settings as PyTorch prints them inside its repr (`in_features=784, ...`). */
  extraRepr(): string {
    return '';
  }

  /** PyTorch's module repr, children indented as PyTorch does. */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines = [...this.namedChildren()].map(([name, m]) => `(${name}): ${addIndent(m.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let s = `${this.constructor.name}(`;
    if (lines.length) {
      if (extraLines.length === 1 && childLines.length === 0) s += extraLines[0];
      else s += `\n  ${lines.join('\n  ')}\n`;
    }
    return `${s})`;
  }

  /** Node's util.inspect (console.log) prints the repr. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function isDtypeName(s: string): s is DType {
  return s === 'float32' || s === 'float64' || s === 'int32' || s === 'int64' || s === 'bool';
}
