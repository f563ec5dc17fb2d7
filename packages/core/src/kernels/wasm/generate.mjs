/**
 * Build-time generator of the WebAssembly SIMD128 kernels: writes WAT text from the op tables
 * below, assembles it with the `wabt` npm package (no native toolchain) and renders module.ts,
 * which holds the bytes (base64) of two variants: one importing a shared memory, one an
 * unshared one. Run `pnpm gen:wasm` in packages/core after editing; wasm-module.test.ts fails
 * when the committed module.ts is stale.
 *
 * Why wabt: the kernels are a few hundred lines of hand-scheduled SIMD (register-blocked matmul,
 * f64 lanes for sums); WAT states that schedule exactly, while AssemblyScript or binaryen's
 * optimizer would decide instruction order and inlining for us, and determinism rests on order.
 *
 * ABI: every pointer is a byte address in the imported memory; lengths count float32 elements.
 * Scratch (per thread, from `init(scratchPtr)`, WASM_SCRATCH_BYTES long, 16-byte aligned):
 * the exp table (64 f64, written by the runtime from kernels/math.ts), a tail buffer, the
 * matmul packing buffers and the column-sum lanes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// ------------------------------------------------------------------ layout constants

/**
 * Matmul micro-kernel rows and columns (MR x NR accumulators), and the K / N blocking. 4 x 8
 * keeps its 8 accumulators, 2 B vectors, the broadcast A value and the product in registers;
 * 6 x 8 spilled in V8 on x64 and ran 1.5x slower (bench of raw mm, 512 and 1024).
 */
export const MR = 4, NR = 8, KC = 256, NC = 512;
/**
 * A transposed A (am = 4) is read in place for blocks of at most this many B panels, else packed:
 * its KC depths lie one ak apart (in few cache sets when ak is a power of two), and re-reading
 * them for each panel beat one packed copy at 2 and 3 panels, tied at 4 to 6 and lost at 8 and
 * more (raw mm, A^T of [512, 1024] and [784, 512]; 64 panels: 1.2x slower).
 */
const IN_PLACE_AT_PANELS = 4;
/** Columns per column-sum tile and the reduction block (kernels/reduce.ts REDUCE_BLOCK). */
export const COL_TILE = 256, REDUCE_BLOCK = 4096;

const S_EXP = 0; // 64 f64: 2^(j/64)
const S_TAIL = 512; // 3 x 32 bytes: tail operands / results
const S_CT = 640; // MR x NR f32 edge tile
const S_PA = 1024; // MR x KC f32
const S_PB = S_PA + MR * KC * 4; // KC x NC f32
const S_LANES = S_PB + KC * NC * 4; // 8 x COL_TILE f64 lanes + COL_TILE f64 totals
/** Bytes of scratch each thread needs. */
export const SCRATCH_BYTES = S_LANES + 9 * COL_TILE * 8;

// ------------------------------------------------------------------ small WAT helpers

const f64bits = (x) => {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x, true);
  return '0x' + b.getBigUint64(0, true).toString(16);
};
/** An f64x2 splat constant, exact to the bit. */
const d2 = (x) => `(v128.const i64x2 ${f64bits(x)} ${f64bits(x)})`;
const f32bits = (x) => {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, x, true);
  return '0x' + b.getUint32(0, true).toString(16);
};
const f4 = (x) => `(v128.const i32x4 ${f32bits(x)} ${f32bits(x)} ${f32bits(x)} ${f32bits(x)})`;
const lg = (n) => `(local.get $${n})`;
const ls = (n, e) => `(local.set $${n} ${e})`;
const i32 = (n) => `(i32.const ${n})`;
const add = (a, b) => `(i32.add ${a} ${b})`;
const sc = (off) => add('(global.get $scratch)', i32(off));
/** High two f32 lanes of v as an f64x2, and low two. */
const hi2 = (v) => `(f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 ${v} ${v}))`;
const lo2 = (v) => `(f64x2.promote_low_f32x4 ${v})`;
/** Two f64x2 back to one f32x4 (round to nearest even). */
const join = (lo, hi) => `(i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (f32x4.demote_f64x2_zero ${lo}) (f32x4.demote_f64x2_zero ${hi}))`;

// exp for float32 results: the algorithm of kernels/math.ts expForFloat32, lane by lane in f64.
const EXP_INV = 64 / Math.LN2;
const EXP_HI = Math.fround(Math.LN2 / 64);
const EXP_LO = Math.LN2 / 64 - EXP_HI;
const ROUND_SHIFT = 6755399441055744;
const EXP_POLY = [0.001388888888888889, 0.008333333333333333, 0.041666666666666664, 0.16666666666666666, 0.5, 1, 1];

let uid = 0;
/**
 * Statements computing e^d (f64x2 in local `d`) into local `out`, bit for bit as expForFloat32:
 * lanes outside (-104, 89) (and NaN) call the imported Math.exp, as the JS version does.
 * Declares its locals through `locals`.
 */
function expD(d, out, locals) {
  const u = uid++;
  const kd = `kd${u}`, r = `r${u}`, p = `p${u}`, k = `k${u}`, m = `m${u}`, idx = `ix${u}`;
  locals.push(kd, r, p, k, m, idx);
  let poly = d2(EXP_POLY[0]);
  for (let i = 1; i < EXP_POLY.length; i++) poly = `(f64x2.add ${d2(EXP_POLY[i])} (f64x2.mul ${lg(r)} ${poly}))`;
  const tableLoad = (lane) => `(f64.load (i32.add ${sc(S_EXP)} (i32x4.extract_lane ${lane} ${lg(idx)})))`;
  return [
    ls(kd, `(f64x2.sub (f64x2.add (f64x2.mul ${lg(d)} ${d2(EXP_INV)}) ${d2(ROUND_SHIFT)}) ${d2(ROUND_SHIFT)})`),
    ls(r, `(f64x2.sub (f64x2.sub ${lg(d)} (f64x2.mul ${lg(kd)} ${d2(EXP_HI)})) (f64x2.mul ${lg(kd)} ${d2(EXP_LO)}))`),
    ls(p, poly),
    ls(k, `(i32x4.trunc_sat_f64x2_s_zero ${lg(kd)})`),
    ls(idx, `(i32x4.shl (v128.and ${lg(k)} (v128.const i32x4 63 63 63 63)) (i32.const 3))`),
    // 2^(k >> 6) built from its exponent bits; k >> 6 stays within [-151, 128] in range.
    ls(out, `(f64x2.mul (f64x2.mul (f64x2.replace_lane 1 (f64x2.splat ${tableLoad(0)}) ${tableLoad(1)})
      (i64x2.shl (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.shr_s ${lg(k)} (i32.const 6))) (v128.const i64x2 1023 1023)) (i32.const 52))) ${lg(p)})`),
    ls(m, `(v128.not (v128.and (f64x2.gt ${lg(d)} ${d2(-104)}) (f64x2.lt ${lg(d)} ${d2(89)})))`),
    `(if (v128.any_true ${lg(m)}) (then
      (if (i32x4.extract_lane 0 ${lg(m)}) (then ${ls(out, `(f64x2.replace_lane 0 ${lg(out)} (call $mexp (f64x2.extract_lane 0 ${lg(d)})))`)}))
      (if (i32x4.extract_lane 2 ${lg(m)}) (then ${ls(out, `(f64x2.replace_lane 1 ${lg(out)} (call $mexp (f64x2.extract_lane 1 ${lg(d)})))`)}))))`,
  ].join('\n');
}

// expf on four float32 lanes: kernels/math.ts expf, operation for operation (same constants).
const EXPF_LOG2E = Math.fround(Math.LOG2E), EXPF_LN2_HI = 0.693359375, EXPF_LN2_LO = Math.fround(Math.LN2 - EXPF_LN2_HI);
const EXPF_POLY = [0.4999999403953552, 0.1666652113199234, 0.04166838899254799, 0.008368735201656818, 0.0013814560370519757];

/**
 * Statements computing expf of f32x4 local `x` into local `out`; declares its locals through
 * `locals`. `range` says what the lanes are known to hold, for the same bits in fewer steps:
 * - 'any': anything (the clamps and a two-step scale keep subnormal and overflowing results right);
 * - 'nonPositive': <= 0 or NaN, as softmax's x - max. There is no upper clamp, and with k <= 0,
 *   p * 2^(k + 64) is exact (normal) and rounds once when multiplied by 2^-64, as
 *   p * 2^k1 * 2^(k - k1) does; 2^(k + 64) is t's bits plus 191, shifted (t = 1.5 * 2^23 + k).
 *   Checked against 'any' over every float32 <= 0;
 * - 'moderate': within [-86, 0], as a softmax row whose values span less than 86. The result is
 *   normal, so p * 2^k is exact: no clamp, one scale.
 */
