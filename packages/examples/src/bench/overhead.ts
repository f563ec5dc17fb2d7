/**
 * Per-op overhead: `y = x.mul(w).add(b).relu().sum(); y.backward()` on shape-[8] tensors that
 * require grad (4 forward ops, their backward, 3 gradient accumulations). Prints the median of
 * several timed rounds in microseconds per iteration. Run: `pnpm bench:overhead`; overhead.py
 * beside this file times the same loop in PyTorch on the same machine.
 */
import * as torch from '@kindling/core';
import { median } from './stats.js';

const ITERS = 2000, ROUNDS = 15;

function step(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor): void {
  const y = x.mul(w).add(b).relu().sum();
  y.backward();
}


const x = torch.tensor([0.5, -1, 2, 0.1, 3, -0.7, 1.2, 0.3], { requiresGrad: true });
const w = torch.tensor([1.5, 0.2, -0.3, 2, 0.7, 1.1, -2, 0.4], { requiresGrad: true });
const b = torch.tensor([0.1, 0.2, 0.3, -0.4, 0.5, 0.6, -0.7, 0.8], { requiresGrad: true });
for (let i = 0; i < ITERS * 2; i++) step(x, w, b);
const rounds: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const t0 = performance.now();
  for (let i = 0; i < ITERS; i++) step(x, w, b);
  rounds.push(((performance.now() - t0) * 1000) / ITERS);
}
console.log(`per-op overhead loop (mul, add, relu, sum, backward; shape [8]): median ${median(rounds).toFixed(2)} us/iter, min ${Math.min(...rounds).toFixed(2)}, max ${Math.max(...rounds).toFixed(2)} (${ROUNDS} rounds of ${ITERS})`);
