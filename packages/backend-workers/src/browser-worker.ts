/**
 * The browser worker: a module Web Worker exposing `run(task)` through comlink. It waits for
 * the pool's setup message (the shared memory and the compiled kernels), then says 'ready'; a
 * script that fails to load never does, so the pool can tell a broken URL from a busy worker.
 * Web Workers have no exit event, so a worker that closes reports its shard DIED and says
 * 'dying' first.
 */
import * as Comlink from 'comlink';
import { DIED, settle } from './signals.js';
import { currentTask, runShard, setUpThread } from './task.js';
import { scope } from './browser-globals.js';
import type { Task, WorkerSetup } from './pool.js';

/** What the pool calls through comlink. */
export interface BrowserWorkerApi {
  run(task: Task): void;
}

function close(): void {
  const task = currentTask();
  if (task !== null) settle(task.signal, DIED, 'the worker thread died: it closed');
  scope.postMessage?.({ kindling: 'dying' });
  scope.close?.();
}

const self = globalThis as unknown as { addEventListener(type: 'message', listener: (e: { data?: { kindling?: string; setup?: WorkerSetup } }) => void): void };
self.addEventListener('message', (e) => {
  if (e.data?.kindling !== 'setup' || e.data.setup === undefined) return;
  setUpThread(e.data.setup);
  scope.postMessage?.({ kindling: 'ready' });
});
Comlink.expose({ run: (task: Task) => runShard(task, close) } satisfies BrowserWorkerApi);
