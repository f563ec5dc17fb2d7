/**
 * More samplers: normal with tensor means / stds, multinomial and poisson. Like the samplers in
 * random.ts they draw on the host in PyTorch 1.13's CPU order from src/random, so after
 * `manualSeed(s)` they give PyTorch's numbers; tensor arithmetic then runs on the device.
 */
import { getBackend, getDefaultDevice } from '../backend/registry.js';
import { allocArray, isFloating, scalarTypeName, type DType } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { exponentialDouble, fillNormal, multinomialWithReplacement, poissonSample } from '../random/distributions.js';
import { broadcastShapes, numel } from '../shape.js';
import { Tensor } from '../tensor.js';
import { fromValues, zerosLike } from './creation.js';
import type { GeneratorOption, RandomOptions } from './random.js';
import { isOptions } from './reduce-extra.js';
import { bindArgs } from '../nn/args.js';
import { checkInt } from '../args.js';
import { castValues, commonBackend, record } from './support.js';

function genOf(opts: { generator?: Generator | null }): Generator {
  return opts.generator ?? defaultGenerator;
}

/** Standard-normal-based samples of `shape` as `dtype` with the given mean and std (host draws, PyTorch's order). */
function normalSamples(shape: readonly number[], dtype: DType, mean: number, std: number, gen: Generator): Float32Array | Float64Array {
  if (!isFloating(dtype)) throw new RuntimeError(`"normal_kernel_cpu" not implemented for '${scalarTypeName(dtype)}'`);
  const values = allocArray(dtype, numel(shape)) as Float32Array | Float64Array;
  fillNormal(values, mean, std, gen);
  return values;
}

/** PyTorch's std check where the values are at hand (a pending device tensor is not waited for). */
function checkStd(std: Tensor | number): void {
  if (typeof std === 'number') {
    if (!(std >= 0)) throw new RuntimeError(`normal expects std >= 0.0, but found std ${std}`);
    return;
  }
  if (std.backend.readSync(std.storage) === null) return;
  const v = std.dataSync();
  for (let i = 0; i < v.length; i++) if (!(v[i]! >= 0)) throw new RuntimeError('normal expects all elements of std >= 0.0');
}

/**
 * torch.normal: samples with elementwise means and stds, in PyTorch's four forms:
 * `normal(mean: Tensor, std: Tensor)` (broadcast; mean's dtype), `normal(mean: Tensor, std = 1)`,
 * `normal(mean: number, std: Tensor)`, and `normal(mean, std, size, { dtype, device, generator })`.
 * As in PyTorch, the gradient with respect to mean and std is zero.
 */
export function normal(mean: Tensor | number, std: Tensor | number = 1, ...rest: (readonly number[] | RandomOptions | undefined)[]): Tensor {
  const size = rest.find((a) => Array.isArray(a)) as readonly number[] | undefined;
  const opts = (rest.find((a) => isOptions(a)) ?? (isOptions(std) ? std : {})) as RandomOptions;
  if (isOptions(std)) std = 1;
  const gen = genOf(opts);
  checkStd(std);
  if (!(mean instanceof Tensor) && !(std instanceof Tensor)) {
    if (size === undefined) throw new RuntimeError('normal() received an invalid combination of arguments: a size is needed when mean and std are numbers');
    const dtype = opts.dtype ?? 'float32';
    const t = fromValues(normalSamples(size, dtype, mean, std, gen), size, dtype, getBackend(opts.device ?? getDefaultDevice()));
    if (opts.requiresGrad) t.requiresGrad_(true);
    return t;
  }
  const backend = commonBackend(mean instanceof Tensor ? mean : null, std instanceof Tensor ? std : null);
  let out: Tensor, name: string;
  if (mean instanceof Tensor && std instanceof Tensor) {
    const shape = broadcastShapes(mean.shape, std.shape);
    // PyTorch: standard normals, times std, plus mean (each step rounded to the output dtype).
    out = fromValues(normalSamples(shape, mean.dtype, 0, 1, gen), shape, mean.dtype, backend);
    out = castValues(out.mul(std.detach()), mean.dtype).add(mean.detach());
    name = 'NormalBackward3';
  } else if (mean instanceof Tensor) {
    out = fromValues(normalSamples(mean.shape, mean.dtype, 0, std as number, gen), mean.shape, mean.dtype, backend).add(mean.detach());
    name = 'NormalBackward1';
  } else {
    const s = std as Tensor;
    out = fromValues(normalSamples(s.shape, s.dtype, 0, 1, gen), s.shape, s.dtype, backend).mul(s.detach()).add(mean);
    name = 'NormalBackward2';
  }
  const inputs = [mean instanceof Tensor ? mean : null, std instanceof Tensor ? std : null];
  record(out, name, inputs, [], () => inputs.filter((t): t is Tensor => t !== null).map((t) => zerosLike(t)));
  return out;
}

