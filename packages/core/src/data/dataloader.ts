/**
 * torch.utils.data.DataLoader: batches of a dataset in order or shuffled, iterated with
 * `for ... of`. Shuffling reproduces PyTorch's order for the same seed: each epoch draws the
 * iterator's base seed and then the sampler's seed from the default generator (two 64-bit
 * draws, as `torch.empty((), dtype=torch.int64).random_()`), and permutes with randperm on a
 * generator seeded with the second.
 */
import { TypeError, ValueError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { stack } from '../ops/shape.js';
import { tensor } from '../ops/creation.js';
import { defaultGenerator, Generator } from '../random/generator.js';
import { randpermValues } from '../random/distributions.js';
import { itemOf, lengthOf, type Dataset } from './dataset.js';

/** A nested structure of batched values, as defaultCollate returns it. */
export type Batch = unknown;

/** Options of DataLoader. */
export interface DataLoaderOptions<T, B> {
  batchSize?: number | null;
  shuffle?: boolean;
  dropLast?: boolean;
  /** Turns a list of items into a batch (default: defaultCollate). */
  collateFn?: (items: T[]) => B;
  /** The generator for shuffling (default: the default generator). */
  generator?: Generator | null;
}

/** One 64-bit draw as PyTorch's int64 random_() takes it: random64() modulo 2^63. */
function drawSeed(gen: Generator): bigint {
  return gen.random64() % (1n << 63n);
}

/**
 * PyTorch's default_collate: tensors are stacked along a new dim 0, numbers become a tensor
 * (int64 for integers, float64 otherwise, as Python ints and floats), booleans a bool tensor,
 * arrays and records are collated element by element.
 */
export function defaultCollate(items: unknown[]): Batch {
  const first = items[0];
  if (first instanceof Tensor) return stack(items as Tensor[], 0);
  if (typeof first === 'number') {
    const nums = items as number[];
    return tensor(nums, { dtype: nums.every(Number.isInteger) ? 'int64' : 'float64' });
  }
  if (typeof first === 'boolean') return tensor(items as boolean[], { dtype: 'bool' });
  if (typeof first === 'string') return items;
  if (Array.isArray(first)) {
    const n = first.length;
    if (!items.every((it) => Array.isArray(it) && it.length === n)) throw new ValueError('each element in list of batch should be of equal size');
    return first.map((_, i) => defaultCollate(items.map((it) => (it as unknown[])[i])));
  }
  if (first !== null && typeof first === 'object') {
    return Object.fromEntries(Object.keys(first).map((k) => [k, defaultCollate(items.map((it) => (it as Record<string, unknown>)[k]))]));
  }
  throw new TypeError(`default_collate: batch must contain tensors, numbers, dicts or lists; found ${typeof first}`);
}

/**
 * torch.utils.data.DataLoader(dataset, { batchSize=1, shuffle=false, dropLast=false, collateFn,
 * generator }): `for (const [x, y] of loader) ...`. `batchSize: null` yields single items
 * (collated each). `length` is the number of batches.
 *
 * @remarks Differs from PyTorch: no worker processes (`numWorkers`), no samplers other than
 * sequential and random without replacement.
 */
export class DataLoader<T = unknown, B = Batch> implements Iterable<B> {
  /** Items per batch (null: single items). */
  readonly batchSize: number | null;
  /** Whether each epoch is reshuffled. */
  readonly shuffle: boolean;
  /** Whether a last incomplete batch is dropped. */
  readonly dropLast: boolean;
  /** Turns a list of items into a batch. */
  readonly collateFn: (items: T[]) => B;
  /** The generator used to shuffle, or null for the default one. */
  readonly generator: Generator | null;

  constructor(
    /** The underlying dataset. */ readonly dataset: Dataset<T> | ArrayLike<T>,
    opts: DataLoaderOptions<T, B> = {},
  ) {
    this.batchSize = opts.batchSize === undefined ? 1 : opts.batchSize;
    if (this.batchSize !== null && (!Number.isInteger(this.batchSize) || this.batchSize <= 0)) {
      throw new ValueError(`batch_size should be a positive integer value, but got batch_size=${this.batchSize}`);
    }
    this.shuffle = opts.shuffle ?? false;
    this.dropLast = opts.dropLast ?? false;
    this.collateFn = opts.collateFn ?? (defaultCollate as (items: T[]) => B);
    this.generator = opts.generator ?? null;
  }

  /** Number of batches per epoch. */
  get length(): number {
    const n = lengthOf(this.dataset);
    if (this.batchSize === null) return n;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** One epoch's index order (PyTorch's RandomSampler or SequentialSampler). */
  #order(): ArrayLike<number> {
    const n = lengthOf(this.dataset);
    const gen = this.generator ?? defaultGenerator;
    // The iterator's base seed (unused without workers, but drawn by PyTorch all the same).
    drawSeed(gen);
    if (!this.shuffle) return Array.from({ length: n }, (_, i) => i);
    const samplerGen = this.generator ?? new Generator(drawSeed(defaultGenerator));
    return randpermValues(n, samplerGen);
  }

  *[Symbol.iterator](): Iterator<B> {
    const order = this.#order();
    const n = order.length;
    if (this.batchSize === null) {
      for (let i = 0; i < n; i++) yield this.collateFn([itemOf(this.dataset, order[i]!)]);
      return;
    }
    const bs = this.batchSize;
    for (let start = 0; start < n; start += bs) {
      const end = Math.min(start + bs, n);
      if (end - start < bs && this.dropLast) return;
      const items: T[] = [];
      for (let i = start; i < end; i++) items.push(itemOf(this.dataset, order[i]!));
      yield this.collateFn(items);
    }
  }
}
