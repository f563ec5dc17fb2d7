/**
 * The browser worker: a module Web Worker exposing `run(task)` through comlink. It says 'ready'
 * once loaded (a script that fails to load never does, so the pool can tell a broken URL from a
 * busy worker). Web Workers have no exit event, so a worker that closes reports its shard DIED
 * and says 'dying' first.
 */
import * as Comlink from 'comlink';
import { DIED, settle } from './signals.js';
import { currentTask, runShard } from './task.js';
import { scope } from './browser-globals.js';
import type { Task } from './pool.js';

/** What the pool calls through comlink. */
export interface BrowserWorkerApi {
  run(task: Task): void;
}

function close(): void {
  const task = currentTask();
  if (task !== null) settle(task.signal, DIED, 'the worker closed');
  scope.postMessage?.({ kindling: 'dying' });
  scope.close?.();
}

Comlink.expose({ run: (task: Task) => runShard(task, close) } satisfies BrowserWorkerApi);
scope.postMessage?.({ kindling: 'ready' });
