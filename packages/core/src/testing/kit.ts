/**
 * The backend test kit: one shared suite that any backend must pass, registered through the
 * caller's test framework (like TF.js's shared backend tests). It runs the whole conformance
 * corpus on the device, focused checks of every Backend kernel family on strided / permuted /
 * broadcast views, and the read paths.
 *
 * ```ts
 * import { describe, it } from 'vitest';
 * import { backendTestKit } from '@kindling/core/testing';
 * backendTestKit({ device: 'workers', describe, it, corpus: readFileSync(goldenPath, 'utf8') });
 * ```
 */
import * as torch from '../index.js';
import { getBackend } from '../backend/registry.js';
import type { DType } from '../dtype.js';
import {
  backendFamilies, checkBinary, checkBlockedReduce, checkCopy, checkCumulative, checkFill, checkGather, checkIndexAdd, checkIndexSelect,
  checkMatmul, checkReads, waitedFor, checkReduce, checkScatter, checkSoftmax, checkSort, checkUnary, checkUnfold, checkWhere,
} from './backend-checks.js';
import { loadCorpus, runCorpusCase, summarize, type CaseResult, type CorpusCase } from './corpus.js';

/** What the test framework passes to a test body; `skip` (vitest's context) marks a test skipped at run time. */
export interface TestContext {
  skip?: (note?: string) => void;
}

/** The test framework's describe / it (vitest, jest, mocha and node:test all fit). */
export interface TestFramework {
  describe: (name: string, body: () => void) => void;
  it: (name: string, body: (ctx: TestContext) => void | Promise<void>) => void;
}

/** Options of backendTestKit. */
export interface BackendTestKitOptions extends TestFramework {
  /** The device under test (a registered backend name). */
  device: string;
  /** torch-golden.json: its text, or cases already loaded with loadCorpus. */
  corpus: string | readonly CorpusCase[];
  /** Where the corpus summary goes (default: console.log). */
  log?: (text: string) => void;
  /** Optional hook run before the corpus (e.g. to wait for the backend to start). */
  setup?: () => void | Promise<void>;
}

/** Families with a focused check below; the kit fails if the backend has one not listed here. */
const CHECKED_FAMILIES = [
  'fill', 'copy', 'unary', 'binary', 'where', 'reduce', 'matmul', 'gather', 'scatter', 'indexSelect', 'indexAdd', 'cumulative', 'unfold',
  'sort', 'softmax', 'softmaxBackward',
];

/** Families a backend may leave out: core then runs a default built from the other families (the corpus covers that path). */
const OPTIONAL_FAMILIES = ['sort', 'softmax', 'softmaxBackward'];

const DTYPES: readonly DType[] = ['float32', 'float64', 'int64', 'int32', 'bool'];

/**
 * Registers the backend test suite for `device` through the given describe / it:
 * - `corpus`: one test per case of torch-golden.json (a failing case fails its test; a case not
 *   supported yet is marked skipped where the framework can, and never counted as passing), then
 *   a summary test that logs `corpus: N passed, M not supported yet` with the unsupported op
 *   names and fails if any case failed;
 * - `kernels`: every Backend family on strided views against a reference (and bitwise against
 *   cpu for other devices), and a check that no family of the backend goes unchecked;
 * - `reads`: read / readSync / fromArray / allocate, and the Tensor data accessors.
 */
