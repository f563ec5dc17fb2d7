/**
 * Random tensors: rand, randn, randint, randperm, the *Like variants, bernoulli and the in-place
 * samplers normal_, uniform_, bernoulli_. Values come from src/random, which reproduces PyTorch's
 * CPU generator (mt19937 and PyTorch's own transforms), so `manualSeed(s)` followed by the same
 * calls gives the same numbers as PyTorch. Sampling runs on the host, in PyTorch's order; the
 * values are then uploaded to the tensor's device.
 */
import { getBackend, getDefaultDevice } from '../backend/registry.js';
import { allocArray, isFloating, scalarTypeName, type DType, type TypedArray } from '../dtype.js';
import { checkInt, checkOptions, checkShape } from '../args.js';
import { RuntimeError, TypeError } from '../errors.js';
import { defaultGenerator, Generator } from '../random/generator.js';
import { fillNormal, fillRandint, fillUniform, randpermValues } from '../random/distributions.js';
import { numel } from '../shape.js';
import { Tensor } from '../tensor.js';
import { fromValues, sizeAndOptions, TENSOR_OPTION_KEYS, type TensorOptions } from './creation.js';
import { checkWritable, overwrite } from './inplace.js';
import { lt } from './pointwise.js';
import { isOptions } from './reduce-extra.js';
import { castValues, commonBackend, emptyOf } from './support.js';

export { Generator };

/** Options of the random factories: the tensor options plus the generator to draw from. */
export interface RandomOptions extends TensorOptions {
  /** Draw from this generator instead of the default one. */
  generator?: Generator | null;
}

/** Options of the in-place samplers. */
export interface GeneratorOption {
  generator?: Generator | null;
}

/**
 * torch.manual_seed(seed): reseeds the default generator (dropping its cached normal sample)
 * and returns it.
 */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed);
}

/** torch.initial_seed(): the default generator's seed. */
export function initialSeed(): bigint {
  return defaultGenerator.initialSeed();
}

/** The default generator (torch.default_generator). */
export { defaultGenerator };

type SizeArgs = (number | readonly number[] | RandomOptions)[];

const RANDOM_OPTION_KEYS = [...TENSOR_OPTION_KEYS, 'generator'] as const;

function splitSize(fn: string, args: SizeArgs): [number[], RandomOptions] {
  return sizeAndOptions<RandomOptions>(fn, args, RANDOM_OPTION_KEYS);
}

function genOf(opts: { generator?: Generator | null }): Generator {
  return opts.generator ?? defaultGenerator;
}

/** Wraps host values as a tensor on the requested device, honouring requiresGrad. */
function make(values: TypedArray, shape: readonly number[], dtype: DType, opts: TensorOptions): Tensor {
  const t = fromValues(values, shape, dtype, getBackend(opts.device ?? getDefaultDevice()));
  if (opts.requiresGrad) {
    if (!isFloating(dtype)) throw new RuntimeError('Only Tensors of floating point and complex dtype can require gradients');
    t._requiresGrad = true;
  }
  return t;
}

function floatArray(dtype: DType, n: number, kernel: string): Float32Array | Float64Array {
  if (!isFloating(dtype)) throw new RuntimeError(`"${kernel}" not implemented for '${scalarTypeName(dtype)}'`);
  return allocArray(dtype, n) as Float32Array | Float64Array;
}

/** torch.rand(*size): uniform on [0, 1). `rand(2, 3)`, `rand([2, 3], { dtype, generator })`. */
export function rand(...args: SizeArgs): Tensor {
  const [shape, opts] = splitSize('rand', args);
  const dtype = opts.dtype ?? 'float32';
  const values = floatArray(dtype, numel(shape), 'check_uniform_bounds');
  fillUniform(values, 0, 1, genOf(opts));
  return make(values, shape, dtype, opts);
}

/** torch.randn(*size): standard normal samples. */
export function randn(...args: SizeArgs): Tensor {
  const [shape, opts] = splitSize('randn', args);
  const dtype = opts.dtype ?? 'float32';
  const values = floatArray(dtype, numel(shape), 'normal_kernel_cpu');
  fillNormal(values, 0, 1, genOf(opts));
  return make(values, shape, dtype, opts);
}

function checkRange(low: number, high: number): void {
  if (!(low < high)) throw new RuntimeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
}

function fillIntegers(values: TypedArray, low: number, high: number, gen: Generator): void {
  checkRange(low, high);
  if (values instanceof Uint8Array) {
    // bool: draw as int32 then store 0/1 (PyTorch allows only [0, 2) here).
    const tmp = new Int32Array(values.length);
    fillRandint(tmp, low, high, gen);
    values.set(tmp);
  } else fillRandint(values, low, high, gen);
}

/**
 * torch.randint(low=0, high, size): integers uniform on [low, high), int64 by default.
 * `randint(10, [3])`, `randint(-5, 5, [3, 3], { generator })`.
 */
