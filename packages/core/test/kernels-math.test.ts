import { describe, expect, it } from 'vitest';
import { erf, expForFloat32, roundHalfEven, tanhForFloat32 } from '../src/kernels/index.js';
import { expf } from '../src/kernels/math.js';

describe('kernel math', () => {
  it('expForFloat32 rounds to the same float32 as Math.exp over the whole float32 range', () => {
    const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
    let checked = 0;
    for (let b = 0; b < 2 ** 32; b += 4093) {
      u32[0] = b;
      const x = f32[0]!;
      if (!(x > -110 && x < 95)) continue;
      checked++;
      const got = Math.fround(expForFloat32(x)), want = Math.fround(Math.exp(x));
      if (got !== want) expect({ x, got }).toEqual({ x, got: want });
    }
    expect(checked).toBeGreaterThan(500_000);
    for (const x of [NaN, Infinity, -Infinity, 0, -0, 88.7228, 88.73, -87.3365, -103.97, -104, 89]) {
      expect(Math.fround(expForFloat32(x))).toBe(Math.fround(Math.exp(x)));
    }
  });

  it('expf is within 0.9 ulp of e^x for normal results, and rounds once into subnormals, 0 and infinity', () => {
    const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
    let checked = 0, worst = 0, notFloat32 = 0, tinyOff = 0;
    for (let b = 0; b < 2 ** 32; b += 4093) {
      u32[0] = b;
      const x = f32[0]!;
      if (Number.isNaN(x)) continue;
      checked++;
      const got = expf(x), want = Math.exp(x);
      if (Math.fround(got) !== got) notFloat32++;
      if (Math.fround(want) === Infinity) {
        if (got !== Infinity) tinyOff++;
        continue;
      }
      if (want < 2 ** -126) {
        // subnormal or zero: within one subnormal step
        if (!(Math.abs(got - want) <= 2 ** -149)) tinyOff++;
        continue;
      }
      const ulp = 2 ** (Math.floor(Math.log2(want)) - 23);
      worst = Math.max(worst, Math.abs(got - want) / ulp);
    }
    expect(checked).toBeGreaterThan(1_000_000);
    expect({ notFloat32, tinyOff }).toEqual({ notFloat32: 0, tinyOff: 0 });
    expect(worst).toBeLessThanOrEqual(0.9); // 0.894 over every float32 (scripts/check-expf.mjs)
    expect(expf(0)).toBe(1);
    expect(expf(-0)).toBe(1);
    expect(expf(NaN)).toBeNaN();
    expect(expf(-Infinity)).toBe(0);
    expect(expf(Infinity)).toBe(Infinity);
    expect(expf(88.72)).toBe(Math.fround(Math.exp(88.72)));
    expect(expf(88.73)).toBe(Infinity);
    expect(expf(-103.9)).toBe(Math.fround(Math.exp(-103.9)));
    expect(expf(-104)).toBe(0);
  });

  it('tanhForFloat32 is within 1 ulp of Math.tanh (rounded to float32) over the float32 range', () => {
    const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
    const next = (v: number): number => { f32[0] = Math.abs(v); u32[0]! += 1; return f32[0]! - Math.abs(v); };
    let checked = 0;
    for (let b = 0; b < 2 ** 32; b += 4093) {
      u32[0] = b;
      const x = f32[0]!;
      if (Number.isNaN(x)) continue;
      checked++;
      const got = Math.fround(tanhForFloat32(x)), want = Math.fround(Math.tanh(x));
      if (got !== want && Math.abs(got - want) > next(want)) expect({ x, got }).toEqual({ x, got: want });
    }
    expect(checked).toBeGreaterThan(1_000_000);
    for (const x of [0, -0, Infinity, -Infinity, 1e-5, -1e-5, 0.5, -20]) expect(Object.is(Math.fround(tanhForFloat32(x)), Math.fround(Math.tanh(x)))).toBe(true);
    expect(tanhForFloat32(NaN)).toBeNaN();
  });

  it('erf to double precision at reference points', () => {
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(-1)).toBeCloseTo(-0.8427007929497149, 15);
    expect(erf(2.5)).toBeCloseTo(0.999593047982555, 15);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 15);
    expect(erf(Infinity)).toBe(1);
  });

  it('roundHalfEven rounds ties to even, like torch.round', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, 3]);
  });
});
