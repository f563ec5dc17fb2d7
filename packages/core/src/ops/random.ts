/**
 * Random tensors: rand, randn, randint, randperm, the *Like variants, bernoulli and the in-place
 * samplers normal_, uniform_, bernoulli_. Values come from src/random, which reproduces PyTorch's
 * CPU generator (mt19937 and PyTorch's own transforms), so `manualSeed(s)` followed by the same
 * calls gives the same numbers as PyTorch. Sampling runs on the host, in PyTorch's order; the
 * values are then uploaded to the tensor's device.
 */
import { getBackend, getDefaultDevice } from '../backend/registry.js';
import { allocArray, isFloating, scalarTypeName, type DType, type TypedArray } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { defaultGenerator, Generator } from '../random/generator.js';
import { fillBernoulli, fillNormal, fillRandint, fillUniform, randpermValues } from '../random/distributions.js';
import { numel } from '../shape.js';
import { Tensor } from '../tensor.js';
import { fromValues, type TensorOptions } from './creation.js';
import { isOptions } from './reduce-extra.js';
import { record } from './support.js';

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

function splitSize(args: SizeArgs): [number[], RandomOptions] {
  let opts: RandomOptions = {};
  let rest = args;
  const last = args[args.length - 1];
  if (isOptions(last)) {
    opts = last as RandomOptions;
    rest = args.slice(0, -1);
  }
  const shape = rest.length === 1 && Array.isArray(rest[0]) ? [...(rest[0] as number[])] : (rest as number[]);
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) throw new RuntimeError(`Trying to create tensor with negative dimension ${s}: [${shape.join(', ')}]`);
  }
  return [shape, opts];
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
  const [shape, opts] = splitSize(args);
  const dtype = opts.dtype ?? 'float32';
  const values = floatArray(dtype, numel(shape), 'check_uniform_bounds');
  fillUniform(values, 0, 1, genOf(opts));
  return make(values, shape, dtype, opts);
}

/** torch.randn(*size): standard normal samples. */
export function randn(...args: SizeArgs): Tensor {
  const [shape, opts] = splitSize(args);
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
  const [pos, opts] = isOptions(args[args.length - 1]) ? [args.slice(0, -1), args[args.length - 1] as RandomOptions] : [args, {} as RandomOptions];
  const nums = pos.filter((a): a is number => typeof a === 'number');
  const size = pos.find((a) => Array.isArray(a)) as readonly number[] | undefined;
  if (size === undefined) throw new RuntimeError('randint() missing required argument: size (a list of ints)');
  const [low, high] = nums.length >= 2 ? [nums[0]!, nums[1]!] : [0, nums[0]!];
  const shape = [...size];
  const dtype = opts.dtype ?? 'int64';
  const values = allocArray(dtype, numel(shape));
  fillIntegers(values, low, high, genOf(opts));
  return make(values, shape, dtype, opts);
}

/** torch.randperm(n): a random permutation of 0..n-1 (int64 by default). */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new RuntimeError(`n must be non-negative, got${n}`);
  const dtype = opts.dtype ?? 'int64';
  const perm = randpermValues(n, genOf(opts));
  const values = allocArray(dtype, n);
  values.set(perm);
  return make(values, [n], dtype, opts);
}

function likeOpts(x: Tensor, opts: RandomOptions): RandomOptions {
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

/** The probabilities of `p` as host values of its dtype (float32 unless float64). */
function hostValues(p: Tensor): TypedArray {
  return p.contiguous().dataSync();
}

/**
 * torch.bernoulli(p): 0/1 samples with the probabilities in `p` (same shape and dtype as p).
 * `bernoulli(p, { generator })`; `bernoulli(x, 0.3)` samples with a fixed probability instead.
 */
export function bernoulli(p: Tensor, prob?: number | GeneratorOption, opts: GeneratorOption = {}): Tensor {
  if (isOptions(prob)) { opts = prob as GeneratorOption; prob = undefined; }
  if (typeof prob === 'number') return bernoulli_(p.detach().clone(), prob, opts);
  if (!isFloating(p.dtype)) throw new RuntimeError(`"bernoulli_tensor_cpu_p_" not implemented for '${scalarTypeName(p.dtype)}'`);
  const probs = hostValues(p);
  checkProbabilities(probs);
  const values = allocArray(p.dtype, probs.length) as Float32Array | Float64Array;
  fillBernoulli(values, probs, genOf(opts));
  return fromValues(values, p.shape, p.dtype, p.backend);
}

function checkProbabilities(probs: ArrayLike<number>): void {
  for (let i = 0; i < probs.length; i++) {
    const v = probs[i]!;
    if (!(v >= 0 && v <= 1)) throw new RuntimeError('Expected p_in >= 0 && p_in <= 1 to be true, but got false.');
  }
}

// ------------------------------------------------------------------ in-place samplers

function checkWritable(t: Tensor): void {
  if (isGradEnabled() && t.isLeaf && t._requiresGrad) {
    throw new RuntimeError('a leaf Variable that requires grad is being used in an in-place operation.');
  }
}

/** Writes host `values` (row-major, t's dtype) into t, bumps its version, records a zero gradient. */
function writeSamples(t: Tensor, values: TypedArray, node: string): Tensor {
  const src = fromValues(values, t.shape, t.dtype, t.backend);
  t.backend.copy('plain', t, src);
  t.storage.version++;
  record(t, node, [t], [], ([g]) => [g!.mul(0)]);
  return t;
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
 * (broadcast to t's shape). A scalar p draws like a tensor p: PyTorch's MKL scalar stream is
 * not reproduced.
 */
export function bernoulli_(t: Tensor, p: number | Tensor | GeneratorOption = 0.5, opts: GeneratorOption = {}): Tensor {
  if (isOptions(p)) { opts = p as GeneratorOption; p = 0.5; }
  checkWritable(t);
  const n = t.numel();
  let probs: Float32Array | Float64Array;
  if (p instanceof Tensor) {
    const src = hostValues(p.expand([...t.shape]));
    probs = p.dtype === 'float64' ? Float64Array.from(src) : Float32Array.from(src);
  } else {
    probs = t.dtype === 'float64' ? new Float64Array(n).fill(p as number) : new Float32Array(n).fill(p as number);
  }
  checkProbabilities(probs);
  const samples = probs instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
  fillBernoulli(samples, probs, genOf(opts));
  return writeSamples(t, toDtypeArray(samples, t.dtype), p instanceof Tensor ? 'BernoulliBackward1' : 'BernoulliBackward2');
}

/** `values` copied into a typed array of `dtype`'s storage type. */
function toDtypeArray(values: ArrayLike<number>, dtype: DType): TypedArray {
  const out = allocArray(dtype, values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]!;
  return out;
}
