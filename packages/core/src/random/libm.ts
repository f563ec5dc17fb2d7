/**
 * Bit-exact re-implementations of the floating-point math that PyTorch 1.13's
 * CPU random kernels rely on (x86-64 build: AVX2 + FMA kernels, glibc libm):
 *
 * - correctly rounded fused multiply-add for float64 and float32;
 * - glibc's double `log` (table-driven algorithm, glibc >= 2.28, FMA variant)
 *   and double `sin`/`cos` (IBM Accurate Mathematical Library, FMA variant).
 *   These are not always correctly rounded, so neither `Math.log`/`Math.sin`/
 *   `Math.cos` nor correctly rounded versions reproduce PyTorch's values;
 * - the float32 `log256_ps`/`sincos256_ps` polynomials of PyTorch's
 *   `avx_mathfun.h` (Cephes-derived), as compiled with FMA contraction.
 *
 * Where the C sources leave mul+add pairs to the compiler, the pairs are
 * fused here the way GCC's `-ffp-contract=fast` fuses them with `-mfma`.
 *
 * @packageDocumentation
 * @internal
 */

const fround = Math.fround;

// ---------------------------------------------------------------------------
// Bit access

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Index of the low 32-bit word of a float64 within `u32`. */
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

/**
 * `s` rounded to odd, given `s = RN(v)` and the exact error `err = v - s`:
 * when inexact and the significand of `s` is even, step one ulp towards `v`.
 */
function toOdd(s: number, err: number): number {
  if (err === 0 || !Number.isFinite(s)) return s;
  f64[0] = s;
  const lo = u32[LO]!;
  if ((lo & 1) !== 0) return s;
  // Incrementing the significand increases |s|.
  if (err > 0 === s > 0) {
    const nlo = (lo + 1) >>> 0;
    u32[LO] = nlo;
    if (nlo === 0) u32[HI] = u32[HI]! + 1;
  } else {
    u32[LO] = (lo - 1) >>> 0;
    if (lo === 0) u32[HI] = u32[HI]! - 1;
  }
  return f64[0]!;
}

// ---------------------------------------------------------------------------
// Fused multiply-add

const SPLIT = 134217729; // 2^27 + 1

/**
 * Correctly rounded `a * b + c` in float64 (C's `fma`), valid when the product
 * neither overflows nor underflows (always the case here).
 *
 * Exact product by Veltkamp/Dekker splitting, then a single final rounding via
 * round-to-odd of the low parts (Boldo & Melquiond).
 */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  if (p === 0 || !Number.isFinite(p) || !Number.isFinite(c)) return p + c;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const pe = al * bl - (p - ah * bh - al * bh - ah * bl); // p + pe == a * b
  const th = c + p;
  const bv = th - c;
  const tl = c - (th - bv) + (p - bv); // th + tl == c + p
  const v = tl + pe;
  const vb = v - tl;
  const verr = tl - (v - vb) + (pe - vb);
  return th + toOdd(v, verr);
}

/** Correctly rounded `a * b + c` in float32 (C's `fmaf`), for float32 inputs. */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b; // exact: 24 + 24 bits fit a double
  const s = p + c;
  const bv = s - p;
  const err = p - (s - bv) + (c - bv);
  return fround(toOdd(s, err));
}

// ---------------------------------------------------------------------------
// glibc double log (glibc >= 2.28, x86-64 FMA variant)

/* For i in 0..127: invc ~ 1/c and logc = log(c) for c near the centre of the
 * i-th of 128 subintervals of [0x1.6p-1, 0x1.6p0); IEEE-754 bit patterns. */
