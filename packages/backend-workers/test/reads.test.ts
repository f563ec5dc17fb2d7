/**
 * Synchronous reads, PyTorch's way: item(), tolist(), dataSync() and printing wait for pending
 * pool kernels by blocking the thread; the blocked reader drives the work (finishes what ended,
 * runs ready kernels itself) and still sees faults. Where the thread may not block (a browser's
 * main thread, simulated with blockingReads: false), values computed on the pool must be awaited
 * first, whatever the timing.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as torch from '@kindling/core';
import { disposeTensor, disposeWorkers, registerWorkersBackend, WorkersBackend } from '../src/index.js';

afterAll(() => disposeWorkers());
vi.setConfig({ testTimeout: 30000 }); // pool work on a loaded machine; no test asserts a timing

const N = 1 << 16;
const base = torch.arange(N, { dtype: 'float32' }).div(N);

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

for (const threads of [1, 2, 3]) {
  describe(`blocking reads at ${threads} thread(s)`, () => {
    const name = `wread${threads}`;
    registerWorkersBackend({ name, threads, inlineThreshold: 0 }); // every kernel on the pool

    it('item, tolist, dataSync and printing wait for pending pool kernels', () => {
      const x = base.to(name);
      expect(x.exp().sum().item()).toBe(base.exp().sum().item());
      expect(x.mul(2).narrow(0, 1, 3).tolist()).toEqual(base.mul(2).narrow(0, 1, 3).tolist());
      expect(same(x.tanh().dataSync(), base.tanh().dataSync())).toBe(true);
      const m = x.view(256, 256).matmul(x.view(256, 256).t()).narrow(0, 0, 2).narrow(1, 0, 2);
      expect(String(m)).toBe(String(base.view(256, 256).matmul(base.view(256, 256).t()).narrow(0, 0, 2).narrow(1, 0, 2)).replace(')', `, device='${name}')`));
    });

    it('a long chain of dependent pool kernels, read synchronously', () => {
      let y = base.to(name), c = base;
      for (let i = 0; i < 300; i++) {
        y = i % 2 === 0 ? y.mul(1.01) : y.sub(0.001);
        c = i % 2 === 0 ? c.mul(1.01) : c.sub(0.001);
      }
      expect(same(y.dataSync(), c.dataSync())).toBe(true);
      expect(y.sum().item()).toBe(c.sum().item());
    });

    it('ops that read values (to cpu, equal, nonzero, maskedSelect, tensor indices) work on pending tensors', () => {
      const x = base.to(name);
      const y = x.sub(0.5);
      expect(same(y.to('cpu').dataSync(), base.sub(0.5).dataSync())).toBe(true);
      expect(torch.equal(y, x.sub(0.5))).toBe(true);
      expect(y.gt(0.9999).nonzero().tolist()).toEqual(base.sub(0.5).gt(0.9999).nonzero().tolist());
      expect(same(y.maskedSelect(y.lt(-0.4999)).dataSync(), base.sub(0.5).maskedSelect(base.sub(0.5).lt(-0.4999)).dataSync())).toBe(true);
      const i = torch.tensor([3, 1], { dtype: 'int64', device: name }).add(0);
      expect(x.index(i).tolist()).toEqual(base.index(torch.tensor([3, 1], { dtype: 'int64' })).tolist());
    });
  });
}

describe('faults seen by a blocked reader', () => {
  registerWorkersBackend({ name: 'wrfault', threads: 2, inlineThreshold: 0 });
  const backend = torch.getBackend('wrfault') as WorkersBackend;
  const healthy = () => expect(base.to('wrfault').exp().mul(3).sum().item()).toBe(base.exp().mul(3).sum().item());

  it('a worker that dies while a reader is blocked: the read throws naming the op, the pool recovers', () => {
    healthy(); // the workers are up
    backend.injectFault('exit');
    const y = base.to('wrfault').tanh();
    const z = y.add(1);
    expect(() => y.item()).toThrow(/workers: unary tanh failed in a worker thread: the worker thread exited with code 3/);
    expect(() => z.tolist()).toThrow(/binary add was not run because an input failed: .*unary tanh/);
    for (let i = 0; i < 3; i++) healthy();
  });

  it('a kernel that throws while a reader is blocked', () => {
    healthy();
    backend.injectFault('throw');
    const y = base.to('wrfault').exp();
    expect(() => y.sum().item()).toThrow(/unary exp failed in a worker thread: injected kernel fault/);
    expect(() => String(y)).toThrow(/unary exp failed in a worker thread/);
    healthy();
  });

  it('an out-of-range pending index fails the read of the result, naming the op; the pool stays healthy', async () => {
    const x = torch.ones([4, 5], { device: 'wrfault' });
    const idx = torch.tensor([[0, 1, 7]], { dtype: 'int64', device: 'wrfault' }).add(0); // pending
    const out = x.gather(1, idx);
    expect(() => out.tolist()).toThrow(/workers: gather failed.*index 7 is out of bounds for dimension 1 with size 5/);
    await expect(out.data()).rejects.toThrow(/workers: gather failed/);
    healthy();
  });

  it('disposed and failed tensors say so (not "still being computed")', () => {
    const t = base.to('wrfault').exp();
    disposeTensor(t);
    expect(() => t.dataSync()).toThrow(/this wrfault tensor was disposed/);
    expect(() => t.item()).toThrow(/disposed/);
    backend.injectFault('throw');
    const f = base.to('wrfault').sqrt();
    expect(() => f.dataSync()).toThrow(/workers: unary sqrt failed in a worker thread/);
  });

  it('disposing a tensor whose kernels are pending lets them finish', async () => {
    const x = base.to('wrfault');
    const y = x.exp();        // reads x, pending
    disposeTensor(x);         // waits for exp, then frees x
    const z = y.mul(2);
    disposeTensor(y);         // pending writer (exp) and reader (mul) both complete
    expect(same(z.dataSync(), base.exp().mul(2).dataSync())).toBe(true);
    expect(() => x.dataSync()).toThrow(/disposed/);
    await expect(y.data()).rejects.toThrow(/disposed/);
    expect(() => x.add(1).item()).toThrow(/binary add was not run because an input was disposed/);
  });
});

describe('a worker that dies with other shards queued on it', () => {
  registerWorkersBackend({ name: 'wone', threads: 1, inlineThreshold: 0 }); // every task on the one worker
  const backend = torch.getBackend('wone') as WorkersBackend;

  it('fails only the op it was running, awaited', async () => {
    const x = base.to('wone');
    expect(await x.sum().itemAsync()).toBe(base.sum().item()); // the worker is up
    backend.injectFault('exit');
    const dead = x.tanh();
    const others = [x.exp(), x.neg(), x.mul(3)];
    await expect(dead.data()).rejects.toThrow(/unary tanh failed in a worker thread: .*exited/);
    const want = [base.exp(), base.neg(), base.mul(3)];
    for (let i = 0; i < others.length; i++) expect(same(await others[i]!.data(), want[i]!.dataSync())).toBe(true);
  });

  it('fails only the op it was running, read synchronously', async () => {
    const x = base.to('wone');
    expect(await x.sum().itemAsync()).toBe(base.sum().item());
    backend.injectFault('exit');
    const dead = x.tanh();
    const other = x.exp().sum();
    expect(() => dead.item()).toThrow(/unary tanh failed in a worker thread: .*exited/);
    expect(other.item()).toBe(base.exp().sum().item());
    expect(x.neg().sum().item()).toBe(base.neg().sum().item()); // before the pool heard of the death
    expect(await x.mul(2).sum().itemAsync()).toBe(base.mul(2).sum().item());
  });
});

describe('where the thread cannot block (a browser main thread, simulated)', () => {
  registerWorkersBackend({ name: 'wnb', threads: 2, blockingReads: false, inlineThreshold: 1 << 16 }); // BIG below runs on the pool
  const backend = torch.getBackend('wnb') as WorkersBackend;
  const BIG = 1 << 17;
  const big = torch.arange(BIG, { dtype: 'float32' }).div(BIG);
  const asyncForms = /itemAsync\(\), t\.tolistAsync\(\), t\.data\(\) or t\.ready\(\)/;

  it('small work never on the pool reads synchronously', () => {
    const x = torch.tensor([1, 2, 3], { device: 'wnb' });
    expect(x.mul(2).sum().item()).toBe(12);
    expect(String(x)).toBe("tensor([1., 2., 3.], device='wnb')");
  });

  it('a tensor computed on the pool throws naming the async forms until awaited, whatever the timing', async () => {
    const x = big.to('wnb');
    expect(x.narrow(0, 0, 2).tolist()).toEqual(big.narrow(0, 0, 2).tolist()); // copied in, not computed
    const y = x.exp();                     // on the pool
    const s = y.narrow(0, 0, 4).add(1);    // small, but computed from pool values
    expect(() => y.item()).toThrow(asyncForms);
    expect(() => y.tolist()).toThrow(asyncForms);
    expect(() => y.dataSync()).toThrow(asyncForms);
    expect(() => String(y)).toThrow(asyncForms);
    await backend.idle();                  // computed now, but not awaited: still the same rule
    expect(() => y.dataSync()).toThrow(asyncForms);
    expect(() => s.tolist()).toThrow(asyncForms);
    await y.ready();
    expect(same(y.dataSync(), big.exp().dataSync())).toBe(true);
    expect(() => s.tolist()).toThrow(asyncForms); // s was computed before y was awaited
    expect(await s.tolistAsync()).toEqual(big.exp().narrow(0, 0, 4).add(1).tolist());
    expect(s.tolist()).toEqual(big.exp().narrow(0, 0, 4).add(1).tolist());
    expect(y.narrow(0, 0, 2).mul(2).tolist()).toEqual(big.exp().narrow(0, 0, 2).mul(2).tolist()); // from awaited values
    const t = x.sum();
    expect(await t.itemAsync()).toBe(big.sum().item());
    expect(t.item()).toBe(big.sum().item());
  });

  it('an in-place write to values a pool kernel reads is not readable until awaited', async () => {
    const x = big.to('wnb');
    const small = torch.zeros([4], { device: 'wnb' });
    const y = x.narrow(0, 0, 4).expand(BIG / 4, 4).mul(1); // pool kernel reading x
    x.narrow(0, 0, 4).fill_(7);                              // must wait for it
    expect(() => x.narrow(0, 0, 4).tolist()).toThrow(asyncForms);
    expect(small.tolist()).toEqual([0, 0, 0, 0]);
    await x.ready();
    expect(x.narrow(0, 0, 4).tolist()).toEqual([7, 7, 7, 7]);
    expect(await y.narrow(0, 0, 1).tolistAsync()).toEqual([big.narrow(0, 0, 4).tolist()]);
  });
});

describe('registerWorkersBackend options', () => {
  it('rejects bad thread counts, names and keys with clear errors', () => {
    for (const threads of [NaN, 1e6, 0, 1.5, -2, Infinity]) {
      expect(() => registerWorkersBackend({ name: 'wbad', threads }), String(threads)).toThrow(/threads must be an integer from 1 to 256, but got/);
    }
    expect(() => registerWorkersBackend({ name: 'wbad', threads: '2' as unknown as number })).toThrow(torch.TypeError);
    expect(() => registerWorkersBackend({ name: 'cpu' })).toThrow(/the device name 'cpu' is taken by another backend/);
    expect(() => registerWorkersBackend({ thread: 2 } as never)).toThrow(/unexpected keyword argument 'thread'/);
    expect(() => registerWorkersBackend({ name: 'wbad', inlineThreshold: -1 })).toThrow(/inlineThreshold must be a non-negative integer/);
    expect(torch.listDevices()).not.toContain('wbad');
    expect(torch.ones([2]).add(1).tolist()).toEqual([2, 2]); // cpu untouched
  });

  it('registering again ends the old pool; ops issued in between work', async () => {
    registerWorkersBackend({ name: 'wre', threads: 2, inlineThreshold: 0 });
    const a = base.to('wre').exp();
    const old = a.backend as WorkersBackend;
    registerWorkersBackend({ name: 'wre', threads: 3, inlineThreshold: 0 });
    const b = a.mul(2);                    // on the old backend, after its replacement
    const c = base.to('wre').exp();        // on the new one
    expect(c.backend).not.toBe(old);
    expect((c.backend as WorkersBackend).threads).toBe(3);
    expect(same(b.dataSync(), base.exp().mul(2).dataSync())).toBe(true);
    expect(same(await c.data(), base.exp().dataSync())).toBe(true);
    await old.idle();
    expect(a.sum().item()).toBe(base.exp().sum().item());
  });
});

describe('torch.setNumThreads / getNumThreads', () => {
  it('sizes the workers pools; kernels issued before finish on the old pool', () => {
    registerWorkersBackend({ name: 'wnum', threads: 2, inlineThreshold: 0 });
    const x = base.to('wnum');
    const y = x.exp();
    const backend = x.backend as WorkersBackend;
    torch.setNumThreads(3);
    expect(backend.threads).toBe(3);
    expect(torch.getNumThreads()).toBe(3);
    expect(y.mul(2).sum().item()).toBe(base.exp().mul(2).sum().item());
    torch.setNumThreads(1);
    expect(backend.threads).toBe(1);
    expect(x.tanh().sum().item()).toBe(base.tanh().sum().item());
    registerWorkersBackend({ name: 'wnum2', inlineThreshold: 0 }); // no threads: takes setNumThreads'
    expect((torch.getBackend('wnum2') as WorkersBackend).threads).toBe(1);
    expect(() => torch.setNumThreads(0)).toThrow('set_num_threads expects a positive integer');
    expect(() => torch.setNumThreads(1.5)).toThrow('set_num_threads expects an int, but got 1.5');
  });
});
