/** Scalar math that JavaScript's Math lacks, accurate to double precision. */

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** The error function, to about 1e-15 relative: Taylor series near 0, continued fraction for erfc beyond. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
    const x2 = x * x;
    let term = x, sum = x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  if (ax >= 6) return x > 0 ? 1 : -1;
  const c = erfcLarge(ax);
  return x > 0 ? 1 - c : c - 1;
}

/** erfc(x) for x >= 2.5 by the Laplace continued fraction, evaluated with modified Lentz. */
function erfcLarge(x: number): number {
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
  const tiny = 1e-300;
  let f = x, c = x, d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (f * 1.7724538509055159);
}

/** Rounds half to even, like torch.round. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Python's float modulo: the result takes the sign of the divisor. */
export function pyRemainder(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

// expf: e^x in float32 arithmetic, the algorithm the wasm kernel runs four lanes at a time (every
// step below is one float32 operation: Math.fround of a double op on floats rounds exactly as
// float32 does). x is clamped to [-110, 89] (e^x rounds to 0 or overflows beyond; NaN stays NaN);
// k = round(x / ln2) (half even, by the 1.5 * 2^23 shift), r = x - k ln2 in two parts
// (k * EXPF_LN2_HI is exact and so is x minus it), e^r = 1 + r + r^2 q(r) with q of degree 4
// (minimax: scripts/fit-expf.py) and the small terms added first, then scaled by 2^k in two exact
// halves, so subnormal results round once and overflow gives infinity. No branch, so the wasm
// loop calls nothing. Measured over every float32: at most 0.894 ulp from e^x where the result is
// normal (scripts/check-expf.mjs checks every input; test/kernels-math.test.ts samples them).
const fr = Math.fround;
/** log2(e) rounded to float32. */
export const EXPF_LOG2E = fr(Math.LOG2E);
/** ln 2 to 9 bits, so k * EXPF_LN2_HI is exact for |k| <= 256. */
export const EXPF_LN2_HI = 0.693359375;
/** ln 2 - EXPF_LN2_HI, rounded to float32. */
export const EXPF_LN2_LO = fr(Math.LN2 - EXPF_LN2_HI);
/**
 * q's coefficients, float32 (near 1/2!, ..., 1/6!): 1 + r + r^2 q(r) is e^r within 3.7e-9 relative
 * for |r| <= 0.3467, as close as Taylor's degree 7 with one step less (scripts/fit-expf.py).
 */
export const EXPF_POLY = [0.4999999403953552, 0.1666652113199234, 0.04166838899254799, 0.008368735201656818, 0.0013814560370519757].map(fr);
/** The clamp of x: e^x is 0 in float32 below EXPF_MIN and infinite above EXPF_MAX. */
export const EXPF_MIN = -110, EXPF_MAX = 89;
const [Q0, Q1, Q2, Q3, Q4] = EXPF_POLY as [number, number, number, number, number];
const SHIFT_F32 = 12582912; // 1.5 * 2^23: x + SHIFT - SHIFT rounds a float32 x to an integer
/** 2^(i - 80): the halves of 2^k, k within [-159, 129] after the clamp (a table: ** is slow). */
const POW2_HALF = Float64Array.from({ length: 150 }, (_, i) => 2 ** (i - 80));

/** e^x for a float32 x, in float32 arithmetic (see above): the float32 exp of the exp and softmax kernels. */
export function expf(x: number): number {
  const xc = Math.min(Math.max(x, EXPF_MIN), EXPF_MAX);
  const k = fr(fr(fr(xc * EXPF_LOG2E) + SHIFT_F32) - SHIFT_F32);
  const r1 = fr(xc - fr(k * EXPF_LN2_HI));
  const c = fr(k * -EXPF_LN2_LO);
  const r = fr(r1 + c);
  const q = fr(Q0 + fr(r * fr(Q1 + fr(r * fr(Q2 + fr(r * fr(Q3 + fr(r * Q4))))))));
  const p = fr(1 + fr(r1 + fr(c + fr(fr(r * r) * q))));
  const k1 = Math.floor(k / 2);
  return fr(fr(p * POW2_HALF[k1 + 80]!) * POW2_HALF[k - k1 + 80]!);
}

// exp for float32 results: e^x = 2^(k/64) * e^r with k = round(x * 64/ln2) and |r| <= ln2/128,
// e^r by a degree-6 polynomial: about 3e-15 relative error before rounding to float32, so the
// float32 result is (except within 3e-15 of a rounding boundary) the correctly rounded one, at
// about twice the speed of Math.exp.
/** 2^(j / 64), j < 64: the table of expForFloat32 (the wasm kernels receive these very values). */
export const EXP_FRAC = Float64Array.from({ length: 64 }, (_, j) => 2 ** (j / 64));
const EXP_POW2 = Float64Array.from({ length: 320 }, (_, m) => 2 ** (m - 160)); // k >> 6 spans [-151, 128]
const EXP_INV = 64 / Math.LN2;
const EXP_HI = Math.fround(Math.LN2 / 64); // few bits, so k * EXP_HI is exact
const EXP_LO = Math.LN2 / 64 - EXP_HI;
const ROUND_SHIFT = 6755399441055744; // 1.5 * 2^52: x + SHIFT - SHIFT rounds x to an integer

/** e^x, accurate enough to round to float32 (use Math.exp where a float64 result is kept). */
export function expForFloat32(x: number): number {
  if (!(x > -104 && x < 89)) return Math.exp(x); // NaN, infinities, float32 overflow / underflow
  const kd = x * EXP_INV + ROUND_SHIFT - ROUND_SHIFT;
  const r = x - kd * EXP_HI - kd * EXP_LO;
  const p = 1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * (0.041666666666666664 + r * (0.008333333333333333 + r * 0.001388888888888889)))));
  const k = kd | 0;
  return EXP_FRAC[k & 63]! * EXP_POW2[(k >> 6) + 160]! * p;
}

/**
 * tanh accurate enough to round to float32, from expForFloat32 (the wasm kernel computes the
 * same steps): x itself below 2^-13 (where tanh(x) rounds to x), else copysign(1 - 2 / (e^(2|x|) + 1), x).
 */
export function tanhForFloat32(x: number): number {
  const a = Math.abs(x);
  if (a < 1.220703125e-4) return x;
  const t = 1 - 2 / (expForFloat32(a + a) + 1);
  return x < 0 ? -t : t;
}
