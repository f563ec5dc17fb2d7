/**
 * The optimizer base class (torch.optim.Optimizer): parameter groups with the defaults merged
 * in by addParamGroup, per-parameter state created on first use, step() running each
 * optimizer's update under noGrad, and stateDict / loadStateDict in PyTorch's layout.
 */
import { TypeError, ValueError } from '../errors.js';
import { tensor } from '../ops/creation.js';
import { enableGrad, noGrad } from '../autograd/grad-mode.js';
import { keep, tidy } from '../memory/scope.js';
import { Tensor } from '../tensor.js';
import { snakeCase } from '../nn/module.js';
import { pyBool, pyFloat } from '../nn/modules/repr.js';

/** A parameter group: the parameters plus their options (lr, momentum, ...). */
export type ParamGroup<O> = O & { params: Tensor[]; [extra: string]: unknown };

/** What an optimizer accepts: parameters, or groups of them with per-group options. */
export type ParamsInput<O> = Iterable<Tensor> | Iterable<Partial<O> & { params: Tensor | Iterable<Tensor>; [extra: string]: unknown }>;

/** Per-parameter optimizer state (`step`, `expAvg`, `momentumBuffer`, ...). */
export type ParamState = Record<string, Tensor | number | null>;

/** Exempts a parameter's state tensors from the open tidy scopes (they live as long as the optimizer). */
function keepState(state: ParamState): ParamState {
  for (const v of Object.values(state)) if (v instanceof Tensor) keep(v);
  return state;
}

/** An optimizer state dict in PyTorch's layout: integer parameter ids, snake_case keys. */
export interface OptimizerStateDict {
  state: Record<number, Record<string, unknown>>;
  param_groups: Record<string, unknown>[];
}

/** snake_case -> camelCase (the inverse of nn's snakeCase). */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Base class of every optimizer. Subclasses pass their defaults and implement `initState` and
 * `update` (one parameter, under noGrad).
 */
export abstract class Optimizer<O extends object = Record<string, unknown>> {
  /** The options each group starts from. */
  readonly defaults: O;
  /** The parameter groups, each with its own options. */
  paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created on a parameter's first step. */
  state = new Map<Tensor, ParamState>();
  /** Whether stateDict writes `step` as a float32 0-d tensor (PyTorch 1.13's Adam, AdamW, Adagrad). */
  protected readonly stepAsTensor: boolean = false;

