/**
 * torch.nn.functional: activations, losses, linear, layerNorm, embedding, dropout: values,
 * PyTorch's arguments and errors, node names, gradcheck and gradgradcheck in float64.
 */
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { gradcheck, gradgradcheck } from '../src/testing/index.js';

const F = torch.nn.functional;

const f64 = (shape: number[], seed = 0, scale = 1): Tensor => {
  torch.manualSeed(seed);
  return torch.randn(shape, { dtype: 'float64' }).mul(scale).detach().requiresGrad_();
};

const close = (t: Tensor, want: number[], tol = 1e-6): void => {
  const got = Array.from(t.dataSync());
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => expect(Math.abs(v - want[i]!), `element ${i}: ${v} vs ${want[i]}`).toBeLessThan(tol));
};

const both = (fn: (...a: never[]) => Tensor, inputs: unknown[]): void => {
  expect(gradcheck(fn, inputs)).toBe(true);
  expect(gradgradcheck(fn, inputs)).toBe(true);
};

describe('namespaces', () => {
  it('torch.nn.functional is torch.F', () => {
    expect(torch.nn.functional).toBe(torch.F);
    expect(typeof F.crossEntropy).toBe('function');
  });
});

describe('activations', () => {
  const x = torch.tensor([-2, -0.5, 0.5, 3], { dtype: 'float64' });
  it('values', () => {
    close(F.relu(x), [0, 0, 0.5, 3]);
    close(F.leakyRelu(x), [-0.02, -0.005, 0.5, 3], 1e-12);
    close(F.leakyRelu(x, 0.2), [-0.4, -0.1, 0.5, 3], 1e-12);
    close(F.leakyRelu(x, { negativeSlope: 0.2 }), [-0.4, -0.1, 0.5, 3], 1e-12);
    close(F.elu(x), [Math.expm1(-2), Math.expm1(-0.5), 0.5, 3], 1e-12);
    close(F.elu(x, { alpha: 0.5 }), [0.5 * Math.expm1(-2), 0.5 * Math.expm1(-0.5), 0.5, 3], 1e-12);
    close(F.softplus(x), [-2, -0.5, 0.5, 3].map((v) => Math.log1p(Math.exp(v))), 1e-12);
    close(F.softplus(x, { beta: 2, threshold: 5 }), [Math.log1p(Math.exp(-4)) / 2, Math.log1p(Math.exp(-1)) / 2, Math.log1p(Math.exp(1)) / 2, 3], 1e-12);
    close(F.silu(x), [-2, -0.5, 0.5, 3].map((v) => v / (1 + Math.exp(-v))), 1e-12);
    close(F.sigmoid(x), [-2, -0.5, 0.5, 3].map((v) => 1 / (1 + Math.exp(-v))), 1e-12);
    close(F.tanh(x), [-2, -0.5, 0.5, 3].map(Math.tanh), 1e-12);
    close(F.logsigmoid(torch.tensor([-800, 0, 800], { dtype: 'float64' })), [-800, -Math.log(2), 0], 1e-12);
    close(F.gelu(x, { approximate: 'tanh' }), [-2, -0.5, 0.5, 3].map((v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))), 1e-12);
  });

  it('node names', () => {
    const a = f64([3]);
    expect(F.softplus(a).gradFn?.name()).toBe('SoftplusBackward0');
    expect(F.elu(a).gradFn?.name()).toBe('EluBackward0');
    expect(F.leakyRelu(a).gradFn?.name()).toBe('LeakyReluBackward0');
    expect(F.silu(a).gradFn?.name()).toBe('SiluBackward0');
    expect(F.gelu(a).gradFn?.name()).toBe('GeluBackward0');
    expect(F.logsigmoid(a).gradFn?.name()).toBe('LogSigmoidBackward0');
  });

  it('inplace forms write into the input and keep gradients right', () => {
    const a = f64([5], 2);
    const b = a.mul(1);
    const r = F.leakyRelu(b, 0.1, true);
    expect(r).toBe(b);
    expect(b.gradFn?.name()).toBe('LeakyReluBackward1');
    r.sum().backward();
    const av = Array.from(a.detach().dataSync());
    expect(Array.from(a.grad!.dataSync())).toEqual(av.map((v) => (v > 0 ? 1 : 0.1)));
    const c = torch.tensor([-1, 2]);
    F.relu(c, { inplace: true });
    expect(c.tolist()).toEqual([0, 2]);
    const leaf = f64([2]);
    expect(() => F.elu(leaf, 1, true)).toThrow('a leaf Variable that requires grad is being used in an in-place operation.');
  });

  it('gradcheck and gradgradcheck', () => {
    const a = f64([2, 3], 1, 2);
    both((t: Tensor) => F.softplus(t), [a]);
    both((t: Tensor) => F.softplus(t, 2, 1), [a]);
    both((t: Tensor) => F.elu(t, 0.7), [a]);
    both((t: Tensor) => F.leakyRelu(t, 0.3), [a]);
    both((t: Tensor) => F.silu(t), [a]);
    both((t: Tensor) => F.gelu(t), [a]);
    both((t: Tensor) => F.gelu(t, { approximate: 'tanh' }), [a]);
    both((t: Tensor) => F.logsigmoid(t), [a]);
  });
});

