/**
 * The Node worker thread (piscina's entry): runs shard tasks (task.ts) and, if the thread ends
 * mid-task, reports that in the task's completion word, so a reader blocked on it wakes up.
 */
import { DIED, settle } from './signals.js';
import { currentTask, runShard } from './task.js';

// A thread that ends mid-task (process.exit, an uncaught error) fails its shard instead of
// leaving a blocked reader waiting for it.
process.on('exit', (code) => {
  const task = currentTask();
  if (task !== null) settle(task.signal, DIED, `the worker thread exited with code ${code}`);
});

/** piscina calls this once per task. */
export default runShard;
