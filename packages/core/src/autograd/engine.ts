/**
 * The backward engine: dependency counts over the reachable graph, then a ready queue that runs
 * later-created nodes first (PyTorch's order), accumulating gradients per node output.
 */
import { RuntimeError } from '../errors.js';
import { sameShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { onesLike } from '../ops/creation.js';
import { isGradEnabled, setGradEnabled } from './grad-mode.js';
import { AccumulateGrad, FnNode, type Node } from './node.js';
import { Temporaries } from '../memory/temporaries.js';

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
  /** Edges from nodes that have not run yet. */
  deps: number;
  /** The gradient of each output, summed over the edges delivered so far. */
  grads: (Tensor | null)[];
}

/**
 * A `.grad` after adding g. A first gradient is copied, unless `temps` (the pass's temporaries)
 * can hand it over because nothing else holds it, as PyTorch's AccumulateGrad steals it.
 */
function accumulate(prev: Tensor | null, g: Tensor, createGraph: boolean, temps: Temporaries | null = null): Tensor {
  if (prev === null) return createGraph || temps?.claim(g) ? g : g.clone();
  if (createGraph) return prev.add(g);
  return prev.add_(g);
}

interface ReadyEntry {
  node: Node;
  /** Push order: breaks ties between AccumulateGrad nodes first come, first served. */
  order: number;
}

/** Whether `a` runs before `b` when both are ready: PyTorch's ReadyQueue order. */
function runsBefore(a: ReadyEntry, b: ReadyEntry): boolean {
  // PyTorch gives AccumulateGrad the highest sequence number, so a finished leaf gradient is
  // stored (and its hooks run) at once; otherwise the most recently created node runs first.
  const accA = a.node instanceof AccumulateGrad, accB = b.node instanceof AccumulateGrad;
  if (accA !== accB) return accA;
  if (accA) return a.order < b.order;
  return a.node.seq > b.node.seq;
}

/** The ready nodes, as a binary heap ordered by runsBefore. */
class ReadyQueue {
  private readonly heap: ReadyEntry[] = [];
  private pushes = 0;

  get size(): number {
    return this.heap.length;
  }

  push(node: Node): void {
    const h = this.heap;
    const e: ReadyEntry = { node, order: this.pushes++ };
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!runsBefore(e, h[parent]!)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = e;
  }

  pop(): Node {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    const n = h.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const c = l + 1 < n && runsBefore(h[l + 1]!, h[l]!) ? l + 1 : l;
        if (!runsBefore(h[c]!, last)) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top.node;
  }
}