describe('regression losses', () => {
  const x = torch.tensor([[0.5, -1], [2, 0]], { dtype: 'float64' });
  const y = torch.tensor([[0, 1], [2.25, 3]], { dtype: 'float64' });
  it('mse / l1 / smoothL1 values and reductions', () => {
    close(F.mseLoss(x, y, { reduction: 'none' }), [0.25, 4, 0.0625, 9], 1e-12);
    close(F.mseLoss(x, y), [13.3125 / 4], 1e-12);
    close(F.mseLoss(x, y, { reduction: 'sum' }), [13.3125], 1e-12);
    close(F.l1Loss(x, y, { reduction: 'none' }), [0.5, 2, 0.25, 3], 1e-12);
    close(F.l1Loss(x, y), [5.75 / 4], 1e-12);
    close(F.smoothL1Loss(x, y, { reduction: 'none' }), [0.125, 1.5, 0.03125, 2.5], 1e-12);
    close(F.smoothL1Loss(x, y, { reduction: 'none', beta: 0.5 }), [0.25, 1.75, 0.0625, 2.75], 1e-12);
    close(F.smoothL1Loss(x, y, { beta: 0 }), [5.75 / 4], 1e-12);
  });

  it('node names and errors', () => {
    const a = f64([3]), b = f64([3], 1);
    expect(F.mseLoss(a, b).gradFn?.name()).toBe('MseLossBackward0');
    expect(F.l1Loss(a, b).gradFn?.name()).toBe('MeanBackward0');
    expect(F.smoothL1Loss(a, b, { reduction: 'sum' }).gradFn?.name()).toBe('SmoothL1LossBackward0');
    expect(() => F.mseLoss(a, b, { reduction: 'avg' as never })).toThrow('avg is not a valid value for reduction');
  });

  it('gradcheck and gradgradcheck (input and target)', () => {
    const a = f64([2, 3], 3), b = f64([2, 3], 4);
    for (const reduction of ['none', 'mean', 'sum'] as const) {
      both((p: Tensor, q: Tensor) => F.mseLoss(p, q, { reduction }), [a, b]);
      both((p: Tensor, q: Tensor) => F.smoothL1Loss(p, q, { reduction, beta: 0.8 }), [a, b]);
      expect(gradcheck((p: Tensor, q: Tensor) => F.l1Loss(p, q, { reduction }), [a, b])).toBe(true);
    }
  });
});

