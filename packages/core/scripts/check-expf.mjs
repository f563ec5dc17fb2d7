// Checks expf (src/kernels/math.ts) against Math.exp over every float32 input, in a few minutes:
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
