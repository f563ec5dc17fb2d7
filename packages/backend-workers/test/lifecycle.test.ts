/**
 * Process lifecycle, in child processes: a program that used the pool exits by itself without
 * disposeWorkers (idle workers are unref'd), and memory of collected tensors is recycled.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));

function runNode(args: string[], script: string, timeoutMs: number): Promise<{ code: number | null; out: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...args, '--input-type=module', '-e', script], { cwd: pkgDir });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, timedOut });
    });
  });
}

describe('process lifecycle', () => {
  it('exits by itself after work on the pool, without disposeWorkers', async () => {
    const script = `
      import * as torch from '@kindling/core';
      import { registerWorkersBackend } from '@kindling/backend-workers';
      registerWorkersBackend({ threads: 2, inlineThreshold: 0 });
      const x = torch.ones([1 << 18], { device: 'workers' });
      console.log('sum', x.exp().sum().item());
      x.mul(2).tanh(); // issued, never awaited: the process still ends once it is done
    `;
    const r = await runNode([], script, 20000);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`sum ${Math.fround(Math.E) * (1 << 18)}`);
  }, 30000);

  it('recycles the memory of garbage-collected tensors', async () => {
    const script = `
      import * as torch from '@kindling/core';
      import { registerWorkersBackend } from '@kindling/backend-workers';
      registerWorkersBackend({ threads: 1 });
      const b = torch.getBackend('workers');
      const x = torch.ones([1 << 20], { device: 'workers' });
      await x.mul(0).ready();
      const before = b.memoryStats.fresh; // the pool's start (x, thread scratch) is not counted
      for (let i = 0; i < 20; i++) {
        await x.mul(x).ready(); // a fresh 4 MiB output each time, dropped at once (no scalar operand: its small block would be carved fresh)
        globalThis.gc();
        await new Promise((r) => setTimeout(r, 5)); // finalizers run after a turn
      }
      console.log(JSON.stringify({ ...b.memoryStats, fresh: b.memoryStats.fresh - before }));
    `;
    const r = await runNode(['--expose-gc'], script, 20000);
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.out.trim().split('\\n').pop()!) as { collected: number; recycled: number; fresh: number };
    expect(stats.collected).toBeGreaterThan(10);
    expect(stats.recycled).toBeGreaterThan(10);
    expect(stats.fresh).toBeLessThan(10); // 20 without recycling
  }, 30000);
});
