/**
 * The same large workload (matrix products, an elementwise function and a reduction) on the cpu
 * device and on the workers device, which shards each large kernel across worker threads; prints
 * both times and their ratio, and checks that both give bitwise the same result. It always runs
 * on both devices (the runner's --device does not apply); timings vary, so the runner checks the
 * shape of the output, not the numbers.
 */
import * as torch from '@kindling/core';
import { disposeWorkers, registerWorkersBackend } from '@kindling/backend-workers';
import type { Example } from '../example.js';

const N = 768;
const REPS = 4;

/** REPS rounds of (x @ w).tanh() @ w, summed: returns the seconds it took and the result. */
function workload(device: string): { seconds: number; result: number } {
  torch.manualSeed(0);
  const x = torch.randn(N, N).to(device);
  const w = torch.randn(N, N).div(Math.sqrt(N)).to(device);
  x.matmul(w).sum().item(); // warm-up: the pool starts, the kernels compile
  const started = performance.now();
  let total = 0;
  for (let i = 0; i < REPS; i++) total += Number(x.matmul(w).tanh().matmul(w).sum().item());
  return { seconds: (performance.now() - started) / 1000, result: total };
}

export const parallelSpeedup: Example = {
  name: 'parallel-speedup',
  description: `${REPS} rounds of two ${N}x${N} matrix products, tanh and a sum on cpu and on workers; the ratio of the times`,
  check: {
    kind: 'pattern',
    lines: [
      /^workload: \d+ x \(x @ w\)\.tanh\(\) @ w, summed, with \d+x\d+ float32 matrices$/,
      /^cpu: \d+\.\d{3} s$/,
      /^workers \(\d+ threads\): \d+\.\d{3} s$/,
      /^speedup: \d+\.\d{2}x$/,
      /^same result on both devices: True$/,
    ],
  },
  slow: true,
  async run(print) {
    const ownWorkers = !torch.listDevices().includes('workers');
    if (ownWorkers) registerWorkersBackend();
    try {
      print(`workload: ${REPS} x (x @ w).tanh() @ w, summed, with ${N}x${N} float32 matrices`);
      const cpu = workload('cpu');
      print(`cpu: ${cpu.seconds.toFixed(3)} s`);
      const workers = workload('workers');
      print(`workers (${torch.getBackend('workers').threads} threads): ${workers.seconds.toFixed(3)} s`);
      print(`speedup: ${(cpu.seconds / workers.seconds).toFixed(2)}x`);
      print('same result on both devices:', Object.is(cpu.result, workers.result));
    } finally {
      if (ownWorkers) await disposeWorkers();
    }
  },
};
