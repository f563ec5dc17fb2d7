/**
 * PyTorch-compatible CPU random number generation.
 *
 * @packageDocumentation
 */
export {
  DEFAULT_SEED,
  Generator,
  defaultGenerator,
  initialSeed,
  manualSeed,
} from "./generator.js";
export type { GeneratorState } from "./generator.js";
export {
  fillBernoulli,
  fillNormal,
  fillRandint,
  fillUniform,
  randpermValues,
} from "./distributions.js";