export function expF4(x, out, locals, range = 'any') {
  const u = uid++;
  const xc = range === 'moderate' ? x : `fx${u}`;
  const t = `ft${u}`, k = `fk${u}`, r1 = `fr${u}`, c = `fc${u}`, r = `fs${u}`, q = `fq${u}`, ki = `fi${u}`, k1 = `fj${u}`;
  locals.push(t, k, r1, c, r, q, ...(range === 'moderate' ? [] : [xc]), ...(range === 'any' ? [ki, k1] : []));
  const mul = (a, b) => `(f32x4.mul ${a} ${b})`, plus = (a, b) => `(f32x4.add ${a} ${b})`;
  const pow2 = (e, bias) => `(i32x4.shl (i32x4.add ${e} (v128.const i32x4 ${bias} ${bias} ${bias} ${bias})) (i32.const 23))`;
  let poly = f4(EXPF_POLY[4]);
  for (let i = 3; i >= 0; i--) poly = plus(f4(EXPF_POLY[i]), mul(lg(r), poly));
  const p = plus(f4(1), plus(lg(r1), plus(lg(c), mul(mul(lg(r), lg(r)), lg(q)))));
  const clamped = `(f32x4.pmax ${lg(x)} ${f4(-110)})`;
  const scale = {
    // 2^k: t's bits shifted (k in the exponent field, the rest shifted out) plus 1.0f's bits (127
    // << 23), the constant p already adds, so the loop keeps one register fewer
    moderate: () => [ls(out, mul(p, `(i32x4.add (i32x4.shl ${lg(t)} (i32.const 23)) ${f4(1)})`))],
    nonPositive: () => [ls(out, mul(mul(p, pow2(lg(t), 191)), f4(2 ** -64)))],
    any: () => [
      // k as an integer (sign-extended from t's low 22 bits), split in halves k1 + (k - k1)
      ls(ki, '(i32x4.shr_s (i32x4.shl ' + lg(t) + ' (i32.const 10)) (i32.const 10))'),
      ls(k1, `(i32x4.shr_s ${lg(ki)} (i32.const 1))`),
      ls(out, mul(mul(p, pow2(lg(k1), 127)), pow2(`(i32x4.sub ${lg(ki)} ${lg(k1)})`, 127))),
    ],
  }[range];
  return [
    // pmin / pmax: one instruction each on x64 (min / max are several); NaN stays NaN in both orders
    ...(range === 'moderate' ? [] : [ls(xc, range === 'nonPositive' ? clamped : `(f32x4.pmin ${clamped} ${f4(89)})`)]),
    // t = x log2(e) + 1.5 * 2^23 holds k in its low 22 mantissa bits; k = t - 1.5 * 2^23
    ls(t, plus(mul(lg(xc), f4(EXPF_LOG2E)), f4(12582912))),
    ls(k, `(f32x4.sub ${lg(t)} ${f4(12582912)})`),
    ls(r1, `(f32x4.sub ${lg(xc)} ${mul(lg(k), f4(EXPF_LN2_HI))})`),
    ls(c, mul(lg(k), f4(-EXPF_LN2_LO))),
    ls(r, plus(lg(r1), lg(c))),
    ls(q, poly),
    ...scale(),
  ].join('\n');
}

/** An f32x4 op computed in f64 lanes: `f(lo, hi, locals)` gives statements leaving results in locals named by it. */
function viaF64(v, r, locals, body) {
  const u = uid++;
  const a = `a${u}`, b = `b${u}`, ra = `ra${u}`, rb = `rb${u}`;
  locals.push(a, b, ra, rb);
  return [ls(a, lo2(lg(v))), ls(b, hi2(lg(v))), body(a, ra, locals), body(b, rb, locals), ls(r, join(lg(ra), lg(rb)))].join('\n');
}

// ------------------------------------------------------------------ op tables

/**
 * Unary ops with a SIMD path: statements reading f32x4 local `v` and writing f32x4 local `r`.
 * The scalar twin of each is the JS kernel's expression in kernels/elementwise.ts.
 */
const UNARY = {
  neg: (v, r) => ls(r, `(f32x4.neg ${lg(v)})`),
  abs: (v, r) => ls(r, `(f32x4.abs ${lg(v)})`),
  sqrt: (v, r) => ls(r, `(f32x4.sqrt ${lg(v)})`),
  square: (v, r) => ls(r, `(f32x4.mul ${lg(v)} ${lg(v)})`),
  reciprocal: (v, r) => ls(r, `(f32x4.div ${f4(1)} ${lg(v)})`),
  floor: (v, r) => ls(r, `(f32x4.floor ${lg(v)})`),
  ceil: (v, r) => ls(r, `(f32x4.ceil ${lg(v)})`),
  trunc: (v, r) => ls(r, `(f32x4.trunc ${lg(v)})`),
  round: (v, r) => ls(r, `(f32x4.nearest ${lg(v)})`),
  // v > 0 or NaN keeps v (NaN payload too), else +0.
  relu: (v, r) => ls(r, `(v128.and ${lg(v)} (v128.or (f32x4.gt ${lg(v)} ${f4(0)}) (f32x4.ne ${lg(v)} ${lg(v)})))`),
  exp: (v, r, L) => expF4(v, r, L),
  // 1 for v > 0, -1 for v < 0, else v itself (zeros keep their sign, NaN stays).
  sign: (v, r) => ls(r, `(v128.bitselect ${f4(1)} (v128.bitselect ${f4(-1)} ${lg(v)} (f32x4.lt ${lg(v)} ${f4(0)})) (f32x4.gt ${lg(v)} ${f4(0)}))`),
  // |x| < 2^-13: x (tanh(x) rounds to x there); else copysign(1 - 2 / (e^(2|x|) + 1), x), in f64.
  tanh: (v, r, L) => viaF64(v, r, L, (d, o, L2) => {
    const u = uid++, a = `ab${u}`, t = `tw${u}`;
    L2.push(a, t);
    return [ls(a, `(f64x2.abs ${lg(d)})`), ls(t, `(f64x2.add ${lg(a)} ${lg(a)})`), expD(t, o, L2),
      ls(o, `(f64x2.sub ${d2(1)} (f64x2.div ${d2(2)} (f64x2.add ${lg(o)} ${d2(1)})))`),
      ls(o, `(v128.bitselect ${lg(d)} (v128.or ${lg(o)} (v128.and ${lg(d)} ${d2(-0)})) (f64x2.lt ${lg(a)} ${d2(2 ** -13)}))`)].join('\n');
  }),
  // 1 / (1 + e^-x) and x / (1 + e^-x), in f64 then rounded once.
  sigmoid: (v, r, L) => viaF64(v, r, L, (d, o, L2) => {
    const n = `n${uid++}`;
    L2.push(n);
    return [ls(n, `(f64x2.neg ${lg(d)})`), expD(n, o, L2), ls(o, `(f64x2.div ${d2(1)} (f64x2.add ${d2(1)} ${lg(o)}))`)].join('\n');
  }),
  silu: (v, r, L) => viaF64(v, r, L, (d, o, L2) => {
    const n = `n${uid++}`;
    L2.push(n);
    return [ls(n, `(f64x2.neg ${lg(d)})`), expD(n, o, L2), ls(o, `(f64x2.div ${lg(d)} (f64x2.add ${d2(1)} ${lg(o)}))`)].join('\n');
  }),
};

/** Binary ops with a SIMD path: f32 arithmetic rounds exactly as JS's double op then fround. */
const BINARY = {
  add: 'f32x4.add', sub: 'f32x4.sub', mul: 'f32x4.mul', div: 'f32x4.div',
  // NaN propagates; max(-0, +0) = +0 and min(-0, +0) = -0, as Math.max / Math.min.
  maximum: 'f32x4.max', minimum: 'f32x4.min',
};

// ------------------------------------------------------------------ kernels

const fn = (name, params, result, locals, body) => {
  const ps = params.map((p) => `(param $${p} i32)`).join(' ');
  const res = result ? `(result ${result})` : '';
  const ls2 = [...new Set(locals)].map((l) => `(local $${l} v128)`).join(' ');
  return `(func $${name} (export "${name}") ${ps} ${res} ${ls2}\n${body})`;
};

/** Copies `n` (< 8) floats from `src` to `dst` (scalar), used for tails through the tail buffer. */
const copyN = (dst, src, n) => `(call $copy ${dst} ${src} ${n})`;

/** Unary kernel: o[i] = f(x[i]) for i < n; the tail goes through the scratch tail buffer. */
function unaryKernel(name, emit) {
  const L = ['v', 'r'];
  const body = emit('v', 'r', L);
  return fn(`un_${name}`, ['x', 'o', 'n'], null, L, `
  (block $done (loop $l
    (br_if $done (i32.lt_u ${lg('n')} ${i32(4)}))
    ${ls('v', `(v128.load ${lg('x')})`)}
    ${body}
    (v128.store ${lg('o')} ${lg('r')})
    ${ls('x', add(lg('x'), i32(16)))} ${ls('o', add(lg('o'), i32(16)))} ${ls('n', `(i32.sub ${lg('n')} ${i32(4)})`)}
    (br $l)))
  (if ${lg('n')} (then
    (v128.store ${sc(S_TAIL)} (v128.const i32x4 0 0 0 0))
    ${copyN(sc(S_TAIL), lg('x'), lg('n'))}
    ${ls('v', `(v128.load ${sc(S_TAIL)})`)}
    ${body}
    (v128.store ${sc(S_TAIL)} ${lg('r')})
    ${copyN(lg('o'), sc(S_TAIL), lg('n'))}))`);
}

/**
 * Binary kernel in three modes: 'vv' both operands advance, 'vs' / 'sv' the second / first is
 * one broadcast element (a row or column broadcast is a run of these per row).
 */
