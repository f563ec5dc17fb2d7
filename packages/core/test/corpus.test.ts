/** The backend test kit on the cpu backend (the whole corpus, the kernel families, the reads), and the runner's own checks. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backendTestKit, loadCorpus, parsePyJson, PyFloat, referenceCorpus, runCorpusCase, summarize, type CorpusCase } from '../src/testing/index.js';

/** The corpus files shipped in @kindling/core/testing (src/testing/corpus/): the golden cases, then the generated ones (fixtures/gen/). */
const corpusText = (f: string) => readFileSync(new URL(`../src/testing/corpus/${f}`, import.meta.url), 'utf8');
const text = corpusText('torch-golden.json');
const allCases = ['torch-golden.json', 'torch-ops-linalg.json', 'torch-ops-sort.json'].flatMap((f) => loadCorpus(corpusText(f)));

backendTestKit({ device: 'cpu', describe, it, corpus: allCases });

describe('the corpus shipped in @kindling/core/testing', () => {
  it('referenceCorpus() holds every case of the files, equal apart from the int / float split a JSON module loses', () => {
    const shipped = referenceCorpus();
    expect(shipped.map((c) => c.id)).toEqual(allCases.map((c) => c.id));
    expect(shipped.every((c) => c.pyFloatScalars.length === 0)).toBe(true);
    expect(shipped).toEqual(allCases.map((c) => ({ ...c, pyFloatScalars: [] })));
  });

  it('no shipped case depends on that split: each case with an integral Python float runs the same without it', async () => {
    const withFloats = allCases.filter((c) => c.pyFloatScalars.length > 0);
    for (const c of withFloats) {
      const r = await runCorpusCase(c);
      const plain = await runCorpusCase({ ...c, pyFloatScalars: [] });
      expect([c.id, plain.status]).toEqual([c.id, r.status]);
    }
  });
});

describe('corpus runner', () => {
  const cases = loadCorpus(text);
  const byId = new Map(cases.map((c) => [c.id, c]));

  it('loads every case and keeps Python floats with integral values apart', () => {
    expect(cases.length).toBe(657);
    expect(byId.get('mul/scalar/2x3--2.0')!.pyFloatScalars).toEqual([-2]);
    expect(byId.get('mul/promote/i32-int')!.pyFloatScalars).toEqual([]);
    expect(byId.get('add/alpha/2x3')!.pyFloatScalars).toEqual([2]);
    expect(parsePyJson('[1, 1.0, 1e3, -0.5, "2.0", {"a": [2.50]}]')).toEqual([1, new PyFloat(1), new PyFloat(1000), -0.5, '2.0', { a: [2.5] }]);
    expect(JSON.parse(JSON.stringify(cases[0]!.args))).toEqual(JSON.parse(text.split('\n')[1]!.replace(/,$/, '')).args);
  });

  it('no corpus case puts an integral Python float next to integer tensors alone', async () => {
    // The 20 cases with such floats all have a floating tensor operand (or a bool mask next to
    // one), so JavaScript's single number type changes nothing; the runner would say otherwise.
    const affected: string[] = [];
    for (const c of cases.filter((k) => k.pyFloatScalars.length > 0)) {
      const r = await runCorpusCase(c);
      if (r.status === 'unsupported' && r.detail.includes('Python float scalar')) affected.push(c.id);
    }
    expect(cases.filter((k) => k.pyFloatScalars.length > 0).length).toBe(20);
    expect(affected).toEqual([]);
  });

  it('reports an int tensor + integral Python float as not expressible, with the reason', async () => {
    const base = byId.get('mul/promote/i32-int')!;
    const c: CorpusCase = { ...base, id: 'synthetic/i32-times-3.0', args: [base.args[0]!, 3], pyFloatScalars: [3] };
    const r = await runCorpusCase(c);
    expect(r.status).toBe('unsupported');
    expect(r.detail).toMatch(/Python float scalar 3\.0 next to int32 tensors promotes to float32 in PyTorch/);
  });

  it('fails a case whose expected values are wrong, and names the first differences', async () => {
    const good = byId.get('exp/2x3')!;
    expect((await runCorpusCase(good)).status).toBe('pass');
    const out = { ...(good.out as { data: number[] }), data: [...(good.out as { data: number[] }).data] };
    out.data[2] = out.data[2]! + 0.01;
    const r = await runCorpusCase({ ...good, out: out as CorpusCase['out'] });
    expect(r.status).toBe('fail');
    expect(r.detail).toMatch(/^output 0: 1 of 6 values differ .*\[2\]/);
    const grads = [{ ...good.grads![0]!, data: good.grads![0]!.data.map((v) => (v as number) * 2) }];
    const r2 = await runCorpusCase({ ...good, grads });
    expect(r2.status).toBe('fail');
    expect(r2.detail).toMatch(/^gradient of tensor argument 0:/);
  });

  it('reports a missing op as not supported, by its Kindling name', async () => {
    const c = { ...byId.get('exp/2x3')!, op: 'F.no_such_op' };
    const r = await runCorpusCase(c);
    expect(r).toMatchObject({ status: 'unsupported', op: 'F.noSuchOp', detail: 'torch.nn.functional.noSuchOp does not exist' });
    const s = summarize([c], new Map([[c.id, r]]));
    expect(s.text).toBe('corpus: 0 passed, 1 not supported yet\nnot supported yet: F.noSuchOp');
  });
});
