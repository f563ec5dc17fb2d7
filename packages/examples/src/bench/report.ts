/** bench-results/latest.md: the medians and the speedups of workers over cpu and tfjs. */
import type { Row } from './main.js';
import type { PoolingResult } from './pooling.js';
import type { MemoryResult } from './memory.js';
import { describeOverhead, type OverheadResult } from './overhead.js';
import type { PeakResult } from './peak.js';

/** Everything one run measured, as main.ts collects it. */
export interface Report {
  machine: Record<string, unknown>;
  rows: Row[];
  peak: PeakResult | null;
  pooling: PoolingResult | null;
  overhead: OverheadResult | null;
  memory: MemoryResult | null;
  /** The workloads in run order, with their flops per run where meaningful. */
  workloads: { name: string; flops?: number }[];
  impls: string[];
}

const fmt = (ms: number | undefined): string => (ms === undefined ? '–' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const ratio = (base: number | undefined, ms: number | undefined): string => (base === undefined || ms === undefined ? '–' : `${(base / ms).toFixed(2)}x`);

/**
 * The report. Speedup columns read "baseline ms / workers ms": above 1x the workers backend is
 * faster. The workers-vs-tfjs columns use the workers run with the most threads.
 */
export function markdown({ machine, rows, peak, pooling, overhead, memory, workloads, impls }: Report): string {
  const ms = (w: string, i: string): number | undefined => rows.find((r) => r.workload === w && r.impl === i)?.median_ms;
  const workers = impls.filter((i) => i.startsWith('workers-'));
  const best = workers[workers.length - 1];
  const tfjs = impls.filter((i) => i.startsWith('tfjs-'));
  const ratioCols = [...workers.map((w) => [w, 'cpu'] as const), ...(best ? tfjs.map((t) => [best, t] as const) : [])];
  const lines: string[] = [];
  lines.push('# Kindling benchmark', '');
  lines.push(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gb} GB, Node ${machine.node} (${machine.platform}), ${machine.date}${machine.quick ? ', --quick' : ''}.`, '');
  lines.push(`Load average (1 min) before / after the run: ${(machine.load_average as number[]).join(' / ')} (other processes sharing the cores slow the multi-threaded rows).`, '');
  lines.push(`Median milliseconds over ${machine.reps} interleaved repetitions. Speedup columns are baseline ms / workers ms (above 1x: workers is faster).`, '');
  lines.push(`| workload | ${impls.join(' | ')} | ${ratioCols.map(([w, b]) => `${w} vs ${b}`).join(' | ')} |`);
  lines.push(`|${' --- |'.repeat(1 + impls.length + ratioCols.length)}`);
  for (const { name: w } of workloads) {
    lines.push(`| ${w} | ${impls.map((i) => fmt(ms(w, i))).join(' | ')} | ${ratioCols.map(([a, b]) => ratio(ms(w, b), ms(w, a))).join(' | ')} |`);
  }
  const flopRows = workloads.filter((w) => w.flops !== undefined);
  if (flopRows.length > 0) lines.push(...throughput(flopRows, impls, ms, peak));
  if (pooling) {
    lines.push('', '## Memory pooling', '');
    lines.push(`exp over 2^24 float32, output freed after each run: workers-${pooling.threads} ${fmt(pooling.pooled_ms)} ms and cpu ${fmt(pooling.cpu_ms)} ms (recycled arena blocks); cpu on a fresh arena every run ${fmt(pooling.fresh_ms)} ms (${(pooling.fresh_ms / pooling.cpu_ms).toFixed(1)}x the recycled cpu run).`);
  }
  if (overhead) lines.push('', '## Per-op overhead', '', `${describeOverhead(overhead)}.`);
  if (memory) {
    lines.push('', '## Memory: a plain training loop', '');
    const rounds = memory.rounds > 1 ? `; Kindling's figures are medians of ${memory.rounds} interleaved rounds` : '';
    lines.push(`The mlp-step (784-256-10, batch 512) as a plain PyTorch-style loop (no dispose, no tidy; \`loss.item()\` each step), one synchronous stretch, in a fresh process per run${rounds}. RSS in MB and ms per step since the previous checkpoint.`, '');
    lines.push(`| run | ${memory.checkpoints.map((c) => `RSS @${c}`).join(' | ')} | ${memory.checkpoints.map((c) => `ms/step @${c}`).join(' | ')} | evictions |`);
    lines.push(`|${' --- |'.repeat(2 + 2 * memory.checkpoints.length)}`);
    for (const r of memory.runs) {
      lines.push(`| ${r.impl} | ${r.points.map((p) => String(p.rss_mb)).join(' | ')} | ${r.points.map((p) => fmt(p.ms_per_step)).join(' | ')} | ${r.memory?.evictions ?? '–'} |`);
    }
    const ratios = memory.runs.flatMap((plain) => {
      const tidy = memory.runs.find((r) => r.impl === `${plain.impl} (tidy)`);
      if (!tidy) return [];
      return [`${plain.impl} ${plain.points.map((p, i) => `${(p.ms_per_step / tidy.points[i]!.ms_per_step).toFixed(2)}x`).join(' / ')}`];
    });
    if (ratios.length > 0) lines.push('', `ms/step of the plain loop over the tidy one at ${memory.checkpoints.join(' / ')}: ${ratios.join('; ')}.`);
  }
  return `${lines.join('\n')}\n`;
}

/** Threads a wasm implementation computes on (its share of the peak), or null for native or JS code. */
function wasmThreads(impl: string): number | null {
  if (impl === 'cpu' || impl === 'tfjs-wasm') return 1;
  return impl.startsWith('workers-') ? Number(impl.slice('workers-'.length)) : null;
}

/** GFLOP/s of the workloads with a flop count, each wasm one also as a share of its threads' peak. */
function throughput(workloads: { name: string; flops?: number }[], impls: string[], ms: (w: string, i: string) => number | undefined, peak: PeakResult | null): string[] {
  const lines = ['', '## Throughput', ''];
  lines.push(`GFLOP/s from the medians above${peak ? ', and in brackets as a share of the ceiling for wasm code: the f32x4 multiply + add peak times the threads computing (cpu and tfjs-wasm 1, workers-N N; tfjs-cpu and PyTorch, which run JS or native code with fused multiply-add, get none)' : ''}.`);
  if (peak) {
    lines.push('', `The peak (bench/peak.ts: independent f32x4.mul and f32x4.add chains in registers, no memory traffic, one thread), sampled at the start and once per repetition round: ${peak.best_gflops} GFLOP/s at best, ${peak.median_gflops} at the median of ${peak.runs} samples. WebAssembly SIMD128 has no fused multiply-add, so no wasm matmul can pass it; shares are of the best sample.`);
  }
  lines.push('', `| workload | ${impls.join(' | ')} |`, `|${' --- |'.repeat(1 + impls.length)}`);
  for (const w of workloads) {
    const cells = impls.map((i) => {
      const t = ms(w.name, i);
      if (t === undefined) return '–';
      const gflops = w.flops! / t / 1e6;
      const threads = wasmThreads(i);
      const share = peak && threads !== null ? ` (${Math.round((100 * gflops) / (threads * peak.best_gflops))}%)` : '';
      return `${gflops.toFixed(1)}${share}`;
    });
    lines.push(`| ${w.name} | ${cells.join(' | ')} |`);
  }
  return lines;
}