function binaryKernel(name, instr, mode) {
  const aStep = mode === 'sv' ? 0 : 16, bStep = mode === 'vs' ? 0 : 16;
  const load = (p, scalar) => (scalar ? `(v128.load32_splat ${lg(p)})` : `(v128.load ${lg(p)})`);
  const tailIn = (p, scalar, off) => scalar ? '' : `(v128.store ${sc(off)} (v128.const i32x4 0 0 0 0)) ${copyN(sc(off), lg(p), lg('n'))} ${ls(p === 'a' ? 'va' : 'vb', `(v128.load ${sc(off)})`)}`;
  return fn(`bin_${name}_${mode}`, ['a', 'b', 'o', 'n'], null, ['va', 'vb'], `
  ${aStep === 0 ? ls('va', load('a', true)) : ''}
  ${bStep === 0 ? ls('vb', load('b', true)) : ''}
  ;; a cache line (16 floats) per turn: 8-10% faster at memory bandwidth than one vector per turn
  (block $done16 (loop $l16
    (br_if $done16 (i32.lt_u ${lg('n')} ${i32(16)}))
    ${[0, 16, 32, 48].map((off) => `(v128.store offset=${off} ${lg('o')} (${instr} ${aStep ? `(v128.load offset=${off} ${lg('a')})` : lg('va')} ${bStep ? `(v128.load offset=${off} ${lg('b')})` : lg('vb')}))`).join('\n    ')}
    ${aStep ? ls('a', add(lg('a'), i32(64))) : ''} ${bStep ? ls('b', add(lg('b'), i32(64))) : ''}
    ${ls('o', add(lg('o'), i32(64)))} ${ls('n', `(i32.sub ${lg('n')} ${i32(16)})`)}
    (br $l16)))
  (block $done (loop $l
    (br_if $done (i32.lt_u ${lg('n')} ${i32(4)}))
    ${aStep ? ls('va', load('a', false)) : ''}
    ${bStep ? ls('vb', load('b', false)) : ''}
    (v128.store ${lg('o')} (${instr} ${lg('va')} ${lg('vb')}))
    ${aStep ? ls('a', add(lg('a'), i32(16))) : ''} ${bStep ? ls('b', add(lg('b'), i32(16))) : ''}
    ${ls('o', add(lg('o'), i32(16)))} ${ls('n', `(i32.sub ${lg('n')} ${i32(4)})`)}
    (br $l)))
  (if ${lg('n')} (then
    ${tailIn('a', aStep === 0, S_TAIL)}
    ${tailIn('b', bStep === 0, S_TAIL + 16)}
    (v128.store ${sc(S_TAIL + 32)} (${instr} ${lg('va')} ${lg('vb')}))
    ${copyN(lg('o'), sc(S_TAIL + 32), lg('n'))}))`);
}

/**
 * The canonical lane sum. Element i of a block goes to lane i % 8; lanes live in four f64x2
 * (l0 l1 | l2 l3 | l4 l5 | l6 l7) and combine as ((l0+l2)+(l4+l6)) + ((l1+l3)+(l5+l7)).
 * `step8(p)` gives statements adding 8 elements read from byte address expression p; the
 * block's last < 8 elements go through the tail buffer padded with `pad` (each pad adding 0).
 */
const laneInit = ['s0', 's1', 's2', 's3'].map((s) => ls(s, '(v128.const i64x2 0 0)')).join(' ');
const laneAdd = (v0, v1, v2, v3) => `${ls('s0', `(f64x2.add ${lg('s0')} ${v0})`)} ${ls('s1', `(f64x2.add ${lg('s1')} ${v1})`)} ${ls('s2', `(f64x2.add ${lg('s2')} ${v2})`)} ${ls('s3', `(f64x2.add ${lg('s3')} ${v3})`)}`;
const laneTotal = () => `(f64.add (f64x2.extract_lane 0 (local.tee $w (f64x2.add (f64x2.add ${lg('s0')} ${lg('s1')}) (f64x2.add ${lg('s2')} ${lg('s3')})))) (f64x2.extract_lane 1 ${lg('w')}))`;
const LANE_LOCALS = ['s0', 's1', 's2', 's3', 'w', 'p', 'q'];
/** Adds the 8 floats at local pointer `ptr` + `off` bytes to the lanes (through locals p, q). */
const laneAdd8 = (ptr, off = 0) => `${ls('p', `(v128.load offset=${off} ${lg(ptr)})`)} ${ls('q', `(v128.load offset=${off + 16} ${lg(ptr)})`)}
      ${laneAdd(lo2(lg('p')), hi2(lg('p')), lo2(lg('q')), hi2(lg('q')))}`;

/** Loop over a row in steps of 8 with a padded tail: `each(pExpr...)` statements per group. */
function groups8(ptrs, n, each, pads) {
  // ptrs: names of i32 params advanced by 32 bytes per group; pads: per pointer, f32 pad value.
  const adv = ptrs.map((p) => ls(p, add(lg(p), i32(32)))).join(' ');
  const tails = ptrs.map((p, i) => {
    const off = S_TAIL + 32 * i;
    return `(v128.store ${sc(off)} ${f4(pads[i])}) (v128.store ${sc(off + 16)} ${f4(pads[i])}) ${copyN(sc(off), lg(p), lg(n))} ${ls(p, sc(off))}`;
  }).join('\n');
  return `
  (block $gd (loop $gl
    (br_if $gd (i32.lt_u ${lg(n)} ${i32(8)}))
    ${each}
    ${adv} ${ls(n, `(i32.sub ${lg(n)} ${i32(8)})`)}
    (br $gl)))
  (if ${lg(n)} (then
    ${tails}
    ${each}))`;
}

/**
 * argmax_row / argmin_row(x, n) -> i32: the first index of the extreme, the first NaN winning.
 * Lane j keeps the first best of elements j, j + 4, ...; a chunk holding a NaN ends the scan;
 * lanes combine by value, then by smallest index.
 */
function argRow(name, cmp, pad) {
  const chunk = (ptr) => `
    ${ls('v', `(v128.load ${ptr})`)}
    (if (v128.any_true (f32x4.ne ${lg('v')} ${lg('v')})) (then
      ${[0, 1, 2, 3].map((j) => `(if (f32.ne (f32x4.extract_lane ${j} ${lg('v')}) (f32x4.extract_lane ${j} ${lg('v')})) (then (return (i32.add ${lg('i')} ${i32(j)}))))`).join(' ')}))
    ${ls('m', `(${cmp} ${lg('v')} ${lg('bv')})`)}
    ${ls('bv', `(v128.bitselect ${lg('v')} ${lg('bv')} ${lg('m')})`)}
    ${ls('bi', `(v128.bitselect ${lg('ci')} ${lg('bi')} ${lg('m')})`)}
    ${ls('ci', '(i32x4.add (local.get $ci) (v128.const i32x4 4 4 4 4))')}
    ${ls('i', add(lg('i'), i32(4)))}`;
  const better = cmp === 'f32x4.gt' ? 'f32.gt' : 'f32.lt';
  const combine = [1, 2, 3].map((j) => `
    ${ls('e', `(f32x4.extract_lane ${j} ${lg('bv')})`)} ${ls('k', `(i32x4.extract_lane ${j} ${lg('bi')})`)}
    (if (i32.or (${better} ${lg('e')} ${lg('best')}) (i32.and (f32.eq ${lg('e')} ${lg('best')}) (i32.lt_u ${lg('k')} ${lg('idx')})))
      (then ${ls('best', lg('e'))} ${ls('idx', lg('k'))}))`).join('');
  return `(func $${name} (export "${name}") (param $x i32) (param $n i32) (result i32)
  (local $v v128) (local $m v128) (local $bv v128) (local $bi v128) (local $ci v128) (local $i i32) (local $e f32) (local $best f32) (local $k i32) (local $idx i32)
  ${ls('bv', f4(pad))} ${ls('ci', '(v128.const i32x4 0 1 2 3)')}
  (block $d (loop $l
    (br_if $d (i32.lt_u (i32.sub ${lg('n')} ${lg('i')}) ${i32(4)}))
    ${chunk(lg('x'))}
    ${ls('x', add(lg('x'), i32(16)))}
    (br $l)))
  (if (i32.lt_u ${lg('i')} ${lg('n')}) (then
    (v128.store ${sc(S_TAIL)} ${f4(pad)})
    ${copyN(sc(S_TAIL), lg('x'), `(i32.sub ${lg('n')} ${lg('i')})`)}
    ${chunk(sc(S_TAIL))}))
  ${ls('best', `(f32x4.extract_lane 0 ${lg('bv')})`)} ${ls('idx', `(i32x4.extract_lane 0 ${lg('bi')})`)}
  ${combine}
  ${lg('idx')})`;
}

/** sum_row(x, n) -> f64: the row's sum, block by block (REDUCE_BLOCK), lanes inside a block. */
function sumRow() {
  return `(func $sum_row (export "sum_row") (param $x i32) (param $n i32) (result f64)
  (local $t f64) (local $m i32) ${LANE_LOCALS.map((l) => `(local $${l} v128)`).join(' ')}
  (block $done (loop $blocks
    (br_if $done (i32.eqz ${lg('n')}))
    ${ls('m', `(select ${i32(REDUCE_BLOCK)} ${lg('n')} (i32.gt_u ${lg('n')} ${i32(REDUCE_BLOCK)}))`)}
    ${ls('n', `(i32.sub ${lg('n')} ${lg('m')})`)}
    ${laneInit}
    ${groups8(['x'], 'm', laneAdd8('x'), [0])}
    ;; the tail pointed x into scratch: restore it past the block
    ${ls('t', `(f64.add ${lg('t')} ${laneTotal()})`)}
    (br $blocks)))
  ${lg('t')})`;
}

/** Folds v128 locals va, vb into the lane minima `lo` (softmax's row span). */
const loFold = () => ls('lo', `(f32x4.pmin (f32x4.pmin ${lg('lo')} ${lg('va')}) ${lg('vb')})`);
/**
 * Folds the last n (< 8) floats at `p` into `lo`. The tail pads neutral for the max are not for
 * the minimum: the tail is read again, padded with +inf.
 */
const loTail = (p, n) => `(v128.store ${sc(S_TAIL + 64)} ${f4(Infinity)}) (v128.store ${sc(S_TAIL + 80)} ${f4(Infinity)})
    ${copyN(sc(S_TAIL + 64), lg(p), lg(n))}
    ${ls('lo', `(f32x4.pmin (f32x4.pmin ${lg('lo')} (v128.load ${sc(S_TAIL + 64)})) (v128.load ${sc(S_TAIL + 80)}))`)}`;

