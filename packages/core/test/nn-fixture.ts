/** Shared helpers for the nn / optim / data fixture tests: loading, decoding, tolerant comparison. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import * as torch from '../src/index.js';
import type { DType, Tensor } from '../src/index.js';

/** A tensor as the generators write it. */
export interface FixtureTensor { shape: number[]; dtype: DType; data: (number | boolean)[] }

/** Parses a fixture file next to this test. */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** A fixture tensor as a Kindling tensor on `device`. */
export function decode(t: FixtureTensor, device = 'cpu'): Tensor {
  const data = t.data.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
  return torch.tensor(data, { dtype: t.dtype, device }).reshape(t.shape);
}

/** snake_case keys -> camelCase (PyTorch keywords -> Kindling options). */
export function camelKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
}

/** Expects `got` to hold `want`'s shape and values within rtol / atol (exact when both are 0). */
export function expectClose(got: Tensor | null | undefined, want: FixtureTensor, what: string, rtol = 1e-4, atol = 1e-5): void {
  expect(got, `${what}: missing`).toBeTruthy();
  expect([...got!.shape], `${what}: shape`).toEqual(want.shape);
  const g = got!.contiguous().dataSync();
  let worst = -1, worstErr = 0;
  want.data.forEach((w0, i) => {
    const w = Number(w0), v = g[i]!;
    const err = Math.abs(v - w) - (atol + rtol * Math.abs(w));
    if (!(err <= 0) && !(Number.isNaN(v) && Number.isNaN(w)) && (err > worstErr || worst < 0)) { worst = i; worstErr = err; }
  });
  if (worst >= 0) expect.fail(`${what}: element ${worst} is ${g[worst]}, PyTorch has ${want.data[worst]}`);
}