export function randint(...args: (number | readonly number[] | RandomOptions)[]): Tensor {
  const [pos, opts] = isOptions(args[args.length - 1]) ? [args.slice(0, -1), checkOptions('randint', args[args.length - 1] as RandomOptions, RANDOM_OPTION_KEYS)] : [args, {} as RandomOptions];
  const size = pos[pos.length - 1];
  if (!Array.isArray(size)) throw new RuntimeError('randint() missing required argument: size (a list of ints)');
  const bounds = pos.slice(0, -1);
  if (bounds.length < 1 || bounds.length > 2) throw new TypeError(`randint() takes 1 or 2 bounds before the size but ${bounds.length} were given`);
  bounds.forEach((b, i) => checkInt(b, bounds.length === 1 || i === 1 ? 'high' : 'low', 'randint'));
  const [low, high] = bounds.length === 2 ? [bounds[0] as number, bounds[1] as number] : [0, bounds[0] as number];
  const shape = checkShape(size, 'randint');
  const dtype = opts.dtype ?? 'int64';
  const values = allocArray(dtype, numel(shape));
  fillIntegers(values, low, high, genOf(opts));
  return make(values, shape, dtype, opts);
}

/** torch.randperm(n): a random permutation of 0..n-1 (int64 by default). */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  checkOptions('randperm', opts, RANDOM_OPTION_KEYS);
  checkInt(n, 'n', 'randperm');
  if (n < 0) throw new RuntimeError(`Trying to create tensor with negative dimension ${n}: [${n}]`);
  const dtype = opts.dtype ?? 'int64';
  const perm = randpermValues(n, genOf(opts));
  const values = allocArray(dtype, n);
  values.set(perm);
  return make(values, [n], dtype, opts);
}

function likeOpts(x: Tensor, opts: RandomOptions): RandomOptions {
  checkOptions('rand_like', opts, RANDOM_OPTION_KEYS);
  return { ...opts, dtype: opts.dtype ?? x.dtype, device: opts.device ?? x.device };
}

/** torch.rand_like(x): rand with x's shape, dtype and device. */
export function randLike(x: Tensor, opts: RandomOptions = {}): Tensor {
  return rand([...x.shape], likeOpts(x, opts));
}

/** torch.randn_like(x). */
export function randnLike(x: Tensor, opts: RandomOptions = {}): Tensor {
  return randn([...x.shape], likeOpts(x, opts));
}

/** torch.randint_like(x, low=0, high). */
export function randintLike(x: Tensor, ...args: (number | RandomOptions)[]): Tensor {
  const [pos, opts] = isOptions(args[args.length - 1]) ? [args.slice(0, -1), args[args.length - 1] as RandomOptions] : [args, {} as RandomOptions];
  const nums = pos as number[];
  const [low, high] = nums.length >= 2 ? [nums[0]!, nums[1]!] : [0, nums[0]!];
  return randint(low, high, [...x.shape], likeOpts(x, opts));
}

// ------------------------------------------------------------------ bernoulli

/**
 * 0/1 samples (as `dtype`) with probabilities `p` (a tensor of the output's shape, or a number).
 * PyTorch draws one uniform per element and succeeds when u < p: float64 probabilities take
 * 53-bit float64 uniforms, others 24-bit float32 uniforms compared with p rounded to float32.
 * The uniforms are drawn on the host in that order; the comparison runs on p's device, so
 * probabilities still being computed there are never read back.
 */
function bernoulliSamples(shape: readonly number[], p: Tensor | number, wide: boolean, dtype: DType, backend: Tensor['backend'], gen: Generator): Tensor {
  const udtype: DType = wide ? 'float64' : 'float32';
  const u = allocArray(udtype, numel(shape)) as Float32Array | Float64Array;
  fillUniform(u, 0, 1, gen);
  const ut = fromValues(u, shape, udtype, backend);
  const pt = p instanceof Tensor ? castValues(p, udtype) : p;
  return castValues(lt(ut, pt), dtype);
}

/** PyTorch's range check of the probabilities, where their values are at hand. */
function checkProbabilities(p: Tensor | number): void {
  const bad = (v: number): boolean => !(v >= 0 && v <= 1);
  if (typeof p === 'number') {
    if (bad(p)) throw new RuntimeError(`bernoulli_ expects p to be in [0, 1], but got p=${p}`);
    return;
  }
  if (p.backend.readSync(p.storage) === null) return; // pending on an asynchronous device
  const v = p.contiguous().dataSync();
  for (let i = 0; i < v.length; i++) if (bad(v[i]!)) throw new RuntimeError('Expected p_in >= 0 && p_in <= 1 to be true, but got false.');
}

/**
 * torch.bernoulli(p): 0/1 samples with the probabilities in `p` (same shape and dtype as p).
 * `bernoulli(p, { generator })`; `bernoulli(x, 0.3)` samples with a fixed probability instead.
 */
