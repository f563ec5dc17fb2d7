/**
 * The browser worker: a module Web Worker exposing `run(task)` through comlink. It says 'ready'
 * once loaded (a script that fails to load never does, so the pool can tell a broken URL from a
 * busy worker), and reports its shard DIED and says 'dying' before it closes, since Web Workers
 * have no exit event.
 */
import * as Comlink from 'comlink';
import { DIED, settle } from './signals.js';
import { currentShard, runShard } from './task.js';
import { scope } from './browser-globals.js';
import type { Task } from './pool.js';

/** What the pool calls through comlink. */
export interface BrowserWorkerApi {
  run(task: Task): void;
}

function die(): never {
  if (currentShard !== null) settle(currentShard.signal, DIED, 'the worker closed');
  scope.postMessage?.({ kindling: 'dying' });
  scope.close?.();
  throw new Error('worker closed'); // close() lets the current task finish: stop it here
}

Comlink.expose({ run: (task: Task) => runShard(task, die) } satisfies BrowserWorkerApi);
scope.postMessage?.({ kindling: 'ready' });
