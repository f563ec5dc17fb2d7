/**
 * The PyTorch column: torch_child.py in a child Python process, asked for one timed repetition
 * at a time so it interleaves with the other implementations like tfjs. Used when a python3
 * with torch is importable (/usr/bin/python3 first, then python3 on the PATH).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A request to the child (see torch_child.py). */
export type TorchRequest = { op: 'make'; workload: string } | { op: 'run' } | { op: 'dispose' };

/** A running PyTorch child. */
export interface TorchChild {
  /** PyTorch's version string. */
  readonly version: string;
  ask(m: TorchRequest): Promise<{ ms?: number; supported?: boolean }>;
  close(): void;
}

/** The first python that imports torch, or null. */
export function findTorchPython(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore', timeout: 120_000 });
    if (r.status === 0) return py;
  }
  return null;
}

/** Starts the PyTorch child with `python`. */
export async function startTorchChild(python: string): Promise<TorchChild> {
  const script = fileURLToPath(new URL('../../src/bench/torch_child.py', import.meta.url));
  const child: ChildProcess = spawn(python, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const replies: ((r: Record<string, unknown>) => void)[] = [];
  let ready!: (v: string) => void;
  const started = new Promise<string>((r) => (ready = r));
  lines.on('line', (line) => {
    const r = JSON.parse(line) as Record<string, unknown>;
    if (r.ready) ready(String(r.version));
    else replies.shift()!(r);
  });
  const version = await started;
  return {
    version,
    ask: (m) => new Promise((resolve, reject) => {
      replies.push((r) => (r.error ? reject(new Error(`pytorch child: ${String(r.error)}`)) : resolve(r as { ms?: number; supported?: boolean })));
      child.stdin!.write(`${JSON.stringify(m)}\n`);
    }),
    close: () => child.stdin!.end(),
  };
}