/** Statements folding the four lanes of v128 local `v` with `instr` (pmax / pmin) into lane 0. */
const foldLanes = (v, instr) => [`(i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 ${lg(v)} ${lg(v)})`, `(i8x16.shuffle 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 ${lg(v)} ${lg(v)})`]
  .map((w) => ls(v, `(${instr} ${lg(v)} ${w})`)).join(' ');

/**
 * max_row / min_row(x, n) -> f32: NaN propagates; +0 beats -0 for max, -0 for min. With `low`,
 * the function also leaves the row's lane minima in global $rowlo (NaN lanes ignored; +inf for
 * none): softmax's shift reads both in one pass over the row.
 */
function extremeRow(name, instr, pad, zeroBits, low = false) {
  // pmax / pmin (one instruction each on x64; f32x4.max / min take several) find the value;
  // NaN and the sign of a zero result are tracked beside: any NaN gives NaN, and a zero result
  // is the winning zero (+0 for max, -0 for min) if any element is it, as f32x4.max / min give.
  const zero = `(v128.const i32x4 ${zeroBits} ${zeroBits} ${zeroBits} ${zeroBits})`;
  const take = (v) => `${ls('a', `(${instr} ${lg('a')} ${v})`)}`;
  const step = (pa, pb) => `${ls('va', `(v128.load ${pa})`)} ${ls('vb', `(v128.load ${pb})`)}
    ${ls('a', `(${instr} ${lg('a')} ${lg('va')})`)} ${ls('b', `(${instr} ${lg('b')} ${lg('vb')})`)}
    ${ls('nan', `(v128.or ${lg('nan')} (v128.or (f32x4.ne ${lg('va')} ${lg('va')}) (f32x4.ne ${lg('vb')} ${lg('vb')})))`)}
    ${ls('z', `(v128.or ${lg('z')} (v128.or (i32x4.eq ${lg('va')} ${zero}) (i32x4.eq ${lg('vb')} ${zero})))`)}
    ${low ? loFold() : ''}`;
  return `(func $${name} ${low ? '' : `(export "${name}")`} (param $x i32) (param $n i32) (result f32)
  (local $a v128) (local $b v128) (local $va v128) (local $vb v128) (local $nan v128) (local $z v128) (local $m f32) ${low ? '(local $lo v128)' : ''}
  ${ls('a', f4(pad))} ${ls('b', f4(pad))} ${low ? ls('lo', f4(Infinity)) : ''}
  (block $gd (loop $gl
    (br_if $gd (i32.lt_u ${lg('n')} ${i32(8)}))
    ${step(lg('x'), `(i32.add ${lg('x')} ${i32(16)})`)}
    ${ls('x', add(lg('x'), i32(32)))} ${ls('n', `(i32.sub ${lg('n')} ${i32(8)})`)}
    (br $gl)))
  (if ${lg('n')} (then
    ${low ? loTail('x', 'n') : ''}
    (v128.store ${sc(S_TAIL)} ${f4(pad)}) (v128.store ${sc(S_TAIL + 16)} ${f4(pad)})
    ${copyN(sc(S_TAIL), lg('x'), lg('n'))}
    ${step(sc(S_TAIL), sc(S_TAIL + 16))}))
  ${low ? `(global.set $rowlo ${lg('lo')})` : ''}
  ${take(lg('b'))}
  ${foldLanes('a', instr)}
  (if (v128.any_true ${lg('nan')}) (then (return (f32.const nan))))
  ${ls('m', `(f32x4.extract_lane 0 ${lg('a')})`)}
  (if (f32.eq ${lg('m')} (f32.const 0)) (then (return (select (f32.reinterpret_i32 ${i32(zeroBits)}) (f32.neg (f32.reinterpret_i32 ${i32(zeroBits)})) (v128.any_true ${lg('z')})))))
  ${lg('m')})`;
}

/**
 * col_sum(x, rs, rows, cols, o, div): o[c] = (sum over rows r of x[r * rs + c]) / div, for
 * contiguous columns; rows in REDUCE_BLOCK blocks, row i of a block into lane i % 8, lanes
 * combined as in the lane sum, per column. Lanes and totals live in scratch.
 */
function colSum() {
  const lanes = sc(S_LANES), totals = sc(S_LANES + 8 * COL_TILE * 8);
  const laneAt = (l, c8) => add(add(lanes, i32(l * COL_TILE * 8)), c8);
  return `(func $col_sum (export "col_sum") (param $x i32) (param $rs i32) (param $rows i32) (param $cols i32) (param $o i32) (param $div f64)
  (local $tc i32) (local $c i32) (local $r i32) (local $b i32) (local $be i32) (local $row i32) (local $lane i32) (local $v v128) (local $s f64)
  (block $tiles_done (loop $tiles
    (br_if $tiles_done (i32.eqz ${lg('cols')}))
    ${ls('tc', `(select ${i32(COL_TILE)} ${lg('cols')} (i32.gt_u ${lg('cols')} ${i32(COL_TILE)}))`)}
    (memory.fill ${totals} (i32.const 0) (i32.shl ${lg('tc')} (i32.const 3)))
    ${ls('b', i32(0))}
    (block $bd (loop $bl
      (br_if $bd (i32.ge_u ${lg('b')} ${lg('rows')}))
      ${ls('be', `(select (i32.add ${lg('b')} ${i32(REDUCE_BLOCK)}) ${lg('rows')} (i32.lt_u (i32.add ${lg('b')} ${i32(REDUCE_BLOCK)}) ${lg('rows')}))`)}
      (memory.fill ${lanes} (i32.const 0) ${i32(8 * COL_TILE * 8)})
      ${ls('r', lg('b'))}
      (block $rd (loop $rl
        (br_if $rd (i32.ge_u ${lg('r')} ${lg('be')}))
        ${ls('row', add(lg('x'), `(i32.mul ${lg('r')} ${lg('rs')})`))}
        ${ls('lane', add(lanes, `(i32.mul (i32.and (i32.sub ${lg('r')} ${lg('b')}) (i32.const 7)) ${i32(COL_TILE * 8)})`))}
        ${ls('c', i32(0))}
        (block $cd (loop $cl
          (br_if $cd (i32.gt_u (i32.add ${lg('c')} (i32.const 4)) ${lg('tc')}))
          ${ls('v', `(v128.load (i32.add ${lg('row')} (i32.shl ${lg('c')} (i32.const 2))))`)}
          (v128.store (i32.add ${lg('lane')} (i32.shl ${lg('c')} (i32.const 3))) (f64x2.add (v128.load (i32.add ${lg('lane')} (i32.shl ${lg('c')} (i32.const 3)))) ${lo2(lg('v'))}))
          (v128.store offset=16 (i32.add ${lg('lane')} (i32.shl ${lg('c')} (i32.const 3))) (f64x2.add (v128.load offset=16 (i32.add ${lg('lane')} (i32.shl ${lg('c')} (i32.const 3)))) ${hi2(lg('v'))}))
          ${ls('c', add(lg('c'), i32(4)))}
          (br $cl)))
        (block $sd (loop $sl
          (br_if $sd (i32.ge_u ${lg('c')} ${lg('tc')}))
          (f64.store (i32.add ${lg('lane')} (i32.shl ${lg('c')} (i32.const 3))) (f64.add (f64.load (i32.add ${lg('lane')} (i32.shl ${lg('c')} (i32.const 3)))) (f64.promote_f32 (f32.load (i32.add ${lg('row')} (i32.shl ${lg('c')} (i32.const 2)))))))
          ${ls('c', add(lg('c'), i32(1)))}
          (br $sl)))
        ${ls('r', add(lg('r'), i32(1)))}
        (br $rl)))
      ;; per column: ((l0+l2)+(l4+l6)) + ((l1+l3)+(l5+l7)) added to the column's total
      ${ls('c', i32(0))}
      (block $kd (loop $kl
        (br_if $kd (i32.ge_u ${lg('c')} ${lg('tc')}))
        ${ls('row', `(i32.shl ${lg('c')} (i32.const 3))`)}
        ${ls('s', `(f64.add (f64.add (f64.add (f64.load ${laneAt(0, lg('row'))}) (f64.load ${laneAt(2, lg('row'))})) (f64.add (f64.load ${laneAt(4, lg('row'))}) (f64.load ${laneAt(6, lg('row'))})))
          (f64.add (f64.add (f64.load ${laneAt(1, lg('row'))}) (f64.load ${laneAt(3, lg('row'))})) (f64.add (f64.load ${laneAt(5, lg('row'))}) (f64.load ${laneAt(7, lg('row'))}))))`)}
        (f64.store (i32.add ${totals} ${lg('row')}) (f64.add (f64.load (i32.add ${totals} ${lg('row')})) ${lg('s')}))
        ${ls('c', add(lg('c'), i32(1)))}
        (br $kl)))
      ${ls('b', lg('be'))}
      (br $bl)))
    ${ls('c', i32(0))}
    (block $od (loop $ol
      (br_if $od (i32.ge_u ${lg('c')} ${lg('tc')}))
      (f32.store (i32.add ${lg('o')} (i32.shl ${lg('c')} (i32.const 2))) (f32.demote_f64 (f64.div (f64.load (i32.add ${totals} (i32.shl ${lg('c')} (i32.const 3)))) ${lg('div')})))
      ${ls('c', add(lg('c'), i32(1)))}
      (br $ol)))
    ${ls('x', add(lg('x'), `(i32.shl ${lg('tc')} (i32.const 2))`))}
    ${ls('o', add(lg('o'), `(i32.shl ${lg('tc')} (i32.const 2))`))}
    ${ls('cols', `(i32.sub ${lg('cols')} ${lg('tc')})`)}
    (br $tiles)))
  )`;
}

