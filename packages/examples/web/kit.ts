/**
 * The backend test kit inside the page, on the workers device (comlink Web Workers), with the
 * small describe / it runner of src/lib/mini-test.ts in place of vitest. It prints `N passed, N failed` and leaves the
 * results on `window.kindlingKit` for the end-to-end tests. `window.kindlingFault` kills a worker
 * mid-kernel and checks that the read names the op and the pool recovers.
 */
import * as torch from '@kindling/core';
import { backendTestKit } from '@kindling/core/testing';
import { registerWorkersBackend, type WorkersBackend } from '@kindling/backend-workers';
import corpus from '../../core/src/testing/corpus/torch-golden.json?raw';
import { runCollected } from '../src/lib/mini-test.js';

interface KitResult { passed: number; failed: number; skipped: number; failures: string[]; log: string[] }

const params = new URLSearchParams(location.search);
const threads = Number(params.get('threads') ?? 2);
registerWorkersBackend({ threads, inlineThreshold: Number(params.get('inline') ?? 0) });

async function runKit(): Promise<KitResult> {
  const log: string[] = [];
  const result = await runCollected(({ describe, it }) =>
    backendTestKit({ device: 'workers', corpus, log: (text) => log.push(text), describe, it }));
  return { ...result, log };
}

async function killWorkerMidKernel(): Promise<{ error: string; recovered: boolean }> {
  const backend = torch.getBackend('workers') as unknown as WorkersBackend;
  const x = torch.arange(1 << 16, { dtype: 'float32', device: 'workers' });
  backend.injectFault('exit');
  let error = '';
  try {
    await x.exp().data();
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const want = torch.arange(1 << 16, { dtype: 'float32' }).exp().sum();
  const got = await x.exp().sum().itemAsync();
  return { error, recovered: got === want.item() };
}

/**
 * The main thread's rule: a synchronous read of a tensor computed on the pool throws, naming the
 * async forms, until the tensor has been awaited; then it works.
 */
async function syncReadRule(): Promise<{ before: string; after: number }> {
  const y = torch.arange(1 << 16, { dtype: 'float32', device: 'workers' }).mul(2).sum();
  let before = '';
  try {
    y.item();
  } catch (e) {
    before = e instanceof Error ? e.message : String(e);
  }
  await y.ready();
  return { before, after: y.item() as number };
}

declare global {
  interface Window {
    kindlingKit: Promise<KitResult>;
    kindlingFault: typeof killWorkerMidKernel;
    kindlingSyncRule: typeof syncReadRule;
  }
}

window.kindlingFault = killWorkerMidKernel;
window.kindlingSyncRule = syncReadRule;
// ?kit=off loads the page without running the kit (for the fault test).
window.kindlingKit = params.get('kit') === 'off' ? Promise.resolve({ passed: 0, failed: 0, skipped: 0, failures: [], log: [] }) : runKit();
void window.kindlingKit.then((r) => {
  document.getElementById('out')!.textContent = [`${r.passed} passed, ${r.failed} failed`, `(${r.skipped} not supported yet)`, ...r.log, ...r.failures].join('\n');
});
