/**
 * The Node worker thread (piscina's entry): takes the shared memory and its wasm kernels from
 * workerData, runs shard tasks (task.ts) and, if the thread ends mid-task, reports that in the
 * task's completion word, so a reader blocked on it wakes up.
 */
import { workerData } from 'node:worker_threads';
import { DIED, settle } from './signals.js';
import { currentTask, runShard, setUpThread } from './task.js';
import type { WorkerSetup } from './pool.js';

setUpThread(workerData as WorkerSetup);

// A thread that ends mid-task (process.exit, an uncaught error) fails its shard instead of
// leaving a blocked reader waiting for it.
process.on('exit', (code) => {
  const task = currentTask();
  if (task !== null) settle(task.signal, DIED, `the worker thread exited with code ${code}`);
});

/** piscina calls this once per task. */
export default runShard;
