/** Shared helpers for the nn / optim / data fixture tests: loading, decoding, tolerant comparison. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type * as Torch from '../src/index.js';
import type { DType, Tensor, nn as NN, optim as Optim } from '../src/index.js';

/** The @kindling/core namespace (from source in core's tests, from its build in the workers' tests). */
export type TorchModule = typeof Torch;

/** A tensor as the generators write it. */
export interface FixtureTensor { shape: number[]; dtype: DType; data: (number | boolean)[] }

/** Parses a fixture file next to this test. */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** A fixture tensor as a Kindling tensor on `device`. */
export function decode(torch: TorchModule, t: FixtureTensor, device = 'cpu'): Tensor {
  const data = t.data.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
  return torch.tensor(data, { dtype: t.dtype, device }).reshape(t.shape);
}

/** snake_case keys -> camelCase (PyTorch keywords -> Kindling options). */
export function camelKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
}

/** Awaits each tensor's pending kernels (asynchronous devices), then checks it with expectClose. */
export async function expectAllClose(checks: [Tensor | null | undefined, FixtureTensor, string][], rtol = 1e-4, atol = 1e-5): Promise<void> {
  for (const [got, want, what] of checks) {
    await got?.ready();
    expectClose(got, want, what, rtol, atol);
  }
}

/** Expects `got` to hold `want`'s shape and values within rtol / atol (exact when both are 0). */
export function expectClose(got: Tensor | null | undefined, want: FixtureTensor, what: string, rtol = 1e-4, atol = 1e-5): void {
  expect(got, `${what}: missing`).toBeTruthy();
  expect([...got!.shape], `${what}: shape`).toEqual(want.shape);
  const g = got!.contiguous().dataSync();
  let worst = -1, worstErr = 0;
  want.data.forEach((w0, i) => {
    const w = Number(w0), v = g[i]!;
    const err = Math.abs(v - w) - (atol + rtol * Math.abs(w));
    if (!(err <= 0) && !(Number.isNaN(v) && Number.isNaN(w)) && (err > worstErr || worst < 0)) { worst = i; worstErr = err; }
  });
  if (worst >= 0) expect.fail(`${what}: element ${worst} is ${g[worst]}, PyTorch has ${want.data[worst]}`);
}

/** One layer case of torch-nn.json. */
export interface NnCase {
  name: string; ctor: string; args: unknown[]; kwargs: Record<string, unknown>; seed: number; eval: boolean;
  init: Record<string, FixtureTensor>; inputs: FixtureTensor[]; outputs: FixtureTensor[]; grad_outputs: FixtureTensor[];
  input_grads: (FixtureTensor | null)[]; param_grads: Record<string, FixtureTensor>; state_after: Record<string, FixtureTensor>;
}

type Ctor = new (...args: unknown[]) => NN.Module;

/** The module class named `name` in torch.nn. */
export function moduleClass(torch: TorchModule, name: string): Ctor {
  return (torch.nn as unknown as Record<string, Ctor>)[name]!;
}

function flat(torch: TorchModule, out: unknown): Tensor[] {
  if (out instanceof torch.Tensor) return [out];
  if (Array.isArray(out)) return out.flatMap((o) => flat(torch, o));
  return [];
}

/**
 * Runs a layer case: builds the module after manualSeed (its state must equal PyTorch's init
 * exactly), moves it to `device`, runs forward and backward, and compares outputs, gradients and
 * the state afterwards with PyTorch's.
 */
export async function runCase(torch: TorchModule, c: NnCase, device = 'cpu'): Promise<void> {
  torch.manualSeed(c.seed);
  const kw = camelKeys(c.kwargs);
  const m = new (moduleClass(torch, c.ctor))(...c.args, ...(Object.keys(kw).length ? [kw] : []));
  const sd = m.stateDict();
  expect(Object.keys(sd), 'state-dict keys').toEqual(Object.keys(c.init));
  for (const [k, want] of Object.entries(c.init)) expectClose(sd[k], want, `init ${k}`, 0, 0);
  if (device !== 'cpu') m.to(device);
  if (c.eval) m.eval();
  const inputs = c.inputs.map((t) => {
    const x = decode(torch, t, device);
    return x.isFloatingPoint() ? x.requiresGrad_() : x;
  });
  const out = flat(torch, (m.forward as (...a: unknown[]) => unknown)(...inputs));
  expect(out.length, 'number of outputs').toBe(c.outputs.length);
  out.forEach((o) => expect(o.device).toBe(device));
  await expectAllClose(out.map((o, i) => [o, c.outputs[i]!, `output ${i}`]));
  const terms = out.map((o, i) => (o.requiresGrad ? o.mul(decode(torch, c.grad_outputs[i]!, device)).sum() : null)).filter((t): t is Tensor => t !== null);
  if (terms.length) terms.reduce((a, b) => a.add(b)).backward();
  const params = Object.fromEntries(m.namedParameters());
  const after = m.stateDict();
  await expectAllClose([
    ...c.input_grads.flatMap((g, i) => (g ? [[inputs[i]!.grad, g, `input ${i} grad`] as const] : [])),
    ...Object.entries(c.param_grads).map(([k, g]) => [params[k]!.grad, g, `${k}.grad`] as const),
    ...Object.entries(c.state_after).map(([k, want]) => [after[k], want, `state ${k} after forward`] as const),
  ] as [Tensor | null | undefined, FixtureTensor, string][]);
}

/** One optimizer case of torch-optim.json. */
export interface OptCase {
  name: string; kwargs: Record<string, unknown>; steps: FixtureTensor[][];
  state_dict: { state: Record<string, Record<string, unknown>>; param_groups: Record<string, unknown>[] };
}

/** Runs an optimizer case: N steps with the fixture's gradients, parameters checked after every step. */
export async function runOptimizer(torch: TorchModule, params0: FixtureTensor[], grads: FixtureTensor[][], c: OptCase, device = 'cpu'): Promise<Optim.Optimizer<object>> {
  const params = params0.map((p) => new torch.nn.Parameter(decode(torch, p, device)));
  type OptCtor = new (params: Tensor[], opts: Record<string, unknown>) => Optim.Optimizer<object>;
  const o = new ((torch.optim as unknown as Record<string, OptCtor>)[c.name]!)(params, camelKeys(c.kwargs));
  for (const [k, want] of c.steps.entries()) {
    o.zeroGrad();
    params.forEach((p, i) => (p.grad = decode(torch, grads[k]![i]!, device)));
    o.step();
    await expectAllClose(want.map((w, i) => [params[i], w, `step ${k + 1} param ${i}`]), 1e-5, 1e-6);
  }
  return o;
}
