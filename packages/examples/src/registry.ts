/** Every example of the suite, in the order `pnpm examples` runs them. */
import type { Example } from './example.js';
import { autogradBasics } from './examples/autograd-basics.js';
import { mlpRegression } from './examples/mlp-regression.js';
import { linearRegression } from './examples/linear-regression.js';
import { mnistMlp } from './examples/mnist-mlp.js';
import { mnistCnn } from './examples/mnist-cnn.js';
import { loadPytorchWeights } from './examples/load-pytorch-weights.js';
import { customFunction } from './examples/custom-function.js';
import { customBackend } from './examples/custom-backend.js';
import { parallelSpeedup } from './examples/parallel-speedup.js';

export const examples: readonly Example[] = [autogradBasics, mlpRegression, linearRegression, mnistMlp, mnistCnn, loadPytorchWeights, customFunction, customBackend, parallelSpeedup];

export function findExample(name: string): Example | undefined {
  return examples.find((e) => e.name === name);
}
