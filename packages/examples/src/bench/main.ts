/**
 * `pnpm bench`: times every workload on every implementation in one run (Kindling cpu, Kindling
 * workers at 1..N threads, tfjs-backend-cpu, tfjs-backend-wasm, and PyTorch at 1 thread when a
 * python3 with torch is importable), interleaving implementations within each repetition, then
 * the per-op overhead (overhead.ts) and the memory section (a plain undisposed training loop: RSS
 * and ms/step), and writes medians to
 * bench-results/latest.json and a table with the speedups to bench-results/latest.md.
 *
 * Options: `--quick` (a reduced set, under two minutes), `--threads=1,2,16` (workers thread
 * counts; default 1..available parallelism), `--only=exp,add,peak,pooling,overhead,memory`, `--reps=N`, `--no-tfjs`,
 * `--no-torch`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { registerWorkersBackend, disposeWorkers } from '@kindling/backend-workers';
import { WORKLOADS } from './workloads.js';
import type { ChildRequest } from './tfjs-child.js';
import { findTorchPython, startTorchChild } from './torch-child.js';
import { measureMemory, type MemoryResult } from './memory.js';
import { measurePooling, type PoolingResult } from './pooling.js';
import { describeOverhead, measureOverhead, type OverheadResult } from './overhead.js';
import { PeakMeter, describePeak } from './peak.js';
import { markdown } from './report.js';
import { median } from './stats.js';

/** One measured (workload, implementation) pair, as in latest.json. */
export interface Row { workload: string; impl: string; median_ms: number; min_ms: number; max_ms: number }

interface Impl { name: string; device?: string; tfBackend?: 'cpu' | 'wasm'; torch?: boolean }

function option(name: string): string | undefined {
  const a = process.argv.find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  return a === undefined ? undefined : a.includes('=') ? a.slice(a.indexOf('=') + 1) : '';
}

const quick = option('quick') !== undefined;
const cores = availableParallelism();
const threads = option('threads')?.split(',').map(Number) ?? (quick ? [...new Set([1, cores])] : Array.from({ length: cores }, (_, i) => i + 1));
const only = option('only')?.split(',');
const reps = Number(option('reps') ?? (quick ? 3 : 7));
const withTfjs = option('no-tfjs') === undefined;
const withTorch = option('no-torch') === undefined;


const round = (x: number): number => Math.round(x * 1000) / 1000;

