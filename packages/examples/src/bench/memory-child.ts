/**
 * One run of the memory section, in a fresh process (so RSS is its own): the mlp-step
 * (784-256-10, batch 512) written as a plain PyTorch-style loop, with no dispose and no tidy
 * (or, with mode 'tidy', each step inside torch.tidy), in one synchronous stretch, as a ported
 * notebook runs it. Each step reads the loss (`loss.item()`, as a loop that logs it does).
 *
 * Usage: memory-child.js <device> <plain|tidy> <threads> <checkpoint>... ; prints one JSON line.
 */
import * as torch from '@kindling/core';
import type { Tensor } from '@kindling/core';
import { disposeWorkers, registerWorkersBackend } from '@kindling/backend-workers';
import { values } from './workloads.js';

const [device, mode, threadsArg, ...rest] = process.argv.slice(2) as [string, 'plain' | 'tidy', string, ...string[]];
const checkpoints = rest.map(Number);
if (device !== 'cpu') registerWorkersBackend({ name: device, threads: Number(threadsArg) });

const B = 512, IN = 784, H = 256, OUT = 10, lr = 0.05;
const kt = (data: Float32Array, shape: number[]): Tensor => torch.tensor(data).view(shape).to(device);
const X = kt(values(B * IN, 11), [B, IN]);
const Y = torch.tensor(Array.from({ length: B }, (_, i) => (i * 7) % OUT), { dtype: 'int64' }).to(device);
const params = [kt(values(IN * H, 12).map((v) => v * 0.05), [IN, H]), torch.zeros([H]).to(device), kt(values(H * OUT, 13).map((v) => v * 0.1), [H, OUT]), torch.zeros([OUT]).to(device)];
params.forEach((p) => p.requiresGrad_());
const [W1, B1, W2, B2] = params as [Tensor, Tensor, Tensor, Tensor];

function step(): number {
  const loss = torch.nn.functional.crossEntropy(X.matmul(W1).add(B1).relu().matmul(W2).add(B2), Y);
  loss.backward();
  torch.noGrad(() => {
    for (const p of params) {
      p.sub_(p.grad!.mul(lr));
      p.grad = null;
    }
  });
  return loss.item() as number;
}

const points: { step: number; rss_mb: number; ms_per_step: number }[] = [];
let last = performance.now(), lastStep = 0, loss = 0;
for (let i = 1; i <= checkpoints[checkpoints.length - 1]!; i++) {
  loss = mode === 'tidy' ? torch.tidy(step) : step();
  if (checkpoints.includes(i)) {
    const now = performance.now();
    points.push({ step: i, rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20), ms_per_step: Math.round(((now - last) / (i - lastStep)) * 100) / 100 });
    last = now;
    lastStep = i;
  }
}
console.log(JSON.stringify({ points, loss, memory: torch.memory() }));
await disposeWorkers();