describe('binary cross entropy', () => {
  const p = torch.tensor([0.2, 0.9, 0.5], { dtype: 'float64' });
  const t = torch.tensor([0, 1, 0.3], { dtype: 'float64' });
  const bce = (pi: number, ti: number): number => -(ti * Math.log(pi) + (1 - ti) * Math.log(1 - pi));
  it('values, weight, and the -100 log clamp', () => {
    close(F.binaryCrossEntropy(p, t, { reduction: 'none' }), [bce(0.2, 0), bce(0.9, 1), bce(0.5, 0.3)], 1e-12);
    close(F.binaryCrossEntropy(p, t, torch.tensor([1, 2, 3], { dtype: 'float64' }), { reduction: 'sum' }), [bce(0.2, 0) + 2 * bce(0.9, 1) + 3 * bce(0.5, 0.3)], 1e-12);
    close(F.binaryCrossEntropy(torch.tensor([0, 1]), torch.tensor([1, 0]), { reduction: 'none' }), [100, 100]);
  });

  it('with logits: values, posWeight, large logits', () => {
    const z = torch.tensor([-1, 2, 0], { dtype: 'float64' });
    const sig = (v: number): number => 1 / (1 + Math.exp(-v));
    close(F.binaryCrossEntropyWithLogits(z, t, { reduction: 'none' }), [-1, 2, 0].map((v, i) => bce(sig(v), [0, 1, 0.3][i]!)), 1e-12);
    const pw = torch.tensor([2, 3, 4], { dtype: 'float64' });
    const want = [-1, 2, 0].map((v, i) => {
      const ti = [0, 1, 0.3][i]!, w = [2, 3, 4][i]!;
      return -(w * ti * Math.log(sig(v)) + (1 - ti) * Math.log(1 - sig(v)));
    });
    close(F.binaryCrossEntropyWithLogits(z, t, { reduction: 'none', posWeight: pw }), want, 1e-12);
    close(F.binaryCrossEntropyWithLogits(torch.tensor([200, -200]), torch.tensor([0, 1]), { reduction: 'none' }), [200, 200]);
  });

  it('errors', () => {
    expect(() => F.binaryCrossEntropy(torch.tensor([1.5]), torch.tensor([1]))).toThrow('all elements of input should be between 0 and 1');
    expect(() => F.binaryCrossEntropy(torch.tensor([0.5, 0.5]), torch.tensor([1]))).toThrow('Using a target size (torch.Size([1])) that is different to the input size (torch.Size([2])) is deprecated.');
    expect(() => F.binaryCrossEntropyWithLogits(torch.tensor([0.5, 0.5]), torch.tensor([1]))).toThrow('Target size (torch.Size([1])) must be the same as input size (torch.Size([2]))');
  });

  it('gradcheck and gradgradcheck', () => {
    torch.manualSeed(7);
    const pr = torch.rand([2, 3], { dtype: 'float64' }).mul(0.8).add(0.1).requiresGrad_();
    const tr = torch.rand([2, 3], { dtype: 'float64' }).requiresGrad_();
    const w = torch.rand([3], { dtype: 'float64' });
    for (const reduction of ['none', 'mean', 'sum'] as const) {
      both((a: Tensor, b: Tensor) => F.binaryCrossEntropy(a, b, w, { reduction }), [pr, tr]);
      both((a: Tensor, b: Tensor) => F.binaryCrossEntropyWithLogits(a, b, { reduction }), [pr.detach().mul(4).sub(2).requiresGrad_(), tr]);
    }
    both((a: Tensor, b: Tensor) => F.binaryCrossEntropyWithLogits(a, b, w, { posWeight: w.add(1) }), [pr, tr]);
  });
});

