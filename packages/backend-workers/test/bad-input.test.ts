/**
 * Core's bad-input suite on workers: with every kernel through the pool (inline threshold 0, so
 * errors found in a kernel, such as integer division by zero, surface on the read) and with the
 * defaults.
 */
import { afterAll, describe, it } from 'vitest';
import { badInputSuite } from '@kindling/core/testing';
import { disposeWorkers, registerWorkersBackend } from '../src/index.js';

afterAll(() => disposeWorkers());

registerWorkersBackend({ name: 'workers-bad-input-pool', threads: 2, inlineThreshold: 0 });
badInputSuite({ device: 'workers-bad-input-pool', describe, it });
registerWorkersBackend();
badInputSuite({ device: 'workers', describe, it });
