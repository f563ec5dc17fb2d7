/**
 * The browser worker: a module Web Worker exposing `run(task)` through comlink. It says 'ready'
 * once loaded (a script that fails to load never does, so the pool can tell a broken URL from a
 * busy worker), and 'dying' before it closes, since Web Workers have no exit event.
 */
import * as Comlink from 'comlink';
import { runTask } from './run-task.js';
import { scope } from './browser-globals.js';
import type { Task } from './pool.js';

/** What the pool calls through comlink. */
export interface BrowserWorkerApi {
  run(task: Task): void;
}

function die(): never {
  scope.postMessage?.({ kindling: 'dying' });
  scope.close?.();
  throw new Error('worker closed'); // close() lets the current task finish: stop it here
}

Comlink.expose({ run: (task: Task) => runTask(task, die) } satisfies BrowserWorkerApi);
scope.postMessage?.({ kindling: 'ready' });
