/**
 * Storage in one WebAssembly.Memory: fallback past the ceiling, growth, recycling at once
 * (dispose, tidy), and a plain loop that stays bounded through LRU eviction with values intact.
 * Every assertion is on the arena's own counters or on values, never on timings.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { Arena, ArenaStorage, createCpuBackend, type Tensor } from '../src/index.js';

const MiB = 2 ** 20;
let nextDevice = 0;

/** A cpu device over its own small arena, so each test sees only its own counters. */
function device(options: ConstructorParameters<typeof Arena>[0]): { name: string; arena: Arena } {
  const arena = new Arena(options);
  const name = `arena${nextDevice++}`;
  torch.registerBackend(name, () => createCpuBackend({ name, arena }));
  return { name, arena };
}

afterEach(() => {
  for (const d of torch.listDevices()) if (d.startsWith('arena')) torch.unregisterBackend(d);
});

const storageOf = (t: Tensor) => t.storage as ArenaStorage;

/** A small MLP trained with plain SGD, PyTorch style: no dispose, no tidy. Returns the weights. */
function train(name: string, steps: number, wrap: (f: () => void) => void = (f) => f()): number[][] {
  torch.manualSeed(0);
  const B = 64, IN = 96, H = 48, OUT = 10;
  const x = torch.randn([B, IN]).to(name), y = torch.randint(0, OUT, [B]).to(name);
  const params = [torch.randn([IN, H]).mul(0.1), torch.zeros([H]), torch.randn([H, OUT]).mul(0.1), torch.zeros([OUT])].map((p) => p.to(name).requiresGrad_());
  const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
  for (let i = 0; i < steps; i++) {
    wrap(() => {
      const loss = torch.nn.functional.crossEntropy(x.matmul(w1).add(b1).relu().matmul(w2).add(b2), y);
      loss.backward();
      torch.noGrad(() => {
        for (const p of params) {
          p.sub_(p.grad!.mul(0.05));
          p.grad = null;
        }
      });
    });
  }
  return params.map((p) => Array.from(p.dataSync()));
}