/**
 * The row shift of softmax: the row max, or 0 where it is infinite (NaN stays NaN). Local $big
 * tells whether the max is +inf: only then can x - shift be positive. Local $mod tells whether
 * every x - shift lies in [-86, 0] (the row spans less than 86): then exps are normal numbers.
 */
const shiftOf = (m, lo) => `(local.set $sh (f64.promote_f32 ${lg(m)}))
  ${ls('big', `(f64.eq ${lg('sh')} (f64.const inf))`)}
  (if (f64.eq (f64.abs ${lg('sh')}) (f64.const inf)) (then ${ls('sh', '(f64.const 0)')}))
  ${ls('mod', `(i32x4.all_true (f32x4.ge (f32x4.sub ${lg(lo)} (f32x4.splat (f32.demote_f64 ${lg('sh')}))) ${f4(-86)}))`)}`;
/** `loop(range)` three times: expF4's cheapest range that holds for the row (see shiftOf). */
const byShift = (loop) => `(if ${lg('big')} (then ${loop('any')}) (else (if ${lg('mod')} (then ${loop('moderate')}) (else ${loop('nonPositive')}))))`;

/**
 * Fused rows, four kernels. softmax: e = expf(f32(x - shift)) stored, s = lane sum of e,
 * o = e * f32(1 / s) in f32. logSoftmax: s = lane sum of expf(f32(x - shift)) (f64), o = f32((x - shift) - log s).
 * softmax backward: dot = lane sum of g*y, o = f32(y * (g - dot)). logSoftmax backward:
 * S = lane sum of g, o = f32(g - exp(y) * S), its exp in f64 (g and exp(y) * S nearly cancel).
 * Other arithmetic in f64, as kernels/softmax.ts.
 */
