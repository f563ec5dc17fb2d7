/**
 * A user's own backend through the public API: a tracing backend that wraps another device's
 * backend (cpu, or workers with --device workers), forwards every kernel to it and counts the
 * calls per kernel family. Registered with registerBackend, it is a device like any other, and
 * it passes the backend test kit of `@kindling/core/testing`, run here without a test framework
 * on the corpus that ships inside that package.
 */
import * as torch from '@kindling/core';
import type { Backend, DType, Storage, TypedArray } from '@kindling/core';
import { backendTestKit, referenceCorpus } from '@kindling/core/testing';
import type { Example } from '../example.js';
import { runCollected } from '../lib/mini-test.js';

/** Forwards every call to `inner`, counting the kernel calls per family. */
class TracingBackend implements Backend {
  readonly name = 'tracing';
  readonly calls = new Map<string, number>();
  readonly readBlocking?: (storage: Storage) => TypedArray;
  readonly sort?: Backend['sort'];

  constructor(private readonly inner: Backend) {
    // The optional members exactly when the wrapped backend has them: sync reads of a device that
    // computes later (workers) wait through its readBlocking.
    if (inner.readBlocking) this.readBlocking = (storage) => inner.readBlocking!(storage);
    if (inner.sort) {
      this.sort = (...a) => {
        this.count('sort');
        inner.sort!(...a);
      };
    }
  }

  private count(family: string): void {
    this.calls.set(family, (this.calls.get(family) ?? 0) + 1);
  }

  allocate(dtype: DType, length: number): Storage { return this.inner.allocate(dtype, length); }
  fromArray(dtype: DType, values: TypedArray): Storage { return this.inner.fromArray(dtype, values); }
  readSync(storage: Storage): TypedArray | null { return this.inner.readSync(storage); }
  read(storage: Storage): Promise<TypedArray> { return this.inner.read(storage); }

  fill(...a: Parameters<Backend['fill']>): void { this.count('fill'); this.inner.fill(...a); }
  copy(...a: Parameters<Backend['copy']>): void { this.count('copy'); this.inner.copy(...a); }
  unary(...a: Parameters<Backend['unary']>): void { this.count('unary'); this.inner.unary(...a); }
  binary(...a: Parameters<Backend['binary']>): void { this.count('binary'); this.inner.binary(...a); }
  where(...a: Parameters<Backend['where']>): void { this.count('where'); this.inner.where(...a); }
  reduce(...a: Parameters<Backend['reduce']>): void { this.count('reduce'); this.inner.reduce(...a); }
  matmul(...a: Parameters<Backend['matmul']>): void { this.count('matmul'); this.inner.matmul(...a); }
  gather(...a: Parameters<Backend['gather']>): void { this.count('gather'); this.inner.gather(...a); }
  scatter(...a: Parameters<Backend['scatter']>): void { this.count('scatter'); this.inner.scatter(...a); }
  indexSelect(...a: Parameters<Backend['indexSelect']>): void { this.count('indexSelect'); this.inner.indexSelect(...a); }
  indexAdd(...a: Parameters<Backend['indexAdd']>): void { this.count('indexAdd'); this.inner.indexAdd(...a); }
  cumulative(...a: Parameters<Backend['cumulative']>): void { this.count('cumulative'); this.inner.cumulative(...a); }
  unfold(...a: Parameters<Backend['unfold']>): void { this.count('unfold'); this.inner.unfold(...a); }
}

export const customBackend: Example = {
  name: 'custom-backend',
  description: 'a tracing backend wrapping cpu (or workers), registered with registerBackend; it passes the backend test kit',
  check: {
    kind: 'pattern',
    lines: [
      /^a Linear\(4, 2\) forward and backward on 'tracing': loss tensor\(\d+\.\d{4}, device='tracing', grad_fn=<MseLossBackward0>\)$/,
      /^corpus: \d+ passed, \d+ not supported yet \[device: tracing\]$/,
      /^backend test kit on 'tracing' \(wrapping (cpu|workers)\): \d+ passed, 0 failed, \d+ not supported yet$/,
      /^kernel calls per family:$/,
      ...['binary', 'copy', 'cumulative', 'fill', 'gather', 'indexAdd', 'indexSelect', 'matmul', 'reduce', 'scatter', 'sort', 'unary', 'unfold', 'where']
        .map((family) => new RegExp(`^ {2}${family} +\\d+$`)),
    ],
  },
  async run(print, { device }) {
    const tracing = new TracingBackend(torch.getBackend(device));
    torch.registerBackend('tracing', () => tracing);
    try {
      torch.manualSeed(0);
      const model = new torch.nn.Linear(4, 2).to('tracing');
      const loss = torch.F.mseLoss(model.forward(torch.randn(8, 4).to('tracing')), torch.zeros(8, 2, { device: 'tracing' }));
      loss.backward();
      print(`a Linear(4, 2) forward and backward on 'tracing': loss`, loss);

      const result = await runCollected(({ describe, it }) =>
        backendTestKit({ device: 'tracing', corpus: referenceCorpus(), log: (text) => print(text.split('\n')[0]), describe, it }));
      print(`backend test kit on 'tracing' (wrapping ${device}): ${result.passed} passed, ${result.failed} failed, ${result.skipped} not supported yet`);
      for (const f of result.failures) print(`  failed: ${f}`);
      print('kernel calls per family:');
      for (const [family, n] of [...tracing.calls].sort(([a], [b]) => (a < b ? -1 : 1))) print(`  ${family.padEnd(12)} ${n}`);
    } finally {
      torch.unregisterBackend('tracing');
    }
  },
};