async function main(): Promise<void> {
  // Compiled and first sampled while nothing else runs (worker pools and the tfjs child warm up
  // on every core), then sampled once per repetition round of every workload.
  const peakMeter = !only || only.includes('peak') ? await PeakMeter.create() : null;
  for (let i = 0; i < 15 && peakMeter; i++) peakMeter.sample();
  const impls: Impl[] = [{ name: 'cpu', device: 'cpu' }];
  for (const t of threads) {
    registerWorkersBackend({ name: `workers-${t}`, threads: t });
    impls.push({ name: `workers-${t}`, device: `workers-${t}` });
  }
  const tfjs = withTfjs ? await startTfjsChild() : null;
  if (tfjs) impls.push({ name: 'tfjs-cpu', tfBackend: 'cpu' }, { name: 'tfjs-wasm', tfBackend: 'wasm' });
  const python = withTorch ? findTorchPython() : null;
  const torchChild = python ? await startTorchChild(python) : null;
  if (torchChild) {
    impls.push({ name: 'pytorch', torch: true });
    console.log(`PyTorch ${torchChild.version} (${python}, 1 thread) in a child process`);
  } else if (withTorch) console.log('no python3 with torch found: no PyTorch column');

  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  const rows: Row[] = [];
  const entries = WORKLOADS.filter((w) => (only ? only.includes(w.name) : !quick || w.quick));
  const skipped = new Set<string>(); // (workload, impl) pairs an implementation lacks
  const workloads: { name: string; flops?: number }[] = [];
  console.log(`kindling bench${quick ? ' --quick' : ''}: ${entries.length} workloads x ${impls.length} implementations, ${reps} interleaved repetitions (medians, ms)`);
  for (const entry of entries) {
    const w = entry.make();
    workloads.push({ name: w.name, flops: w.flops });
    const instances = impls.map((impl) => (impl.device ? w.kindling(impl.device) : null));
    if (tfjs) await tfjs.ask({ op: 'make', workload: w.name });
    if (torchChild && !(await torchChild.ask({ op: 'make', workload: w.name })).supported) skipped.add(`${w.name}/pytorch`);
    // One timed repetition: Kindling here, tfjs in the child (timed there, without the messaging).
    const timed = async (i: number): Promise<number> => {
      const impl = impls[i]!;
      if (impl.tfBackend) return (await tfjs!.ask({ op: 'run', backend: impl.tfBackend })).ms!;
      if (impl.torch) return skipped.has(`${w.name}/pytorch`) ? NaN : (await torchChild!.ask({ op: 'run' })).ms!;
      const t0 = performance.now();
      await instances[i]!.run();
      return performance.now() - t0;
    };
    const samples: number[][] = impls.map(() => []);
    for (let rep = -1; rep < reps; rep++) { // rep -1 warms up (JIT, pool threads, memory pool)
      for (let k = 0; k < impls.length; k++) {
        const i = (k + Math.max(rep, 0)) % impls.length; // rotate who goes first
        const ms = await timed(i);
        if (rep >= 0) samples[i]!.push(ms);
      }
      peakMeter?.sample();
    }
    for (const inst of instances) inst?.dispose();
    if (tfjs) await tfjs.ask({ op: 'dispose' });
    if (torchChild) await torchChild.ask({ op: 'dispose' });
    impls.forEach((impl, i) => {
      const s = samples[i]!;
      if (skipped.has(`${w.name}/${impl.name}`)) return;
      rows.push({ workload: w.name, impl: impl.name, median_ms: round(median(s)), min_ms: round(Math.min(...s)), max_ms: round(Math.max(...s)) });
    });
    const line = impls.filter((impl) => !skipped.has(`${w.name}/${impl.name}`)).map((impl) => `${impl.name} ${median(samples[impls.indexOf(impl)]!).toFixed(1)}`).join('  ');
    console.log(`${w.name.padEnd(14)} ${line}${w.flops ? `   (flops/run ${(w.flops / 1e9).toFixed(2)} G)` : ''}`);
  }

  const peak = peakMeter?.result() ?? null;
  if (peak) console.log(describePeak(peak));
  let pooling: PoolingResult | null = null;
  if (!only || only.includes('pooling')) {
    pooling = await measurePooling(Math.max(...threads), quick ? 5 : 9);
    console.log(`pooling (exp over 2^24 float32 on workers-${pooling.threads}): pooled ${pooling.pooled_ms.toFixed(1)} ms, fresh memory ${pooling.fresh_ms.toFixed(1)} ms, cpu ${pooling.cpu_ms.toFixed(1)} ms`);
  }
  let overhead: OverheadResult | null = null;
  if (!only || only.includes('overhead')) {
    overhead = measureOverhead(quick ? 5 : 15, withTorch);
    console.log(describeOverhead(overhead));
  }
  await disposeWorkers();
  tfjs?.child.disconnect();
  torchChild?.close();

  let memory: MemoryResult | null = null;
  if (!only || only.includes('memory')) {
    memory = await measureMemory(quick, Math.max(...threads), python);
    for (const r of memory.runs) console.log(`memory ${r.impl.padEnd(18)} ${r.points.map((p) => `@${p.step}: ${p.rss_mb} MB ${p.ms_per_step} ms/step`).join('  ')}`);
  }

  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
    quick,
    reps,
    seconds: Math.round((performance.now() - started) / 1000),
    // Other processes compete for the cores: the 1-minute load average before and after the run.
    load_average: [Math.round(loadBefore * 100) / 100, Math.round(loadavg()[0]! * 100) / 100],
  };
  const dir = fileURLToPath(new URL('../../../../bench-results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}latest.json`, `${JSON.stringify({ machine, rows, peak, pooling, overhead, memory }, null, 2)}\n`);
  writeFileSync(`${dir}latest.md`, markdown({ machine, rows, peak, pooling, overhead, memory, workloads, impls: impls.map((i) => i.name) }));
  console.log(`wrote bench-results/latest.json and latest.md (${machine.seconds} s)`);
}

/** Forks tfjs-child.js and returns a request/reply channel to it. */
async function startTfjsChild(): Promise<{ child: ChildProcess; ask(m: ChildRequest): Promise<{ ms?: number }> }> {
  const child = fork(fileURLToPath(new URL('./tfjs-child.js', import.meta.url)), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const replies: ((r: { ms?: number; error?: string }) => void)[] = [];
  let ready!: () => void;
  const started = new Promise<void>((r) => (ready = r));
  child.on('message', (r: { ready?: boolean; ms?: number; error?: string }) => (r.ready ? ready() : replies.shift()!(r)));
  await started;
  return {
    child,
    ask: (m) => new Promise((resolve, reject) => {
      replies.push((r) => (r.error ? reject(new Error(`tfjs child: ${r.error}`)) : resolve(r)));
      child.send(m);
    }),
  };
}

await main();
