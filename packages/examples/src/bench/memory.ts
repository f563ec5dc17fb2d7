/**
 * The memory section of `pnpm bench`: RSS and ms/step of a plain, undisposed mlp-step training
 * loop at iterations 500, 1,500 and 3,000 (--quick: 20, 60, 120), on cpu and on workers, each in
 * a fresh process (memory-child.ts), and the same loop inside torch.tidy; PyTorch's loop as a
 * reference when a python3 with torch is importable.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One loop run: where it ran, and RSS / ms per step (since the previous point) at each checkpoint. */
export interface MemoryRun {
  impl: string;
  points: { step: number; rss_mb: number; ms_per_step: number }[];
  /** torch.memory() at the end (Kindling runs). */
  memory?: Record<string, number>;
}

/** The section's results. */
export interface MemoryResult { checkpoints: number[]; runs: MemoryRun[] }

function run(cmd: string, args: string[]): Record<string, unknown> {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`memory run ${args.join(' ')} failed with status ${r.status}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

/** Runs every loop of the section, one after the other (RSS is per process: no interleaving). */
export async function measureMemory(quick: boolean, threads: number, python: string | null): Promise<MemoryResult> {
  const checkpoints = quick ? [20, 60, 120] : [500, 1500, 3000];
  const child = fileURLToPath(new URL('./memory-child.js', import.meta.url));
  const runs: MemoryRun[] = [];
  const workers = `workers-${threads}`;
  for (const [device, mode] of [['cpu', 'plain'], [workers, 'plain'], ['cpu', 'tidy'], [workers, 'tidy']] as const) {
    const out = run(process.execPath, [child, device, mode, String(threads), ...checkpoints.map(String)]);
    runs.push({ impl: `${device}${mode === 'tidy' ? ' (tidy)' : ''}`, points: out.points as MemoryRun['points'], memory: out.memory as Record<string, number> });
  }
  if (python) {
    const script = fileURLToPath(new URL('../../src/bench/torch_memory.py', import.meta.url));
    runs.push({ impl: 'pytorch', points: run(python, [script, ...checkpoints.map(String)]).points as MemoryRun['points'] });
  }
  return { checkpoints, runs };
}