function softmaxKernels() {
  // The 8 elements at x: y0, y1 = expf(f32(x - shift)), 4 lanes each.
  const expShifted = (L, range) => {
    const sh = `(f32x4.splat (f32.demote_f64 ${lg('sh')}))`;
    return `${ls('d0', `(f32x4.sub (v128.load ${lg('x')}) ${sh})`)} ${ls('d1', `(f32x4.sub (v128.load offset=16 ${lg('x')}) ${sh})`)}
      ${expF4('d0', 'y0', L, range)} ${expF4('d1', 'y1', L, range)}`;
  };
  const out = [];
  const decl = (L) => [...new Set(L)].map((l) => `(local $${l} v128)`).join(' ');
  // softmax_rows(xb, ob, n, rows, xs, os): `rows` rows of n, row r at xb + r * xs and ob + r * os
  // (bytes). Each row in three passes, the row staying in L1: o = expf(f32(x - shift)) four at a
  // time (one exp in flight keeps every value in registers; two spilled), the lane sum of o, then
  // o *= f32(1 / sum). The sum pass also finds the next row's max (the first row's comes from
  // max_lo_row), so that row's reads from memory overlap work instead of coming alone: 20-25%
  // faster over 4096 rows of 4096 than a max pass per row (with the 'moderate' exp below).
  {
    const L = [...LANE_LOCALS, 'sv', 'd0', 'y0', 'iv', 'a', 'b', 'va', 'vb', 'lo', 'nan'];
    const expStep = (src, dst, range) => `${ls('d0', `(f32x4.sub (v128.load ${src}) ${lg('sv')})`)} ${expF4('d0', 'y0', L, range)} (v128.store ${dst} ${lg('y0')})`;
    // The next row's max beside the sum pass: y walks the next row, folding into the max lanes
    // a, b, the minimum lanes lo and the NaN mask as max_lo_row does (the sign of a zero max
    // changes no exp, so it is not tracked).
    const maxStep = (off) => `${ls('va', `(v128.load offset=${off} ${lg('y')})`)} ${ls('vb', `(v128.load offset=${off + 16} ${lg('y')})`)}
    ${ls('a', `(f32x4.pmax ${lg('a')} ${lg('va')})`)} ${ls('b', `(f32x4.pmax ${lg('b')} ${lg('vb')})`)}
    ${loFold()}
    ${ls('nan', `(v128.or ${lg('nan')} (v128.or (f32x4.ne ${lg('va')} ${lg('va')}) (f32x4.ne ${lg('vb')} ${lg('vb')})))`)}`;
    // The rest of the next row (n < 16 elements at y): a group of 8, then the tail buffer, padded for max and minimum.
    const nextRest = `
    (if (i32.ge_u ${lg('n')} ${i32(8)}) (then ${maxStep(0)} ${ls('y', add(lg('y'), i32(32)))} ${ls('n', `(i32.sub ${lg('n')} ${i32(8)})`)}))
    (if ${lg('n')} (then
      ${loTail('y', 'n')}
      (v128.store ${sc(S_TAIL)} ${f4(-Infinity)}) (v128.store ${sc(S_TAIL + 16)} ${f4(-Infinity)}) ${copyN(sc(S_TAIL), lg('y'), lg('n'))}
      ${ls('y', sc(S_TAIL))} ${maxStep(0)}))
    ${ls('a', `(f32x4.pmax ${lg('a')} ${lg('b')})`)}
    ${foldLanes('a', 'f32x4.pmax')}
    ${ls('m', `(select (f32.const nan) (f32x4.extract_lane 0 ${lg('a')}) (v128.any_true ${lg('nan')}))`)}`;
    // The lane sum of the row at x, 16 elements per turn, then groups of 8 (the same lane order
    // as groups of 8 throughout); with `next`, the next row's max beside it.
    const sumPass = (next) => `
  ${next ? `${ls('y', add(lg('xb'), lg('xs')))} ${ls('a', f4(-Infinity))} ${ls('b', f4(-Infinity))} ${ls('lo', f4(Infinity))} ${ls('nan', '(v128.const i32x4 0 0 0 0)')}` : ''}
  (block $sd (loop $sl
    (br_if $sd (i32.lt_u ${lg('n')} ${i32(16)}))
    ${laneAdd8('x')} ${laneAdd8('x', 32)}
    ${next ? `${maxStep(0)} ${maxStep(32)} ${ls('y', add(lg('y'), i32(64)))}` : ''}
    ${ls('x', add(lg('x'), i32(64)))} ${ls('n', `(i32.sub ${lg('n')} ${i32(16)})`)}
    (br $sl)))
  ${ls('ny', lg('n'))}
  ${groups8(['x'], 'n', laneAdd8('x'), [0])}
  ${next ? `${ls('n', lg('ny'))} ${nextRest}` : ''}`;
    // Two steps per turn, one after the other (not interleaved: two exps in flight spilled): the
    // loop's own instructions count against about 30 per step (7% in L1).
    const expLoop = (range) => `
  (block $ed2 (loop $el2
    (br_if $ed2 (i32.lt_u ${lg('n')} ${i32(8)}))
    ${expStep(lg('x'), lg('o'), range)}
    ${expStep(`(i32.add ${lg('x')} ${i32(16)})`, `(i32.add ${lg('o')} ${i32(16)})`, range)}
    ${ls('x', add(lg('x'), i32(32)))} ${ls('o', add(lg('o'), i32(32)))} ${ls('n', `(i32.sub ${lg('n')} ${i32(8)})`)}
    (br $el2)))
  (block $ed (loop $el
    (br_if $ed (i32.lt_u ${lg('n')} ${i32(4)}))
    ${expStep(lg('x'), lg('o'), range)}
    ${ls('x', add(lg('x'), i32(16)))} ${ls('o', add(lg('o'), i32(16)))} ${ls('n', `(i32.sub ${lg('n')} ${i32(4)})`)}
    (br $el)))`;
    // o *= f32(1 / tot), a cache line per turn first (the loop's own instructions cost as much
    // as a one-vector body).
    const scaleAt = (off) => `(v128.store offset=${off} ${lg('o')} (f32x4.mul (v128.load offset=${off} ${lg('o')}) ${lg('iv')}))`;
    const scalePass = `
  ${ls('o', lg('ob'))} ${ls('n', lg('len'))} ${ls('inv', '(f32.demote_f64 (f64.div (f64.const 1) (local.get $tot)))')}
  ${ls('iv', `(f32x4.splat ${lg('inv')})`)}
  (block $dd4 (loop $dl4
    (br_if $dd4 (i32.lt_u ${lg('n')} ${i32(16)}))
    ${scaleAt(0)} ${scaleAt(16)} ${scaleAt(32)} ${scaleAt(48)}
    ${ls('o', add(lg('o'), i32(64)))} ${ls('n', `(i32.sub ${lg('n')} ${i32(16)})`)}
    (br $dl4)))
  (block $dd (loop $dl
    (br_if $dd (i32.lt_u ${lg('n')} ${i32(4)}))
    ${scaleAt(0)}
    ${ls('o', add(lg('o'), i32(16)))} ${ls('n', `(i32.sub ${lg('n')} ${i32(4)})`)}
    (br $dl)))
  (block $et (loop $etl
    (br_if $et (i32.eqz ${lg('n')}))
    (f32.store ${lg('o')} (f32.mul (f32.load ${lg('o')}) ${lg('inv')}))
    ${ls('o', add(lg('o'), i32(4)))} ${ls('n', `(i32.sub ${lg('n')} ${i32(1)})`)}
    (br $etl)))`;
    // before decl(L): these add locals
    const [loops, tailStep, lastSum, sumAndNext] = [byShift(expLoop), expStep(sc(S_TAIL), sc(S_TAIL + 32)), sumPass(false), sumPass(true)];
    out.push(`(func $softmax_rows (export "softmax_rows") (param $xb i32) (param $ob i32) (param $len i32) (param $rows i32) (param $xs i32) (param $os i32)
  (local $x i32) (local $o i32) (local $n i32) (local $y i32) (local $ny i32) (local $m f32) (local $sh f64) (local $big i32) (local $mod i32) (local $tot f64) (local $inv f32) ${decl(L)}
  (if (i32.eqz ${lg('rows')}) (then (return)))
  ${ls('m', `(call $max_lo_row ${lg('xb')} ${lg('len')})`)} ${ls('lo', '(global.get $rowlo)')}
  (loop $rowl
    ${shiftOf('m', 'lo')}
    ${ls('sv', `(f32x4.splat (f32.demote_f64 ${lg('sh')}))`)}
    ${ls('x', lg('xb'))} ${ls('o', lg('ob'))} ${ls('n', lg('len'))}
    ${loops}
    (if ${lg('n')} (then
      (v128.store ${sc(S_TAIL)} (v128.const i32x4 0 0 0 0)) ${copyN(sc(S_TAIL), lg('x'), lg('n'))}
      ${tailStep}
      ${copyN(lg('o'), sc(S_TAIL + 32), lg('n'))}))
    ${ls('x', lg('ob'))} ${ls('n', lg('len'))}
    ${laneInit}
    ${ls('rows', `(i32.sub ${lg('rows')} ${i32(1)})`)}
    (if ${lg('rows')} (then
      ${sumAndNext}
      ${ls('tot', laneTotal())}
      ${scalePass}
      ${ls('xb', add(lg('xb'), lg('xs')))} ${ls('ob', add(lg('ob'), lg('os')))}
      (br $rowl)))
    ${lastSum}
    ${ls('tot', laneTotal())}
    ${scalePass}))`);
  }
  // logsoftmax_row(x, o, n)
  {
    const L = [...LANE_LOCALS, 'd0', 'd1', 'y0', 'y1', 'lo'];
    const sh = `(f64x2.splat ${lg('sh')})`;
    const each = (range) => `${expShifted(L, range)}
      ${laneAdd(lo2(lg('y0')), hi2(lg('y0')), lo2(lg('y1')), hi2(lg('y1')))}`;
    const loops = byShift((range) => groups8(['x'], 'n', each(range), [-Infinity])); // before decl(L)
    out.push(`(func $logsoftmax_row (export "logsoftmax_row") (param $x i32) (param $o i32) (param $n i32)
  (local $m f32) (local $sh f64) (local $big i32) (local $mod i32) (local $lse f64) (local $x0 i32) (local $n0 i32) ${decl(L)}
  ${ls('m', `(call $max_lo_row ${lg('x')} ${lg('n')})`)} ${ls('lo', '(global.get $rowlo)')}
  ${shiftOf('m', 'lo')}
  ${ls('x0', lg('x'))} ${ls('n0', lg('n'))}
  ${laneInit}
  ${loops}
  ${ls('lse', `(call $mlog ${laneTotal()})`)}
  ${ls('x', lg('x0'))} ${ls('n', lg('n0'))}
  (block $dd (loop $dl
    (br_if $dd (i32.lt_u ${lg('n')} ${i32(4)}))
    ${ls('p', `(v128.load ${lg('x')})`)}
    (v128.store ${lg('o')} ${join(`(f64x2.sub (f64x2.sub ${lo2(lg('p'))} ${sh}) (f64x2.splat ${lg('lse')}))`, `(f64x2.sub (f64x2.sub ${hi2(lg('p'))} ${sh}) (f64x2.splat ${lg('lse')}))`)})
    ${ls('x', add(lg('x'), i32(16)))} ${ls('o', add(lg('o'), i32(16)))} ${ls('n', `(i32.sub ${lg('n')} ${i32(4)})`)}
    (br $dl)))
  (block $ed (loop $el
    (br_if $ed (i32.eqz ${lg('n')}))
    (f32.store ${lg('o')} (f32.demote_f64 (f64.sub (f64.sub (f64.promote_f32 (f32.load ${lg('x')})) ${lg('sh')}) ${lg('lse')})))
    ${ls('x', add(lg('x'), i32(4)))} ${ls('o', add(lg('o'), i32(4)))} ${ls('n', `(i32.sub ${lg('n')} ${i32(1)})`)}
    (br $el))))`);
  }
  // softmax_bwd_row(g, y, o, n): o = y * (g - sum(g * y))
  {
    const L = [...LANE_LOCALS, 'r', 'u'];
    const each = `${ls('p', `(v128.load ${lg('g')})`)} ${ls('q', `(v128.load ${lg('y')})`)}
      ${ls('r', `(v128.load offset=16 ${lg('g')})`)} ${ls('u', `(v128.load offset=16 ${lg('y')})`)}
      ${laneAdd(`(f64x2.mul ${lo2(lg('p'))} ${lo2(lg('q'))})`, `(f64x2.mul ${hi2(lg('p'))} ${hi2(lg('q'))})`, `(f64x2.mul ${lo2(lg('r'))} ${lo2(lg('u'))})`, `(f64x2.mul ${hi2(lg('r'))} ${hi2(lg('u'))})`)}`;
    const dot = `(f64x2.splat ${lg('dot')})`;
    out.push(`(func $softmax_bwd_row (export "softmax_bwd_row") (param $g i32) (param $y i32) (param $o i32) (param $n i32)
  (local $dot f64) (local $g0 i32) (local $y0 i32) (local $n0 i32) ${decl(L)}
  ${ls('g0', lg('g'))} ${ls('y0', lg('y'))} ${ls('n0', lg('n'))}
  ${laneInit}
  ${groups8(['g', 'y'], 'n', each, [0, 0])}
  ${ls('dot', laneTotal())}
  ${ls('g', lg('g0'))} ${ls('y', lg('y0'))} ${ls('n', lg('n0'))}
  (block $dd (loop $dl
    (br_if $dd (i32.lt_u ${lg('n')} ${i32(4)}))
    ${ls('p', `(v128.load ${lg('g')})`)} ${ls('q', `(v128.load ${lg('y')})`)}
    (v128.store ${lg('o')} ${join(`(f64x2.mul ${lo2(lg('q'))} (f64x2.sub ${lo2(lg('p'))} ${dot}))`, `(f64x2.mul ${hi2(lg('q'))} (f64x2.sub ${hi2(lg('p'))} ${dot}))`)})
    ${ls('g', add(lg('g'), i32(16)))} ${ls('y', add(lg('y'), i32(16)))} ${ls('o', add(lg('o'), i32(16)))} ${ls('n', `(i32.sub ${lg('n')} ${i32(4)})`)}
    (br $dl)))
  (block $ed (loop $el
    (br_if $ed (i32.eqz ${lg('n')}))
    (f32.store ${lg('o')} (f32.demote_f64 (f64.mul (f64.promote_f32 (f32.load ${lg('y')})) (f64.sub (f64.promote_f32 (f32.load ${lg('g')})) ${lg('dot')}))))
    ${ls('g', add(lg('g'), i32(4)))} ${ls('y', add(lg('y'), i32(4)))} ${ls('o', add(lg('o'), i32(4)))} ${ls('n', `(i32.sub ${lg('n')} ${i32(1)})`)}
    (br $el))))`);
  }
  // logsoftmax_bwd_row(g, y, o, n): o = g - exp(y) * sum(g)
  {
    const L = [...LANE_LOCALS, 'd0', 'd1', 'e0', 'e1'];
    const each = laneAdd8('g');
    const S = `(f64x2.splat ${lg('S')})`;
    const rest = `${ls('p', `(v128.load ${lg('g')})`)} ${ls('q', `(v128.load ${lg('y')})`)}
    ${ls('d0', lo2(lg('q')))} ${ls('d1', hi2(lg('q')))}
    ${expD('d0', 'e0', L)} ${expD('d1', 'e1', L)}
    (v128.store ${lg('o')} ${join(`(f64x2.sub ${lo2(lg('p'))} (f64x2.mul ${lg('e0')} ${S}))`, `(f64x2.sub ${hi2(lg('p'))} (f64x2.mul ${lg('e1')} ${S}))`)})`;
    out.push(`(func $logsoftmax_bwd_row (export "logsoftmax_bwd_row") (param $g i32) (param $y i32) (param $o i32) (param $n i32)
  (local $S f64) (local $g0 i32) (local $n0 i32) ${decl(L)}
  ${ls('g0', lg('g'))} ${ls('n0', lg('n'))}
  ${laneInit}
  ${groups8(['g'], 'n', each, [0])}
  ${ls('S', laneTotal())}
  ${ls('g', lg('g0'))} ${ls('n', lg('n0'))}
  (block $dd (loop $dl
    (br_if $dd (i32.lt_u ${lg('n')} ${i32(4)}))
    ${rest}
    ${ls('g', add(lg('g'), i32(16)))} ${ls('y', add(lg('y'), i32(16)))} ${ls('o', add(lg('o'), i32(16)))} ${ls('n', `(i32.sub ${lg('n')} ${i32(4)})`)}
    (br $dl)))
  (if ${lg('n')} (then
    (v128.store ${sc(S_TAIL)} (v128.const i32x4 0 0 0 0)) (v128.store ${sc(S_TAIL + 16)} (v128.const i32x4 0 0 0 0))
    ${copyN(sc(S_TAIL), lg('g'), lg('n'))} ${copyN(sc(S_TAIL + 16), lg('y'), lg('n'))}
    ${ls('t', lg('o'))} ${ls('g', sc(S_TAIL))} ${ls('y', sc(S_TAIL + 16))} ${ls('o', sc(S_TAIL + 32))}
    ${rest}
    ${copyN(lg('t'), sc(S_TAIL + 32), lg('n'))})))`.replace('(local $n0 i32)', '(local $n0 i32) (local $t i32)'));
  }
  return out.join('\n');
}

