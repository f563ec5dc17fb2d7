/** The Node worker thread (piscina calls the default export once per task). */
import { runTask } from './run-task.js';
import type { Task } from './pool.js';

export default function run(task: Task): void {
  runTask(task, () => process.exit(3));
}