  constructor(params: ParamsInput<O>, defaults: O) {
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor`);
    }
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new ValueError('optimizer got an empty parameter list');
    const groups = list[0] instanceof Tensor ? [{ params: list as Tensor[] }] : (list as { params: Tensor | Iterable<Tensor> }[]);
    for (const g of groups) this.addParamGroup(g as Partial<O> & { params: Tensor | Iterable<Tensor> });
  }

  /** Adds a group of parameters; options it leaves out come from the defaults. */
  addParamGroup(group: Partial<O> & { params: Tensor | Iterable<Tensor>; [extra: string]: unknown }): void {
    const params = group.params instanceof Tensor ? [group.params] : [...group.params];
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${typeof p}`);
      if (!p.isLeaf) throw new ValueError("can't optimize a non-leaf Tensor");
    }
    const existing = new Set(this.paramGroups.flatMap((g) => g.params));
    if (params.some((p) => existing.has(p))) throw new ValueError('some parameters appear in more than one parameter group');
    this.paramGroups.push({ ...this.defaults, ...group, params } as ParamGroup<O>);
  }

  /**
   * Clears every parameter's gradient: `.grad = null` with `setToNone` (the default, as in
   * PyTorch 2.x; PyTorch 1.13 defaulted to false), else zeroed in place.
   */
  zeroGrad(opts: { setToNone?: boolean } = {}): void {
    const setToNone = opts.setToNone ?? true;
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (p.grad === null) continue;
        if (setToNone) p.grad = null;
        else noGrad(() => p.grad!.detach_().zero_());
      }
    }
  }

  /** The state of a parameter, created on first use. */
  protected stateOf(p: Tensor, group: ParamGroup<O>): ParamState {
    let s = this.state.get(p);
    if (s === undefined) {
      s = this.initState(p, group);
      this.state.set(p, s);
    }
    return s;
  }

  /** The initial state of a parameter. */
  protected abstract initState(p: Tensor, group: ParamGroup<O>): ParamState;

  /**
   * Updates one parameter in place from its gradient (runs under noGrad). Tensors it creates are
   * freed when it returns (they are a step's temporaries), except those it stores in `state`.
   */
  protected abstract update(p: Tensor, grad: Tensor, group: ParamGroup<O>, state: ParamState): void;

  /**
   * One optimisation step over every parameter that has a gradient. `closure` (re-evaluates the
   * model and returns the loss) runs first, with grad enabled; its loss is returned.
   *
   * Each update's temporaries are freed at once (a plain loop then leaves no garbage in the
   * memory per step), and the state outlives any `torch.tidy` the step runs in.
   */
  step(closure?: () => Tensor | number): Tensor | number | undefined {
    const loss = closure ? enableGrad(closure) : undefined;
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          const grad = p.grad;
          if (grad === null) continue;
          tidy(() => {
            const state = this.stateOf(p, group);
            this.update(p, grad, group, state);
            keepState(state);
          });
        }
      }
    });
    return loss;
  }

  /** The state in PyTorch's layout: `{ state: { 0: { step, exp_avg, ... } }, param_groups: [{ lr, ..., params: [0, 1] }] }`. */
  stateDict(): OptimizerStateDict {
    const ids = new Map<Tensor, number>();
    const param_groups = this.paramGroups.map((g) => {
      const packed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== 'params') packed[snakeCase(k)] = v;
      packed.params = g.params.map((p) => {
        if (!ids.has(p)) ids.set(p, ids.size);
        return ids.get(p)!;
      });
      return packed;
    });
    const state: Record<number, Record<string, unknown>> = {};
    for (const [p, s] of this.state) {
      const id = ids.get(p);
      if (id === undefined) continue;
      state[id] = Object.fromEntries(Object.entries(s).map(([k, v]) => [snakeCase(k),
        k === 'step' && this.stepAsTensor && typeof v === 'number' ? tensor(v, { dtype: 'float32', device: p.device }) : v]));
    }
    return { state, param_groups };
  }

  /** Loads a state dict made by stateDict (here or in PyTorch); floating state is cast to each parameter's dtype and device. */
  loadStateDict(sd: OptimizerStateDict): void {
    const saved = sd.param_groups;
    if (saved.length !== this.paramGroups.length) throw new ValueError('loaded state dict has a different number of parameter groups');
    saved.forEach((g, i) => {
      if ((g.params as unknown[]).length !== this.paramGroups[i]!.params.length) {
        throw new ValueError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
    });
    const byId = new Map<number, Tensor>();
    saved.forEach((g, i) => (g.params as number[]).forEach((id, j) => byId.set(id, this.paramGroups[i]!.params[j]!)));
    this.state = new Map();
    for (const [id, s] of Object.entries(sd.state)) {
      const p = byId.get(Number(id));
      if (p === undefined) throw new ValueError(`loaded state dict refers to parameter id ${id}, which no parameter group holds`);
      const st: ParamState = {};
      for (const [k, v] of Object.entries(s)) {
        const key = camelCase(k);
        if (key === 'step') st.step = v instanceof Tensor ? (v.item() as number) : (v as number);
        else if (v instanceof Tensor) st[key] = noGrad(() => (v.isFloatingPoint() ? v.to({ dtype: p.dtype, device: p.device }) : v.to(p.device)).clone());
        else st[key] = v as number | null;
      }
      this.state.set(p, keepState(st));
    }
    this.paramGroups = saved.map((g, i) => {
      const opts: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== 'params') opts[camelCase(k)] = v;
      return { ...opts, params: this.paramGroups[i]!.params } as ParamGroup<O>;
    });
  }

  /** PyTorch's optimizer repr: the class name and each group's options. */
  toString(): string {
    let s = `${this.constructor.name} (`;
    this.paramGroups.forEach((g, i) => {
      s += `\nParameter Group ${i}`;
      const names = Object.keys(g).filter((k) => k !== 'params').map((k) => [snakeCase(k), k] as const).sort(([a], [b]) => (a < b ? -1 : 1));
      for (const [name, k] of names) s += `\n    ${name}: ${pyValue((g as Record<string, unknown>)[k])}`;
    });
    return `${s}\n)`;
  }
}

/** A group option as Python prints it (True, None, 1e-08, (0.9, 0.999)). */
function pyValue(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return pyBool(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloat(v);
  if (Array.isArray(v)) return v.length === 1 ? `(${pyValue(v[0])},)` : `(${v.map(pyValue).join(', ')})`;
  return String(v);
}
