/**
 * The example suite under the runner's own checks, on cpu and on the workers device (every kernel
 * through the pool). The long trainings (`slow`) are run and checked by `pnpm examples` only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeWorkers, registerWorkersBackend } from '@kindling/backend-workers';
import { checkOutput } from '../src/check.js';
import { collectingPrint, parseDevice, type Device } from '../src/example.js';
import { examples } from '../src/registry.js';

beforeAll(() => registerWorkersBackend({ threads: 2, inlineThreshold: 0 }));
afterAll(() => disposeWorkers());

describe('example suite', () => {
  for (const device of ['cpu', 'workers'] as Device[]) {
    for (const example of examples.filter((e) => !e.slow)) {
      it(`${example.name} passes its ${example.check.kind} check on ${device}`, async () => {
        const lines: string[] = [];
        const result = await example.run(collectingPrint(lines), { device });
        expect(checkOutput(example, device, lines, result)).toEqual([]);
      });
    }
  }
});

describe('runner', () => {
  it('parses --device', () => {
    expect(parseDevice(['mnist-mlp', '--device', 'workers'])).toEqual({ device: 'workers', rest: ['mnist-mlp'] });
    expect(parseDevice(['--', '--device=cpu'])).toEqual({ device: 'cpu', rest: [] });
    expect(() => parseDevice(['--device', 'cuda'])).toThrow('--device must be cpu or workers, got cuda');
  });

  it('a text check names the first differing line', () => {
    const example = examples.find((e) => e.name === 'linear-regression')!;
    expect(checkOutput(example, 'cpu', ['Linear(in_features=1, out_features=2, bias=True)'], undefined)[0]).toMatch(
      /at line 1:\n {2}expected: Linear\(in_features=1, out_features=1, bias=True\)\n {2}got: {6}Linear\(in_features=1, out_features=2/,
    );
  });

  it('a metrics check fails below the threshold', () => {
    const example = { name: 'x', description: '', check: { kind: 'metrics', minimum: { accuracy: 0.93 } }, run() {} } as const;
    expect(checkOutput(example, 'cpu', [], { metrics: { accuracy: 0.9299 } })).toEqual(['accuracy 0.9299 is below the required 0.93']);
    expect(checkOutput(example, 'cpu', [], { metrics: { accuracy: 0.93 } })).toEqual([]);
  });
});