/** Every node reachable from `roots`, with the number of edges pointing at it (iterative). */
function countDependencies(roots: readonly Node[]): Map<Node, NodeState> {
  const state = new Map<Node, NodeState>();
  const stack: Node[] = [];
  for (const n of roots) {
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
  return state;
}

/**
 * The nodes on a path from `roots` to one of `targets` (they alone run when backward is given
 * `inputs`): an iterative post-order walk, so graph depth is bounded by memory, not the stack.
 */
function neededNodes(roots: readonly Node[], targets: ReadonlySet<Node>): Set<Node> {
  const needed = new Set<Node>();
  const seen = new Set<Node>();
  const nodes: Node[] = [];
  const nextEdge: number[] = [];
  for (const root of roots) {
    if (seen.has(root)) continue;
    seen.add(root);
    nodes.push(root);
    nextEdge.push(0);
    while (nodes.length > 0) {
      const top = nodes.length - 1;
      const node = nodes[top]!;
      const edges = node.nextFunctions;
      const j = nextEdge[top]!;
      if (j < edges.length) {
        nextEdge[top] = j + 1;
        const next = edges[j]![0];
        if (next !== null && !seen.has(next)) { seen.add(next); nodes.push(next); nextEdge.push(0); }
        continue;
      }
      // Every child is finished (the graph is acyclic), so its answer is known.
      nodes.pop();
      nextEdge.pop();
      if (targets.has(node) || edges.some(([next]) => next !== null && needed.has(next))) needed.add(node);
    }
  }
  return needed;
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
  const rootEdges = outputs.map((out) => out.gradEdge());
  const rootNodes = rootEdges.map(([n]) => n!);
  const state = countDependencies(rootNodes);

  // With `inputs`, only nodes on a path to one of them run; `targets` maps each such node to
  // the inputs (by position k) whose gradient is its output nr.
  const targets = inputs === null ? null : new Map<Node, [k: number, nr: number][]>();
  inputs?.forEach((t, k) => {
    const [n, nr] = t.gradEdge();
    if (n === null) throw new RuntimeError('One of the differentiated Tensors does not require grad');
    const list = targets!.get(n);
    if (list) list.push([k, nr]); else targets!.set(n, [[k, nr]]);
  });
  const needed = targets === null ? null : neededNodes(rootNodes, new Set(targets.keys()));
  const isNeeded = (n: Node): boolean => needed === null || needed.has(n);

  // Gradients and formula intermediates are freed as soon as they are consumed (unless createGraph).
  const temps = createGraph ? null : new Temporaries();
  const addGrad = (buf: (Tensor | null)[], nr: number, g: Tensor): void => {
    const prev = buf[nr] ?? null;
    temps?.hold(g);
    if (prev === null) buf[nr] = g;
    else {
      const sum = prev.add(g);
      temps?.hold(sum);
      buf[nr] = sum;
      temps?.drop(prev);
      temps?.drop(g);
    }
  };
  rootEdges.forEach(([n, nr], i) => addGrad(state.get(n!)!.grads, nr, roots[i]!));

  const captured: (Tensor | null)[] = inputs === null ? [] : inputs.map(() => null);
  const ready = new ReadyQueue();
  for (const [n, st] of state) if (st.deps === 0 && isNeeded(n)) ready.push(n);
  const executed: Node[] = [];
  const prevMode = isGradEnabled();
  setGradEnabled(createGraph);
  try {
    while (ready.size > 0) {
      const node = ready.pop();
      const buf = state.get(node)!.grads;
      state.delete(node); // a node runs once: let its gradients go with it
      // The node's gradients are complete: run hooks, then capture those asked for.
      // A hook may keep the gradients it sees: those are never freed.
      if (node.preHooks !== null) for (const g of buf) temps?.keep(g);
      runPreHooks(node, buf, createGraph);
      const asked = targets?.get(node);
      if (asked) for (const [k, nr] of asked) { captured[k] = buf[nr] ?? null; temps?.keep(captured[k]); }

      if (node instanceof AccumulateGrad) {
        const g = buf[0] ?? null;
        if (!capture && g !== null) node.variable._grad = accumulate(node.variable._grad, g, createGraph, temps);
        for (const t of buf) temps?.drop(t);
        continue;
      }
      // autograd.grad stops at an input unless a path continues through it to another one.
      if (capture && asked && !node.nextFunctions.some(([n]) => n !== null && isNeeded(n))) continue;

      let anyGrad = false;
      for (let i = 0; i < buf.length; i++) if (buf[i]) anyGrad = true;
      const mark = temps?.mark() ?? 0;
      const out = anyGrad ? node.apply(buf) : [];
      executed.push(node);
      // `buf` is consumed here: nothing reads it again. Its tensors may be freed now, except those
      // still held by `out` (formulas may pass a gradient through), `captured`, or a `.grad`.
      const edges = node.nextFunctions;
      for (let j = 0; j < edges.length; j++) {
        const [next, nr] = edges[j]!;
        if (next === null || !isNeeded(next)) continue;
        const g = out[j] ?? null;
        const st = state.get(next)!;
        if (g !== null) addGrad(st.grads, nr, g);
        if (--st.deps === 0) ready.push(next);
      }
      if (temps !== null) {
        for (const t of buf) temps.drop(t);
        // A built-in formula's intermediates die here (a custom Function's backward may keep its own).
        if (node instanceof FnNode) temps.freeSince(mark);
      }
    }
  } finally {
    temps?.end();
    setGradEnabled(prevMode);
    if (!retainGraph) for (const n of executed) n.release();
  }
  if (!capture && inputs !== null) {
    // backward(inputs=[non-leaf]) fills the non-leaf's .grad.
    inputs.forEach((t, k) => { if (!t.isLeaf && captured[k]) t._grad = accumulate(t._grad, captured[k]!, createGraph); });
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
