/**
 * gradcheck / gradgradcheck: compare the gradients autograd computes with central finite
 * differences, like torch.autograd.gradcheck. Inputs should be float64 (float32 finite
 * differences are too noisy for the default tolerances).
 *
 * Pure TypeScript (no test framework, no Node APIs), so any test runner can use it.
 */
import * as torch from '../index.js';
import { Tensor } from '../tensor.js';

/** Tolerances of gradcheck / gradgradcheck (PyTorch's defaults). */
export interface GradcheckOptions {
  /** Finite-difference step. */
  eps?: number;
  /** Absolute tolerance. */
  atol?: number;
  /** Relative tolerance. */
  rtol?: number;
}

/** What a checked function may return: a tensor, several, or max/min's `{ values, indices }`. */
export type GradcheckOutput = Tensor | readonly (Tensor | null)[] | { values: Tensor; indices: Tensor };

/** The function under test: called with the inputs (tensors and any other values) in order. */
export type GradcheckFn = (...inputs: never[]) => GradcheckOutput;

/** The tensors of a function result, in order (non-tensors dropped). */
export function outputsOf(r: unknown): Tensor[] {
  if (r instanceof Tensor) return [r];
  if (Array.isArray(r)) return r.filter((t): t is Tensor => t instanceof Tensor);
  if (r !== null && typeof r === 'object' && 'values' in r && (r as { values: unknown }).values instanceof Tensor) {
    const o = r as { values: Tensor; indices?: unknown };
    return o.indices instanceof Tensor ? [o.values, o.indices] : [o.values];
  }
  throw new Error(`gradcheck: the function must return a Tensor or an array of Tensors, got ${String(r)}`);
}

/** A deterministic pseudo-random stream (no global RNG state is touched). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Values of `t` in row-major order, as plain numbers. */
function valuesOf(t: Tensor): Float64Array {
  return Float64Array.from(t.dataSync(), Number);
}

/**
 * A fresh leaf with `t`'s values except element `i` shifted by `delta` (same dtype, device and
 * requiresGrad: gradgradcheck's inner function differentiates with respect to it).
 */
function perturbed(t: Tensor, i: number, delta: number): Tensor {
  const v = valuesOf(t);
  v[i] = v[i]! + delta;
  return torch.tensor(v, { dtype: t.dtype, device: t.device }).reshape([...t.shape]).detach().requiresGrad_(t.requiresGrad);
}

/**
 * Evaluates fn, returning the floating outputs flattened to numbers. Grad mode stays on (as in
 * PyTorch): gradgradcheck's inner function calls autograd.grad itself.
 */
function evaluate(fn: GradcheckFn, args: unknown[]): Float64Array[] {
  return outputsOf((fn as (...a: unknown[]) => unknown)(...args))
    .filter((o) => o.isFloatingPoint())
    .map(valuesOf);
}

function formatMatrix(m: Float64Array[], cols: number): string {
  return m.map((row) => '[' + Array.from(row.subarray(0, cols), (v) => v.toPrecision(6)).join(', ') + ']').join('\n');
}

/**
 * torch.autograd.gradcheck: for every floating output and every input tensor that requires
 * grad, the Jacobian from autograd (one vector-Jacobian product per output element) must match
 * central finite differences: |analytic - numeric| <= atol + rtol * |numeric|. Returns true,
 * or throws an Error naming the output, the input and both Jacobians.
 *
 * `inputs` are passed to `fn` in order; non-tensor entries (dims, flags) are passed through.
 */