/** Options of multinomial. */
export interface MultinomialOptions extends GeneratorOption {
  numSamples?: number;
  replacement?: boolean;
}

/** PyTorch's checks of the probabilities on the Gumbel path, where the values are at hand. */
function checkDistribution(p: Tensor): void {
  if (p.backend.readSync(p.storage) === null) return;
  const v = p.dataSync();
  const n = p.shape[p.ndim - 1]!;
  for (let i = 0; i < v.length; i++) {
    if (!(v[i]! >= 0 && v[i]! < Infinity)) throw new RuntimeError('probability tensor contains either `inf`, `nan` or element < 0');
  }
  for (let r = 0; r < v.length; r += n) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += v[r + j]!;
    if (sum === 0) throw new RuntimeError('invalid multinomial distribution (sum of probabilities <= 0)');
  }
}

/**
 * torch.multinomial(input, num_samples, replacement=False, *, generator=None): int64 category
 * indices drawn from each row of the (unnormalized) probabilities in `input` (1-d or 2-d).
 * Without replacement (or for one sample) PyTorch's exponential race picks the categories;
 * with replacement, a binary search of the running sums per sample.
 */
export function multinomial(input: Tensor, ...args: (number | boolean | MultinomialOptions | undefined)[]): Tensor {
  const o = bindArgs<MultinomialOptions>('multinomial', args, ['numSamples', 'replacement'], { numSamples: undefined, replacement: false, generator: undefined });
  const n = o.numSamples;
  if (n === undefined) throw new RuntimeError('multinomial() missing 1 required positional arguments: "num_samples"');
  if (input.ndim !== 1 && input.ndim !== 2) throw new RuntimeError('prob_dist must be 1 or 2 dim');
  if (!isFloating(input.dtype)) throw new RuntimeError(`multinomial only supports floating-point dtypes for input, got: ${scalarTypeName(input.dtype)}`);
  if (checkInt(n, 'num_samples', 'multinomial') <= 0) throw new RuntimeError('cannot sample n_sample <= 0 samples');
  const categories = input.shape[input.ndim - 1]!;
  if (!o.replacement && n > categories) throw new RuntimeError('cannot sample n_sample > prob_dist.size(-1) samples without replacement');
  const gen = genOf(o);
  const outShape = input.ndim === 1 ? [n] : [input.shape[0]!, n];
  const p = input.detach();
  if (!o.replacement || n === 1) {
    checkDistribution(p);
    // argmax / topk of p / q with q ~ Exp(1), one draw per element in row-major order.
    const q = allocArray(p.dtype, p.numel());
    for (let i = 0; i < q.length; i++) q[i] = exponentialDouble(gen);
    const race = p.div(fromValues(q, p.shape, p.dtype, p.backend));
    return n === 1 ? race.argmax(-1, true) : race.topk(n).indices;
  }
  const probs = p.dataSync() as Float32Array | Float64Array;
  for (let i = 0; i < probs.length; i++) {
    if (!(probs[i]! >= 0)) throw new RuntimeError('invalid multinomial distribution (encountering probability entry < 0)');
    if (!Number.isFinite(probs[i]!)) throw new RuntimeError('invalid multinomial distribution (encountering probability entry = infinity or NaN)');
  }
  const out = new Float64Array(numel(outShape));
  for (let r = 0; r < probs.length; r += categories) {
    let sum = 0;
    for (let j = 0; j < categories; j++) sum += probs[r + j]!;
    if (!(sum > 0)) throw new RuntimeError('invalid multinomial distribution (sum of probabilities <= 0)');
  }
  multinomialWithReplacement(out, probs, categories, n, gen);
  return fromValues(out, outShape, 'int64', input.backend);
}

/**
 * torch.poisson(input, generator=None): one Poisson sample per element with the rates in
 * `input` (its shape and dtype). Reads the rates synchronously; the gradient is zero.
 */
export function poisson(rates: Tensor, opts: GeneratorOption = {}): Tensor {
  if (!isFloating(rates.dtype)) throw new RuntimeError(`"poisson_cpu" not implemented for '${scalarTypeName(rates.dtype)}'`);
  const lambdas = rates.dataSync();
  const gen = genOf(opts);
  const values = allocArray(rates.dtype, lambdas.length);
  for (let i = 0; i < lambdas.length; i++) {
    if (!(lambdas[i]! >= 0)) throw new RuntimeError('invalid Poisson rate, expected rate to be non-negative');
    values[i] = poissonSample(gen, lambdas[i]!);
  }
  const out = fromValues(values, rates.shape, rates.dtype, rates.backend);
  record(out, 'PoissonBackward0', [rates], [], () => [zerosLike(rates)]);
  return out;
}
