/**
 * Core's backend test kit (the whole shipped corpus, focused checks of every kernel family
 * bitwise against cpu, and the read paths) on workers: at 1, 2 and 3 threads with the inline
 * threshold forced to 0 (every kernel through the pool; 3 threads on 2 cores gives uneven
 * shards) and at 4096 (small kernels inline, larger ones on the pool, mixed in one graph), and
 * with every option at its default (the default threshold keeps the kit's sizes inline).
 */
import { afterAll, describe, it } from 'vitest';
import { backendTestKit, referenceCorpus } from '@kindling/core/testing';
import { disposeWorkers, registerWorkersBackend } from '../src/index.js';

/** The corpus shipped in @kindling/core/testing: the golden cases, then the generated ones. */
const corpus = referenceCorpus();
afterAll(() => disposeWorkers());

for (const threads of [1, 2, 3]) {
  for (const inlineThreshold of [0, 4096]) {
    const device = `workers-t${threads}-i${inlineThreshold}`;
    registerWorkersBackend({ name: device, threads, inlineThreshold });
    backendTestKit({ device, describe, it, corpus });
  }
}
registerWorkersBackend(); // everything default, under the default name
backendTestKit({ device: 'workers', describe, it, corpus });
