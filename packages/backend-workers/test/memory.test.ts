/**
 * Workers storage in the shared arena: the same memory as cpu, growing while pool kernels run,
 * pinned blocks never evicted, dispose while kernels are pending, and a plain undisposed
 * training loop that stays bounded and equals cpu bitwise. Assertions are on the arena's own
 * counters and on values, never on timings.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '@kindling/core';
import { Arena, ArenaStorage, createCpuBackend, type Tensor } from '@kindling/core';
import { createNodePool, disposeWorkers, WorkersBackend } from '../src/index.js';

const MiB = 2 ** 20;
const backends: WorkersBackend[] = [];

/** A workers device and a cpu device over one arena of their own. */
function devices(name: string, options: ConstructorParameters<typeof Arena>[0]): { arena: Arena; w: string; c: string } {
  const arena = new Arena(options);
  const w = `${name}-w`, c = `${name}-c`;
  torch.registerBackend(w, () => {
    const b = new WorkersBackend({ name: w, threads: 2, inlineThreshold: 4096, createPool: createNodePool, arena });
    backends.push(b);
    return b;
  });
  torch.registerBackend(c, () => createCpuBackend({ name: c, arena }));
  return { arena, w, c };
}

afterAll(async () => {
  await Promise.all(backends.map((b) => b.dispose()));
  await disposeWorkers();
});

const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));
const ramp = (n: number): Tensor => torch.arange(n, { dtype: 'float32' }).div(n);

/** The core memory test's loop: a small MLP, plain SGD, no dispose, no tidy, loss.item() each step. */
function train(device: string, steps: number): number[][] {
  torch.manualSeed(0);
  const x = torch.randn([256, 96]).to(device), y = torch.randint(0, 10, [256]).to(device);
  const params = [torch.randn([96, 64]).mul(0.1), torch.zeros([64]), torch.randn([64, 10]).mul(0.1), torch.zeros([10])].map((p) => p.to(device).requiresGrad_());
  const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
  for (let i = 0; i < steps; i++) {
    const loss = torch.nn.functional.crossEntropy(x.matmul(w1).add(b1).relu().matmul(w2).add(b2), y);
    loss.backward();
    torch.noGrad(() => {
      for (const p of params) {
        p.sub_(p.grad!.mul(0.05));
        p.grad = null;
      }
    });
    loss.item();
  }
  return params.map((p) => Array.from(p.dataSync()));
}

