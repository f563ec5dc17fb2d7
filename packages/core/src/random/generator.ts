/**
 * CPU random generator compatible with PyTorch 1.13's `CPUGeneratorImpl`.
 *
 * The engine is the 32-bit Mersenne Twister (mt19937) seeded exactly as
 * PyTorch seeds it (`init_genrand` with the low 32 bits of the seed), so the
 * raw `random()` stream equals `std::mt19937` / PyTorch's `generator->random()`.
 *
 * @packageDocumentation
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** PyTorch's `default_rng_seed_val`, the seed of a fresh default generator. */
export const DEFAULT_SEED = 67280421310721n;

const U64_MASK = (1n << 64n) - 1n;

function toU64(seed: number | bigint): bigint {
  if (typeof seed === "number") {
    if (!Number.isInteger(seed)) {
      throw new TypeError(`seed must be an integer, got ${seed}`);
    }
    seed = BigInt(seed);
  }
  if (seed < -(1n << 63n) || seed > U64_MASK) {
    throw new RangeError(`seed must be in [-2^63, 2^64), got ${seed}`);
  }
  // PyTorch stores seeds as uint64 (negative values wrap around).
  return seed & U64_MASK;
}

/**
 * Snapshot of a {@link Generator}'s complete state (engine plus the cached
 * Box-Muller samples), usable with {@link Generator.setState}.
 */
export interface GeneratorState {
  /** The 64-bit seed the engine was last seeded with. */
  seed: bigint;
  /** mt19937 state words (624 entries). */
  mt: Uint32Array;
  /** Index of the next word to temper; 624 means "twist before next draw". */
  index: number;
  /** Cached second Box-Muller sample for float normals, or `null`. */
  nextFloatNormal: number | null;
  /** Cached second Box-Muller sample for double normals, or `null`. */
  nextDoubleNormal: number | null;
}

/**
 * A CPU pseudo-random generator, the equivalent of `torch.Generator()` on CPU.
 *
 * All draws are deterministic functions of the seed and reproduce PyTorch 1.13
 * bit-for-bit when used through the fillers in `distributions.ts`.
 */
export class Generator {
  private readonly mt = new Uint32Array(N);
  private mti = N;
  private seed_ = DEFAULT_SEED;
  /**
   * Cached second value of the scalar Box-Muller transform (float flavour),
   * mirroring `CPUGeneratorImpl::next_float_normal_sample_`.
   * @internal
   */
  nextFloatNormal: number | null = null;
  /**
   * Cached second value of the scalar Box-Muller transform (double flavour),
   * mirroring `CPUGeneratorImpl::next_double_normal_sample_`.
   * @internal
   */
  nextDoubleNormal: number | null = null;

  /**
   * @param seed - initial seed; defaults to PyTorch's default generator seed
   *   `67280421310721`.
   */
  constructor(seed: number | bigint = DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /**
   * Reseeds the generator (like `Generator.manual_seed`): resets the engine and
   * drops any cached normal samples.
   * @returns `this`
   */
  manualSeed(seed: number | bigint): this {
    const s = toU64(seed);
    this.seed_ = s;
    const mt = this.mt;
    mt[0] = Number(s & 0xffffffffn);
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.mti = N;
    this.nextFloatNormal = null;
    this.nextDoubleNormal = null;
    return this;
  }

  /** The seed last passed to {@link Generator.manualSeed} (as uint64). */
  initialSeed(): bigint {
    return this.seed_;
  }

  private twist(): void {
    const mt = this.mt;
    let kk = 0;
    let y: number;
    for (; kk < N - M; kk++) {
      y = (mt[kk]! & UPPER_MASK) | (mt[kk + 1]! & LOWER_MASK);
      mt[kk] = mt[kk + M]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; kk < N - 1; kk++) {
      y = (mt[kk]! & UPPER_MASK) | (mt[kk + 1]! & LOWER_MASK);
      mt[kk] = mt[kk + (M - N)]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    y = (mt[N - 1]! & UPPER_MASK) | (mt[0]! & LOWER_MASK);
    mt[N - 1] = mt[M - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.mti = 0;
  }

  /** Next raw 32-bit draw (`generator->random()`), as an unsigned integer. */
  random(): number {
    if (this.mti >= N) this.twist();
    let y = this.mt[this.mti++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * Next raw 64-bit draw (`generator->random64()`): two 32-bit draws, the
   * first one forming the high word.
   */
  random64(): bigint {
    const hi = this.random();
    const lo = this.random();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /**
   * The low 53 bits of {@link Generator.random64} as an exact integer number
   * (consumes two 32-bit draws). Fast path for double uniforms.
   */
  random53(): number {
    const hi = this.random() & 0x1fffff;
    const lo = this.random();
    return hi * 4294967296 + lo;
  }

  /** Returns a copy of the full generator state. */
  getState(): GeneratorState {
    return {
      seed: this.seed_,
      mt: this.mt.slice(),
      index: this.mti,
      nextFloatNormal: this.nextFloatNormal,
      nextDoubleNormal: this.nextDoubleNormal,
    };
  }

  /** Restores a state previously obtained from {@link Generator.getState}. */
  setState(state: GeneratorState): this {
    if (state.mt.length !== N || state.index < 0 || state.index > N) {
      throw new RangeError("invalid generator state");
    }
    this.seed_ = state.seed;
    this.mt.set(state.mt);
    this.mti = state.index;
    this.nextFloatNormal = state.nextFloatNormal;
    this.nextDoubleNormal = state.nextDoubleNormal;
    return this;
  }
}

/** The process-wide default generator (like `torch.default_generator`). */
export const defaultGenerator: Generator = new Generator();

/**
 * Reseeds the default generator, like `torch.manual_seed(seed)`.
 * @returns the default generator
 */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed);
}

/** The default generator's seed, like `torch.initial_seed()`. */
export function initialSeed(): bigint {
  return defaultGenerator.initialSeed();
}
