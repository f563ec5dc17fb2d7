/** The bad-input suite (src/testing/bad-input.ts) on cpu; backend-workers runs it on workers. */
import { describe, it } from 'vitest';
import { badInputSuite } from '../src/testing/index.js';

badInputSuite({ device: 'cpu', describe, it });
