/**
 * The effect of recycling warm memory: exp over 2^24 float32, output freed after each run, on
 * workers and on cpu (both in the process's arena, which recycles the block), and on a cpu
 * device given a fresh arena every run (so every output pays the first-touch page faults).
 */
import * as torch from '@kindling/core';
import { registerWorkersBackend } from '@kindling/backend-workers';
import { values } from './workloads.js';
import { median } from './stats.js';

export interface PoolingResult { threads: number; pooled_ms: number; fresh_ms: number; cpu_ms: number }

export async function measurePooling(threads: number, reps: number): Promise<PoolingResult> {
  registerWorkersBackend({ name: 'bench-pooled', threads });
  const data = values(1 << 24, 5);
  const freshDevice = (): string => {
    torch.registerBackend('bench-fresh', () => torch.createCpuBackend({ name: 'bench-fresh', arena: new torch.Arena({ initialBytes: 1 << 20 }) }));
    return 'bench-fresh';
  };
  const devices = ['bench-pooled', 'bench-fresh', 'cpu'];
  const times: number[][] = devices.map(() => []);
  const inputs = ['bench-pooled', 'cpu'].map((d) => torch.tensor(data).to(d));
  for (let rep = -1; rep < reps; rep++) {
    for (let i = 0; i < devices.length; i++) {
      // The fresh device's input is made there directly: going through the cpu device would leave
      // a dead 64 MiB block in the process arena each run, and evicting it would be timed too.
      const x = i === 1 ? torch.tensor(data, { device: freshDevice() }) : inputs[i === 0 ? 0 : 1]!;
      const t0 = performance.now();
      const y = x.exp();
      await y.ready();
      y.dispose();
      if (rep >= 0) times[i]!.push(performance.now() - t0);
      if (i === 1) x.dispose();
    }
  }
  inputs.forEach((t) => t.dispose());
  torch.unregisterBackend('bench-fresh');
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return { threads, pooled_ms: r(median(times[0]!)), fresh_ms: r(median(times[1]!)), cpu_ms: r(median(times[2]!)) };
}
