/**
 * PyTorch 1.13 CPU distribution transforms on top of a {@link Generator}.
 *
 * Each filler consumes the generator's raw draws in the same order as the
 * corresponding ATen CPU kernel and applies the same arithmetic (float32 or
 * float64, with the FMA contractions of PyTorch's AVX2 x86-64 build and
 * glibc's libm), so results match PyTorch bit-for-bit.
 *
 * @packageDocumentation
 */

import { Generator, defaultGenerator } from "./generator.js";
import { boxMuller16F32, boxMuller16F64, cos, fma, fmaf, log, sin } from "./libm.js";

const fround = Math.fround;
const TWO_POW_M24 = 1 / 16777216;
const TWO_POW_M53 = 1 / 9007199254740992;
const TWO_POW_32 = 4294967296;

/** float32 uniform in [0, 1): low 24 bits of one 32-bit draw, times 2^-24. */
function uniformFloat01(gen: Generator): number {
  return (gen.random() & 0xffffff) * TWO_POW_M24;
}

/** float64 uniform in [0, 1): low 53 bits of one 64-bit draw, times 2^-53. */
function uniformDouble01(gen: Generator): number {
  return gen.random53() * TWO_POW_M53;
}

/**
 * Fills `out` with samples uniform in [from, to), like `tensor.uniform_(from,
 * to)`; `torch.rand` is `fillUniform(out, 0, 1)`.
 *
 * One draw per element, in order. A Float32Array gets float32 arithmetic on
 * the low 24 bits of a 32-bit draw (`u * (to - from) + from` with float32
 * bounds and a fused multiply-add); a Float64Array gets the low 53 bits of a
 * 64-bit draw (two 32-bit draws) in float64.
 */
export function fillUniform(
  out: Float32Array | Float64Array,
  from: number,
  to: number,
  gen: Generator = defaultGenerator,
): void {
  const n = out.length;
  if (out instanceof Float32Array) {
    const f = fround(from);
    const range = fround(fround(to) - f);
    if (f === 0 && range === 1) {
      for (let i = 0; i < n; i++) out[i] = uniformFloat01(gen);
    } else {
      for (let i = 0; i < n; i++) out[i] = fmaf(uniformFloat01(gen), range, f);
    }
  } else {
    const range = to - from;
    if (from === 0 && range === 1) {
      for (let i = 0; i < n; i++) out[i] = uniformDouble01(gen);
    } else {
      for (let i = 0; i < n; i++) out[i] = fma(uniformDouble01(gen), range, from);
    }
  }
}

/**
 * One sample of ATen's scalar `normal_distribution<double>` (Box-Muller on two
 * float64 uniforms), caching the second value in the generator exactly like
 * `CPUGeneratorImpl::next_double_normal_sample`.
 */
function normalDouble(gen: Generator, mean: number, std: number): number {
  const cached = gen.nextDoubleNormal;
  if (cached !== null) {
    gen.nextDoubleNormal = null;
    return fma(cached, std, mean);
  }
  const u1 = uniformDouble01(gen);
  const u2 = uniformDouble01(gen);
  const r = Math.sqrt(-2 * log(1 - u2));
  const theta = 2 * Math.PI * u1;
  gen.nextDoubleNormal = r * sin(theta);
  return fma(r * cos(theta), std, mean);
}

/**
 * Fills `out` with normal samples, like `tensor.normal_(mean, std)`;
 * `torch.randn` is `fillNormal(out, 0, 1)`. `out` is taken as a contiguous
 * tensor.
 *
 * Mirrors ATen's CPU `normal_kernel`:
 * - 16 or more elements: `normal_fill` — one uniform per element (float32:
 *   24-bit, float64: 53-bit), then Box-Muller on each block of 16 (element j
 *   pairs with j + 8); if the size is not a multiple of 16, the last 16
 *   elements are redrawn and transformed again. float32 uses the AVX2 kernel
 *   (Cephes-style float32 log/sincos), float64 uses glibc's log/sin/cos.
 * - fewer than 16 elements: scalar float64 Box-Muller per element, which
 *   uses the generator's cached second sample when present (float32 outputs
 *   are the rounded float64 values).
 */
export function fillNormal(
  out: Float32Array | Float64Array,
  mean: number,
  std: number,
  gen: Generator = defaultGenerator,
): void {
  const n = out.length;
  if (n < 16) {
    for (let i = 0; i < n; i++) out[i] = normalDouble(gen, mean, std);
    return;
  }
  if (out instanceof Float32Array) {
    const m = fround(mean);
    const s = fround(std);
    for (let i = 0; i < n; i++) out[i] = uniformFloat01(gen);
    for (let i = 0; i + 16 <= n; i += 16) boxMuller16F32(out, i, m, s);
    if (n % 16 !== 0) {
      const off = n - 16;
      for (let i = 0; i < 16; i++) out[off + i] = uniformFloat01(gen);
      boxMuller16F32(out, off, m, s);
    }
  } else {
    for (let i = 0; i < n; i++) out[i] = uniformDouble01(gen);
    for (let i = 0; i + 16 <= n; i += 16) boxMuller16F64(out, i, mean, std);
    if (n % 16 !== 0) {
      const off = n - 16;
      for (let i = 0; i < 16; i++) out[off + i] = uniformDouble01(gen);
      boxMuller16F64(out, off, mean, std);
    }
  }
}