export function bernoulli(p: Tensor, prob?: number | GeneratorOption, opts: GeneratorOption = {}): Tensor {
  if (isOptions(prob)) { opts = prob as GeneratorOption; prob = undefined; }
  checkOptions('bernoulli', opts, ['generator']);
  if (typeof prob === 'number') return bernoulli_(emptyOf(p.shape, p.dtype, p.backend), prob, opts);
  if (!isFloating(p.dtype)) throw new RuntimeError(`"bernoulli_tensor_cpu_p_" not implemented for '${scalarTypeName(p.dtype)}'`);
  checkProbabilities(p);
  return bernoulliSamples(p.shape, p, p.dtype === 'float64', p.dtype, p.backend, genOf(opts));
}

// ------------------------------------------------------------------ in-place samplers

/** Writes host `values` (row-major, t's dtype) into t in place; the gradient through it is zero. */
function writeSamples(t: Tensor, values: TypedArray, node: string): Tensor {
  const src = fromValues(values, t.shape, t.dtype, t.backend);
  return overwrite(t, node, () => t.backend.copy('plain', t, src));
}

/** Host buffer for t's samples: t's own dtype for floats. */
function sampleBuffer(t: Tensor, kernel: string): Float32Array | Float64Array {
  return floatArray(t.dtype, t.numel(), kernel);
}

/**
 * Tensor.normal_(mean=0, std=1): fills with normal samples in place, in PyTorch's order
 * (a non-contiguous tensor takes the scalar per-element path, in logical order).
 */
export function normal_(t: Tensor, mean: number | GeneratorOption = 0, std: number | GeneratorOption = 1, opts: GeneratorOption = {}): Tensor {
  if (isOptions(mean)) { opts = mean as GeneratorOption; mean = 0; }
  if (isOptions(std)) { opts = std as GeneratorOption; std = 1; }
  checkOptions('normal_', opts, ['generator']);
  checkWritable(t);
  if (!((std as number) >= 0)) throw new RuntimeError(`normal expects std >= 0.0, but found std ${std}`);
  const values = sampleBuffer(t, 'normal_kernel_cpu');
  const gen = genOf(opts);
  if (t.isContiguous()) fillNormal(values, mean as number, std as number, gen);
  else {
    // PyTorch's scalar path: one float64 Box-Muller sample per element (chunks under 16 take it).
    const tmp = new Float64Array(values.length);
    for (let i = 0; i < tmp.length; i += 15) fillNormal(tmp.subarray(i, Math.min(tmp.length, i + 15)), mean as number, std as number, gen);
    values.set(tmp);
  }
  return writeSamples(t, values, 'NormalBackward0');
}

/** Tensor.uniform_(from=0, to=1): fills with samples uniform on [from, to) in place. */
export function uniform_(t: Tensor, from: number | GeneratorOption = 0, to: number | GeneratorOption = 1, opts: GeneratorOption = {}): Tensor {
  if (isOptions(from)) { opts = from as GeneratorOption; from = 0; }
  if (isOptions(to)) { opts = to as GeneratorOption; to = 1; }
  checkOptions('uniform_', opts, ['generator']);
  checkWritable(t);
  if (!((from as number) <= (to as number))) {
    throw new RuntimeError(`uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`);
  }
  const values = sampleBuffer(t, 'check_uniform_bounds');
  fillUniform(values, from as number, to as number, genOf(opts));
  return writeSamples(t, values, 'UniformBackward0');
}

/**
 * Tensor.bernoulli_(p=0.5): 0/1 samples in place, with a fixed probability or a tensor of them
 * (broadcast to t's shape). A scalar p draws like a tensor p of t's dtype: PyTorch's MKL stream
 * for a scalar p is not reproduced.
 */
export function bernoulli_(t: Tensor, p: number | Tensor | GeneratorOption = 0.5, opts: GeneratorOption = {}): Tensor {
  if (isOptions(p)) { opts = p as GeneratorOption; p = 0.5; }
  checkOptions('bernoulli_', opts, ['generator']);
  checkWritable(t);
  const prob = p as number | Tensor;
  checkProbabilities(prob);
  const wide = prob instanceof Tensor ? prob.dtype === 'float64' : t.dtype === 'float64';
  const probs = prob instanceof Tensor ? commonProbs(t, prob) : prob;
  const samples = bernoulliSamples(t.shape, probs, wide, t.dtype, t.backend, genOf(opts));
  return overwrite(t, prob instanceof Tensor ? 'BernoulliBackward1' : 'BernoulliBackward2', () => t.backend.copy('plain', t, samples));
}

/** `p` broadcast to t's shape (PyTorch's expand_inplace), on t's device. */
function commonProbs(t: Tensor, p: Tensor): Tensor {
  commonBackend(t, p);
  return p.detach().expand([...t.shape]);
}
