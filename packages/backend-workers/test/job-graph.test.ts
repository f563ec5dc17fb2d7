/** The job graph on its own, with no threads: order, failure, long chains without recursion. */
import { describe, expect, it } from 'vitest';
import { Job, Scheduler } from '../src/scheduler.js';

describe('Scheduler', () => {
  it('starts a job once every dependency is done, in the order they became ready', () => {
    const s = new Scheduler();
    const log: string[] = [];
    const later: Job[] = [];
    const deferred = (name: string) => new Job(name, (j) => { log.push(`start ${name}`); later.push(j); });
    const inline = (name: string) => new Job(name, (j) => { log.push(`run ${name}`); s.finish(j, null); });
    const a = deferred('a'), b = deferred('b');
    s.submit(a, []);
    s.submit(b, []);
    const c = inline('c');
    s.submit(c, [a, b]);
    const d = inline('d');
    s.submit(d, [c]);
    expect(log).toEqual(['start a', 'start b']);
    s.finish(b, null);
    expect(c.done).toBe(false);
    s.finish(a, null);
    expect(log).toEqual(['start a', 'start b', 'run c', 'run d']);
    expect(d.done).toBe(true);
    expect(s.pending.size).toBe(0);
  });

  it('a job whose start throws is done with that error; listeners run before dependents start', () => {
    const s = new Scheduler();
    const seen: string[] = [];
    const bad = new Job('bad', () => { throw new Error('boom'); });
    const next = new Job('next', (j) => { seen.push(`next sees ${bad.error?.message}`); s.finish(j, null); });
    const gate = new Job('gate', () => {});
    s.submit(gate, []);
    s.submit(bad, [gate]);
    bad.onDone(() => seen.push('listener'));
    s.submit(next, [bad]);
    s.finish(gate, null);
    expect(bad.error?.message).toBe('boom');
    expect(seen).toEqual(['listener', 'next sees boom']);
  });

  it('a chain of 100000 jobs that finish inline neither recurses nor overflows', async () => {
    const s = new Scheduler();
    const gate = new Job('gate', () => {});
    s.submit(gate, []);
    let prev = gate, count = 0;
    for (let i = 0; i < 100000; i++) {
      const j: Job = new Job(`j${i}`, (job) => { count++; s.finish(job, null); });
      s.submit(j, [prev]);
      prev = j;
    }
    const done = prev.whenDone();
    s.finish(gate, null);
    await done;
    expect(count).toBe(100000);
  });
});
