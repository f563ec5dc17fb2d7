/**
 * The tfjs baselines run in this child process (forked by main.ts), so tfjs's heap and JIT state
 * do not slow the Kindling cpu backend, which runs on the parent's main thread. The parent keeps
 * the interleaving: it asks for one timed repetition at a time.
 */
import { loadTfjs } from './tfjs.js';
import { WORKLOADS, type Instance } from './workloads.js';

/** Messages from the parent. */
export type ChildRequest =
  | { op: 'make'; workload: string }
  | { op: 'run'; backend: 'cpu' | 'wasm' }
  | { op: 'dispose' };

const tf = await loadTfjs();
const instances = new Map<string, Instance>();

process.on('message', (m: ChildRequest) => {
  void handle(m).then((reply) => process.send!(reply), (e: unknown) => process.send!({ error: String(e) }));
});
process.send!({ ready: true });

async function handle(m: ChildRequest): Promise<object> {
  if (m.op === 'make') {
    const w = WORKLOADS.find((e) => e.name === m.workload)!.make();
    for (const backend of ['cpu', 'wasm'] as const) {
      await tf.setBackend(backend);
      instances.set(backend, w.tfjs(tf));
    }
    return {};
  }
  if (m.op === 'run') {
    await tf.setBackend(m.backend);
    const t0 = performance.now();
    await instances.get(m.backend)!.run();
    return { ms: performance.now() - t0 };
  }
  for (const [backend, inst] of instances) {
    await tf.setBackend(backend);
    inst.dispose();
  }
  instances.clear();
  return {};
}