const LOG_TABLE_HEX =
  "3ff734f0c3e0de9fbfd7cc7f79e690003ff713786a2ce91fbfd76feec20d00003ff6f26008fab5a0bfd713e31351e000" +
  "3ff6d1a61f138c7dbfd6b85b382878003ff6b1490bc5b4d1bfd65d55908078003ff69147332f0cbabfd602d076180000" +
  "3ff6719f18224223bfd5a8ca869090003ff6524f99a51ed9bfd54f43560350003ff63356aa8f24c4bfd4f637c36b4000" +
  "3ff614b36b9ddc14bfd49da7fda850003ff5f66452c65c4cbfd445923989a8003ff5d867b5912c4fbfd3edf439b0b800" +
  "3ff5babccb5b90debfd396ce448f70003ff59d61f2d91a78bfd3401e17bda0003ff5805612465687bfd2e9e2ef468000" +
  "3ff56397cee76bd3bfd2941b3830e0003ff54725e2a77f93bfd23ec58cda88003ff52aff42064583bfd1e9e129279000" +
  "3ff50f22dbb2bddfbfd1956d2b48f8003ff4f38f4734ded7bfd141679ab9f8003ff4d843cfde2840bfd0edd094ef9800" +
  "3ff4bd3ec078a3c8bfd09aa518db10003ff4a27fc3e0258abfd047e65263b8003ff4880524d48434bfcfeb224586f000" +
  "3ff46dce1b192d0bbfcf474a7517b0003ff453d9d3391854bfcea4443d1030003ff43a2744b4845abfce020d44e9b000" +
  "3ff420b54115f8fbbfcd60a22977f0003ff40782da3ef4b1bfccc001049590003ff3ee8f5d57fe8fbfcc202956891000" +
  "3ff3d5d9a00b4ce9bfcb81178d8110003ff3bd60c010c12bbfcae2c9ccd3d0003ff3a5242b75dab8bfca45402e129000" +
  "3ff38d22cd9fd002bfc9a877681df0003ff3755bc5847a1cbfc90c6d694830003ff35dce49ad36e2bfc87120a645c000" +
  "3ff34679984dd440bfc7d68fb41430003ff32f5cceffcb24bfc73cb83c6270003ff3187775a10d49bfc6a39a9b376000" +
  "3ff301c8373e3990bfc60b3154b7a0003ff2eb4ebb95f841bfc5737d762430003ff2d50a0219a9d1bfc4dc7b8fc23000" +
  "3ff2bef9a8b7fd2abfc4462c51d200003ff2a91c7a0c1babbfc3b08abc8300003ff293726014b530bfc31b996b490000" +
  "3ff27dfa5757a1f5bfc2875490a440003ff268b39b1d3bbfbfc1f3b9f879a0003ff2539d838ff5bdbfc160c8252ca000" +
  "3ff23eb7aac9083bbfc0ce7f57f720003ff22a012ba940b6bfc03cdc49fea0003ff2157996cc4132bfbf57bdbc4b8000" +
  "3ff201201dd2fc9bbfbe3708964040003ff1ecf4494d480bbfbd17983ef940003ff1d8f5528f6569bfbbf9674ed8a000" +
  "3ff1c52311577e7cbfbadc79202f60003ff1b17c74cb26e9bfb9c0c3e72880003ff19e010c2c1ab6bfb8a646b372c000" +
  "3ff18ab07bb670bdbfb78d01b3ac00003ff1778a25efbcb6bfb674f1453800003ff1648d354c31dabfb55e0e6d878000" +
  "3ff151b990275fddbfb4485cdea1e0003ff13f0ea432d24cbfb333d94d6aa0003ff12c8b7210f9dabfb22079f8c56000" +
  "3ff11a3028ecb531bfb10e46986220003ff107fbda8434afbfaffa6c6ad200003ff0f5ee0f4e6bb3bfadda8d4a774000" +
  "3ff0e4065d2a9fcebfabbcece48500003ff0d244632ca521bfa9a1894012c0003ff0c0a77ce2981abfa788583302c000" +
  "3ff0af2f83c636d1bfa5715e67d680003ff09ddb98a01339bfa35c8a496580003ff08cabaf52e7dfbfa149e364154000" +
  "3ff07b9f2f4e28fbbf9e72c082eb80003ff06ab58c358f19bf9a55f1525280003ff059eea5ecf92cbf963d62cf818000" +
  "3ff04949cdd12c90bf9228fb8caa00003ff038c6c6f0ada9bf8c317b20f900003ff02865137932a9bf8419355daa0000" +
  "3ff0182427ea7348bf781203c2ec00003ff008040614b195bf600409792400003fefe01ff726fa1a3f6feff384900000" +
  "3fefa11cc261ea743f87dc41353d00003fef6310b081992e3f93cea3c4c280003fef25f63ceeadcd3f9b9fc114890000" +
  "3feee9c8039113e73fa1b0d8ce1100003feeae8078cbb1ab3fa58a5bd001c0003fee741aa29d0c9b3fa95c8340d88000" +
  "3fee3a91830a99b53fad276aef5780003fee01e009609a563fb07598e598c0003fedca01e577bb983fb253f5e30d2000" +
  "3fed92f20b7c91033fb42edd8b3800003fed5cac66fb5cce3fb606598757c0003fed272caa5ede9d3fb7da76356a0000" +
  "3fecf26e3e6b2ccd3fb9ab434e1c60003fecbe6da2a779023fbb78c7bb0d60003fec8b266d37086d3fbd431332e72000" +
  "3fec5894bd5d58043fbf0a3171de60003fec26b533bb9f8c3fc067152b9140003febf583eeece73f3fc147858292b000" +
  "3febc4fd75db96c13fc2266ecdca30003feb951e0c864a283fc303d7a6c550003feb65e2c5ef3e2c3fc3dfc33c331000" +
  "3feb374867c9888b3fc4ba366b7a80003feb094b211d304a3fc5933928d1f0003feadbe885f2ef7e3fc66acd2418f000" +
  "3feaaf1d31603da23fc740f8ec6690003fea82e63fd358a73fc815c0f51af0003fea5740ef09738b3fc8e92954f68000" +
  "3fea2c2a90ab4b273fc9bb3602f840003fea01a01393f2d13fca8bed1c2c00003fe9d79f24db3c1b3fcb5b515c01d000" +
  "3fe9ae2505c7b1903fcc2967ccbcc0003fe9852ef297ce2f3fccf635d54860003fe95cbaeea44b753fcdc1bd3446c000" +
  "3fe934c69de748383fce8c01b8cfe0003fe90d4f2f6752e63fcf5509c01790003fe8e6528effd79d3fd00e6c121fb800" +
  "3fe8bfce9fcc007c3fd071b80e93d0003fe899c0dabec30e3fd0d46b9e8670003fe87427aa2317fb3fd13687334bd000" +
  "3fe84f00acb39a083fd1980d672348003fe82a49e8653e553fd1f8ffe0cc80003fe8060195f402603fd2595fd7636800" +
  "3fe7e22563e0a3293fd2b9300914a8003fe7beb377dcb5ad3fd31872104360003fe79baa679725c23fd377266dec1800" +
  "3fe77907f21706573fd3d54ffbaf30003fe756cadbd6130c3fd432eee32fe000";

