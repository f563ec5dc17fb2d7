/**
 * The backward engine: dependency counts over the reachable graph, then a ready queue that runs
 * later-created nodes first (PyTorch's order), accumulating gradients per node output.
 */
import { RuntimeError } from '../errors.js';
import { sameShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { onesLike } from '../ops/creation.js';
import { isGradEnabled, setGradEnabled } from './grad-mode.js';
import { AccumulateGrad, type Node } from './node.js';

/** Options of `backward` and `autograd.grad`. */
export interface BackwardOptions {
  /** Keep saved tensors so backward can run through this graph again (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward pass itself, for higher-order gradients. */
  createGraph?: boolean;
  /** Accumulate only into these tensors. */
  inputs?: Tensor[];
}

function sizeStr(shape: readonly number[]): string {
  return `torch.Size([${shape.join(', ')}])`;
}

/** Validates (or creates, for scalars) the gradient fed to each root. */
function rootGrads(outputs: Tensor[], grads: (Tensor | null)[]): Tensor[] {
  return outputs.map((out, i) => {
    const g = grads[i] ?? null;
    if (!out.requiresGrad) throw new RuntimeError(`element ${i} of tensors does not require grad and does not have a grad_fn`);
    if (g === null) {
      if (out.numel() !== 1) throw new RuntimeError('grad can be implicitly created only for scalar outputs');
      return onesLike(out);
    }
    if (!sameShape(g.shape, out.shape)) {
      throw new RuntimeError(`Mismatch in shape: grad_output[${i}] has a shape of ${sizeStr(g.shape)} and output[${i}] has a shape of ${sizeStr(out.shape)}.`);
    }
    return g;
  });
}

interface NodeState {
  deps: number;
  grads: (Tensor | null)[];
}

function accumulate(prev: Tensor | null, g: Tensor, createGraph: boolean): Tensor {
  if (prev === null) return createGraph ? g : g.clone();
  if (createGraph) return prev.add(g);
  return prev.add_(g);
}

/**
 * Runs backward from `outputs`. With `capture`, returns the gradients of `options.inputs`
 * (autograd.grad) instead of accumulating into `.grad`.
 */
export function runBackward(outputs: Tensor[], grads: (Tensor | null)[], options: BackwardOptions, capture: boolean): (Tensor | null)[] {
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const inputs = options.inputs ?? null;
  if (inputs !== null && inputs.length === 0) throw new RuntimeError("'inputs' argument to backward() cannot be empty.");
  const roots = rootGrads(outputs, grads);

  // Per reachable node: how many edges still point at it, and its output gradients so far.
  const state = new Map<Node, NodeState>();
  const stack: Node[] = [];
  for (const out of outputs) {
    const n = out.gradEdge()[0]!;
    if (!state.has(n)) { state.set(n, { deps: 0, grads: [] }); stack.push(n); }
  }
  while (stack.length > 0) {
    const edges = stack.pop()!.nextFunctions;
    for (let j = 0; j < edges.length; j++) {
      const next = edges[j]![0];
      if (next === null) continue;
      const st = state.get(next);
      if (st === undefined) { state.set(next, { deps: 1, grads: [] }); stack.push(next); } else st.deps++;
    }
  }

  // With `inputs`, only nodes on a path to one of them run.
  const targets = inputs?.map((t) => {
    const e = t.gradEdge();
    if (e[0] === null) throw new RuntimeError('One of the differentiated Tensors does not require grad');
    return e;
  }) ?? null;
  const needed = new Map<Node, boolean>();
  const isNeeded = (n: Node): boolean => {
    if (targets === null) return true;
    let v = needed.get(n);
    if (v !== undefined) return v;
    needed.set(n, false); // graphs are acyclic; this only guards the recursion
    v = targets.some((e) => e[0] === n) || n.nextFunctions.some(([next]) => next !== null && isNeeded(next));
    needed.set(n, v);
    return v;
  };

  const addGrad = (grads: (Tensor | null)[], nr: number, g: Tensor): void => {
    const prev = grads[nr] ?? null;
    grads[nr] = prev === null ? g : prev.add(g);
  };
  outputs.forEach((out, i) => {
    const [n, nr] = out.gradEdge();
    addGrad(state.get(n!)!.grads, nr, roots[i]!);
  });

  const captured: (Tensor | null)[] = targets ? targets.map(() => null) : [];
  const ready: Node[] = [];
  for (const [n, st] of state) if (st.deps === 0 && isNeeded(n)) ready.push(n);
  const executed: Node[] = [];
  const prevMode = isGradEnabled();
  setGradEnabled(createGraph);
  try {
    while (ready.length > 0) {
      // Pop the latest-created ready node.
      let best = 0;
      for (let i = 1; i < ready.length; i++) if (ready[i]!.seq > ready[best]!.seq) best = i;
      const node = ready[best]!;
      ready[best] = ready[ready.length - 1]!;
      ready.pop();

      const buf = state.get(node)!.grads;
      runPreHooks(node, buf, createGraph);
      if (targets !== null) targets.forEach(([n, nr], k) => { if (n === node) captured[k] = buf[nr] ?? null; });

      if (node instanceof AccumulateGrad) {
        const g = buf[0] ?? null;
        if (!capture && g !== null) node.variable._grad = accumulate(node.variable._grad, g, createGraph);
        continue;
      }
      if (capture && targets!.some(([n]) => n === node) && !node.nextFunctions.some(([n]) => n !== null && isNeeded(n))) continue;

      let anyGrad = false;
      for (let i = 0; i < buf.length; i++) if (buf[i]) anyGrad = true;
      const out = anyGrad ? node.apply(buf) : [];
      executed.push(node);
      const edges = node.nextFunctions;
      for (let j = 0; j < edges.length; j++) {
        const [next, nr] = edges[j]!;
        if (next === null || !isNeeded(next)) continue;
        const g = out[j] ?? null;
        const st = state.get(next)!;
        if (g !== null) addGrad(st.grads, nr, g);
        if (--st.deps === 0) ready.push(next);
      }
    }
  } finally {
    setGradEnabled(prevMode);
    if (!retainGraph) for (const n of executed) n.release();
  }
  if (!capture && targets !== null) {
    // backward(inputs=[non-leaf]) fills the non-leaf's .grad.
    inputs!.forEach((t, k) => { if (!t.isLeaf && captured[k]) t._grad = accumulate(t._grad, captured[k]!, createGraph); });
  }
  return captured;
}

/** Tensor hooks may replace an output's gradient; retained non-leaf tensors get theirs here. */
function runPreHooks(node: Node, buf: (Tensor | null)[], createGraph: boolean): void {
  if (node.preHooks) {
    for (const [nr, hooks] of node.preHooks) {
      for (const hook of hooks) {
        const g = buf[nr];
        if (!g) break;
        const r = hook(g);
        if (r) buf[nr] = r;
      }
    }
  }
  if (node.retained) {
    for (const [nr, t] of node.retained) {
      const g = buf[nr];
      if (g) t._grad = accumulate(t._grad, g, createGraph);
    }
  }
}

/**
 * torch.autograd.grad: the gradients of `outputs` with respect to `inputs`, without touching
 * `.grad`. `allowUnused` returns null for inputs the outputs do not depend on.
 */
export function grad(
  outputs: Tensor | Tensor[],
  inputs: Tensor | Tensor[],
  gradOutputs?: Tensor | (Tensor | null)[] | null,
  options: Omit<BackwardOptions, 'inputs'> & { allowUnused?: boolean } = {},
): (Tensor | null)[] {
  const outs = Array.isArray(outputs) ? outputs : [outputs];
  const ins = Array.isArray(inputs) ? inputs : [inputs];
  const gs = gradOutputs == null ? outs.map(() => null) : Array.isArray(gradOutputs) ? gradOutputs : [gradOutputs];
  const res = runBackward(outs, gs, { ...options, inputs: ins }, true);
  if (!options.allowUnused) {
    res.forEach((g, i) => {
      if (g === null) throw new RuntimeError(`One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.`);
      void i;
    });
  }
  return res;
}