/**
 * Fills `out` with integers uniform in [low, high), like
 * `torch.randint(low, high, size)` (int64 results are stored as exact
 * numbers, e.g. in a Float64Array).
 *
 * One draw per element: `random() % (high - low) + low` when
 * `high - low < 2^32`, otherwise `random64() % (high - low) + low` (the
 * 64-bit path applies to int64/float64/float32 dtypes, as in PyTorch).
 * `low` and `high` must be safe integers with `low < high`.
 */
export function fillRandint(
  out: Float64Array | Float32Array | Int32Array,
  low: number,
  high: number,
  gen: Generator = defaultGenerator,
): void {
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || !(low < high)) {
    throw new RangeError(`randint: expected safe integers low < high, got ${low}, ${high}`);
  }
  const range = high - low;
  const n = out.length;
  if (range < TWO_POW_32) {
    for (let i = 0; i < n; i++) out[i] = (gen.random() % range) + low;
  } else {
    const r = BigInt(range);
    const b = BigInt(low);
    for (let i = 0; i < n; i++) out[i] = Number((gen.random64() % r) + b);
  }
}

/**
 * A random permutation of 0..n-1, like `torch.randperm(n)` on CPU (int64
 * values in a Float64Array).
 *
 * PyTorch 1.13's CPU algorithm: start from the identity and, for
 * i = 0..n-2, swap element i with element i + (random() % (n - i)).
 */
export function randpermValues(n: number, gen: Generator = defaultGenerator): Float64Array {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`randperm: expected a non-negative integer, got ${n}`);
  }
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = gen.random() % (n - i);
    const t = r[i]!;
    r[i] = r[z + i]!;
    r[z + i] = t;
  }
  return r;
}

/**
 * Fills `out` with Bernoulli samples (0 or 1) with probabilities `p`
 * (same length), like `torch.bernoulli(p)` on CPU.
 *
 * One draw per element, success when `u < p[i]`: for a float64 probability
 * tensor (pass a Float64Array) `u` is a 53-bit float64 uniform; for any other
 * `p` it is treated as float32 (values rounded to float32) and `u` is a
 * 24-bit float32 uniform.
 */
export function fillBernoulli(
  out: Float32Array | Float64Array,
  p: ArrayLike<number>,
  gen: Generator = defaultGenerator,
): void {
  const n = out.length;
  if (p.length !== n) {
    throw new RangeError(`bernoulli: p has ${p.length} elements, expected ${n}`);
  }
  if (p instanceof Float64Array) {
    for (let i = 0; i < n; i++) out[i] = uniformDouble01(gen) < p[i]! ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) out[i] = uniformFloat01(gen) < fround(p[i]!) ? 1 : 0;
  }
}

/**
 * One exponential sample of rate `lambda` in float64, as PyTorch's CPU
 * `exponential_` draws it: -log(1 - u) / lambda with a 53-bit uniform u.
 */
export function exponentialDouble(gen: Generator, lambda = 1): number {
  return (-1 / lambda) * log(1 - uniformDouble01(gen));
}

/** log(Gamma(x)) for x > 0 (Lanczos, g = 7): what Poisson's rejection test needs. */
function lgamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let a = c[0]!;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * One Poisson sample of rate `lambda` (>= 0), as PyTorch 1.13's CPU `sample_poisson` draws
 * it: Hoermann's transformed rejection for lambda >= 10, else multiplying 53-bit uniforms
 * until the product drops to exp(-lambda).
 */
export function poissonSample(gen: Generator, lambda: number): number {
  if (lambda >= 10) {
    const slam = Math.sqrt(lambda), loglam = log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const U = uniformDouble01(gen) - 0.5;
      const V = uniformDouble01(gen);
      const us = 0.5 - Math.abs(U);
      const k = Math.floor((2 * a / us + b) * U + lambda + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (log(V) + log(invalpha) - log(a / (us * us) + b) <= -lambda + k * loglam - lgamma(k + 1)) return k;
    }
  }
  if (lambda === 0) return 0;
  const enlam = Math.exp(-lambda);
  let x = 0, prod = 1;
  for (;;) {
    prod *= uniformDouble01(gen);
    if (prod > enlam) x += 1;
    else return x;
  }
}

/**
 * Draws `numSamples` categories with replacement from each row of `probs` (rows of length
 * `n`, non-negative, not all zero), as PyTorch 1.13's CPU kernel does: the row's running sums
 * in its own precision (`float32` rounds each partial sum), divided by the total, then a
 * binary search for each 53-bit uniform. Writes int64 values into `out` row by row.
 */
export function multinomialWithReplacement(out: Float64Array, probs: Float32Array | Float64Array, n: number, numSamples: number, gen: Generator = defaultGenerator): void {
  const rows = probs.length / n;
  const single = probs instanceof Float32Array;
  const cum = single ? new Float32Array(n) : new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < n; j++) {
      sum = single ? fround(sum + probs[r * n + j]!) : sum + probs[r * n + j]!;
      cum[j] = sum;
    }
    for (let j = 0; j < n; j++) cum[j] = cum[j]! / sum;
    cum[n - 1] = 1;
    for (let s = 0; s < numSamples; s++) {
      const u = uniformDouble01(gen);
      let left = 0, right = n;
      while (right - left > 0) {
        const mid = left + ((right - left) >> 1);
        if (cum[mid]! < u) left = mid + 1;
        else right = mid;
      }
      out[r * numSamples + s] = left;
    }
  }
}
