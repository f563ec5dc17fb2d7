/**
 * Custom differentiable ops, like torch.autograd.Function:
 *
 * ```ts
 * class Cube extends torch.autograd.Function {
 *   static forward(ctx: FunctionCtx, x: Tensor) { ctx.saveForBackward(x); return x.pow(3); }
 *   static backward(ctx: FunctionCtx, g: Tensor) { const [x] = ctx.savedTensors; return g.mul(x.pow(2).mul(3)); }
 * }
 * const y = Cube.apply(x);
 * ```
 *
 * forward runs without recording; backward is written with ops, so under `createGraph` it is
 * recorded too and the custom op can be differentiated twice.
 */
import { pyTypeName } from '../args.js';
import { RuntimeError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { zeros } from '../ops/creation.js';
import { isGradEnabled, noGrad } from './grad-mode.js';
import { Node, SavedTensor } from './node.js';

type Grad = Tensor | null | undefined;

/** The `ctx` passed to forward and backward. */
export class FunctionCtx {
  private saved: (SavedTensor | null)[] = [];
  /** For each forward argument, whether its gradient is needed (PyTorch's ctx.needs_input_grad). */
  needsInputGrad: boolean[] = [];
  /** Fill missing output gradients with zeros before backward (default true, like PyTorch). */
  materializeGrads = true;

  /** Saves tensors for backward; they are checked against in-place changes when read. */
  saveForBackward(...tensors: (Tensor | null)[]): void {
    this.saved = tensors.map((t) => (t ? new SavedTensor(t) : null));
  }

  /** The tensors given to saveForBackward (PyTorch's ctx.saved_tensors). */
  get savedTensors(): Tensor[] {
    return this.saved.map((s) => (s ? s.unpack() : null)) as Tensor[];
  }

  /** @internal */
  release(): void {
    for (const s of this.saved) s?.free();
  }

  /** Like ctx.set_materialize_grads. */
  setMaterializeGrads(value: boolean): void {
    this.materializeGrads = value;
  }
}

type ForwardFn = (ctx: FunctionCtx, ...args: never[]) => Tensor | Tensor[];
type DropCtx<F> = F extends (ctx: FunctionCtx, ...args: infer A) => unknown ? A : never;

/** The graph node of a custom Function: named `<ClassName>Backward`, as in PyTorch. */
class CustomNode extends Node {
  constructor(
    private readonly fn: typeof Function,
    private readonly ctx: FunctionCtx,
    private readonly outputs: { shape: readonly number[]; dtype: Tensor['dtype']; device: string }[],
  ) {
    super();
  }

  name(): string {
    return `${this.fn.name}Backward`;
  }

  apply(grads: (Tensor | null)[]): (Tensor | null)[] {
    const gs = this.outputs.map((o, i) => {
      const g = grads[i] ?? null;
      if (g !== null || !this.ctx.materializeGrads) return g;
      return zeros([...o.shape], { dtype: o.dtype, device: o.device });
    });
    const r = this.fn.backward(this.ctx, ...(gs as Tensor[]));
    const list: Grad[] = Array.isArray(r) ? r : [r];
    for (const g of list) {
      if (g !== null && g !== undefined && !(g instanceof Tensor)) {
        throw new RuntimeError(`expected Variable or None (got ${pyTypeName(g)}): ${this.name()} must return a Tensor or null for each input`);
      }
    }
    if (list.length !== this.nextFunctions.length) {
      throw new RuntimeError(`function ${this.name()} returned an incorrect number of gradients (expected ${this.nextFunctions.length}, got ${list.length})`);
    }
    return list.map((g, i) => (this.nextFunctions[i]![0] !== null && g ? g : null));
  }

  override release(): void {
    super.release();
    this.ctx.release();
  }
}

/** Base class of custom differentiable ops; subclasses define static forward and backward. */
export class Function {
  /** Computes the outputs from the inputs (runs without recording the graph). */
  static forward(_ctx: FunctionCtx, ..._args: unknown[]): Tensor | Tensor[] {
    throw new RuntimeError('You must implement the forward function for custom autograd.Function.');
  }

  /** Maps output gradients to one gradient per forward argument (null for non-tensors). */
  static backward(_ctx: FunctionCtx, ..._grads: Tensor[]): Grad | Grad[] {
    throw new RuntimeError('You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.');
  }

  /**
   * Runs the op and records it in the graph when an input requires grad. Works unbound too, as
   * in PyTorch's tutorials: `const P3 = LegendrePolynomial3.apply; P3(x)`.
   */
  declare static apply: <F extends { forward: ForwardFn }>(this: F, ...args: DropCtx<F['forward']>) => ReturnType<F['forward']>;
}

// `apply` read from a subclass is a function bound to that subclass, so it can be stored and
// called on its own (the declaration above gives its type).
Object.defineProperty(Function, 'apply', {
  get(this: typeof Function) {
    const cls = this;
    return (...args: unknown[]): unknown => applyFunction(cls, args);
  },
  configurable: true,
});

/** The body of Function.apply for the class `cls`. */
function applyFunction(cls: typeof Function, args: unknown[]): Tensor | Tensor[] {
  const ctx = new FunctionCtx();
  const tensors = args.map((a) => (a instanceof Tensor ? a : null));
  ctx.needsInputGrad = tensors.map((t) => !!t && t.requiresGrad);
  const result = noGrad(() => cls.forward(ctx, ...args));
  const outs = (Array.isArray(result) ? result : [result]).map((o) =>
    // An input returned as is becomes a new tensor object (sharing storage), as in PyTorch.
    tensors.includes(o) ? o.detach() : o,
  );
  if (isGradEnabled() && tensors.some((t) => t?.requiresGrad)) {
    const node = new CustomNode(cls, ctx, outs.map((o) => ({ shape: o.shape, dtype: o.dtype, device: o.device })));
    node.nextFunctions = tensors.map((t) => (t && t.requiresGrad ? t.gradEdge() : [null, 0]));
    outs.forEach((o, i) => {
      if (!o.isFloatingPoint()) return;
      o._gradFn = node;
      o._outputNr = i;
    });
  }
  return Array.isArray(result) ? outs : outs[0]!;
}