describe('the arena', () => {
  it('falls back to ordinary memory past its ceiling, and the JS kernels still compute', () => {
    const { name, arena } = device({ ceilingBytes: MiB, initialBytes: 64 * 1024 });
    const big = torch.arange(400_000, { device: name, dtype: 'float64' }); // 3.2 MB > 1 MiB ceiling
    expect(arena.stats.fallbacks).toBe(1);
    expect(storageOf(big).resident).toBe(false);
    const small = torch.ones([64], { device: name });
    expect(storageOf(small).resident).toBe(true);
    const s = big.mul(2).sum();
    expect(s.item()).toBe(2 * ((400_000 - 1) * 400_000) / 2);
    expect(arena.stats.arenaBytes).toBeLessThanOrEqual(MiB);
  });

  it('grows in large steps and keeps every tensor valid across grows (shared and unshared memory)', () => {
    for (const shared of [true, false]) {
      const { name, arena } = device({ initialBytes: 64 * 1024, growBytes: 256 * 1024, shared });
      const first = torch.arange(1000, { device: name, dtype: 'float32' });
      const before = arena.buffer;
      const others = Array.from({ length: 20 }, (_, i) => torch.full([50_000], i, { device: name }));
      expect(arena.stats.grows).toBeGreaterThan(0);
      expect(arena.buffer).not.toBe(before);
      expect(arena.stats.grows).toBeLessThan(20); // large steps, not one per tensor
      expect(first.add(1).sum().item()).toBe(999 * 1000 / 2 + 1000);
      expect(others.map((t) => t.max().item())).toEqual(others.map((_, i) => i));
      // The views kernels get are on the current buffer.
      expect(storageOf(first).data.buffer).toBe(arena.buffer);
    }
  });

  it('dispose and tidy recycle blocks at once', () => {
    const { name, arena } = device({});
    const a = torch.ones([1000], { device: name });
    const released = arena.stats.released, recycled = arena.stats.recycled;
    a.dispose();
    expect(arena.stats.released).toBe(released + 1);
    expect(() => a.sum()).toThrow('this tensor was disposed');
    torch.ones([1000], { device: name });
    expect(arena.stats.recycled).toBe(recycled + 1);

    const x = torch.ones([256], { device: name });
    const live = arena.stats.liveStorages, freed = arena.stats.released;
    const out = torch.tidy(() => {
      const t = x.mul(2).add(1).exp();
      const kept = torch.keep(x.mul(3));
      return { view: t.view(16, 16), kept };
    });
    // mul(2) and add(1) were freed; exp's storage (returned through a view) and kept survive.
    expect(arena.stats.released).toBe(freed + 2);
    expect(arena.stats.liveStorages).toBe(live + 2); // the scalar operands 2, 1 and 3 are on the heap
    expect(out.view.sum().item()).toBeCloseTo(256 * Math.exp(3), 1);
    expect(out.kept.max().item()).toBe(3);
    expect(x.sum().item()).toBe(256); // created outside: untouched
  });

  it('tidy keeps gradients stored on .grad and nests', () => {
    const { name } = device({});
    const w = torch.ones([3], { device: name }).requiresGrad_();
    const inner = torch.tidy(() => {
      const kept = torch.tidy(() => {
        const loss = w.mul(w).sum();
        loss.backward();
        return loss.detach();
      });
      w.add(1); // freed by the outer scope
      return kept;
    });
    expect(inner.item()).toBe(3);
    expect(Array.from(w.grad!.dataSync())).toEqual([2, 2, 2]);
    expect(() => torch.tidy(() => { throw new Error('boom'); })).toThrow('boom');
  });

  it('evicts cold blocks when full; evicted tensors stay valid, come back in on use, and their values are identical', () => {
    const { name, arena } = device({ cacheBytes: MiB, ceilingBytes: 2 * MiB, initialBytes: 64 * 1024 });
    const cold = torch.randn([10_000], { device: name }); // 40 KB
    const want = Array.from(cold.dataSync());
    for (let i = 0; i < 40; i++) torch.full([10_000], i, { device: name }); // 1.6 MB of garbage
    expect(arena.stats.evictions).toBeGreaterThan(0);
    expect(storageOf(cold).resident).toBe(false);
    expect(Array.from(cold.dataSync())).toEqual(want); // read where it is
    const reloads = arena.stats.reloads;
    const doubled = cold.mul(2);
    expect(arena.stats.reloads).toBe(reloads + 1);
    expect(storageOf(cold).resident).toBe(true);
    expect(Array.from(doubled.dataSync())).toEqual(want.map((v) => Math.fround(v * 2)));
    // The cache grew by what came back (a live tensor evicted too early), no more.
    expect(arena.stats.cacheBytes).toBe(MiB + 40_960);
    expect(arena.stats.arenaBytes).toBeLessThanOrEqual(arena.stats.cacheBytes);
  });

  it('merges neighbouring free blocks rather than growing or evicting', () => {
    const arena = new Arena({ cacheBytes: MiB, ceilingBytes: 4 * MiB, initialBytes: MiB });
    const small = Array.from({ length: 200 }, () => new ArenaStorage(arena, 'float32', 1000)); // 200 x 4 KiB
    small.forEach((s) => s.release());
    const big = new ArenaStorage(arena, 'float32', 150_000); // 600 KB: only the merged space holds it
    expect(big.resident).toBe(true);
    expect(arena.stats.evictions).toBe(0);
    expect(arena.stats.arenaBytes).toBe(MiB);
  });

  it('evicts an old block of the size it needs before the oldest block of another size', () => {
    const arena = new Arena({ cacheBytes: MiB, ceilingBytes: MiB, initialBytes: MiB });
    const oldest = new ArenaStorage(arena, 'float32', 1000); // 4 KiB, least recently used
    const same = Array.from({ length: 15 }, () => new ArenaStorage(arena, 'float32', 16_384)); // 15 x 64 KiB
    while (arena.stats.evictions === 0) new ArenaStorage(arena, 'float32', 16_384);
    expect(arena.stats.evictions).toBe(1);
    expect(oldest.resident).toBe(true);
    expect(same[0]!.resident).toBe(false);
    // No block of its size is left to evict: the oldest goes, then the next, until one fits.
    new ArenaStorage(arena, 'float32', 40_000);
    expect(oldest.resident).toBe(false);
  });

  it('recycles a collected storage once: one freed or evicted before it died is no longer watched', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const arena = new Arena({ cacheBytes: 256 * 1024, ceilingBytes: 256 * 1024, initialBytes: 256 * 1024 });
    const evictedCopy = (() => {
      for (let i = 0; i < 10; i++) new ArenaStorage(arena, 'float32', 1000).release();
      const first = new ArenaStorage(arena, 'float32', 16_384);
      for (let i = 0; i < 19; i++) new ArenaStorage(arena, 'float32', 16_384); // 64 KiB each: most are evicted
      expect(first.resident).toBe(false);
      return new WeakRef(first.slot.view);
    })();
    const resident = arena.stats.liveStorages;
    expect(arena.stats.evictions).toBeGreaterThan(10);
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10)); // finalizers run when the event loop turns
    }
    expect(arena.stats.released).toBe(10);
    expect(arena.stats.collected).toBe(resident);
    expect(arena.stats.liveStorages).toBe(0);
    expect(arena.stats.residentBytes).toBe(0);
    // Only the storage held its evicted copy (the arena holds nothing of it): it died with it.
    expect(evictedCopy.deref()).toBeUndefined();
  });

  it('never evicts a block with pending kernels', () => {
    const arena = new Arena({ cacheBytes: 256 * 1024, initialBytes: 64 * 1024 });
    const pinned = new ArenaStorage(arena, 'float32', 16_000);
    pinned.peek().fill(7);
    pinned.slot.pins++;
    const cold = new ArenaStorage(arena, 'float32', 16_000);
    for (let i = 0; i < 20; i++) new ArenaStorage(arena, 'float32', 16_000);
    expect(arena.stats.evictions).toBeGreaterThan(0);
    expect(cold.resident).toBe(false);
    expect(pinned.resident).toBe(true);
    expect(pinned.peek().every((v) => v === 7)).toBe(true);
    pinned.slot.pins--;
  });

  it('keeps a plain undisposed training loop bounded, with the same weights as an unbounded arena', () => {
    const bounded = device({ cacheBytes: 2 * MiB, ceilingBytes: 4 * MiB, initialBytes: 256 * 1024 });
    const roomy = device({});
    const steps = 30;
    const got = train(bounded.name, steps);
    const want = train(roomy.name, steps);
    expect(bounded.arena.stats.evictions).toBeGreaterThan(0);
    expect(bounded.arena.stats.reloads).toBe(0); // weights, data and this step's tensors stay hot
    expect(bounded.arena.stats.arenaBytes).toBeLessThanOrEqual(2 * MiB);
    expect(roomy.arena.stats.evictions).toBe(0);
    expect(got).toEqual(want);
    // The same loop inside tidy recycles instead of evicting.
    const tidy = device({ cacheBytes: 2 * MiB, ceilingBytes: 4 * MiB, initialBytes: 256 * 1024 });
    expect(train(tidy.name, steps, (f) => torch.tidy(f))).toEqual(want);
    expect(tidy.arena.stats.evictions).toBe(0);
    expect(tidy.arena.stats.released).toBeGreaterThan(steps * 10);
  }, 120_000);

  it('backward frees its temporaries as they are consumed, unless createGraph, a hook or retainGrad keeps them', () => {
    const { name, arena } = device({});
    torch.manualSeed(1);
    const x0 = torch.randn([64, 32]), w0 = torch.randn([32, 16]);
    const run = (opts: { createGraph?: boolean; hook?: boolean }) => {
      const x = x0.to(name).requiresGrad_(), w = w0.to(name).requiresGrad_();
      const h = x.matmul(w);
      let seen: Tensor | null = null;
      if (opts.hook) h.registerHook((g) => { seen = g; });
      h.retainGrad();
      const loss = h.relu().mul(h).sum();
      const released = arena.stats.released;
      loss.backward({ createGraph: opts.createGraph ?? false });
      return { freed: arena.stats.released - released, grads: [x.grad!, w.grad!, h.grad!].map((g) => Array.from(g.dataSync())), seen: seen as Tensor | null };
    };
    const plain = run({}), graph = run({ createGraph: true }), hooked = run({ hook: true });
    expect(plain.freed).toBeGreaterThan(3);
    expect(graph.freed).toBe(0);
    expect(plain.grads).toEqual(graph.grads);
    expect(hooked.grads).toEqual(plain.grads);
    expect(Array.from(hooked.seen!.dataSync())).toEqual(plain.grads[2]); // the hook's gradient stays valid
  });

  it('a leaf takes a gradient nothing else holds without a copy, and copies one that is shared or seen', () => {
    const { name, arena } = device({});
    torch.manualSeed(2);
    const x = torch.randn([64, 32]).to(name).requiresGrad_(), w = torch.randn([32, 16]).to(name).requiresGrad_();
    const allocations = () => arena.stats.recycled + arena.stats.fresh;
    const backwardAllocations = () => {
      const loss = x.matmul(w).relu().sum();
      const before = allocations();
      loss.backward();
      return allocations() - before;
    };
    // The first backward stores its gradients as they are; the second adds into them in place.
    // A copy of each first gradient would make the first pass allocate two blocks more.
    const first = backwardAllocations();
    const expected = [x.grad!, w.grad!].map((g) => Array.from(g.dataSync()));
    expect(backwardAllocations()).toBe(first);
    expect([x.grad!, w.grad!].map((g) => Array.from(g.dataSync()))).toEqual(expected.map((g) => g.map((v) => v * 2)));

    // One gradient for two leaves (add passes it through to both): each leaf gets its own.
    const a = torch.randn([4, 4]).to(name).requiresGrad_(), b = torch.randn([4, 4]).to(name).requiresGrad_();
    a.mul(2).add(b.mul(3)).sum().backward();
    const c = torch.randn([4, 4]).to(name).requiresGrad_(), d = torch.randn([4, 4]).to(name).requiresGrad_();
    c.add(d).mul(2).sum().backward();
    expect(c.grad!.storage).not.toBe(d.grad!.storage);
    c.grad!.add_(1);
    expect(Array.from(d.grad!.dataSync())).toEqual(new Array(16).fill(2));
    // A gradient a hook saw, or a retained non-leaf's, stays apart from the leaf's.
    const e = torch.randn([4, 4]).to(name).requiresGrad_();
    let seen: Tensor | null = null;
    e.registerHook((g) => { seen = g; });
    const ev = e.view([16]);
    ev.retainGrad();
    ev.mul(3).sum().backward();
    e.grad!.add_(1);
    expect(Array.from((seen as Tensor | null)!.dataSync())).toEqual(new Array(16).fill(3));
    expect(Array.from(ev.grad!.dataSync())).toEqual(new Array(16).fill(3));
  });

  it("optimizers free each step's temporaries at once, and their state outlives a tidy the step runs in", () => {
    const { name, arena } = device({});
    const w = torch.randn([64, 64], { device: name }).requiresGrad_();
    const optimizers = [
      new torch.optim.SGD([w], { lr: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true }),
      new torch.optim.Adam([w], { weightDecay: 0.01, amsgrad: true }),
      new torch.optim.AdamW([w]),
      new torch.optim.RMSprop([w], { momentum: 0.5, centered: true }),
      new torch.optim.Adagrad([w]),
    ];
    for (const opt of optimizers) {
      w.grad = torch.ones([64, 64], { device: name });
      torch.tidy(() => opt.step()); // the state is made inside the tidy, and survives it
      const resident = arena.stats.residentBytes;
      opt.step();
      opt.step();
      // Only a few new scalar constants (bias corrections; 64-byte blocks) stay, no 16 KiB temporary.
      expect(arena.stats.residentBytes - resident, opt.constructor.name).toBeLessThan(1024);
    }
    expect(w.isfinite().all().item()).toBe(true);
  });

  it('torch.memory() reports the process arena', () => {
    const m = torch.memory();
    for (const k of ['arenaBytes', 'liveStorages', 'recycled', 'evictions', 'fallbacks', 'released', 'collected'] as const) expect(typeof m[k]).toBe('number');
    const before = torch.memory().liveStorages;
    const t = torch.ones([100]);
    expect(torch.memory().liveStorages).toBe(before + 1);
    t.dispose();
    expect(torch.memory().liveStorages).toBe(before);
  });

  it('keeps tiny storage on the JS heap until a kernel over many elements brings it in', () => {
    const { name, arena } = device({});
    const heap = arena.stats.heapStorages, live = arena.stats.liveStorages;
    const w = torch.tensor([1.5, -2, 0.25, 3], { device: name }); // 16 bytes
    const b = torch.tensor([0.5, 0.5, 0.5, 0.5], { device: name });
    expect(arena.stats.heapStorages).toBe(heap + 2);
    expect(arena.stats.liveStorages).toBe(live);
    const y = w.mul(b).add(w); // small kernels: JS kernels on heap values
    expect(storageOf(y).resident).toBe(false);
    expect(Array.from(y.dataSync())).toEqual([2.25, -3, 0.375, 4.5]);
    // A kernel over 4096 elements brings its tiny operands in (the wasm kernels reach them there).
    const big = torch.arange(4096, { device: name, dtype: 'float32' }).view(1024, 4);
    const z = big.mul(w);
    expect(storageOf(w).resident).toBe(true);
    expect(storageOf(b).resident).toBe(false);
    expect(arena.stats.liveStorages).toBe(live + 3); // big, z and w, now in the memory's care
    expect(Array.from(z.dataSync().slice(0, 8))).toEqual([0, -2, 0.5, 9, 6, -10, 1.5, 21]);
    expect(Array.from(w.dataSync())).toEqual([1.5, -2, 0.25, 3]);
    // A tiny output of a large reduction comes in too, and disposing tiny values works as ever.
    const s = big.sum(0);
    expect(storageOf(s).resident).toBe(true);
    expect(Array.from(s.dataSync())).toEqual([2095104, 2096128, 2097152, 2098176]);
    b.dispose();
    expect(() => b.add(1)).toThrow('this tensor was disposed');
    expect(y.sum().item()).toBe(4.125);
  });
});
