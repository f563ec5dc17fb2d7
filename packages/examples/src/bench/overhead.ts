/**
 * Per-op overhead: `y = x.mul(w).add(b).relu().sum(); y.backward()` on shape-[8] tensors that
 * require grad (4 forward ops, their backward and 3 gradient accumulations), where every kernel
 * is trivial, so the time is the framework's own. The kernel calls per iteration are counted on
 * the cpu backend (not assumed), so the figure per op is the time per iteration over that count.
 * overhead.py beside this file times the same loop in PyTorch (run in a child process when a
 * python3 with torch is importable). `pnpm bench:overhead` runs it alone; `pnpm bench` includes it.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as torch from '@kindling/core';
import { FAMILIES } from '@kindling/backend-workers';
import { median } from './stats.js';
import { findTorchPython } from './torch-child.js';

const ITERS = 2000;

/** What `measureOverhead` found. */
export interface OverheadResult {
  /** Median microseconds per iteration over the rounds. */
  us_per_iter: number;
  /** Backend kernel calls per iteration (counted). */
  kernels_per_iter: number;
  /** us_per_iter / kernels_per_iter: the per-op overhead. */
  us_per_op: number;
  /**
   * The same loop on shape [256] (us per op): storage of 1 KiB lives in the wasm memory, while
   * that of shape [8] (32 bytes) stays on the JS heap (tiny storage), so this adds the arena's
   * bookkeeping and the FinalizationRegistry entry of every tensor.
   */
  us_per_op_arena: number;
  /** The same loop in PyTorch at 1 thread (median us per iteration), when a python with torch is found. */
  pytorch_us_per_iter: number | null;
  pytorch_version: string | null;
}

function step(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor): void {
  const y = x.mul(w).add(b).relu().sum();
  y.backward();
}

/** Kernel calls `f` makes on the cpu backend (its kernel families wrapped with counters while it runs). */
function countKernels(f: () => void): number {
  const backend = torch.getBackend('cpu') as unknown as Record<string, unknown>;
  const names = Object.keys(FAMILIES).filter((k) => typeof backend[k] === 'function');
  let calls = 0;
  const own = new Map<string, PropertyDescriptor | undefined>();
  for (const k of names) {
    own.set(k, Object.getOwnPropertyDescriptor(backend, k));
    const fn = backend[k] as (...a: unknown[]) => unknown;
    backend[k] = (...a: unknown[]) => (calls++, fn.apply(backend, a));
  }
  try {
    f();
  } finally {
    for (const [k, d] of own) {
      if (d) Object.defineProperty(backend, k, d);
      else delete backend[k];
    }
  }
  return calls;
}

/** Median us per iteration of the loop on tensors of `n` elements, over `rounds` rounds; and its kernel calls. */
function timeLoop(n: number, rounds: number): { us: number; kernels: number } {
  const v = (k: number): number[] => Array.from({ length: n }, (_, i) => [0.5, -1, 2, 0.1, 3, -0.7, 1.2, 0.3][(i + k) % 8]! * (1 + k));
  const x = torch.tensor(v(0), { requiresGrad: true }), w = torch.tensor(v(1), { requiresGrad: true }), b = torch.tensor(v(2), { requiresGrad: true });
  for (let i = 0; i < ITERS * 2; i++) step(x, w, b);
  const kernels = countKernels(() => step(x, w, b));
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < ITERS; i++) step(x, w, b);
    times.push(((performance.now() - t0) * 1000) / ITERS);
  }
  return { us: median(times), kernels };
}

/** Times the loop on cpu (`rounds` rounds of 2,000 iterations, shapes [8] and [256]) and, if found, in PyTorch. */
export function measureOverhead(rounds: number, withTorch = true): OverheadResult {
  const { us, kernels } = timeLoop(8, rounds);
  const arena = timeLoop(256, rounds);
  let pytorch: number | null = null, version: string | null = null;
  const python = withTorch ? findTorchPython() : null;
  if (python) {
    const script = fileURLToPath(new URL('../../src/bench/overhead.py', import.meta.url));
    const r = spawnSync(python, [script, String(rounds)], { encoding: 'utf8', timeout: 600_000 });
    const m = /pytorch (\S+) same loop: median ([\d.]+)/.exec(r.stdout ?? '');
    if (m) [version, pytorch] = [m[1]!, Number(m[2])];
  }
  const r3 = (v: number): number => Math.round(v * 1000) / 1000;
  return { us_per_iter: r3(us), kernels_per_iter: kernels, us_per_op: r3(us / kernels), us_per_op_arena: r3(arena.us / arena.kernels), pytorch_us_per_iter: pytorch, pytorch_version: version };
}

/** One line for the console and the report. */
export function describeOverhead(o: OverheadResult): string {
  const vs = o.pytorch_us_per_iter === null ? '' : `; PyTorch ${o.pytorch_version} (1 thread) ${o.pytorch_us_per_iter.toFixed(2)} us per iteration (Kindling takes ${(o.us_per_iter / o.pytorch_us_per_iter).toFixed(2)}x PyTorch's time)`;
  return `per-op overhead (mul, add, relu, sum, backward on shape [8]): ${o.us_per_iter.toFixed(2)} us per iteration, ${o.kernels_per_iter} kernel calls per iteration, ${o.us_per_op.toFixed(2)} us per op${vs}; on shape [256] (storage in the wasm memory, not on the JS heap) ${o.us_per_op_arena.toFixed(2)} us per op`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(describeOverhead(measureOverhead(15)));
}
