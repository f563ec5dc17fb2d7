/**
 * torch.utils.data against PyTorch 1.13 (fixtures/torch-data.json, from fixtures/gen/data.py):
 * DataLoader's batches (shuffled with PyTorch's order for the same seed, two epochs, dropLast)
 * and the default generator's position afterwards; randomSplit's indices for lengths and fractions.
 */
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { loadFixture } from './nn-fixture.js';

const { DataLoader, TensorDataset, randomSplit, Dataset } = torch.utils.data;

interface DataFixture {
  loaders: { seed: number; n: number; batch_size: number; shuffle: boolean; drop_last: boolean; epochs: number[][][]; rand_after: number[] }[];
  splits: { seed: number; n: number; lengths: number[]; own_generator: boolean; indices: number[][] }[];
  errors: Record<string, string>;
}
const fx = loadFixture<DataFixture>('torch-data.json');

describe('DataLoader order matches PyTorch', () => {
  for (const c of fx.loaders) {
    it(`seed ${c.seed}, n ${c.n}, batchSize ${c.batch_size}, shuffle ${c.shuffle}, dropLast ${c.drop_last}`, () => {
      torch.manualSeed(c.seed);
      const ds = new TensorDataset(torch.arange(c.n));
      const dl = new DataLoader(ds, { batchSize: c.batch_size, shuffle: c.shuffle, dropLast: c.drop_last });
      expect(dl.length).toBe(c.epochs[0]!.length);
      for (const want of c.epochs) {
        const got: number[][] = [];
        for (const [x] of dl as Iterable<Tensor[]>) got.push(x!.tolist() as number[]);
        expect(got).toEqual(want);
      }
      const after = Array.from(torch.rand(2).dataSync());
      expect(after).toEqual(c.rand_after.map(Math.fround));
    });
  }
});

describe('randomSplit matches PyTorch', () => {
  for (const c of fx.splits) {
    it(`seed ${c.seed}, n ${c.n}, lengths ${JSON.stringify(c.lengths)}${c.own_generator ? ', own generator' : ''}`, () => {
      torch.manualSeed(c.seed);
      const generator = c.own_generator ? new torch.Generator(c.seed) : undefined;
      const parts = randomSplit(Array.from({ length: c.n }, (_, i) => i), c.lengths, generator ? { generator } : {});
      expect(parts.map((p) => p.indices)).toEqual(c.indices);
      expect(parts.map((p) => p.length)).toEqual(c.indices.map((i) => i.length));
      expect(parts[0]!.get(0)).toBe(c.indices[0]![0]);
    });
  }
  it("PyTorch's error for lengths that do not add up", () => {
    expect(() => randomSplit(Array.from({ length: 10 }), [3, 3])).toThrow(fx.errors.bad_lengths!);
  });
});

describe('DataLoader features', () => {
  it('collates tuples of tensors and numbers; collateFn replaces it', () => {
    class Squares extends Dataset<[Tensor, number]> {
      get length(): number { return 5; }
      get(i: number): [Tensor, number] { return [torch.tensor([i, i * i]), i % 2]; }
    }
    const batches = [...new DataLoader(new Squares(), { batchSize: 2 })] as [Tensor, Tensor][];
    expect(batches.length).toBe(3);
    expect(batches[0]![0].tolist()).toEqual([[0, 0], [1, 1]]);
    expect(batches[0]![1].dtype).toBe('int64');
    expect(batches[2]![0].shape).toEqual([1, 2]);
    const sums = [...new DataLoader(new Squares(), { batchSize: 2, collateFn: (items) => items.reduce((s, [, b]) => s + b, 0) })];
    expect(sums).toEqual([1, 1, 0]);
  });
  it('a seeded generator shuffles reproducibly without touching the default generator', () => {
    const order = (): number[] => [...new DataLoader(Array.from({ length: 6 }, (_, i) => i), { batchSize: 6, shuffle: true, generator: new torch.Generator(3) })]
      .flatMap((b) => (b as Tensor).tolist() as number[]);
    torch.manualSeed(0);
    const before = torch.rand(1).item();
    torch.manualSeed(0);
    const a = order();
    expect(torch.rand(1).item()).toBe(before);
    expect(order()).toEqual(a);
    expect([...a].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it('TensorDataset checks sizes', () => {
    expect(() => new TensorDataset(torch.zeros(3), torch.zeros(4))).toThrow('Size mismatch between tensors');
  });
});
