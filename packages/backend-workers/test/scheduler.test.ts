/**
 * The execution model on workers: ops return at once; small ops on resident inputs stay
 * synchronous; pending values are awaited; kernels keep read-after-write, write-after-read and
 * write-after-write order; devices work as on cpu; memory is recycled.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '@kindling/core';
import { disposeTensor, disposeWorkers, FAMILIES, registerWorkersBackend, STORAGE_METHODS, WorkersBackend, type FamilyName } from '../src/index.js';

registerWorkersBackend({ name: 'wsched', threads: 2, inlineThreshold: 1 << 16 }); // BIG below runs on the pool, small ops inline
const backend = torch.getBackend('wsched') as WorkersBackend;
afterAll(() => disposeWorkers());

const BIG = 1 << 17; // above the inline threshold
const ramp = (n: number) => torch.arange(n, { dtype: 'float32' }).div(n);

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('workers execution model', () => {
  it('implements every kernel family of core\'s Backend interface', () => {
    const cpu = torch.getBackend('cpu') as unknown as Record<string, unknown>;
    const families = Object.keys(cpu).filter((k) => !STORAGE_METHODS.has(k) && typeof cpu[k] === 'function');
    const missing = families.filter((f) => FAMILIES[f as FamilyName] === undefined);
    expect(missing).toEqual([]);
  });

  it('small ops on resident inputs are synchronous end to end', () => {
    const x = torch.tensor([[1, 2, 3], [4, 5, 6]], { device: 'wsched' });
    const y = x.mul(2).add(1).relu().sum(1);
    expect(y.device).toBe('wsched');
    expect(y.tolist()).toEqual([15, 33]);
    expect(y.toString()).toBe("tensor([15., 33.], device='wsched')");
    x.add_(1);
    expect(x.sum().item()).toBe(27);
  });

  it('large ops return at once and are pending until computed; async reads wait without blocking', async () => {
    const x = ramp(BIG).to('wsched');
    const y = x.exp();
    expect(backend.readSync(y.storage)).toBeNull();
    await y.ready();
    expect(same(y.dataSync(), ramp(BIG).exp().dataSync())).toBe(true);
    expect(await y.sum().itemAsync()).toBe(ramp(BIG).exp().sum().item());
  });

  it('keeps read-after-write, write-after-read and write-after-write order', async () => {
    const cx = ramp(BIG);
    const x = cx.to('wsched');
    const e = x.exp();        // reads x
    x.mul_(3);                // must wait for exp (WAR)
    const m = x.add(1);       // must see the multiplied x (RAW)
    x.fill_(2);               // WAW after mul_, WAR after add
    const s = x.sum();
    expect(same(await e.data(), cx.exp().dataSync())).toBe(true);
    expect(same(await m.data(), cx.mul(3).add(1).dataSync())).toBe(true);
    expect(await s.itemAsync()).toBe(2 * BIG);
  });

  it('a read issued before an in-place write sees the old values', async () => {
    const x = ramp(BIG).to('wsched');
    await x.ready();
    const before = x.data();  // resident: the copy happens in a later microtask
    x.add_(1);                // large: would run on the pool right away without the reader
    const after = x.data();
    expect(same(await before, ramp(BIG).dataSync())).toBe(true);
    expect(same(await after, ramp(BIG).add(1).dataSync())).toBe(true);
  });

  it('small tensors stay synchronous right after an await', async () => {
    const x = torch.tensor([1, 2, 3], { device: 'wsched' });
    expect(await x.sum().itemAsync()).toBe(6);
    x.add_(1);
    expect(x.tolist()).toEqual([2, 3, 4]);
  });

  it('views share storage and order with their base', async () => {
    const cx = ramp(BIG).view(256, 512);
    const x = cx.to('wsched');
    x.narrow(0, 10, 100).mul_(-1);
    x.t().narrow(0, 3, 5).add_(2);
    const c = cx.clone();
    c.narrow(0, 10, 100).mul_(-1);
    c.t().narrow(0, 3, 5).add_(2);
    expect(same(await x.data(), c.dataSync())).toBe(true);
  });

  it("an in-place write partly overlapping its dense input raises PyTorch's error, as on cpu", async () => {
    const partial = /some elements of the input tensor and the written-to tensor refer to a single memory location/;
    for (const x of [ramp(BIG).view(512, 256), ramp(BIG).view(512, 256).to('wsched')]) {
      const n = x.shape[0]!;
      expect(() => x.narrow(0, 1, n - 1).sub_(x.narrow(0, 0, n - 1))).toThrow(partial);
    }
  });

  it('an in-place write overlapping its own input through non-dense views runs in the cpu order', async () => {
    const run = (x: torch.Tensor) => {
      // Columns 0..2 of x^T take columns 2..4: column 2 is read and written by the same kernel.
      x.t().narrow(0, 0, 3).copy_(x.t().narrow(0, 2, 3));
      // An expanded input is not dense, so (as in PyTorch) it may overlap: row 0 is read while written.
      x.add_(x.narrow(0, 0, 1).expand(x.shape as number[]));
      return x;
    };
    const c = run(ramp(BIG).view(512, 256));
    const w = run(ramp(BIG).view(512, 256).to('wsched'));
    expect(same(await w.data(), c.dataSync())).toBe(true);
  });

  it('devices: to, { device }, setDefaultDevice and back to cpu', async () => {
    const a = torch.tensor([1, 2, 3]).to('wsched');
    expect(a.device).toBe('wsched');
    torch.setDefaultDevice('wsched');
    try {
      const z = torch.zeros([2, 2]);
      expect(z.device).toBe('wsched');
      expect(z.add(1).tolist()).toEqual([[1, 1], [1, 1]]);
    } finally {
      torch.setDefaultDevice('cpu');
    }
    const big = ramp(BIG).to('wsched').mul(2);
    await big.ready();
    expect(same(big.to('cpu').dataSync(), ramp(BIG).mul(2).dataSync())).toBe(true);
  });

  it('autograd runs on workers with the cpu gradients', async () => {
    const run = (device: string) => {
      const w = torch.tensor([[0.5, -1, 2], [1, 0.25, -0.5]], { device, requiresGrad: true });
      const x = ramp(3 * 4096).view(4096, 3).to(device);
      const loss = x.matmul(w.t()).tanh().sum();
      loss.backward();
      return w.grad!;
    };
    const g = run('wsched');
    expect(same(await g.data(), run('cpu').dataSync())).toBe(true);
  });

  it('recycles memory: a disposed block is reused by the next allocation of its class', () => {
    const before = { ...backend.memoryStats };
    for (let i = 0; i < 5; i++) {
      const t = torch.empty([1 << 20], { device: 'wsched' });
      disposeTensor(t);
    }
    const after = backend.memoryStats;
    expect(after.released - before.released).toBe(5);
    expect(after.recycled - before.recycled).toBeGreaterThanOrEqual(4);
    expect(after.fresh - before.fresh).toBeLessThanOrEqual(1);
  });

  it('dispose waits for issued kernels and ends the pool; a later kernel starts a new one', async () => {
    const x = ramp(BIG).to('wsched');
    const y = x.exp();
    await backend.dispose();
    expect(backend.readSync(y.storage)).not.toBeNull(); // done before the pool ended
    const z = x.mul(2).sum();
    expect(await z.itemAsync()).toBe(ramp(BIG).mul(2).sum().item());
  });

  it('a disposed tensor rejects its reads', async () => {
    const t = torch.ones([10], { device: 'wsched' });
    disposeTensor(t);
    await expect(t.data()).rejects.toThrow(/disposed/);
  });
});
