/** torch.utils.data datasets: Dataset, TensorDataset, Subset and randomSplit. */
import { IndexError, ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { randpermValues } from '../random/distributions.js';

/**
 * A map-style dataset (torch.utils.data.Dataset): `length` items, each read with `get(i)`.
 * Subclasses implement both (PyTorch's `__len__` and `__getitem__`).
 */
export abstract class Dataset<T = unknown> {
  /** Number of items. */
  abstract get length(): number;
  /** The item at index i. */
  abstract get(index: number): T;
}

/**
 * torch.utils.data.TensorDataset(...tensors): item i is the tuple of every tensor's row i. The
 * tensors must share their first dimension.
 */
export class TensorDataset extends Dataset<Tensor[]> {
  /** The tensors, sharing dim 0. */
  readonly tensors: Tensor[];

  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0 || tensors.some((t) => t.ndim === 0 || t.shape[0] !== tensors[0]!.shape[0])) {
      throw new ValueError('Size mismatch between tensors');
    }
    this.tensors = tensors;
  }

  override get length(): number {
    return this.tensors[0]!.shape[0]!;
  }

  /** Row `index` of every tensor. */
  override get(index: number): Tensor[] {
    return this.tensors.map((t) => t.select(0, index));
  }
}

/** torch.utils.data.Subset: the items of `dataset` at `indices`. */
export class Subset<T> extends Dataset<T> {
  constructor(
    /** The underlying dataset. */ readonly dataset: Dataset<T> | ArrayLike<T>,
    /** The dataset indices it holds. */ readonly indices: number[],
  ) {
    super();
  }

  override get length(): number {
    return this.indices.length;
  }

  /** Item `indices[index]` of the dataset. */
  override get(index: number): T {
    const i = this.indices[index < 0 ? index + this.indices.length : index];
    if (i === undefined) throw new IndexError(`list index out of range`);
    return itemOf(this.dataset, i);
  }
}

/** Item i of a Dataset or of a plain array-like. */
export function itemOf<T>(data: Dataset<T> | ArrayLike<T>, i: number): T {
  return data instanceof Dataset ? data.get(i) : data[i]!;
}

/** The length of a Dataset or array-like. */
export function lengthOf(data: Dataset<unknown> | ArrayLike<unknown>): number {
  return data.length;
}

/**
 * torch.utils.data.random_split(dataset, lengths, generator=defaultGenerator): non-overlapping
 * subsets of the given lengths, or fractions summing to 1 (floored, the remainder dealt
 * round-robin), from randperm with the generator: the same indices as PyTorch for the same seed.
 */
export function randomSplit<T>(dataset: Dataset<T> | ArrayLike<T>, lengths: number[], opts: { generator?: Generator } = {}): Subset<T>[] {
  const n = lengthOf(dataset);
  let sizes = lengths;
  const total = lengths.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) <= 1e-9 && total <= 1) {
    sizes = lengths.map((f, i) => {
      if (f < 0 || f > 1) throw new ValueError(`Fraction at index ${i} is not between 0 and 1`);
      return Math.floor(n * f);
    });
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length]! += 1;
    sizes.forEach((s, i) => {
      if (s === 0) (globalThis as { console?: { warn(m: string): void } }).console?.warn(`UserWarning: Length of split at index ${i} is 0. This might result in an empty dataset.`);
    });
  }
  if (sizes.reduce((a, b) => a + b, 0) !== n) {
    throw new ValueError('Sum of input lengths does not equal the length of the input dataset!');
  }
  const perm = randpermValues(n, opts.generator ?? defaultGenerator);
  const out: Subset<T>[] = [];
  let offset = 0;
  for (const s of sizes) {
    out.push(new Subset(dataset, Array.from(perm.subarray(offset, offset + s))));
    offset += s;
  }
  return out;
}
