/**
 * The Node worker thread (piscina calls the default export once per task): runs one shard and
 * reports its end in the task's completion word (see signals.ts), so a reader blocked on this
 * shard wakes up, even if this thread dies.
 */
import { DIED, settle } from './signals.js';
import { currentShard, runShard } from './task.js';
import type { Task } from './pool.js';

// A thread that ends mid-task (process.exit, an uncaught error) fails its shard instead of
// leaving a blocked reader waiting for it.
process.on('exit', (code) => {
  if (currentShard !== null) settle(currentShard.signal, DIED, `the worker thread exited with code ${code}`);
});

/** piscina calls this once per task. */
export default function run(task: Task): void {
  runShard(task, () => process.exit(3));
}