describe('workers memory', () => {
  it('keeps storage in the process arena, the memory the cpu device uses', () => {
    const t = torch.ones([100_000]).to('cpu');
    registerOnce();
    const u = t.to('wmem-default');
    expect((u.storage as ArenaStorage).arena).toBe(torch.getArena());
    expect((u.storage as ArenaStorage).arena).toBe((t.storage as ArenaStorage).arena);
    expect((u.storage as ArenaStorage).resident).toBe(true);
  });

  it('grows the memory while pool kernels run; their results are the cpu results bitwise', async () => {
    const { arena, w, c } = devices('wgrow', { initialBytes: 8 * MiB, growBytes: 4 * MiB });
    const x = ramp(1 << 20).to(w);
    const grows = arena.stats.grows;
    const y = x.exp().mul(3).sum(); // issued on the pool, not awaited
    const filler = Array.from({ length: 8 }, (_, i) => torch.full([1 << 20], i, { device: c })); // 32 MiB more
    expect(arena.stats.grows).toBeGreaterThan(grows);
    expect(await y.itemAsync()).toBe(ramp(1 << 20).exp().mul(3).sum().item());
    expect(filler.map((f) => f.max().item())).toEqual(filler.map((_, i) => i));
  }, 60_000);

  it('never evicts blocks with pending kernels', async () => {
    const { arena, w, c } = devices('wpin', { cacheBytes: 12 * MiB, ceilingBytes: 64 * MiB, initialBytes: 4 * MiB });
    const x = ramp(1 << 20).to(w);
    const y = x.exp();
    const pending = torch.getBackend(w).readSync(y.storage) === null;
    for (let i = 0; i < 12; i++) torch.full([1 << 20], i, { device: c }); // 48 MiB of garbage
    expect(arena.stats.evictions).toBeGreaterThan(0);
    // Still pending after the evictions: its block (and its input's) stayed in the memory.
    if (pending && torch.getBackend(w).readSync(y.storage) === null) {
      expect((y.storage as ArenaStorage).resident).toBe(true);
      expect((x.storage as ArenaStorage).resident).toBe(true);
    }
    expect(same(await y.data(), ramp(1 << 20).exp().dataSync())).toBe(true);
    expect(same(await x.data(), ramp(1 << 20).dataSync())).toBe(true);
  }, 60_000);

  it('dispose of a tensor with pending kernels waits for them', async () => {
    const { arena, w } = devices('wdispose', {});
    const x = ramp(1 << 20).to(w);
    const y = x.exp();
    const z = y.mul(2);
    const released = arena.stats.released;
    y.dispose();
    // y's kernel and z's read of y run to completion; then y's block is recycled.
    expect(same(await z.data(), ramp(1 << 20).exp().mul(2).dataSync())).toBe(true);
    await expect(y.data()).rejects.toThrow(/disposed/);
    expect(arena.stats.released).toBe(released + 1);
    expect(() => y.add(1).item()).toThrow(/disposed/);
  }, 60_000);

  it('keeps a plain undisposed training loop bounded, equal to cpu bitwise', () => {
    const { arena, w } = devices('wloop', { cacheBytes: 3 * MiB, ceilingBytes: 16 * MiB, initialBytes: MiB });
    const steps = 25;
    const got = train(w, steps);
    expect(arena.stats.evictions).toBeGreaterThan(0);
    expect(arena.stats.arenaBytes).toBeLessThanOrEqual(arena.stats.cacheBytes);
    expect(got).toEqual(train('cpu', steps));
  }, 120_000);

  it('keeps what only pool kernels read resident: no reloads, the cache keeps its size', () => {
    const { arena, w } = devices('wlru', { cacheBytes: 8 * MiB, ceilingBytes: 64 * MiB, initialBytes: MiB });
    train(w, 30); // the matmuls (and their weights) run on the pool; garbage is evicted every step
    expect(arena.stats.evictions).toBeGreaterThan(0);
    expect(arena.stats.reloads).toBe(0);
    expect(arena.stats.cacheBytes).toBe(8 * MiB);
  }, 120_000);

  it('keeps nothing per pool task in a loop that never yields to the event loop', () => {
    const arena = new Arena({});
    let sent = 0;
    const b = new WorkersBackend({
      name: 'wnoyield', threads: 2, inlineThreshold: 4096, arena,
      createPool: (threads, setup, died) => {
        const pool = createNodePool(threads, setup, died);
        return { ...pool, send: (task) => (sent++, pool.send(task)) };
      },
    });
    backends.push(b);
    torch.registerBackend('wnoyield', () => b);
    train('wnoyield', 40); // synchronous: no promise callback, message or timer runs meanwhile
    const inside = b as unknown as { running: Map<unknown, unknown>; scheduler: { pending: Set<unknown> }; signals: { free: { buffer: SharedArrayBuffer }[] } };
    expect(sent).toBeGreaterThan(400);
    // Done jobs leave the backend's tables; completion words are reused from one chunk.
    expect(inside.running.size).toBeLessThanOrEqual(4);
    expect(inside.scheduler.pending.size).toBeLessThanOrEqual(16);
    expect(new Set(inside.signals.free.map((s) => s.buffer)).size).toBe(1);
  }, 120_000);
});

let registered = false;
function registerOnce(): void {
  if (registered) return;
  registered = true;
  torch.registerBackend('wmem-default', () => {
    const b = new WorkersBackend({ name: 'wmem-default', threads: 1, createPool: createNodePool });
    backends.push(b);
    return b;
  });
}
