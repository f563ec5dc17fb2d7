import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectingPrint } from '../src/example.js';
import { examples } from '../src/registry.js';

describe('example suite', () => {
  for (const example of examples) {
    it(`${example.name} prints its expected output`, async () => {
      const lines: string[] = [];
      await example.run(collectingPrint(lines));
      const expected = readFileSync(new URL(`../expected/${example.name}.txt`, import.meta.url), 'utf8');
      expect(lines.join('\n') + '\n').toBe(expected.endsWith('\n') ? expected : expected + '\n');
    });
  }
});
