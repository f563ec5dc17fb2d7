/**
 * Synchronous reads through the Backend interface: item(), tolist(), dataSync(), printing and
 * value-reading ops wait for a backend that computes later (through its readBlocking), the async
 * forms resolve, and a backend that cannot wait says so. Also torch.setNumThreads and the hint
 * for a workers device that was never registered.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '@kindling/core';
import { backendFamilies } from '@kindling/core/testing';
import type { Backend, Storage, TypedArray } from '@kindling/core';

/** A backend that queues every kernel until a read: the smallest "computes later" device. */
function deferredBackend(name: string, canWait: boolean): Backend & { queued: () => number; threads: number } {
  const cpu = torch.getBackend('cpu');
  const queue: (() => void)[] = [];
  const flush = () => { while (queue.length > 0) queue.shift()!(); };
  const b: Record<string, unknown> = {
    name,
    threads: 1,
    queued: () => queue.length,
    allocate: (d: torch.DType, n: number) => cpu.allocate(d, n),
    fromArray: (d: torch.DType, v: TypedArray) => cpu.fromArray(d, v),
    readSync: (s: Storage) => (queue.length > 0 ? null : cpu.readSync(s)),
    read: async (s: Storage) => { flush(); return cpu.readSync(s)!; },
    setThreads(n: number) { b.threads = n; },
  };
  if (canWait) b.readBlocking = (s: Storage) => { flush(); return cpu.readSync(s)!; };
  const kernels = cpu as unknown as Record<string, (...a: unknown[]) => void>;
  for (const k of backendFamilies(cpu)) b[k] = (...args: unknown[]) => { queue.push(() => kernels[k]!(...args)); };
  return b as unknown as Backend & { queued: () => number; threads: number };
}

const deferred = deferredBackend('deferred', true);
const noWait = deferredBackend('nowait', false);
torch.registerBackend('deferred', () => deferred);
torch.registerBackend('nowait', () => noWait);
afterAll(() => {
  torch.unregisterBackend('deferred');
  torch.unregisterBackend('nowait');
});

describe('synchronous reads wait for pending values', () => {
  it('item, tolist, dataSync and printing, as in PyTorch', () => {
    const x = torch.tensor([[1, 2], [3, 4]], { device: 'deferred' });
    const y = x.mul(2).add(1);
    expect(deferred.queued()).toBeGreaterThan(0);
    expect(y.tolist()).toEqual([[3, 5], [7, 9]]);
    expect(y.sum().item()).toBe(24);
    expect(typeof y.sum().item()).toBe('number'); // not a Promise
    expect(Array.from(y.t().dataSync())).toEqual([3, 7, 5, 9]);
    expect(String(y.mul(1))).toBe("tensor([[3., 5.],\n        [7., 9.]], device='deferred')");
  });

  it('ops that read values work on pending tensors (to cpu, equal, nonzero, maskedSelect)', () => {
    const x = torch.tensor([0, 3, 0, 5], { device: 'deferred' }).mul(1);
    expect(x.to('cpu').tolist()).toEqual([0, 3, 0, 5]);
    expect(torch.equal(x, torch.tensor([0, 3, 0, 5], { device: 'deferred' }).add(0))).toBe(true);
    expect((x.mul(1).nonzero() as torch.Tensor).tolist()).toEqual([[1], [3]]);
    expect(x.mul(1).maskedSelect(x.gt(1)).tolist()).toEqual([3, 5]);
  });

  it('the async forms resolve with the same values', async () => {
    const y = torch.tensor([1.5, 2.5], { device: 'deferred' }).mul(2);
    expect(await y.tolistAsync()).toEqual([3, 5]);
    expect(await y.sum().itemAsync()).toBe(8);
    expect(Array.from(await y.data())).toEqual([3, 5]);
    expect(await y.add(1).ready()).toBeInstanceOf(torch.Tensor);
  });

  it('a backend that cannot wait says how to read instead', async () => {
    const y = torch.tensor([1, 2], { device: 'nowait' }).mul(2);
    expect(() => y.tolist()).toThrow(/still being computed and its backend cannot wait for them: use await t.data\(\)/);
    expect(await y.tolistAsync()).toEqual([2, 4]);
    expect(y.tolist()).toEqual([2, 4]);
  });
});

describe('torch.setNumThreads / getNumThreads', () => {
  it('sizes the backends that have a thread pool, and checks its argument as PyTorch does', () => {
    torch.zeros([1], { device: 'deferred' }); // instantiate it
    torch.setNumThreads(3);
    expect(torch.getNumThreads()).toBe(3);
    expect(deferred.threads).toBe(3);
    expect(() => torch.setNumThreads(0)).toThrow(new torch.RuntimeError('set_num_threads expects a positive integer'));
    expect(() => torch.setNumThreads(2.5)).toThrow(new torch.RuntimeError('set_num_threads expects an int, but got 2.5'));
    expect(() => torch.setNumThreads('2' as unknown as number)).toThrow(torch.TypeError);
    expect(torch.getNumThreads()).toBe(3);
  });
});

describe('devices', () => {
  it("using the 'workers' device before registering it says how to register it", () => {
    expect(() => torch.zeros([2], { device: 'workers' })).toThrow(/Expected one of cpu.* device type at start of device string: workers .*registerWorkersBackend\(\) from @kindling\/backend-workers/);
  });
});
