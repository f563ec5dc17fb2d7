/**
 * 2,000 mixed ops with in-place updates in flight: the same random program runs on cpu and on
 * workers (every kernel through the pool, and a threshold that mixes inline and pooled kernels)
 * without awaiting in between; every live tensor must end bitwise equal to cpu's.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '@kindling/core';
import type { Tensor } from '@kindling/core';
import { disposeWorkers, registerWorkersBackend } from '../src/index.js';
import { rng } from './helpers.js';

registerWorkersBackend({ name: 'wmix0', threads: 2, inlineThreshold: 0 });
registerWorkersBackend({ name: 'wmix', threads: 3, inlineThreshold: 2000 });
afterAll(() => disposeWorkers());

const OPS = 2000;
const SHAPES = [[48, 64], [6, 8]] as const;

/** Runs the program on `device`; returns the live tensors and the values awaited midway. */
async function program(device: string, seed: number): Promise<{ live: Tensor[]; seen: number[] }> {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const seen: number[] = [];
  const pools: Tensor[][] = SHAPES.map((shape) => {
    const n = shape[0] * shape[1];
    return Array.from({ length: 4 }, () => torch.tensor(Array.from({ length: n }, () => r() * 2 - 1), { device }).view([...shape]));
  });
  for (let step = 0; step < OPS; step++) {
    const pool = pick(pools);
    const a = pick(pool), b = pick(pool);
    const k = Math.floor(r() * 16);
    const slot = Math.floor(r() * pool.length);
    switch (k) {
      case 0: pool[slot] = a.add(b); break;
      case 1: pool[slot] = a.mul(b).sub(a); break;
      case 2: pool[slot] = a.tanh(); break;
      case 3: pool[slot] = a.exp().div(a.exp().add(1)); break;
      case 4: pool[slot] = torch.where(a.gt(b), a, b.mul(0.5)); break;
      case 5: pool[slot] = a.sub(a.sum(1, true).div(a.shape[1]!)); break;                 // center rows
      case 6: pool[slot] = a.sub(a.amax(0, true)); break;                                 // dim-0 reduction
      case 7: pool[slot] = a.matmul(b.t()).narrow(1, 0, 1).expand(a.shape as number[]).mul(0.01).add(a); break;
      case 8: a.add_(apart(a, b)); break;                                                 // in place
      case 9: a.mul_(0.9); break;
      case 10: a.narrow(0, 1, 2).sub_(apart(a, b).narrow(0, 0, 2)); break;              // in place on a view
      case 11: a.t().narrow(0, 0, 3).copy_(apart(a, b).t().narrow(0, 2, 3)); break;
      case 12: a.copy_(b.flatten().view(a.shape as number[]).relu()); break;
      case 13: if (r() < 0.2) a.fill_(r()); else a.div_(b.abs().add(1)); break;
      case 14: pool[slot] = a.permute(1, 0).contiguous().t(); break;
      case 15: if (r() < 0.05) seen.push(await a.sum().itemAsync() as number); else pool[slot] = a.mean(0, true).expand(a.shape as number[]).add(b); break;
    }
  }
  return { live: pools.flat(), seen };
}

/** b, or a copy of it when it shares a's memory: PyTorch refuses in-place ops on partly overlapping inputs. */
function apart(a: torch.Tensor, b: torch.Tensor): torch.Tensor {
  return a.storage === b.storage ? b.clone() : b;
}

function firstMismatch(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : -2;
}

describe('2,000 mixed ops with in-place updates in flight', () => {
  for (const device of ['wmix0', 'wmix']) {
    it(`${device} equals cpu bitwise`, async () => {
      const seed = 1234;
      const ref = await program('cpu', seed);
      const got = await program(device, seed);
      expect(got.seen).toEqual(ref.seen);
      expect(got.live.length).toBe(ref.live.length);
      for (let i = 0; i < ref.live.length; i++) {
        const values = await got.live[i]!.data();
        expect(firstMismatch(values, ref.live[i]!.dataSync())).toBe(-1);
      }
    }, 120000);
  }
});