const LOG_INVC = new Float64Array(128);
const LOG_LOGC = new Float64Array(128);
for (let i = 0; i < 256; i++) {
  const o = i * 16;
  u32[HI] = parseInt(LOG_TABLE_HEX.slice(o, o + 8), 16);
  u32[LO] = parseInt(LOG_TABLE_HEX.slice(o + 8, o + 16), 16);
  (i & 1 ? LOG_LOGC : LOG_INVC)[i >> 1] = f64[0]!;
}

const LN2HI = 0.6931471805598903;
const LN2LO = 5.497923018708371e-14;
const A0 = -0.5000000000000001;
const A1 = 0.33333333331825593;
const A2 = -0.2499999999622955;
const A3 = 0.20000304511814496;
const A4 = -0.16667054827627667;
const B0 = -0.5;
const B1 = 0.3333333333333352;
const B2 = -0.24999999999998432;
const B3 = 0.19999999999320328;
const B4 = -0.16666666669929706;
const B5 = 0.14285715076560868;
const B6 = -0.12499997863982555;
const B7 = 0.11110712032936046;
const B8 = -0.10000486757818193;
const B9 = 0.09181994006195467;
const B10 = -0.08328363062289341;
const TWO_POW_27 = 134217728;
const TWO_POW_52 = 4503599627370496;

