/** The benchmark report's arithmetic (bench/report.ts), on made-up medians: no timing is measured here. */
import { describe, expect, it } from 'vitest';
import { markdown, type Report } from '../src/bench/report.js';

const report = (peak: Report['peak']): Report => ({
  machine: { cpu: 'test', cores: 2, memory_gb: 1, node: 'v20', platform: 'linux-x64', date: 'today', reps: 3, load_average: [0, 0] },
  rows: [
    { workload: 'matmul-512', impl: 'cpu', median_ms: 20, min_ms: 20, max_ms: 20 },
    { workload: 'matmul-512', impl: 'workers-2', median_ms: 10, min_ms: 10, max_ms: 10 },
    { workload: 'matmul-512', impl: 'pytorch', median_ms: 5, min_ms: 5, max_ms: 5 },
    { workload: 'add', impl: 'cpu', median_ms: 1, min_ms: 1, max_ms: 1 },
  ],
  peak,
  pooling: null,
  overhead: null,
  memory: null,
  workloads: [{ name: 'add' }, { name: 'matmul-512', flops: 4e8 }],
  impls: ['cpu', 'workers-2', 'pytorch'],
});

describe('bench report', () => {
  it('gives GFLOP/s, and wasm rows a share of the peak times their threads', () => {
    const md = markdown(report({ best_gflops: 40, median_gflops: 30, runs: 9 }));
    // 4e8 flops in 20 ms: 20 GFLOP/s, half of one thread's 40; in 10 ms on 2 threads: 40, half of 80.
    // PyTorch is native code: GFLOP/s, no share.
    expect(md).toContain('| matmul-512 | 20.0 (50%) | 40.0 (50%) | 80.0 |');
    expect(md).toContain('40 GFLOP/s at best, 30 at the median of 9 samples');
    expect(md.slice(md.indexOf('## Throughput'))).not.toContain('| add |'); // no flop count, no throughput row
  });

  it('gives GFLOP/s alone when the peak was not measured', () => {
    expect(markdown(report(null))).toContain('| matmul-512 | 20.0 | 40.0 | 80.0 |');
  });
});
