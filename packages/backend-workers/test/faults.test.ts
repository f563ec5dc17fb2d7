/**
 * Faults: a kernel that throws inside a worker, a worker that dies, an allocation that fails.
 * The affected tensor's reads reject with an error naming the op, tensors computed from it
 * reject too, the pool replaces the worker, later ops work and nothing hangs. Bad input throws
 * synchronously at the call, exactly as on cpu.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '@kindling/core';
import { disposeWorkers, registerWorkersBackend, WorkersBackend } from '../src/index.js';

registerWorkersBackend({ name: 'wfault', threads: 2, inlineThreshold: 0 });
const backend = torch.getBackend('wfault') as WorkersBackend;
afterAll(() => disposeWorkers());

const N = 1 << 16;
const base = torch.arange(N, { dtype: 'float32' }).div(N);

async function expectHealthy(): Promise<void> {
  const x = base.to('wfault');
  const y = x.exp().mul(3).sum();
  expect(await y.itemAsync()).toBe(base.exp().mul(3).sum().item());
}

describe('faults', () => {
  it('a kernel that throws in a worker rejects reads of its tensor and of tensors computed from it', async () => {
    const x = base.to('wfault');
    backend.injectFault('throw');
    const y = x.exp();
    const z = y.add(1);
    await expect(y.data()).rejects.toThrow(/workers: unary exp failed in a worker thread: injected kernel fault/);
    await expect(z.data()).rejects.toThrow(/workers: binary add was not run because an input failed: .*unary exp/);
    // Synchronous reads and printing throw the same failure, naming the op (not "still being computed").
    expect(() => y.dataSync()).toThrow(/workers: unary exp failed in a worker thread: injected kernel fault/);
    expect(() => String(y)).toThrow(/unary exp failed/);
    expect(() => z.item()).toThrow(/binary add was not run because an input failed/);
    // x itself is untouched and usable.
    expect(firstMismatch(await x.data(), base.dataSync())).toBe(-1);
    await expectHealthy();
  });

  it('a worker that dies fails only its op; the pool replaces the worker', async () => {
    const x = base.to('wfault');
    backend.injectFault('exit');
    const y = x.tanh();
    await expect(y.ready()).rejects.toThrow(/workers: unary tanh failed in a worker thread: .*exited/);
    for (let i = 0; i < 3; i++) await expectHealthy();
  });

  it('an allocation that fails rejects the reads of the op that needed it', async () => {
    const x = base.to('wfault');
    backend.injectFault('alloc');
    const y = x.sqrt();
    await expect(y.data()).rejects.toThrow(/workers: unary sqrt failed: could not allocate \d+ bytes for its output/);
    await expect(y.neg().data()).rejects.toThrow(/workers: unary neg was not run because an input failed/);
    await expectHealthy();
  });

  it('an in-place op on a failed tensor keeps it failed; other tensors are not affected', async () => {
    const x = base.to('wfault');
    const other = x.mul(2);
    backend.injectFault('throw');
    const y = x.exp();
    y.add_(1);
    await expect(y.data()).rejects.toThrow(/unary exp/);
    expect(firstMismatch(await other.data(), base.mul(2).dataSync())).toBe(-1);
  });

  it('bad input throws synchronously at the call, with the cpu error', () => {
    const a = torch.ones([3, 4], { device: 'wfault' }), b = torch.ones([5], { device: 'wfault' });
    const cpuError = captured(() => torch.ones([3, 4]).add(torch.ones([5])));
    expect(captured(() => a.add(b))).toBe(cpuError);
    expect(captured(() => a.add(torch.ones([3, 4])))).toMatch(/Expected all tensors to be on the same device/);
    expect(captured(() => a.matmul(b))).toBe(captured(() => torch.ones([3, 4]).matmul(torch.ones([5]))));
  });

  it('an out-of-range index throws at the call with the cpu error, even when the kernel would go to the pool', () => {
    const x = torch.ones([4, 5]);
    const idx = torch.tensor([[0, 1, 7]], { dtype: 'int64' });
    const out = torch.empty([1, 3]);
    const cpuErr = captured(() => torch.getBackend('cpu').gather(out, x, 1, idx));
    const w = (t: torch.Tensor) => t.to('wfault');
    expect(cpuErr).toMatch(/index 7 is out of bounds for dimension 1 with size 5/);
    expect(captured(() => backend.gather(w(out), w(x), 1, w(idx)))).toBe(cpuErr);
    const idx1 = torch.tensor([0, 9], { dtype: 'int64' });
    const cpuErr2 = captured(() => torch.getBackend('cpu').indexSelect(torch.empty([2, 5]), x, 0, idx1));
    expect(captured(() => backend.indexSelect(w(torch.empty([2, 5])), w(x), 0, w(idx1)))).toBe(cpuErr2);
  });

  it('an out-of-range index that is still being computed rejects the reads of the op', async () => {
    const x = torch.ones([4, 5], { device: 'wfault' });
    const idx = torch.tensor([[0, 1, 7]], { dtype: 'int64', device: 'wfault' }).add(0); // pending
    const out = torch.empty([1, 3], { device: 'wfault' });
    expect(() => backend.gather(out, x, 1, idx)).not.toThrow();
    await expect(out.data()).rejects.toThrow(/workers: gather failed.*index 7 is out of bounds for dimension 1 with size 5/);
    await expectHealthy();
  });

  it('nothing is left in flight', async () => {
    await backend.idle();
  });
});

function captured(f: () => unknown): string {
  try {
    f();
    return 'no error';
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

function firstMismatch(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}
