/** Every example of the suite, in the order `pnpm examples` runs them. */
import type { Example } from './example.js';
import { autogradBasics } from './examples/autograd-basics.js';
import { mlpRegression, mlpRegressionWorkers } from './examples/mlp-regression.js';

export const examples: readonly Example[] = [autogradBasics, mlpRegression, mlpRegressionWorkers];

export function findExample(name: string): Example | undefined {
  return examples.find((e) => e.name === name);
}
