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

  /** Runs the op and records it in the graph when an input requires grad. */
  static apply<F extends { forward: ForwardFn }>(this: F, ...args: DropCtx<F['forward']>): ReturnType<F['forward']> {
    const cls = this as unknown as typeof Function;
    const ctx = new FunctionCtx();
    const tensors = (args as unknown[]).map((a) => (a instanceof Tensor ? a : null));
    ctx.needsInputGrad = tensors.map((t) => !!t && t.requiresGrad);
    const result = noGrad(() => cls.forward(ctx, ...(args as unknown[])));
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
    return (Array.isArray(result) ? outs : outs[0]) as ReturnType<F['forward']>;
  }
}
