// Checks expf (src/kernels/math.ts) against Math.exp over every float32 input, in a few minutes,
// and the wasm kernels' shorter forms (x <= 0, x in [-86, 0]) against their general one:
//   npx tsc -b && node scripts/check-expf.mjs   (in packages/core)
// Prints the largest error in ulps over the normal results, and the count of subnormal or
// overflowing results that are not within one subnormal step / not infinite when they should be.
import { expf } from '../dist/kernels/math.js';

const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
let worst = 0, worstAt = 0, checked = 0, tinyOff = 0;
for (let bits = 0; bits < 2 ** 32; bits++) {
  u32[0] = bits;
  const x = f32[0];
  if (Number.isNaN(x)) continue;
  const got = expf(x), want = Math.exp(x);
  checked++;
  if (Math.fround(want) === Infinity) {
    if (got !== Infinity) tinyOff++;
  } else if (want < 2 ** -126) {
    if (!(Math.abs(got - want) <= 2 ** -149)) tinyOff++;
  } else {
    const ulps = Math.abs(got - want) / 2 ** (Math.floor(Math.log2(want)) - 23);
    if (ulps > worst) [worst, worstAt] = [ulps, x];
  }
}
console.log(`expf: ${checked} float32 inputs; largest error ${worst} ulp (at x = ${worstAt}); subnormal or overflow results off: ${tinyOff}`);

// The wasm kernels' expf for lanes known to be <= 0 (softmax's x - max) takes fewer steps than the
// general one, and fewer again for lanes known to lie in [-86, 0]; each must give the same bits as
// the general form over its domain: every float32 <= 0 (NaN included), and every float32 in [-86, 0].
{
  const { expF4 } = await import('../src/kernels/wasm/generate.mjs');
  const wabt = await (await import('wabt')).default();
  const kernel = (range) => {
    const L = ['v', 'r'], body = expF4('v', 'r', L, range);
    return `(func (export "${range}") (param $x i32) (param $o i32) (param $n i32) ${[...new Set(L)].map((l) => `(local $${l} v128)`).join(' ')}
      (loop $l (local.set $v (v128.load (local.get $x))) ${body} (v128.store (local.get $o) (local.get $r))
        (local.set $x (i32.add (local.get $x) (i32.const 16))) (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 4))))))`;
  };
  const features = { simd: true };
  const mod = wabt.parseWat('expf.wat', `(module (import "env" "memory" (memory 1)) ${kernel('any')} ${kernel('nonPositive')} ${kernel('moderate')})`, features);
  const N = 1 << 22, memory = new WebAssembly.Memory({ initial: (16 * N) / 65536 });
  const e = new WebAssembly.Instance(new WebAssembly.Module(mod.toBinary({}).buffer), { env: { memory } }).exports;
  const x = new Uint32Array(memory.buffer, 0, N), a = new Uint32Array(memory.buffer, 4 * N, N), b = new Uint32Array(memory.buffer, 8 * N, N), c = new Uint32Array(memory.buffer, 12 * N, N);
  const minus86 = 0xc2ac0000; // the bits of -86: sign-set floats at or below these bits lie in [-86, -0]
  let differ = 0, differModerate = 0, moderate = 0;
  for (let base = 0x80000000; base < 2 ** 32; base += N) { // every float32 with the sign bit set
    for (let i = 0; i < N; i++) x[i] = base + i;
    e.any(0, 4 * N, N);
    e.nonPositive(0, 8 * N, N);
    if (base <= minus86) e.moderate(0, 12 * N, N);
    for (let i = 0; i < N; i++) {
      if (a[i] !== b[i]) differ++;
      if (base + i <= minus86) { moderate++; if (a[i] !== c[i]) differModerate++; }
    }
  }
  x[0] = 0; // +0
  e.any(0, 4 * N, 4); e.nonPositive(0, 8 * N, 4); e.moderate(0, 12 * N, 4);
  if (a[0] !== b[0]) differ++;
  if (a[0] !== c[0]) differModerate++;
  console.log(`wasm expf for x <= 0: ${2 ** 31 + 1} inputs; results differing from the general form: ${differ}`);
  console.log(`wasm expf for x in [-86, 0]: ${moderate + 1} inputs; results differing from the general form: ${differModerate}`);
}
