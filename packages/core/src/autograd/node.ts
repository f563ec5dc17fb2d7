/**
 * Graph nodes. A node is created by a differentiable op; `nextFunctions` point at the nodes of
 * its inputs (PyTorch's next_functions) and `apply` maps the gradients of its outputs to one
 * gradient per input. Backward formulas are written with ops, so they are differentiable too.
 */
import { legacyTypeName } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { shapeStr } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** An edge to the node that produced an input, and which of its outputs it was. */
export type Edge = readonly [Node | null, number];

/** A gradient hook: may return a replacement gradient. */
export type GradHook = (grad: Tensor) => Tensor | void | undefined;

let sequence = 0;

const inspect = Symbol.for('nodejs.util.inspect.custom');

/**
 * A node of the autograd graph (a tensor's `gradFn`): torch.autograd.graph.Node, e.g.
 * `<MulBackward0>`.
 */
export abstract class Node {
  /** Creation order; the engine runs later nodes first among those ready, like PyTorch. */
  readonly seq = sequence++;
  /** The nodes that produced this node's inputs, with their output index (PyTorch's next_functions). */
  nextFunctions: Edge[] = [];
  /** Hooks on the gradient of each output, before the node runs (Tensor.registerHook). */
  preHooks: Map<number, GradHook[]> | null = null;
  /** Non-leaf tensors whose `.grad` is retained, by output index (Tensor.retainGrad). */
  retained: Map<number, Tensor> | null = null;
  /** Set when backward freed this node's saved tensors. */
  released = false;

  /** PyTorch's class name, e.g. "MulBackward0". */
  abstract name(): string;
  /** Gradients of the outputs (null where none flowed) to one gradient per next function. */
  abstract apply(grads: (Tensor | null)[]): (Tensor | null)[];
  /** Drops saved tensors after backward unless the graph is retained. */
  release(): void {
    this.released = true;
  }

  /** Adds a hook on the gradient of output `output`; returns a function that removes it. */
  addPreHook(output: number, hook: GradHook): () => void {
    this.preHooks ??= new Map();
    const list = this.preHooks.get(output) ?? [];
    list.push(hook);
    this.preHooks.set(output, list);
    return () => {
      const i = list.indexOf(hook);
      if (i >= 0) list.splice(i, 1);
    };
  }

  /** `<MulBackward0>`, as PyTorch prints a node. */
  toString(): string {
    return `<${this.name()}>`;
  }

  [inspect](): string {
    return this.toString();
  }
}

/** A tensor saved for backward, with the storage version it had when saved. */
export class SavedTensor {
  private tensor: Tensor | null;
  private readonly version: number;
  private readonly producer: string | null;
  private readonly outputNr: number;

  /** `asOutput`: the node saving `t` is the one producing it (t's gradFn is not set yet). */
  constructor(t: Tensor, asOutput?: { producer: string; outputNr: number }) {
    this.tensor = t;
    this.version = t.storage.version;
    this.producer = asOutput ? asOutput.producer : null;
    this.outputNr = asOutput ? asOutput.outputNr : t.outputNr;
  }

  /** The saved tensor; PyTorch's errors if it was freed or modified in place since. */
  unpack(): Tensor {
    const t = this.tensor;
    if (t === null) {
      throw new RuntimeError(
        'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.',
      );
    }
    if (t.storage.version !== this.version) {
      // Like PyTorch: a saved output names the node that made it; any other saved tensor names
      // its grad_fn as it is now (after the in-place op that broke it).
      const producer = this.producer ?? t.gradFn?.name() ?? null;
      const which = producer ? `, which is output ${this.outputNr} of ${producer},` : '';
      throw new RuntimeError(
        `one of the variables needed for gradient computation has been modified by an inplace operation: [torch.${legacyTypeName(t.dtype)} ${shapeStr(t.shape)}]${which} is at version ${t.storage.version}; expected version ${this.version} instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).`,
      );
    }
    return t;
  }

  free(): void {
    this.tensor = null;
  }
}

/** The backward of one op: a name, the saved tensors, and the formula. */
export type BackwardFn = (grads: (Tensor | null)[], saved: Tensor[], needs: boolean[]) => (Tensor | null)[];
// `saved` entries that were saved as null (not needed for the gradients asked) unpack as null.

/** A node whose formula is a function (every built-in op uses this). */
export class FnNode extends Node {
  private readonly saved: (SavedTensor | null)[];
  /** Which inputs need a gradient (fixed once the node is wired into the graph). */
  private needs: boolean[] | null = null;

  /** `outputs`: the tensors this node produces, so saved outputs name it in version errors. */
  constructor(
    private readonly nodeName: string,
    saved: readonly (Tensor | null)[],
    private readonly backward: BackwardFn,
    outputs: readonly Tensor[] = [],
  ) {
    super();
    this.saved = saved.map((t) => {
      if (!t) return null;
      const k = outputs.indexOf(t);
      return new SavedTensor(t, k >= 0 ? { producer: nodeName, outputNr: k } : undefined);
    });
  }

  name(): string {
    return this.nodeName;
  }

  apply(grads: (Tensor | null)[]): (Tensor | null)[] {
    const saved = this.saved.map((s) => s?.unpack()) as Tensor[];
    this.needs ??= this.nextFunctions.map((e) => e[0] !== null);
    return this.backward(grads, saved, this.needs);
  }

  override release(): void {
    super.release();
    for (const s of this.saved) s?.free();
  }
}

/** The sink of a leaf tensor's gradient: accumulates into `variable.grad`. */
export class AccumulateGrad extends Node {
  constructor(readonly variable: Tensor) {
    super();
  }

  name(): string {
    return 'AccumulateGrad';
  }

  apply(): (Tensor | null)[] {
    throw new RuntimeError('AccumulateGrad is run by the engine');
  }
}
