/** bench-results/latest.md: the medians and the speedups of workers over cpu and tfjs. */
import type { Row } from './main.js';
import type { PoolingResult } from './pooling.js';

const fmt = (ms: number | undefined): string => (ms === undefined ? '–' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const ratio = (base: number | undefined, ms: number | undefined): string => (base === undefined || ms === undefined ? '–' : `${(base / ms).toFixed(2)}x`);

/**
 * The report. Speedup columns read "baseline ms / workers ms": above 1x the workers backend is
 * faster. The workers-vs-tfjs columns use the workers run with the most threads.
 */
export function markdown(machine: Record<string, unknown>, rows: Row[], pooling: PoolingResult | null, workloads: string[], impls: string[]): string {
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
  for (const w of workloads) {
    lines.push(`| ${w} | ${impls.map((i) => fmt(ms(w, i))).join(' | ')} | ${ratioCols.map(([a, b]) => ratio(ms(w, b), ms(w, a))).join(' | ')} |`);
  }
  if (pooling) {
    lines.push('', '## Memory pooling', '');
    lines.push(`exp over 2^24 float32 on workers-${pooling.threads}, output freed after each run: with the block pool ${fmt(pooling.pooled_ms)} ms; with fresh shared memory every time ${fmt(pooling.fresh_ms)} ms (${(pooling.fresh_ms / pooling.pooled_ms).toFixed(1)}x slower); Kindling cpu (pooled ArrayBuffers) ${fmt(pooling.cpu_ms)} ms.`);
  }
  return `${lines.join('\n')}\n`;
}
