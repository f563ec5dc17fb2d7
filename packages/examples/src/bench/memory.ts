/**
 * The memory section of `pnpm bench`: RSS and ms/step of a plain, undisposed mlp-step training
 * loop at iterations 500, 1,500 and 3,000 (--quick: 20, 60, 120), on cpu and on workers, each in
 * a fresh process (memory-child.ts), and the same loop inside torch.tidy; PyTorch's loop as a
 * reference when a python3 with torch is importable. The Kindling loops run in rounds (3; --quick:
 * 1), each loop beside its tidy twin, and each figure is the median over the rounds: a loop takes
 * a minute, and this machine's speed drifts by more than the plain/tidy gap from minute to minute.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './stats.js';

/** One checkpoint of a loop: RSS, and ms per step since the previous checkpoint. */
export interface MemoryPoint { step: number; rss_mb: number; ms_per_step: number }

/** One loop: where it ran, and its checkpoints (medians over the rounds). */
export interface MemoryRun {
  impl: string;
  points: MemoryPoint[];
  /** torch.memory() at the end of the last round (Kindling runs). */
  memory?: Record<string, number>;
}

/** The section's results. */
export interface MemoryResult { checkpoints: number[]; rounds: number; runs: MemoryRun[] }

function run(cmd: string, args: string[]): Record<string, unknown> {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`memory run ${args.join(' ')} failed with status ${r.status}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

/** Each checkpoint's median RSS and ms/step over the rounds' runs. */
function medianPoints(rounds: MemoryPoint[][]): MemoryPoint[] {
  return rounds[0]!.map((p, i) => ({
    step: p.step,
    rss_mb: Math.round(median(rounds.map((r) => r[i]!.rss_mb))),
    ms_per_step: Math.round(median(rounds.map((r) => r[i]!.ms_per_step)) * 100) / 100,
  }));
}

/** Runs every loop of the section (one process per run: RSS is per process). */
export async function measureMemory(quick: boolean, threads: number, python: string | null): Promise<MemoryResult> {
  const checkpoints = quick ? [20, 60, 120] : [500, 1500, 3000];
  const rounds = quick ? 1 : 3;
  const child = fileURLToPath(new URL('./memory-child.js', import.meta.url));
  const workers = `workers-${threads}`;
  const loops = [['cpu', 'plain'], ['cpu', 'tidy'], [workers, 'plain'], [workers, 'tidy']] as const;
  const points = loops.map((): MemoryPoint[][] => []);
  const last: Record<string, number>[] = [];
  for (let round = 0; round < rounds; round++) {
    loops.forEach(([device, mode], i) => {
      const out = run(process.execPath, [child, device, mode, String(threads), ...checkpoints.map(String)]);
      points[i]!.push(out.points as MemoryPoint[]);
      last[i] = out.memory as Record<string, number>;
    });
  }
  const runs: MemoryRun[] = loops.map(([device, mode], i) => ({ impl: `${device}${mode === 'tidy' ? ' (tidy)' : ''}`, points: medianPoints(points[i]!), memory: last[i] }));
  if (python) {
    const script = fileURLToPath(new URL('../../src/bench/torch_memory.py', import.meta.url));
    runs.push({ impl: 'pytorch', points: run(python, [script, ...checkpoints.map(String)]).points as MemoryPoint[] });
  }
  return { checkpoints, rounds, runs };
}
