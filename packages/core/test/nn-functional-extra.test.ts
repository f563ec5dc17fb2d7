/**
 * The functionals added for the nn modules (convTranspose2d, interpolate, adaptive pools,
 * batchNorm, groupNorm, scaledDotProductAttention, the composite activations, huber / kl_div):
 * gradcheck and gradgradcheck in float64 (their values are checked against PyTorch through the
 * module cases in nn-modules.test.ts).
 */
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { gradcheck, gradgradcheck } from '../src/testing/index.js';

const F = torch.nn.functional;
const f64 = (shape: number[], seed: number): Tensor => {
  torch.manualSeed(seed);
  return torch.randn(shape, { dtype: 'float64' }).detach().requiresGrad_();
};
const both = (fn: (...a: never[]) => Tensor, inputs: unknown[]): void => {
  expect(gradcheck(fn, inputs)).toBe(true);
  expect(gradgradcheck(fn, inputs)).toBe(true);
};

describe('gradients of the new functionals (float64)', () => {
  it('convTranspose2d', () => {
    both((x: Tensor, w: Tensor, b: Tensor) => F.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }), [f64([1, 2, 2, 2], 1), f64([2, 1, 3, 3], 2), f64([1], 3)]);
  }, 30000);
  it('interpolate bilinear and nearest', () => {
    both((x: Tensor) => F.interpolate(x, { size: [3, 4], mode: 'bilinear' }), [f64([1, 1, 2, 3], 4)]);
    both((x: Tensor) => F.interpolate(x, { scaleFactor: 2 }), [f64([1, 1, 2, 2], 5)]);
  }, 30000);
  it('adaptive pools', () => {
    both((x: Tensor) => F.adaptiveAvgPool2d(x, [2, 2]), [f64([1, 1, 3, 3], 6)]);
    expect(gradcheck((x: Tensor) => F.adaptiveMaxPool2d(x, [2, 2]), [f64([1, 1, 3, 3], 7)])).toBe(true);
  }, 30000);
  it('batchNorm (training) and groupNorm', () => {
    both((x: Tensor, w: Tensor, b: Tensor) => F.batchNorm(x, null, null, w, b, true), [f64([4, 2], 8), f64([2], 9), f64([2], 10)]);
    both((x: Tensor, w: Tensor) => F.groupNorm(x, 2, w), [f64([2, 4, 2], 11), f64([4], 12)]);
  }, 30000);
  it('scaledDotProductAttention', () => {
    both((q: Tensor, k: Tensor, v: Tensor) => F.scaledDotProductAttention(q, k, v, { isCausal: true }), [f64([2, 3], 13), f64([3, 3], 14), f64([3, 2], 15)]);
  }, 30000);
  it('composite activations and losses', () => {
    const x = f64([5], 16);
    for (const fn of [F.mish, F.selu, F.celu, F.softsign, F.hardswish, F.tanhshrink, (t: Tensor) => F.glu(t.view(5, 1).expand(5, 2).reshape(10))]) {
      expect(gradcheck(fn as (t: Tensor) => Tensor, [x])).toBe(true);
    }
    both((a: Tensor, b: Tensor) => F.huberLoss(a, b, { delta: 0.5 }), [f64([4], 17), f64([4], 18)]);
    both((a: Tensor) => F.klDiv(a.logSoftmax(0), torch.tensor([0.1, 0.2, 0.3, 0.4], { dtype: 'float64' }), { reduction: 'batchmean' }), [f64([4], 19)]);
  }, 30000);
});