/** Natural logarithm, bit-identical to glibc's `log` on x86-64 with FMA. */
export function log(x: number): number {
  if (!(x > 0) || x === Infinity) {
    if (x === 0) return -Infinity;
    return x === Infinity ? x : NaN;
  }
  // Close to 1: |x - 1| small, separate polynomial.
  if (x >= 0.9375 && x < 1.064697265625) {
    if (x === 1) return 0;
    const r = x - 1;
    const r2 = r * r;
    const r3 = r * r2;
    // r3 * (B1 + r*B2 + r2*B3 + r3*(B4 + r*B5 + r2*B6 + r3*(B7 + r*B8 + r2*B9 + r3*B10)))
    let p = fma(r3, B10, fma(r2, B9, fma(r, B8, B7)));
    p = fma(r3, p, fma(r2, B6, fma(r, B5, B4)));
    p = fma(r3, p, fma(r2, B3, fma(r, B2, B1)));
    const w0 = r * TWO_POW_27;
    const rhi = r + w0 - w0;
    const rlo = r - rhi;
    const w = rhi * rhi * B0; // exact
    const hi = r + w;
    let lo = r - hi + w;
    lo = fma(B0 * rlo, rhi + r, lo);
    let y = fma(r3, p, lo);
    y += hi;
    return y;
  }
  f64[0] = x;
  let ixHi = u32[HI]!;
  let ixLo = u32[LO]!;
  if (ixHi < 0x00100000) {
    // subnormal: normalize
    f64[0] = x * TWO_POW_52;
    ixHi = u32[HI]! - (52 << 20);
    ixLo = u32[LO]!;
  }
  // tmp = ix - 0x3fe6000000000000 (only the high word matters for i, k)
  const tmpHi = (ixHi - 0x3fe60000) | 0;
  const i = (tmpHi >>> (52 - 7 - 32)) & 127;
  const k = tmpHi >> 20; // arithmetic shift
  // iz = ix - (tmp & 0xfff << 52)
  const izHi = (ixHi - (tmpHi & 0xfff00000)) >>> 0;
  u32[HI] = izHi;
  u32[LO] = ixLo;
  const z = f64[0]!;
  const invc = LOG_INVC[i]!;
  const logc = LOG_LOGC[i]!;
  const r = fma(z, invc, -1);
  const kd = k;
  const w = kd * LN2HI + logc; // exact by construction of the table
  const hi = w + r;
  const lo = fma(kd, LN2LO, w - hi + r);
  const r2 = r * r;
  const q = fma(r2, fma(r, A4, A3), fma(r, A2, A1));
  let y = fma(r2, A0, lo);
  y = fma(r * r2, q, y);
  return y + hi;
}

// ---------------------------------------------------------------------------
// glibc double sin / cos (IBM Accurate Mathematical Library, FMA variant)

const S1 = -0.16666666666666666;
const S2 = 0.008333333333332329;
const S3 = -0.00019841269834414642;
const S4 = 2.755729806860771e-6;
const S5 = -2.5022014848318398e-8;
const SN3 = -0.16666666666666488;
const SN5 = 0.008333332142857223;
const CS2 = 0.5;
const CS4 = -0.04166666666666644;
const CS6 = 0.001388888740079376;
const BIG = 52776558133248;
const HP0 = 1.5707963267948966;
const HP1 = 6.123233995736766e-17;
const MP1 = 1.5707963407039642;
const MP2 = -1.3909067564377153e-8;
const PP3 = -4.97899623147991e-17;
const PP4 = -1.9034889620193266e-25;
const HPINV = 0.6366197723675814;
const TOINT = 6755399441055744;