/**
 * Matmul: o[i, j] = sum over k in order of f32(a[i, k] * b[k, j]), accumulated in f32 from +0.
 * mm(o, ldo, a, am, ak, b, bk, bn, M, N, K): strides in bytes, o's columns contiguous. Blocks of
 * NC columns and KC depths; B is packed into NR-wide panels; an MR x NR micro-kernel keeps its
 * accumulators in registers across a KC block and in o (f32, exact) between blocks, so the
 * per-element order is k = 0, 1, ..., K-1 whatever the blocking. Full MR-row blocks of a
 * row-major A (ak = 4) are read in place, and so are those of a transposed A (am = 4) when the
 * block has at most IN_PLACE_AT_PANELS B panels; other A blocks are packed into an MR-tall panel
 * first (zero rows past M, so nothing reads past A's end).
 */
function matmul() {
  const accs = [];
  for (let r = 0; r < MR; r++) for (let h = 0; h < NR / 4; h++) accs.push(`c${r}_${h}`);
  /**
   * $name(pa, s, pb, kc, c, ldc, first): A's row r, depth k at pa + r * 4 + k * s (a packed panel:
   * s = MR * 4; a transposed A: s = ak), or with `rowPointers` at pa + r * s + k * 4 (a row-major A:
   * s = am), one pointer per row. Either way 8 accumulators, 2 B vectors, the broadcast A value
   * and the product stay in registers.
   */
  const micro = (name, rowPointers) => {
    const aAt = (r) => (rowPointers ? `(v128.load32_splat ${lg(`p${r}`)})` : `(v128.load32_splat offset=${r * 4} ${lg('pa')})`);
    const rowLocals = rowPointers ? Array.from({ length: MR - 1 }, (_, r) => `(local $p${r + 1} i32)`).join(' ') : '';
    const rowSetup = rowPointers ? `${ls('p0', lg('pa'))} ${Array.from({ length: MR - 1 }, (_, r) => ls(`p${r + 1}`, add(lg(`p${r}`), lg('s')))).join(' ')}` : '';
    const step = rowPointers ? Array.from({ length: MR }, (_, r) => ls(`p${r}`, add(lg(`p${r}`), i32(4)))).join(' ') : ls('pa', add(lg('pa'), lg('s')));
    // V8 (x64) zero-extends an index it cannot see come out of a 32-bit operation, once per load:
    // parameters are such indices, so the two pointers read from parameters are re-derived with
    // an add and a sub here, once per call. That drops two movl from the loop's 32 instructions
    // per k-step (its best went from 31 to 33-34 GFLOP/s from L1 in a scratch harness).
    const zext = (p) => ls(p, `(i32.sub ${add(lg(p), lg('kc'))} ${lg('kc')})`);
    return `(func $${name} (param $pa i32) (param $s i32) (param $pb i32) (param $kc i32) (param $c i32) (param $ldc i32) (param $first i32)
  (local $av v128) ${Array.from({ length: NR / 4 }, (_, h) => `(local $b${h} v128)`).join(' ')} ${accs.map((a) => `(local $${a} v128)`).join(' ')} ${rowPointers ? '(local $p0 i32)' : ''} ${rowLocals}
  ${zext('pa')} ${zext('pb')}
  ${rowSetup}
  (if (i32.eqz ${lg('first')}) (then
    ${accs.map((a) => { const [r, h] = a.slice(1).split('_').map(Number); return ls(a, `(v128.load offset=${h * 16} (i32.add ${lg('c')} (i32.mul ${lg('ldc')} ${i32(r)})))`); }).join('\n')}))
  (block $kd (loop $kl
    (br_if $kd (i32.eqz ${lg('kc')}))
    ${Array.from({ length: NR / 4 }, (_, h) => ls(`b${h}`, `(v128.load offset=${h * 16} ${lg('pb')})`)).join(' ')}
    ${Array.from({ length: MR }, (_, r) => `${ls('av', aAt(r))}
      ${Array.from({ length: NR / 4 }, (_, h) => ls(`c${r}_${h}`, `(f32x4.add ${lg(`c${r}_${h}`)} (f32x4.mul ${lg('av')} ${lg(`b${h}`)}))`)).join(' ')}`).join('\n')}
    ${step} ${ls('pb', add(lg('pb'), i32(NR * 4)))} ${ls('kc', `(i32.sub ${lg('kc')} (i32.const 1))`)}
    (br $kl)))
  ${accs.map((a) => { const [r, h] = a.slice(1).split('_').map(Number); return `(v128.store offset=${h * 16} (i32.add ${lg('c')} (i32.mul ${lg('ldc')} ${i32(r)})) ${lg(a)})`; }).join('\n')})`;
  };

  // pack_a(src, am, ak, mr, kc): PA[k * MR + r] = r < mr ? src[r * am + k * ak] : 0. A full block
  // of a transposed A (am = 4) copies one vector per k; other strides and edge blocks go element
  // by element (a full row-major block is never packed: the micro-kernel reads it in place).
  const packA = `(func $pack_a (param $src i32) (param $am i32) (param $ak i32) (param $mr i32) (param $kc i32)
  (local $d i32) (local $k i32) (local $r i32) (local $s i32)
  ${ls('d', sc(S_PA))}
  (if (i32.and (i32.eq ${lg('mr')} ${i32(MR)}) (i32.eq ${lg('am')} (i32.const 4)))
    (then (block $vd (loop $vl
      (br_if $vd (i32.ge_u ${lg('k')} ${lg('kc')}))
      (v128.store ${lg('d')} (v128.load (i32.add ${lg('src')} (i32.mul ${lg('k')} ${lg('ak')}))))
      ${ls('d', add(lg('d'), i32(16)))} ${ls('k', add(lg('k'), i32(1)))}
      (br $vl)))))
  (block $kd (loop $kl
    (br_if $kd (i32.ge_u ${lg('k')} ${lg('kc')}))
    ${ls('s', add(lg('src'), `(i32.mul ${lg('k')} ${lg('ak')})`))}
    ${ls('r', i32(0))}
    (block $rd (loop $rl
      (br_if $rd (i32.ge_u ${lg('r')} ${i32(MR)}))
      (f32.store ${lg('d')} (if (result f32) (i32.lt_u ${lg('r')} ${lg('mr')}) (then (f32.load ${lg('s')})) (else (f32.const 0))))
      ${ls('d', add(lg('d'), i32(4)))} ${ls('r', add(lg('r'), i32(1)))}
      ${ls('s', `(select (i32.add ${lg('s')} ${lg('am')}) ${lg('s')} (i32.lt_u ${lg('r')} ${lg('mr')}))`)}
      (br $rl)))
    ${ls('k', add(lg('k'), i32(1)))}
    (br $kl))))`;

  // pack_b(src, bk, bn, kc, nc): panel p, depth k, column c: src[k * bk + (p * NR + c) * bn] or 0
  const packB = `(func $pack_b (param $src i32) (param $bk i32) (param $bn i32) (param $kc i32) (param $nc i32)
  (local $d i32) (local $j i32) (local $k i32) (local $c i32) (local $s i32) (local $w i32)
  ${ls('d', sc(S_PB))}
  (block $jd (loop $jl
    (br_if $jd (i32.ge_u ${lg('j')} ${lg('nc')}))
    ${ls('w', `(i32.sub ${lg('nc')} ${lg('j')})`)}
    ${ls('k', i32(0))}
    (block $kd (loop $kl
      (br_if $kd (i32.ge_u ${lg('k')} ${lg('kc')}))
      ${ls('s', add(lg('src'), add(`(i32.mul ${lg('k')} ${lg('bk')})`, `(i32.mul ${lg('j')} ${lg('bn')})`)))}
      (if (i32.and (i32.eq ${lg('bn')} (i32.const 4)) (i32.ge_u ${lg('w')} ${i32(NR)}))
        (then ${Array.from({ length: NR / 4 }, (_, h) => `(v128.store offset=${h * 16} ${lg('d')} (v128.load offset=${h * 16} ${lg('s')}))`).join(' ')})
        (else
          ${ls('c', i32(0))}
          (block $cd (loop $cl
            (br_if $cd (i32.ge_u ${lg('c')} ${i32(NR)}))
            (f32.store (i32.add ${lg('d')} (i32.shl ${lg('c')} (i32.const 2)))
              (if (result f32) (i32.lt_u ${lg('c')} ${lg('w')}) (then (f32.load (i32.add ${lg('s')} (i32.mul ${lg('c')} ${lg('bn')})))) (else (f32.const 0))))
            ${ls('c', add(lg('c'), i32(1)))}
            (br $cl)))))
      ${ls('d', add(lg('d'), i32(NR * 4)))} ${ls('k', add(lg('k'), i32(1)))}
      (br $kl)))
    ${ls('j', add(lg('j'), i32(NR)))}
    (br $jl))))`;

  // copy_tile(dst, ldd, src, lds, mr, nr): mr x nr floats between a C tile and the edge tile
  const copyTile = `(func $copy_tile (param $dst i32) (param $ldd i32) (param $src i32) (param $lds i32) (param $mr i32) (param $nr i32)
  (block $rd (loop $rl
    (br_if $rd (i32.eqz ${lg('mr')}))
    (memory.copy ${lg('dst')} ${lg('src')} (i32.shl ${lg('nr')} (i32.const 2)))
    ${ls('dst', add(lg('dst'), lg('ldd')))} ${ls('src', add(lg('src'), lg('lds')))} ${ls('mr', `(i32.sub ${lg('mr')} (i32.const 1))`)}
    (br $rl))))`;

  const mm = `(func $mm (export "mm") (param $o i32) (param $ldo i32) (param $a i32) (param $am i32) (param $ak i32) (param $b i32) (param $bk i32) (param $bn i32) (param $M i32) (param $N i32) (param $K i32)
  (local $j0 i32) (local $nc i32) (local $k0 i32) (local $kc i32) (local $i0 i32) (local $mr i32) (local $jp i32) (local $nr i32) (local $cp i32) (local $pb i32) (local $first i32)
  (local $ap i32) (local $as i32) (local $rows i32) (local $edge i32) (local $ct i32) (local $ldc i32)
  (block $jd (loop $jl
    (br_if $jd (i32.ge_u ${lg('j0')} ${lg('N')}))
    ${ls('nc', `(select ${i32(NC)} (i32.sub ${lg('N')} ${lg('j0')}) (i32.gt_u (i32.sub ${lg('N')} ${lg('j0')}) ${i32(NC)}))`)}
    ${ls('k0', i32(0))}
    (block $kd (loop $kl
      (br_if $kd (i32.ge_u ${lg('k0')} ${lg('K')}))
      ${ls('kc', `(select ${i32(KC)} (i32.sub ${lg('K')} ${lg('k0')}) (i32.gt_u (i32.sub ${lg('K')} ${lg('k0')}) ${i32(KC)}))`)}
      ${ls('first', `(i32.eqz ${lg('k0')})`)}
      (call $pack_b (i32.add ${lg('b')} (i32.add (i32.mul ${lg('k0')} ${lg('bk')}) (i32.mul ${lg('j0')} ${lg('bn')}))) ${lg('bk')} ${lg('bn')} ${lg('kc')} ${lg('nc')})
      ${ls('i0', i32(0))}
      (block $id (loop $il
        (br_if $id (i32.ge_u ${lg('i0')} ${lg('M')}))
        ${ls('mr', `(select ${i32(MR)} (i32.sub ${lg('M')} ${lg('i0')}) (i32.gt_u (i32.sub ${lg('M')} ${lg('i0')}) ${i32(MR)}))`)}
        ${ls('ap', `(i32.add ${lg('a')} (i32.add (i32.mul ${lg('i0')} ${lg('am')}) (i32.mul ${lg('k0')} ${lg('ak')})))`)}
        ${ls('rows', '(i32.const 0)')}
        (if (i32.and (i32.and (i32.eq ${lg('mr')} ${i32(MR)}) (i32.eq ${lg('am')} (i32.const 4))) (i32.le_u ${lg('nc')} ${i32(IN_PLACE_AT_PANELS * NR)}))
          (then ${ls('as', lg('ak'))})
          (else (if (i32.and (i32.eq ${lg('mr')} ${i32(MR)}) (i32.eq ${lg('ak')} (i32.const 4)))
            (then ${ls('as', lg('am'))} ${ls('rows', '(i32.const 1)')})
            (else
              (call $pack_a ${lg('ap')} ${lg('am')} ${lg('ak')} ${lg('mr')} ${lg('kc')})
              ${ls('ap', sc(S_PA))} ${ls('as', i32(MR * 4))}))))
        ${ls('jp', i32(0))}
        (block $pd (loop $pl
          (br_if $pd (i32.ge_u ${lg('jp')} ${lg('nc')}))
          ${ls('nr', `(select ${i32(NR)} (i32.sub ${lg('nc')} ${lg('jp')}) (i32.gt_u (i32.sub ${lg('nc')} ${lg('jp')}) ${i32(NR)}))`)}
          ${ls('cp', add(lg('o'), add(`(i32.mul ${lg('i0')} ${lg('ldo')})`, `(i32.shl (i32.add ${lg('j0')} ${lg('jp')}) (i32.const 2))`)))}
          ${ls('pb', add(sc(S_PB), `(i32.shl (i32.mul ${lg('jp')} ${lg('kc')}) (i32.const 2))`))}
          ;; an edge tile (fewer than MR rows or NR columns) goes through the MR x NR edge buffer
          ${ls('edge', `(i32.or (i32.ne ${lg('mr')} ${i32(MR)}) (i32.ne ${lg('nr')} ${i32(NR)}))`)}
          ${ls('ct', `(select ${sc(S_CT)} ${lg('cp')} ${lg('edge')})`)} ${ls('ldc', `(select ${i32(NR * 4)} ${lg('ldo')} ${lg('edge')})`)}
          (if (i32.and ${lg('edge')} (i32.eqz ${lg('first')})) (then (call $copy_tile ${lg('ct')} ${lg('ldc')} ${lg('cp')} ${lg('ldo')} ${lg('mr')} ${lg('nr')})))
          (if ${lg('rows')}
            (then (call $micro_rows ${lg('ap')} ${lg('as')} ${lg('pb')} ${lg('kc')} ${lg('ct')} ${lg('ldc')} ${lg('first')}))
            (else (call $micro ${lg('ap')} ${lg('as')} ${lg('pb')} ${lg('kc')} ${lg('ct')} ${lg('ldc')} ${lg('first')})))
          (if ${lg('edge')} (then (call $copy_tile ${lg('cp')} ${lg('ldo')} ${lg('ct')} ${lg('ldc')} ${lg('mr')} ${lg('nr')})))
          ${ls('jp', add(lg('jp'), i32(NR)))}
          (br $pl)))
        ${ls('i0', add(lg('i0'), i32(MR)))}
        (br $il)))
      ${ls('k0', add(lg('k0'), lg('kc')))}
      (br $kl)))
    ${ls('j0', add(lg('j0'), lg('nc')))}
    (br $jl))))`;
  return [micro('micro', false), micro('micro_rows', true), packA, packB, copyTile, mm].join('\n');
}

