/**
 * The job graph, with no threads in it: a job waits for the jobs it depends on, then starts;
 * finishing a job starts the dependents it was the last dependency of. Starting runs from one
 * loop over a ready queue (never recursively), so chains of any length neither recurse nor
 * overflow the stack, whether they finish at once (inline kernels) or later (pool kernels).
 *
 * What a dependency is (read-after-write, write-after-write, write-after-read on storages) is
 * the backend's business; the scheduler only keeps the counts.
 */

/** One scheduled piece of work. `start` runs it; whoever runs it calls Scheduler.finish. */
export class Job {
  done = false;
  /** Why it failed (its outputs' values are then unusable). */
  error: Error | null = null;
  /** Dependencies not finished yet. */
  waiting = 0;
  /** Jobs waiting for this one. */
  dependents: Job[] | null = null;
  /** Called once, when the job is done, before any dependent starts. */
  private listeners: (() => void)[] | null = null;

  constructor(
    /** The op, as error messages name it. */
    readonly op: string,
    /** Starts the work (inline, or on the pool). */
    readonly start: (job: Job) => void,
  ) {}

  /** Calls `fn` when the job is done (now, if it is). */
  onDone(fn: () => void): void {
    if (this.done) fn();
    else (this.listeners ??= []).push(fn);
  }

  /** Resolves when the job is done (successfully or not). */
  whenDone(): Promise<void> {
    return new Promise((resolve) => this.onDone(resolve));
  }

  /** @internal Marks the job done and calls its listeners. */
  settle(error: Error | null): void {
    this.done = true;
    this.error = error;
    const ls = this.listeners;
    this.listeners = null;
    if (ls !== null) for (const fn of ls) fn();
  }
}

/** Starts jobs once their dependencies are done. */
export class Scheduler {
  private ready: Job[] = [];
  private head = 0;
  private draining = false;
  /** Jobs submitted and not done yet. */
  readonly pending = new Set<Job>();

  /** Adds a job that starts when every job in `deps` is done. */
  submit(job: Job, deps: readonly Job[]): void {
    this.pending.add(job);
    for (const d of deps) {
      if (d.done) continue;
      job.waiting++;
      (d.dependents ??= []).push(job);
    }
    if (job.waiting === 0) this.ready.push(job);
    this.drain();
  }

  /** Marks a started job done; dependents whose last dependency it was start. */
  finish(job: Job, error: Error | null): void {
    if (job.done) return;
    this.pending.delete(job);
    job.settle(error);
    const ds = job.dependents;
    job.dependents = null;
    if (ds !== null) for (const d of ds) if (--d.waiting === 0) this.ready.push(d);
    this.drain();
  }

  /** Starts the ready jobs, in the order they became ready; re-entrant calls only queue. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.head < this.ready.length) {
        const job = this.ready[this.head++]!;
        try {
          job.start(job);
        } catch (e) {
          this.finish(job, e instanceof Error ? e : new Error(String(e)));
        }
      }
      this.ready = [];
      this.head = 0;
    } finally {
      this.draining = false;
    }
  }
}
