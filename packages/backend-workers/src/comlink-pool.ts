/**
 * The browser pool: module Web Workers running browser-worker.ts, wrapped with comlink, behind
 * the same WorkerPool interface as the Node pool. Web Workers have no exit event, so a worker
 * that dies shows up through its 'error' event or the 'dying' message it sends before closing;
 * its task ends as DIED in its completion word and a fresh worker takes its place. A worker
 * script that fails to load (it never says 'ready') fails the whole pool once, instead of
 * respawning forever.
 */
import * as Comlink from 'comlink';
import { RuntimeError } from '@kindling/core';
import { scope, type WebWorker } from './browser-globals.js';
import type { BrowserWorkerApi } from './browser-worker.js';
import type { Task, WorkerPool, WorkerSetup } from './pool.js';
import { abandon } from './signals.js';

/** Where the bundled worker script sits by default: beside this module in the package's dist. */
export function defaultWorkerUrl(): URL {
  return new URL('./browser-worker.bundle.js', import.meta.url);
}

interface Slot {
  readonly worker: WebWorker;
  readonly api: Comlink.Remote<BrowserWorkerApi>;
  ready: boolean;
  busy: Task | null;
}

/**
 * A pool of `threads` comlink-wrapped module workers loading `workerUrl`, each handed `setup`
 * (the shared memory holding all storage, the compiled kernels) before its first task.
 */
export function createComlinkPool(threads: number, setup: WorkerSetup, workerUrl: string | URL = defaultWorkerUrl()): WorkerPool {
  // Tasks wait in one queue for a free worker, so a replaced worker's tasks are never lost
  // (no 'died' call is needed); the task a dead worker was running ends as DIED.
  const WorkerCtor = scope.Worker;
  if (WorkerCtor === undefined) throw new RuntimeError('the workers device needs Web Workers, which this environment lacks');
  const slots: Slot[] = [];
  const queue: Task[] = [];
  let broken: Error | null = null;
  let destroyed = false;
  let outstanding = 0;
  let drained: (() => void) | null = null;

  /** A task is over; one that failed here (not in its kernel) ends as DIED with the reason. */
  const settle = (task: Task, error: Error | null): void => {
    outstanding--;
    if (error) abandon(task.signal, error.message);
    if (outstanding === 0) drained?.();
  };

  const fail = (e: Error): void => {
    broken = e;
    for (const s of slots) {
      s.worker.terminate();
      if (s.busy) settle(s.busy, e);
      s.busy = null;
    }
    for (const p of queue.splice(0)) settle(p, e);
  };

  const died = (i: number, why: string): void => {
    const slot = slots[i]!;
    slot.worker.terminate();
    const p = slot.busy;
    slot.busy = null;
    if (p) settle(p, new RuntimeError(`a worker thread died while running ${p.kernel} (${why})`));
    if (!destroyed && broken === null) spawn(i);
  };

  const pump = (): void => {
    for (const slot of slots) {
      if (!slot.ready || slot.busy !== null || queue.length === 0) continue;
      const p = queue.shift()!;
      slot.busy = p;
      // A stale answer (from a worker that was replaced meanwhile) finds busy changed and is ignored.
      const done = (error: Error | null): void => {
        if (slot.busy !== p) return;
        slot.busy = null;
        settle(p, error);
        pump();
      };
      slot.api.run(p).then(() => done(null), (e: unknown) => done(e instanceof Error ? e : new Error(String(e))));
    }
  };

  function spawn(i: number): void {
    const worker = new WorkerCtor!(workerUrl, { type: 'module', name: `kindling-worker-${i}` });
    const slot: Slot = { worker, api: Comlink.wrap<BrowserWorkerApi>(worker as unknown as Comlink.Endpoint), ready: false, busy: null };
    slots[i] = slot;
    worker.postMessage({ kindling: 'setup', setup });
    worker.addEventListener('message', (e) => {
      const said = (e.data as { kindling?: string } | undefined)?.kindling;
      if (said === 'ready') {
        slot.ready = true;
        pump();
      } else if (said === 'dying' && slots[i] === slot) died(i, 'it closed');
    });
    worker.addEventListener('error', (e) => {
      if (slots[i] !== slot) return;
      if (!slot.ready) {
        fail(new RuntimeError(`the workers pool could not start its worker script ${String(workerUrl)} (${e.message ?? 'it failed to load'}); if a bundler moved it, pass its URL as registerWorkersBackend({ workerUrl })`));
      } else {
        died(i, e.message ?? 'an uncaught error');
      }
    });
  }

  for (let i = 0; i < threads; i++) spawn(i);
  return {
    threads,
    send(task: Task): void {
      if (broken) throw broken;
      outstanding++;
      queue.push(task);
      pump();
    },
    keepAlive(): void {}, // a page stays open by itself
    async destroy(): Promise<void> {
      destroyed = true;
      if (outstanding > 0) await new Promise<void>((r) => (drained = r));
      for (const s of slots) s.worker.terminate();
    },
  };
}
