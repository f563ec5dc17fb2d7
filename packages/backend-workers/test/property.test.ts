/**
 * fast-check property tests: for random shapes, dims and strided layouts (permuted, sliced and
 * broadcast inputs), every kernel family on workers (1, 2 and 3 threads with every kernel sent
 * to the pool, and 2 threads at the default inline threshold) writes bitwise what cpu writes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Backend } from '@kindling/core';
import { cpu, rng, workers } from './helpers.js';
import { FAMILY_NAMES, randomCase, runCase } from './cases.js';

const backends: Backend[] = [cpu, workers(1), workers(2), workers(3), workers(2, 65536)];
afterAll(async () => {
  for (const b of backends.slice(1)) await (b as ReturnType<typeof workers>).dispose();
});

const smallShape = fc.array(fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant(0)), { maxLength: 4 });
const bigShape = fc.array(fc.integer({ min: 1, max: 48 }), { minLength: 3, maxLength: 4 }).filter((s) => s.reduce((a, b) => a * b, 1) <= 300000);

describe('workers equal cpu bitwise on random cases', () => {
  for (const family of FAMILY_NAMES) {
    it(`${family}: small shapes`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer(), smallShape, async (seed, shape) => {
          const m = await runCase(randomCase(family, backends, rng(seed), shape), backends);
          expect(m).toBeNull();
        }),
        { numRuns: 60 },
      );
    });
    it(`${family}: shapes large enough to shard`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer(), bigShape, async (seed, shape) => {
          const m = await runCase(randomCase(family, backends, rng(seed), shape), backends);
          expect(m).toBeNull();
        }),
        { numRuns: 8 },
      );
    }, 60000);
  }

  it('long reductions split on block boundaries (few outputs, many blocks)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 4097, max: 60000 }), async (seed, kept, len) => {
        const m = await runCase(randomCase('reduce', backends, rng(seed), [kept, len]), backends);
        expect(m).toBeNull();
      }),
      { numRuns: 40 },
    );
  }, 60000);
});
