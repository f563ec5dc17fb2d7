/**
 * The Node worker thread (node-pool.ts's script): takes the shared memory and its wasm kernels
 * from workerData, says it is set up, then runs each shard task posted to it (task.ts). It
 * answers nothing: a task's end is written in its completion word. If the thread ends mid-task,
 * it reports that in the word, so a reader blocked on it wakes up.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DIED, settle } from './signals.js';
import { currentTask, runShard, setUpThread } from './task.js';
import type { Task } from './pool.js';
import type { NodeWorkerData } from './node-pool.js';

const data = workerData as NodeWorkerData;
setUpThread(data.setup);
Atomics.store(data.started, 0, 1);

// A thread that ends mid-task (process.exit, an uncaught error) fails its shard instead of
// leaving a blocked reader waiting for it.
process.on('exit', (code) => {
  const task = currentTask();
  if (task !== null) settle(task.signal, DIED, `the worker thread exited with code ${code}`);
});

parentPort!.on('message', (task: Task) => runShard(task));