/**
 * sin and cos of k/128 (k = 0..109) as double-double pairs
 * [sin_hi, sin_lo, cos_hi, cos_lo], computed on first use from exact rational
 * Taylor series in 256-bit fixed point. The high parts equal glibc's table;
 * a few low parts (~1e-35 absolute) may differ from it by one ulp, which can
 * change a result only with probability ~2^-60.
 */
let sincosTab: Float64Array | null = null;

function buildSincosTab(): Float64Array {
  const tab = new Float64Array(440);
  const FRAC = 256n;
  const ONE = 1n << FRAC;
  const scale = 2 ** -256;
  // hi = RN(v), lo = RN(v - hi), both scaled back by 2^-256 (exact).
  const split = (v: bigint, at: number): void => {
    const hi = Number(v);
    tab[at] = hi * scale;
    tab[at + 1] = Number(v - BigInt(hi)) * scale;
  };
  for (let k = 0; k < 110; k++) {
    const kk = BigInt(k * k);
    // sin: sum (-1)^n x^(2n+1)/(2n+1)!, cos: sum (-1)^n x^(2n)/(2n)!, x = k/128
    let term = (ONE * BigInt(k)) / 128n;
    let s = 0n;
    for (let n = 1n; term !== 0n; n += 2n) {
      s += term;
      term = -(term * kk) / (16384n * (n + 1n) * (n + 2n));
    }
    term = ONE;
    let c = 0n;
    for (let n = 0n; term !== 0n; n += 2n) {
      c += term;
      term = -(term * kk) / (16384n * (n + 1n) * (n + 2n));
    }
    split(s, 4 * k);
    split(c, 4 * k + 2);
  }
  return tab;
}

function lowWordOf(x: number): number {
  f64[0] = x;
  return u32[LO]!;
}

/** Copy the sign of `s` onto `v`. */
function copysign(v: number, s: number): number {
  const neg = s < 0 || Object.is(s, -0);
  return neg === (v < 0 || Object.is(v, -0)) ? v : -v;
}

/** cos(x + dx) for |x| small (table + polynomial). */
function doCos(x: number, dx: number, tab: Float64Array): number {
  if (x < 0) dx = -dx;
  const ax = Math.abs(x);
  const u = BIG + ax;
  x = ax - (u - BIG) + dx;
  const xx = x * x;
  const s = fma(x * xx, fma(xx, SN5, SN3), x);
  const c = xx * fma(xx, fma(xx, CS6, CS4), CS2);
  const k = lowWordOf(u) << 2;
  const sn = tab[k]!;
  const ssn = tab[k + 1]!;
  const cs = tab[k + 2]!;
  const ccs = tab[k + 3]!;
  let cor = fma(-s, ssn, ccs);
  cor = fma(-cs, c, cor);
  cor = fma(-sn, s, cor);
  return cs + cor;
}

/** sin(x + dx) for |x| small (Taylor series or table + polynomial). */
function doSin(x: number, dx: number, tab: Float64Array): number {
  const xold = x;
  if (Math.abs(x) < 0.126) {
    const xx = x * x;
    const poly = fma(fma(fma(fma(S5, xx, S4), xx, S3), xx, S2), xx, S1);
    const t = fma(fma(poly, x, -(0.5 * dx)), xx, dx);
    return x + t;
  }
  if (x <= 0) dx = -dx;
  const ax = Math.abs(x);
  const u = BIG + ax;
  x = ax - (u - BIG);
  const xx = x * x;
  const s = x + fma(x * xx, fma(xx, SN5, SN3), dx);
  const c = fma(x, dx, xx * fma(xx, fma(xx, CS6, CS4), CS2));
  const k = lowWordOf(u) << 2;
  const sn = tab[k]!;
  const ssn = tab[k + 1]!;
  const cs = tab[k + 2]!;
  const ccs = tab[k + 3]!;
  let cor = fma(s, ccs, ssn);
  cor = fma(-sn, c, cor);
  cor = fma(cs, s, cor);
  return copysign(sn + cor, xold);
}

