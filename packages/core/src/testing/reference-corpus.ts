/**
 * The reference corpus shipped with `@kindling/core/testing`: every op case recorded from
 * PyTorch 1.13 (torch-golden.json, the conformance cases; torch-ops-linalg.json and
 * torch-ops-sort.json, from test/fixtures/gen/), so a backend author runs the backend test kit without this
 * repository:
 *
 * ```ts
 * import { backendTestKit, referenceCorpus } from '@kindling/core/testing';
 * backendTestKit({ device: 'mine', describe, it, corpus: referenceCorpus() });
 * ```
 *
 * These files are the single copy of the data; the repository's own tests read them here too.
 */
import golden from './corpus/torch-golden.json' with { type: 'json' };
import linalg from './corpus/torch-ops-linalg.json' with { type: 'json' };
import sorting from './corpus/torch-ops-sort.json' with { type: 'json' };
import { loadCorpus, type CorpusCase } from './corpus.js';

/**
 * Every case of the shipped corpus, freshly loaded. A JSON module has no Python int / float
 * split, so `pyFloatScalars` is empty here (loadCorpus on the file's text keeps it); no shipped
 * case depends on it (test/corpus.test.ts checks that).
 */
export function referenceCorpus(): CorpusCase[] {
  return [...loadCorpus(golden), ...loadCorpus(linalg), ...loadCorpus(sorting)];
}