export function backendTestKit(options: BackendTestKitOptions): void {
  const { device, describe, it } = options;
  const log = options.log ?? ((text: string) => (globalThis as { console?: { log(s: string): void } }).console?.log(text));
  const cases = typeof options.corpus === 'string' ? loadCorpus(options.corpus) : options.corpus;
  const backend = () => getBackend(device);

  describe(`backend test kit: ${device}`, () => {
    describe('corpus', () => {
      const results = new Map<string, CaseResult>();
      const run = async (c: CorpusCase): Promise<CaseResult> => {
        let r = results.get(c.id);
        if (!r) {
          r = await runCorpusCase(c, { device });
          results.set(c.id, r);
        }
        return r;
      };
      let ready: Promise<void> | null = null;
      const setup = (): Promise<void> => (ready ??= Promise.resolve(options.setup?.()));
      for (const c of cases) {
        it(c.id, async (ctx) => {
          await setup();
          const r = await run(c);
          if (r.status === 'fail') throw new Error(`${c.id} (${r.op}): ${r.detail}`);
          if (r.status === 'unsupported') ctx?.skip?.(`not supported yet: ${r.op}: ${r.detail}`);
        });
      }
      it('summary: every supported case passes', async () => {
        await setup();
        // Cases filtered out of this run (e.g. by a name filter) run here, so the summary is complete.
        for (const c of cases) await run(c);
        const s = summarize(cases, results);
        // The first line is exactly `corpus: N passed, M not supported yet`, then the device.
        const [first, ...more] = s.text.split('\n');
        log([`${first} [device: ${device}]`, ...more].join('\n'));
        const gradFns = cases.flatMap((c) => {
          const m = results.get(c.id)?.gradFnMismatch;
          return m ? [`${c.id}: ${m.actual} (PyTorch: ${m.expected})`] : [];
        });
        // Ported code inspects gradFn, so its names are part of the contract.
        if (gradFns.length > 0) throw new Error(`${gradFns.length} grad_fn names differ from PyTorch's on ${device}:\n  ${gradFns.join('\n  ')}`);
        if (s.failed > 0) throw new Error(`${s.failed} corpus cases failed on ${device}:\n${s.failures.map((f) => `  ${f.id}: ${f.detail}`).join('\n')}`);
      });
    });

    describe('kernels', () => {
      it('the backend has every family cpu has, and each has a focused check here', () => {
        const cpu = backendFamilies(getBackend('cpu'));
        const mine = backendFamilies(backend());
        const missing = cpu.filter((f) => !mine.includes(f) && !OPTIONAL_FAMILIES.includes(f));
        if (missing.length > 0) throw new Error(`the ${device} backend lacks kernel families: ${missing.join(', ')}`);
        const unchecked = cpu.filter((f) => !CHECKED_FAMILIES.includes(f));
        if (unchecked.length > 0) throw new Error(`kernel families without a focused check in the backend test kit: ${unchecked.join(', ')}`);
      });
      for (const dtype of DTYPES) it(`fill ${dtype}`, () => checkFill(backend(), dtype));
      it('copy: every conversion mode', () => checkCopy(backend()));
      for (const dtype of DTYPES) it(`unary ${dtype}`, () => checkUnary(backend(), dtype));
      for (const dtype of DTYPES) it(`binary ${dtype} (comparisons included)`, () => checkBinary(backend(), dtype));
      for (const dtype of ['float32', 'int64', 'bool'] as DType[]) it(`where ${dtype}`, () => checkWhere(backend(), dtype));
      for (const dtype of DTYPES) it(`reduce ${dtype}`, () => checkReduce(backend(), dtype));
      for (const dtype of ['float32', 'float64'] as const) {
        it(`reduce ${dtype}: long rows equal the split block reduction bitwise`, () => checkBlockedReduce(backend(), dtype));
      }
      for (const dtype of ['float32', 'float64', 'int64'] as DType[]) it(`matmul ${dtype}`, () => checkMatmul(backend(), dtype));
      for (const dtype of ['float32', 'int64', 'bool'] as DType[]) it(`gather ${dtype}`, () => checkGather(backend(), dtype));
      for (const dtype of ['float32', 'float64', 'int64'] as DType[]) it(`scatter ${dtype}`, () => checkScatter(backend(), dtype));
      for (const dtype of ['float32', 'int32', 'bool'] as DType[]) it(`indexSelect ${dtype}`, () => checkIndexSelect(backend(), dtype));
      for (const dtype of ['float32', 'float64', 'int64'] as DType[]) it(`indexAdd ${dtype}`, () => checkIndexAdd(backend(), dtype));
      for (const dtype of ['float32', 'float64', 'int64'] as DType[]) it(`cumulative ${dtype}`, () => checkCumulative(backend(), dtype));
      for (const dtype of ['float32', 'float64'] as DType[]) it(`unfold ${dtype}`, () => checkUnfold(backend(), dtype));
      for (const dtype of DTYPES) it(`sort ${dtype}`, () => checkSort(backend(), dtype));
      for (const dtype of ['float32', 'float64'] as const) {
        it(`softmax rows ${dtype} (forward and backward)`, (ctx) => {
          if (!backend().softmax) return ctx.skip?.(`${device} has no fused softmax family: softmax runs its default, composed of other families`);
          return checkSoftmax(backend(), dtype);
        });
      }
    });

    describe('reads', () => {
      for (const dtype of DTYPES) it(`read / readSync / fromArray / allocate ${dtype}`, () => checkReads(backend(), dtype));
      it('Tensor data accessors', async () => {
        const t = torch.tensor([[1, 2, 3], [4, 5, 6]], { device, dtype: 'float64' });
        const y = t.t().mul(2).add(1); // a kernel result read through a non-contiguous view
        const want = [[3, 9], [5, 11], [7, 13]];
        const asText = JSON.stringify(want);
        // Synchronous reads first (a pending result is waited for, or on a thread that may not
        // block, refused until awaited), then the async forms.
        const list = await waitedFor(() => y.tolist(), () => y.ready());
        if (JSON.stringify(list) !== asText) throw new Error(`tolist gave ${JSON.stringify(list)}`);
        await y.ready();
        if (JSON.stringify(await y.tolistAsync()) !== asText) throw new Error(`tolistAsync gave ${JSON.stringify(await y.tolistAsync())}`);
        const flat = await y.t().data();
        if (Array.from(flat).join() !== '3,5,7,9,11,13') throw new Error(`data() of a transposed view gave ${Array.from(flat).join()}`);
        const s = y.sum();
        const one = await waitedFor(() => s.item(), () => s.ready());
        if (one !== 48) throw new Error(`item() gave ${one}`);
        if ((await s.itemAsync()) !== 48) throw new Error(`itemAsync() gave ${await s.itemAsync()}`);
        const b = await t.gt(3).tolistAsync();
        if (JSON.stringify(b) !== '[[false,false,false],[true,true,true]]') throw new Error(`bool tolist gave ${JSON.stringify(b)}`);
        if (y.device !== device) throw new Error(`device is ${y.device}, expected ${device}`);
        if (!String(y).startsWith('tensor([[ 3.,  9.],')) throw new Error(`printing gave ${String(y)}`);
      });
    });
  });
}
