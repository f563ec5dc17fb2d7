/** The backend test kit on the cpu backend: the whole corpus, the kernel families, the reads. */
import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { backendTestKit } from '../src/testing/index.js';

backendTestKit({
  device: 'cpu',
  describe,
  it,
  corpus: readFileSync(new URL('./fixtures/torch-golden.json', import.meta.url), 'utf8'),
});