/** Cody-Waite reduction modulo pi/2 for |x| < 105414350. */
function reduceSincos(x: number, out: Float64Array): number {
  const t = fma(x, HPINV, TOINT);
  const xn = t - TOINT;
  const y = fma(-xn, MP2, fma(-xn, MP1, x));
  const n = lowWordOf(t) & 3;
  const t2 = fma(-xn, PP3, y);
  let db = fma(-xn, PP3, y - t2);
  const b = fma(-xn, PP4, t2);
  db += fma(-xn, PP4, t2 - b);
  out[0] = b;
  out[1] = db;
  return n;
}

function doSincos(a: number, da: number, n: number, tab: Float64Array): number {
  const r = n & 1 ? doCos(a, da, tab) : doSin(a, da, tab);
  return n & 2 ? -r : r;
}

const red = new Float64Array(2);
const LIMIT = 105414336; // glibc: high word < 0x419921fb

/**
 * sin(x), bit-identical to glibc's `sin` on x86-64 with FMA for
 * |x| < 105414336; larger arguments fall back to `Math.sin`.
 */
export function sin(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < LIMIT)) return Math.sin(x);
  const tab = (sincosTab ??= buildSincosTab());
  if (ax < 1.4901161193847656e-8) return x; // 2^-26
  if (ax < 0.85546875) return doSin(x, 0, tab);
  if (ax < 2.4262638092041016) return copysign(doCos(HP0 - ax, HP1, tab), x);
  const n = reduceSincos(x, red);
  return doSincos(red[0]!, red[1]!, n, tab);
}

/**
 * cos(x), bit-identical to glibc's `cos` on x86-64 with FMA for
 * |x| < 105414336; larger arguments fall back to `Math.cos`.
 */
export function cos(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < LIMIT)) return Math.cos(x);
  const tab = (sincosTab ??= buildSincosTab());
  if (ax < 7.450580596923828e-9) return 1; // 2^-27
  if (ax < 0.85546875) return doCos(x, 0, tab);
  if (ax < 2.4262638092041016) {
    const y = HP0 - ax;
    const a = y + HP1;
    const da = y - a + HP1;
    return doSin(a, da, tab);
  }
  const n = reduceSincos(x, red);
  return doSincos(red[0]!, red[1]!, n + 1, tab);
}

// ---------------------------------------------------------------------------
// float32 AVX2 Box-Muller kernel (PyTorch's normal_fill_16_AVX2 with
// avx_mathfun.h's log256_ps / sincos256_ps), one lane at a time.

const F = fround;
const MIN_NORM_POS = 1.1754943508222875e-38; // 2^-126
const SQRTHF = F(0.707106781186547524);
const LOG_P0 = F(7.0376836292e-2);
const LOG_P1 = F(-1.151461031e-1);
const LOG_P2 = F(1.167699874e-1);
const LOG_P3 = F(-1.2420140846e-1);
const LOG_P4 = F(1.4249322787e-1);
const LOG_P5 = F(-1.6668057665e-1);
const LOG_P6 = F(2.0000714765e-1);
const LOG_P7 = F(-2.4999993993e-1);
const LOG_P8 = F(3.3333331174e-1);
const LOG_Q1 = F(-2.1219444e-4);
const LOG_Q2 = F(0.693359375);
const DP1 = F(-0.78515625);
const DP2 = F(-2.4187564849853515625e-4);
const DP3 = F(-3.77489497744594108e-8);
const SINCOF_P0 = F(-1.9515295891e-4);
const SINCOF_P1 = F(8.3321608736e-3);
const SINCOF_P2 = F(-1.6666654611e-1);
const COSCOF_P0 = F(2.443315711809948e-5);
const COSCOF_P1 = F(-1.388731625493765e-3);
const COSCOF_P2 = F(4.166664568298827e-2);
const FOPI = F(1.27323954473516);
/** `(float)(2.0f * c10::pi<double>)` */
const TWO_PI_F = F(2 * Math.PI);