// ------------------------------------------------------------------ module

/** The WAT text of one variant. */
export function wat(shared) {
  uid = 0;
  const parts = [
    '(module',
    `(import "env" "memory" (memory 1 ${shared ? '65536 shared' : ''}))`,
    '(import "env" "exp" (func $mexp (param f64) (result f64)))',
    '(import "env" "log" (func $mlog (param f64) (result f64)))',
    '(global $scratch (mut i32) (i32.const 0))',
    '(global $rowlo (mut v128) (v128.const i32x4 0 0 0 0))',
    '(func (export "init") (param $p i32) (global.set $scratch (local.get $p)))',
    // copy(dst, src, n): n floats, for tails
    '(func $copy (param $d i32) (param $s i32) (param $n i32) (memory.copy (local.get $d) (local.get $s) (i32.shl (local.get $n) (i32.const 2))))',
  ];
  for (const [name, emit] of Object.entries(UNARY)) parts.push(unaryKernel(name, emit));
  for (const [name, instr] of Object.entries(BINARY)) for (const mode of ['vv', 'vs', 'sv']) parts.push(binaryKernel(name, instr, mode));
  parts.push(extremeRow('max_row', 'f32x4.pmax', -Infinity, 0), extremeRow('min_row', 'f32x4.pmin', Infinity, 0x80000000));
  parts.push(extremeRow('max_lo_row', 'f32x4.pmax', -Infinity, 0, true));
  parts.push(argRow('argmax_row', 'f32x4.gt', -Infinity), argRow('argmin_row', 'f32x4.lt', Infinity));
  parts.push(sumRow(), colSum(), softmaxKernels(), matmul(), ')');
  return parts.join('\n');
}

/** Assembles both variants with wabt. */
export async function assemble() {
  const wabt = await (await import('wabt')).default();
  const build = (shared) => {
    const features = { simd: true, threads: true, bulk_memory: true, sat_float_to_int: true };
    const mod = wabt.parseWat(`kindling-kernels-${shared ? 'shared' : 'unshared'}.wat`, wat(shared), features);
    try {
      mod.validate(features);
      return Uint8Array.from(mod.toBinary({ write_debug_names: false }).buffer);
    } finally {
      mod.destroy();
    }
  };
  return { shared: build(true), unshared: build(false) };
}

/** The text of module.ts for the assembled bytes. */
export async function renderModule() {
  const { shared, unshared } = await assemble();
  const b64 = (u8) => Buffer.from(u8).toString('base64');
  return `// Generated by generate.mjs (pnpm gen:wasm in packages/core). Do not edit by hand.
/** The kernels' bytes (base64), importing a shared memory. */
export const WASM_SHARED_BASE64 = '${b64(shared)}';
/** The kernels' bytes (base64), importing an unshared memory. */
export const WASM_UNSHARED_BASE64 = '${b64(unshared)}';
/** Bytes of per-thread scratch the kernels use from the pointer given to installWasmKernels. */
export const WASM_SCRATCH_BYTES = ${SCRATCH_BYTES};
/** Byte offsets in the scratch of regions free between kernel calls (the warm-up puts its data there). */
export const WASM_SCRATCH_FREE = { packB: ${S_PB}, packBBytes: ${KC * NC * 4}, lanes: ${S_LANES}, lanesBytes: ${9 * COL_TILE * 8} } as const;
/** Unary ops with a SIMD path. */
export const WASM_UNARY_OPS = ${JSON.stringify(Object.keys(UNARY))} as const;
/** Binary ops with a SIMD path. */
export const WASM_BINARY_OPS = ${JSON.stringify(Object.keys(BINARY))} as const;
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const target = fileURLToPath(new URL('./module.ts', import.meta.url));
  writeFileSync(target, await renderModule());
  console.log(`wrote ${target}`);
}
