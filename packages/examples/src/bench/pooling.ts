/**
 * The effect of recycling shared memory: exp over 2^24 float32 on workers with the block pool,
 * and on an otherwise identical backend that keeps no freed blocks (so every output is fresh
 * memory, paying the first-touch page faults), next to Kindling cpu (whose large ArrayBuffers are pooled too).
 */
import * as torch from '@kindling/core';
import { disposeTensor, registerWorkersBackend } from '@kindling/backend-workers';
import { values } from './workloads.js';
import { median } from './stats.js';

export interface PoolingResult { threads: number; pooled_ms: number; fresh_ms: number; cpu_ms: number }


export async function measurePooling(threads: number, reps: number): Promise<PoolingResult> {
  registerWorkersBackend({ name: 'bench-pooled', threads });
  registerWorkersBackend({ name: 'bench-fresh', threads, maxCachedBytes: 0 });
  const data = values(1 << 24, 5);
  const devices = ['bench-pooled', 'bench-fresh', 'cpu'];
  const inputs = devices.map((d) => torch.tensor(data).to(d));
  const times: number[][] = devices.map(() => []);
  for (let rep = -1; rep < reps; rep++) {
    for (let i = 0; i < devices.length; i++) {
      const t0 = performance.now();
      const y = inputs[i]!.exp();
      await y.ready();
      disposeTensor(y);
      if (rep >= 0) times[i]!.push(performance.now() - t0);
    }
  }
  inputs.forEach(disposeTensor);
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return { threads, pooled_ms: r(median(times[0]!)), fresh_ms: r(median(times[1]!)), cpu_ms: r(median(times[2]!)) };
}