const fbuf = new Float32Array(1);
const ibuf = new Int32Array(fbuf.buffer);

/** `log256_ps` for one lane with x in (0, 1]. */
function logPs(x0: number): number {
  fbuf[0] = x0 < MIN_NORM_POS ? MIN_NORM_POS : x0;
  const bits = ibuf[0]!;
  let e = F((bits >>> 23) - 0x7f + 1);
  ibuf[0] = (bits & ~0x7f800000) | 0x3f000000;
  let x = fbuf[0]!;
  if (x < SQRTHF) {
    e = F(e - 1);
    x = F(F(x - 1) + x);
  } else {
    x = F(x - 1);
  }
  const z = F(x * x);
  let y = fmaf(LOG_P0, x, LOG_P1);
  y = fmaf(y, x, LOG_P2);
  y = fmaf(y, x, LOG_P3);
  y = fmaf(y, x, LOG_P4);
  y = fmaf(y, x, LOG_P5);
  y = fmaf(y, x, LOG_P6);
  y = fmaf(y, x, LOG_P7);
  y = fmaf(y, x, LOG_P8);
  y = F(y * x);
  // (y * z) + (e * q1): GCC fuses the first product, rounds the second
  y = fmaf(y, z, F(e * LOG_Q1));
  y = F(y - F(z * 0.5));
  x = F(x + y);
  return fmaf(e, LOG_Q2, x);
}

/** `sincos256_ps` for one lane with x >= 0; writes [sin, cos] to `out`. */
function sincosPs(x: number, out: Float64Array): void {
  let j = Math.trunc(F(x * FOPI));
  j = (j + 1) & ~1;
  const y0 = j;
  const swapSin = (j & 4) !== 0;
  const polyMask = (j & 2) === 0;
  const negCos = (~(j - 2) & 4) !== 0;
  x = fmaf(y0, DP1, x);
  x = fmaf(y0, DP2, x);
  x = fmaf(y0, DP3, x);
  const z = F(x * x);
  let y = fmaf(COSCOF_P0, z, COSCOF_P1);
  y = fmaf(y, z, COSCOF_P2);
  y = F(y * z);
  // (y * z) - (z * 0.5): GCC fuses the first product
  y = fmaf(y, z, -F(z * 0.5));
  y = F(y + 1);
  let y2 = fmaf(SINCOF_P0, z, SINCOF_P1);
  y2 = fmaf(y2, z, SINCOF_P2);
  y2 = F(y2 * z);
  y2 = fmaf(y2, x, x);
  const s = polyMask ? y2 : y;
  const c = polyMask ? y : y2;
  out[0] = swapSin ? -s : s;
  out[1] = negCos ? -c : c;
}

const scPs = new Float64Array(2);

/**
 * PyTorch's `normal_fill_16_AVX2`: turns 16 float32 uniforms at
 * `data[off..off+16)` into normals (Box-Muller on pairs j, j+8).
 * `mean` and `std` must be float32 values.
 */
export function boxMuller16F32(data: Float32Array, off: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = F(1 - data[off + j]!);
    const u2 = data[off + j + 8]!;
    const radius = F(Math.sqrt(F(-2 * logPs(u1))));
    sincosPs(F(TWO_PI_F * u2), scPs);
    data[off + j] = fmaf(F(radius * scPs[1]!), std, mean);
    data[off + j + 8] = fmaf(F(radius * scPs[0]!), std, mean);
  }
}

/**
 * PyTorch's scalar `normal_fill_16<double>`: turns 16 float64 uniforms at
 * `data[off..off+16)` into normals with glibc's log/sin/cos.
 */
export function boxMuller16F64(data: Float64Array, off: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - data[off + j]!;
    const u2 = data[off + j + 8]!;
    const radius = Math.sqrt(-2 * log(u1));
    const theta = 2 * Math.PI * u2;
    data[off + j] = fma(radius * cos(theta), std, mean);
    data[off + j + 8] = fma(radius * sin(theta), std, mean);
  }
}