export function gradcheck(fn: GradcheckFn, inputs: readonly unknown[], options: GradcheckOptions = {}): true {
  const eps = options.eps ?? 1e-6, atol = options.atol ?? 1e-5, rtol = options.rtol ?? 1e-3;
  const args = [...inputs];
  const diff = args.flatMap((a, k) => (a instanceof Tensor && a.requiresGrad ? [k] : []));
  if (diff.length === 0) throw new Error('gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.');
  for (const k of diff) {
    const t = args[k] as Tensor;
    if (t.dtype !== 'float64') {
      throw new Error(`gradcheck: input #${k} requires gradient and is ${t.dtype}, not float64: finite differences need double precision (use .double())`);
    }
  }

  // Analytic: one autograd.grad call per output element, with a one-hot grad_output.
  const outs = outputsOf((fn as (...a: unknown[]) => unknown)(...args));
  const floatOuts = outs.filter((o) => o.isFloatingPoint());
  const diffTensors = diff.map((k) => args[k] as Tensor);
  // analytic[o][d] is a (numel of output o) x (numel of input d) matrix, one row per output element.
  const analytic: Float64Array[][][] = floatOuts.map((o) => diffTensors.map(() => new Array<Float64Array>(o.numel())));
  floatOuts.forEach((o, oi) => {
    const m = o.numel();
    for (let j = 0; j < m; j++) {
      const rows = analytic[oi]!;
      if (!o.requiresGrad) {
        diffTensors.forEach((t, d) => (rows[d]![j] = new Float64Array(t.numel())));
        continue;
      }
      const oneHot = new Float64Array(m);
      oneHot[j] = 1;
      const g = torch.tensor(oneHot, { dtype: o.dtype, device: o.device }).reshape([...o.shape]);
      const grads = torch.autograd.grad([o], diffTensors, [g], { retainGraph: true, allowUnused: true });
      diffTensors.forEach((t, d) => {
        const gi = grads[d] ?? null;
        if (gi !== null) {
          if (gi.shape.length !== t.shape.length || gi.shape.some((s, i) => s !== t.shape[i])) {
            throw new Error(`gradcheck: the gradient of input #${diff[d]} has shape [${gi.shape.join(', ')}], expected [${t.shape.join(', ')}]`);
          }
          if (gi.dtype !== t.dtype) throw new Error(`gradcheck: the gradient of input #${diff[d]} has dtype ${gi.dtype}, expected ${t.dtype}`);
        }
        rows[d]![j] = gi === null ? new Float64Array(t.numel()) : valuesOf(gi);
      });
    }
  });

  // Numeric: central differences, one input element at a time.
  diff.forEach((k, d) => {
    const t = args[k] as Tensor;
    const n = t.numel();
    // numeric[o][i] is column i: d(output o) / d(input element i).
    const numeric: Float64Array[][] = floatOuts.map(() => new Array<Float64Array>(n));
    for (let i = 0; i < n; i++) {
      args[k] = perturbed(t, i, eps);
      const plus = evaluate(fn, args);
      args[k] = perturbed(t, i, -eps);
      const minus = evaluate(fn, args);
      plus.forEach((p, o) => {
        const col = new Float64Array(p.length);
        for (let j = 0; j < p.length; j++) col[j] = (p[j]! - minus[o]![j]!) / (2 * eps);
        numeric[o]![i] = col;
      });
    }
    args[k] = t;
    floatOuts.forEach((o, oi) => {
      const m = o.numel();
      let worst = -1, worstErr = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          const num = numeric[oi]![i]![j]!, ana = analytic[oi]![d]![j]![i]!;
          const err = Math.abs(ana - num);
          const ok = err <= atol + rtol * Math.abs(num) || (Number.isNaN(num) && Number.isNaN(ana));
          if (!ok && (worst < 0 || err > worstErr || Number.isNaN(err))) { worst = i * m + j; worstErr = err; }
        }
      }
      if (worst >= 0) {
        // Print as PyTorch does: rows are input elements, columns output elements.
        const numRows = Array.from({ length: n }, (_, i) => numeric[oi]![i]!);
        const anaRows = Array.from({ length: n }, (_, i) => Float64Array.from({ length: m }, (_, j) => analytic[oi]![d]![j]![i]!));
        const i = Math.floor(worst / m), j = worst % m;
        throw new Error(
          `Jacobian mismatch for output ${oi} with respect to input ${k},\n` +
            `largest difference at input element ${i}, output element ${j}: numerical ${numeric[oi]![i]![j]} vs analytical ${analytic[oi]![d]![j]![i]} (atol ${atol}, rtol ${rtol})\n` +
            `numerical:\n${formatMatrix(numRows, m)}\nanalytical:\n${formatMatrix(anaRows, m)}\n`,
        );
      }
    });
  });
  return true;
}

/** Options of gradgradcheck: gradcheck's tolerances plus the seed of the random grad_outputs. */
export interface GradgradcheckOptions extends GradcheckOptions {
  /** Seed of the deterministic grad_outputs drawn when none are given. */
  seed?: number;
}

/**
 * torch.autograd.gradgradcheck: checks second derivatives by running gradcheck on the function
 * (inputs, gradOutputs) -> autograd.grad(fn(inputs), inputs, gradOutputs, { createGraph: true }).
 * `gradOutputs` (one per floating output) default to deterministic random float64 tensors.
 */
export function gradgradcheck(
  fn: GradcheckFn,
  inputs: readonly unknown[],
  gradOutputs: readonly Tensor[] | null = null,
  options: GradgradcheckOptions = {},
): true {
  const args = [...inputs];
  const diff = args.flatMap((a, k) => (a instanceof Tensor && a.requiresGrad ? [k] : []));
  const outs = torch.noGrad(() => outputsOf((fn as (...a: unknown[]) => unknown)(...args))).filter((o) => o.isFloatingPoint());
  const rand = lcg(options.seed ?? 12345);
  const gos = gradOutputs
    ? [...gradOutputs]
    : outs.map((o) => torch.tensor(Float64Array.from({ length: o.numel() }, () => rand() * 2 - 1), { dtype: o.dtype, device: o.device }).reshape([...o.shape]).detach());
  if (gos.length !== outs.length) throw new Error(`gradgradcheck: expected ${outs.length} grad_outputs, got ${gos.length}`);
  const goLeaves = gos.map((g) => (g.requiresGrad ? g : g.detach().requiresGrad_(g.isFloatingPoint())));
  const nIn = args.length;
  const firstOrder = (...all: unknown[]): Tensor[] => {
    const xs = all.slice(0, nIn);
    const gs = all.slice(nIn) as Tensor[];
    const out = outputsOf((fn as (...a: unknown[]) => unknown)(...xs)).filter((o) => o.isFloatingPoint());
    const used = out.flatMap((o, i) => (o.requiresGrad ? [i] : []));
    if (used.length === 0) return [];
    const grads = torch.autograd.grad(used.map((i) => out[i]!), diff.map((k) => xs[k] as Tensor), used.map((i) => gs[i]!), { createGraph: true, allowUnused: true });
    return grads.filter((g): g is Tensor => g !== null);
  };
  return gradcheck(firstOrder as GradcheckFn, [...args, ...goLeaves], options);
}