describe('nll / cross entropy', () => {
  const logits = torch.tensor([[1, 2, 0.5], [0, -1, 3]], { dtype: 'float64' });
  const target = torch.tensor([1, 2], { dtype: 'int64' });
  const lsm = (row: number[]): number[] => {
    const m = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
    return row.map((v) => v - m);
  };
  const l0 = lsm([1, 2, 0.5]), l1 = lsm([0, -1, 3]);

  it('class-index targets: reductions, weight, ignoreIndex', () => {
    close(F.crossEntropy(logits, target, { reduction: 'none' }), [-l0[1]!, -l1[2]!], 1e-12);
    close(F.crossEntropy(logits, target), [(-l0[1]! - l1[2]!) / 2], 1e-12);
    const w = torch.tensor([1, 2, 3], { dtype: 'float64' });
    close(F.crossEntropy(logits, target, w), [(-2 * l0[1]! - 3 * l1[2]!) / 5], 1e-12);
    close(F.crossEntropy(logits, target, { weight: w, reduction: 'sum' }), [-2 * l0[1]! - 3 * l1[2]!], 1e-12);
    close(F.crossEntropy(logits, target, { ignoreIndex: 2 }), [-l0[1]!], 1e-12);
    close(F.nllLoss(logits, target, { reduction: 'none' }), [-2, -3], 1e-12);
  });

  it('label smoothing and probability targets', () => {
    const s = 0.1;
    const smooth = (l: number[], k: number): number => (1 - s) * -l[k]! + (s / 3) * -l.reduce((a, b) => a + b, 0);
    close(F.crossEntropy(logits, target, { labelSmoothing: s }), [(smooth(l0, 1) + smooth(l1, 2)) / 2], 1e-12);
    const probs = torch.tensor([[0.2, 0.8, 0], [0.5, 0, 0.5]], { dtype: 'float64' });
    close(F.crossEntropy(logits, probs, { reduction: 'none' }), [-(0.2 * l0[0]! + 0.8 * l0[1]!), -(0.5 * l1[0]! + 0.5 * l1[2]!)], 1e-12);
  });

  it('unbatched and spatial inputs', () => {
    close(F.crossEntropy(torch.tensor([1, 2, 0.5], { dtype: 'float64' }), torch.tensor(1, { dtype: 'int64' })), [-l0[1]!], 1e-12);
    const x = f64([2, 3, 4], 5), t = torch.tensor([[0, 1, 2, 1], [2, 2, 0, 1]], { dtype: 'int64' });
    const flat = F.crossEntropy(x.permute(0, 2, 1).reshape(8, 3), t.reshape(8), { reduction: 'none' });
    close(F.crossEntropy(x, t, { reduction: 'none' }).reshape(8), Array.from(flat.dataSync()), 1e-12);
    expect(F.crossEntropy(x, t).gradFn?.name()).toBe('NllLoss2DBackward0');
    expect(F.crossEntropy(x, t, { reduction: 'none' }).gradFn?.name()).toBe('ViewBackward0');
    expect(F.crossEntropy(logits.requiresGrad_(), target).gradFn?.name()).toBe('NllLossBackward0');
  });

  it("errors: PyTorch's texts", () => {
    let err: unknown;
    try { F.crossEntropy(torch.zeros([3, 4]), torch.tensor([1, 1, 4], { dtype: 'int64' })); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(torch.IndexError);
    expect((err as Error).message).toBe('Target 4 is out of bounds.');
    expect(() => F.nllLoss(torch.zeros([3, 4]), torch.tensor([1, 1], { dtype: 'int64' }))).toThrow('Expected input batch_size (3) to match target batch_size (2).');
    expect(() => F.nllLoss(torch.zeros([3, 4]), torch.tensor([1, 1, 1], { dtype: 'int64' }), torch.ones(3))).toThrow('weight tensor should be defined either for all 4 classes or no classes but got weight tensor of shape: [3]');
    expect(() => F.nllLoss(torch.zeros([3, 4]), torch.tensor([1, 1, 1]))).toThrow('expected scalar type Long but found Float');
    expect(() => F.crossEntropy(torch.zeros([3, 4]), torch.tensor([1, 1, 1], { dtype: 'int32' }))).toThrow('expected scalar type Long but found Int');
  });

  it('gradcheck and gradgradcheck', () => {
    const x = f64([3, 4], 6);
    const t = torch.tensor([3, 0, 1], { dtype: 'int64' });
    const w = torch.tensor([0.5, 1, 2, 1.5], { dtype: 'float64' });
    for (const reduction of ['none', 'mean', 'sum'] as const) {
      both((a: Tensor) => F.crossEntropy(a, t, { reduction }), [x]);
      both((a: Tensor) => F.crossEntropy(a, t, w, { reduction, ignoreIndex: 0, labelSmoothing: 0.2 }), [x]);
      both((a: Tensor) => F.nllLoss(a, t, { weight: w, reduction }), [x]);
    }
    torch.manualSeed(3);
    const probs = torch.rand([3, 4], { dtype: 'float64' }).softmax(1);
    both((a: Tensor) => F.crossEntropy(a, probs, { labelSmoothing: 0.1 }), [x]);
    both((a: Tensor) => F.crossEntropy(a, torch.tensor([[0, 1], [2, 1], [3, 3]], { dtype: 'int64' })), [f64([3, 4, 2], 8)]);
  });
});

describe('linear / addmm', () => {
  const w = f64([3, 4], 1), b = f64([3], 2);
  it('shapes and node names follow PyTorch', () => {
    expect(F.linear(f64([2, 4]), w, b).gradFn?.name()).toBe('AddmmBackward0');
    expect(F.linear(f64([2, 4]), w).gradFn?.name()).toBe('MmBackward0');
    expect(F.linear(f64([4]), w, b).gradFn?.name()).toBe('AddBackward0');
    expect(F.linear(f64([2, 5, 4]), w, b).gradFn?.name()).toBe('ViewBackward0');
    expect(F.linear(f64([2, 5, 4]), w, { bias: null }).gradFn?.name()).toBe('UnsafeViewBackward0');
    expect(F.linear(f64([2, 2, 5, 4]), w, b).shape).toEqual([2, 2, 5, 3]);
    expect(() => F.linear(torch.zeros([2, 5]), torch.zeros([3, 4]))).toThrow('mat1 and mat2 shapes cannot be multiplied (2x5 and 4x3)');
  });

  it('matches matmul + bias', () => {
    const x = f64([2, 5, 4], 3);
    const want = x.matmul(w.t()).add(b);
    close(F.linear(x, w, b), Array.from(want.dataSync()), 1e-12);
    close(torch.addmm(b, x.select(0, 0), w.t(), { beta: 2, alpha: 0.5 }), Array.from(x.select(0, 0).matmul(w.t()).mul(0.5).add(b.mul(2)).dataSync()), 1e-12);
  });

  it('gradcheck and gradgradcheck', () => {
    both((x: Tensor, ww: Tensor, bb: Tensor) => F.linear(x, ww, bb), [f64([2, 4], 4), w, b]);
    both((x: Tensor, ww: Tensor, bb: Tensor) => F.linear(x, ww, bb), [f64([2, 2, 4], 5), w, b]);
    both((x: Tensor, ww: Tensor) => F.linear(x, ww), [f64([4], 6), w]);
    both((i: Tensor, m1: Tensor, m2: Tensor) => torch.addmm(i, m1, m2, { beta: 0.5, alpha: 2 }), [f64([3], 7), f64([2, 4], 8), f64([4, 3], 9)]);
  });
});

describe('layerNorm', () => {
  it('normalizes the last dims with biased variance', () => {
    const x = torch.tensor([[1, 2, 3, 4], [2, 2, 2, 6]], { dtype: 'float64' });
    const y = F.layerNorm(x, [4], { eps: 0 });
    const row = (v: number[]): number[] => {
      const m = v.reduce((a, b) => a + b) / v.length;
      const s = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
      return v.map((e) => (e - m) / s);
    };
    close(y, [...row([1, 2, 3, 4]), ...row([2, 2, 2, 6])], 1e-12);
    const w = torch.tensor([1, 2, 3, 4], { dtype: 'float64' }), b = torch.tensor([0, 1, 0, 1], { dtype: 'float64' });
    close(F.layerNorm(x, 4, w, b, { eps: 0 }), Array.from(y.mul(w).add(b).dataSync()), 1e-12);
  });

  it('errors and node name', () => {
    expect(() => F.layerNorm(torch.zeros([2, 3, 5]), [4])).toThrow('Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 3, 5]');
    expect(F.layerNorm(f64([2, 3]), [3]).gradFn?.name()).toBe('NativeLayerNormBackward0');
  });

  it('gradcheck and gradgradcheck', () => {
    const x = f64([2, 3, 4], 1), w = f64([3, 4], 2), b = f64([3, 4], 3);
    both((a: Tensor, ww: Tensor, bb: Tensor) => F.layerNorm(a, [3, 4], ww, bb), [x, w, b]);
    both((a: Tensor) => F.layerNorm(a, [4]), [x]);
    both((a: Tensor, ww: Tensor) => F.layerNorm(a, [2, 3, 4], ww.expand(2, 3, 4)), [x, w]);
  });
});

describe('embedding', () => {
  const weight = torch.arange(12, { dtype: 'float64' }).view(4, 3).detach().requiresGrad_();
  it('picks rows and accumulates gradients of repeated indices', () => {
    const idx = torch.tensor([[0, 2], [2, 3]], { dtype: 'int64' });
    const y = F.embedding(idx, weight);
    expect(y.shape).toEqual([2, 2, 3]);
    expect(y.tolist()).toEqual([[[0, 1, 2], [6, 7, 8]], [[6, 7, 8], [9, 10, 11]]]);
    expect(y.gradFn?.name()).toBe('EmbeddingBackward0');
    y.sum().backward();
    expect(weight.grad!.tolist()).toEqual([[1, 1, 1], [0, 0, 0], [2, 2, 2], [1, 1, 1]]);
    weight.grad = null;
  });

  it('paddingIdx rows get no gradient', () => {
    const y = F.embedding(torch.tensor([0, 1, 1, 3], { dtype: 'int64' }), weight, { paddingIdx: 1 });
    y.sum().backward();
    expect(weight.grad!.tolist()).toEqual([[1, 1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1]]);
    weight.grad = null;
    F.embedding(torch.tensor([3], { dtype: 'int64' }), weight, -1).sum().backward();
    expect((weight.grad!.tolist() as number[][])[3]).toEqual([0, 0, 0]);
    weight.grad = null;
  });

  it('errors', () => {
    expect(() => F.embedding(torch.tensor([4], { dtype: 'int64' }), weight)).toThrow('index out of range in self');
    expect(() => F.embedding(torch.tensor([1]), weight)).toThrow("Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int");
  });

  it('gradcheck and gradgradcheck', () => {
    // (paddingIdx drops the padding row's gradient although its value is used, so a finite
    // difference check only holds where the padding row is not looked up.)
    const idx = torch.tensor([[0, 2, 2], [3, 3, 0]], { dtype: 'int64' });
    both((w: Tensor) => F.embedding(idx, w, { paddingIdx: 1 }).mul(F.embedding(idx, w)), [f64([4, 3], 1)]);
  });
});

describe('dropout', () => {
  const x = torch.ones([1000], { dtype: 'float64' });
  it('is the identity when not training or p = 0; zeros when p = 1', () => {
    expect(F.dropout(x, { training: false })).toBe(x);
    expect(F.dropout(x, 0)).toBe(x);
    expect(Array.from(F.dropout(x, 1).dataSync()).every((v) => v === 0)).toBe(true);
  });

  it('zeroes about p of the elements and scales the rest by 1 / (1 - p); reproducible with a seed', () => {
    torch.manualSeed(0);
    const y = F.dropout(x, 0.25);
    const v = Array.from(y.dataSync());
    const zeros = v.filter((e) => e === 0).length;
    expect(zeros).toBeGreaterThan(200);
    expect(zeros).toBeLessThan(300);
    expect(v.filter((e) => e !== 0).every((e) => Math.abs(e - 4 / 3) < 1e-12)).toBe(true);
    torch.manualSeed(0);
    expect(Array.from(F.dropout(x, 0.25).dataSync())).toEqual(v);
    const g = new torch.Generator().manualSeed(0);
    expect(Array.from(F.dropout(x, { p: 0.25, generator: g }).dataSync())).toEqual(v);
  });

  it('errors, and the gradient is the mask', () => {
    expect(() => F.dropout(x, 1.5)).toThrow('dropout probability has to be between 0 and 1, but got 1.5');
    const a = f64([50], 1);
    const y = F.dropout(a, 0.5);
    expect(y.gradFn?.name()).toBe('MulBackward0');
    y.sum().backward();
    const mask = Array.from(y.detach().div(a.detach()).dataSync());
    expect(Array.from(a.grad!.dataSync())).toEqual(mask.map((m) => (m === 0 ? 0 : 2)));
  });
});

describe('normalize', () => {
  it('divides by the p-norm along dim, clamped at eps', () => {
    const x = torch.tensor([[3, 4], [0, 0]], { dtype: 'float64' });
    close(F.normalize(x), [0.6, 0.8, 0, 0], 1e-12);
    close(F.normalize(x, { p: 1, dim: 0 }), [1, 1, 0, 0], 1e-12);
    both((a: Tensor) => F.normalize(a, 2, 1), [f64([2, 3], 2)]);
  });
});
