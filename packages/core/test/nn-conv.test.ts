/**
 * Convolution, pooling and the im2col / col2im kernel family: against naive reference loops,
 * shard-split kernel calls (as the workers backend makes them), errors, gradcheck and
 * gradgradcheck in float64.
 */
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { col2imRange, im2colRange, type KView, type UnfoldParams } from '../src/kernels/index.js';
import { gradcheck, gradgradcheck } from '../src/testing/index.js';

const F = torch.nn.functional;

const f64 = (shape: number[], seed = 0): Tensor => {
  torch.manualSeed(seed);
  return torch.randn(shape, { dtype: 'float64' }).requiresGrad_();
};

const close = (t: Tensor, want: ArrayLike<number>, tol = 1e-10): void => {
  const got = t.dataSync();
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]! - want[i]!), `element ${i}`).toBeLessThanOrEqual(tol);
};

const both = (fn: (...a: never[]) => Tensor, inputs: unknown[]): void => {
  expect(gradcheck(fn, inputs)).toBe(true);
  expect(gradgradcheck(fn, inputs)).toBe(true);
};

interface Geo { stride: [number, number]; pad: [number, number]; dil: [number, number]; groups: number }

/** Direct 2-d convolution: out[n, o, y, x] = b[o] + sum w[o, c, i, j] * in[n, g*Cg + c, ...]. */
function refConv2d(x: Tensor, w: Tensor, b: Tensor | null, g: Geo): { data: Float64Array; shape: number[] } {
  const [N, C, H, W] = x.shape as number[];
  const [O, Cg, KH, KW] = w.shape as number[];
  const xd = x.dataSync(), wd = w.dataSync(), bd = b?.dataSync();
  const OH = Math.floor((H! + 2 * g.pad[0] - g.dil[0] * (KH! - 1) - 1) / g.stride[0]) + 1;
  const OW = Math.floor((W! + 2 * g.pad[1] - g.dil[1] * (KW! - 1) - 1) / g.stride[1]) + 1;
  const out = new Float64Array(N! * O! * OH * OW);
  const perGroup = O! / g.groups;
  for (let n = 0; n < N!; n++) for (let o = 0; o < O!; o++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
    let acc = bd ? bd[o]! : 0;
    const grp = Math.floor(o / perGroup);
    for (let c = 0; c < Cg!; c++) for (let i = 0; i < KH!; i++) for (let j = 0; j < KW!; j++) {
      const y = oy * g.stride[0] - g.pad[0] + i * g.dil[0], xx = ox * g.stride[1] - g.pad[1] + j * g.dil[1];
      if (y < 0 || y >= H! || xx < 0 || xx >= W!) continue;
      acc += wd[((o * Cg! + c) * KH! + i) * KW! + j]! * xd[((n * C! + grp * Cg! + c) * H! + y) * W! + xx]!;
    }
    out[((n * O! + o) * OH + oy) * OW + ox] = acc;
  }
  return { data: out, shape: [N!, O!, OH, OW] };
}

/** Direct pooling with PyTorch's window rules. */
function refPool(x: Tensor, k: [number, number], s: [number, number], p: [number, number], d: [number, number], ceil: boolean, mode: 'max' | 'avg', countIncludePad = true): { data: Float64Array; idx: number[] } {
  const [N, C, H, W] = x.shape as number[];
  const size = (n: number, kk: number, pp: number, ss: number, dd: number): number => {
    let o = Math.floor((n + 2 * pp - dd * (kk - 1) - 1 + (ceil ? ss - 1 : 0)) / ss) + 1;
    if (ceil && (o - 1) * ss >= n + pp) o--;
    return o;
  };
  const OH = size(H!, k[0], p[0], s[0], d[0]), OW = size(W!, k[1], p[1], s[1], d[1]);
  const xd = x.dataSync();
  const out = new Float64Array(N! * C! * OH * OW);
  const idx: number[] = [];
  for (let nc = 0; nc < N! * C!; nc++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
    let best = -Infinity, bi = -1, sum = 0, cnt = 0;
    for (let i = 0; i < k[0]; i++) for (let j = 0; j < k[1]; j++) {
      const y = oy * s[0] - p[0] + i * d[0], xx = ox * s[1] - p[1] + j * d[1];
      if (y < 0 || y >= H! || xx < 0 || xx >= W!) continue;
      const v = xd[(nc * H! + y) * W! + xx]!;
      if (v > best) { best = v; bi = y * W! + xx; }
      sum += v; cnt++;
    }
    const hs = oy * s[0] - p[0], ws = ox * s[1] - p[1];
    const he = Math.min(hs + k[0], H! + p[0]), we = Math.min(ws + k[1], W! + p[1]);
    const div = countIncludePad ? (he - hs) * (we - ws) : cnt;
    out[(nc * OH + oy) * OW + ox] = mode === 'max' ? best : sum / div;
    idx.push(bi);
  }
  return { data: out, idx };
}

describe('conv2d / conv1d', () => {
  const cases: [number[], number[], Geo][] = [
    [[2, 3, 6, 5], [4, 3, 3, 3], { stride: [1, 1], pad: [0, 0], dil: [1, 1], groups: 1 }],
    [[1, 2, 7, 6], [3, 2, 3, 2], { stride: [2, 1], pad: [1, 2], dil: [1, 2], groups: 1 }],
    [[2, 4, 5, 5], [6, 2, 2, 3], { stride: [1, 2], pad: [1, 0], dil: [2, 1], groups: 2 }],
    [[1, 3, 4, 4], [3, 1, 3, 3], { stride: [3, 3], pad: [1, 1], dil: [1, 1], groups: 3 }],
  ];
  it('matches direct convolution (stride, padding, dilation, groups, bias)', () => {
    cases.forEach(([xs, ws, g], k) => {
      const x = f64(xs, k), w = f64(ws, k + 10), b = f64([ws[0]!], k + 20);
      const want = refConv2d(x, w, b, g);
      const y = F.conv2d(x, w, b, { stride: g.stride, padding: g.pad, dilation: g.dil, groups: g.groups });
      expect(y.shape).toEqual(want.shape);
      close(y, want.data);
      expect(y.gradFn?.name()).toBe('ConvolutionBackward0');
      // the positional form
      close(F.conv2d(x, w, b, g.stride, g.pad, g.dil, g.groups), want.data);
    });
  });

  it("padding 'same' pads the odd element at the bottom / right, 'valid' pads nothing", () => {
    const x = f64([1, 2, 5, 6]), w = f64([3, 2, 2, 4], 1);
    const y = F.conv2d(x, w, null, { padding: 'same', dilation: [2, 1] });
    expect(y.shape).toEqual([1, 3, 5, 6]);
    // total pad: height 2 (1 + 1), width 3 (1 left, 2 right): compare with explicit padding + crop
    const big = F.conv2d(x, w, null, { padding: [1, 2], dilation: [2, 1] });
    close(y, big.index(':', ':', ':', [1, 7]).contiguous().dataSync());
    expect(F.conv2d(x, w, { padding: 'valid' }).shape).toEqual([1, 3, 4, 3]);
  });

  it('conv1d equals conv2d with a height of one; unbatched inputs work', () => {
    const x = f64([2, 3, 9]), w = f64([4, 3, 3], 1), b = f64([4], 2);
    const y = F.conv1d(x, w, b, { stride: 2, padding: 1, dilation: 2 });
    const y2 = F.conv2d(x.unsqueeze(2), w.unsqueeze(2), b, { stride: [1, 2], padding: [0, 1], dilation: [1, 2] }).squeeze(2);
    close(y, y2.dataSync());
    expect(F.conv1d(x.select(0, 1), w, b).shape).toEqual([4, 7]);
    expect(F.conv1d(x.select(0, 1), w, b).gradFn?.name()).toBe('SqueezeBackward1');
    const z = F.conv2d(f64([3, 5, 5]), f64([2, 3, 3, 3], 1));
    expect(z.shape).toEqual([2, 3, 3]);
  });

  it("errors: PyTorch's texts", () => {
    const w = torch.zeros([4, 3, 3, 3]);
    expect(() => F.conv2d(torch.zeros([2, 5, 5, 5]), w)).toThrow('Given groups=1, weight of size [4, 3, 3, 3], expected input[2, 5, 5, 5] to have 3 channels, but got 5 channels instead');
    expect(() => F.conv2d(torch.zeros([5]), w)).toThrow('Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [5]');
    expect(() => F.conv2d(torch.zeros([1, 3, 2, 2]), w)).toThrow("Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size");
    expect(() => F.conv2d(torch.zeros([1, 6, 5, 5]), torch.zeros([3, 3, 3, 3]), null, 1, 0, 1, 2)).toThrow('Given groups=2, expected weight to be divisible by 2 at dimension 0');
    expect(() => F.conv2d(torch.zeros([1, 3, 5, 5]), w, { stride: 2, padding: 'same' })).toThrow("padding='same' is not supported for strided convolutions");
  });

  it('gradcheck and gradgradcheck', () => {
    both((x: Tensor, w: Tensor, b: Tensor) => F.conv2d(x, w, b, { stride: [2, 1], padding: 1, dilation: [1, 2] }), [f64([1, 2, 5, 5]), f64([2, 2, 2, 2], 1), f64([2], 2)]);
    both((x: Tensor, w: Tensor) => F.conv2d(x, w, null, { groups: 2, padding: 'same' }), [f64([1, 4, 3, 3], 3), f64([2, 2, 2, 3], 4)]);
    both((x: Tensor, w: Tensor, b: Tensor) => F.conv1d(x, w, b, 2, 1), [f64([2, 2, 6], 5), f64([3, 2, 3], 6), f64([3], 7)]);
  });
});

describe('maxPool2d / avgPool2d', () => {
  const setups: { k: [number, number]; s: [number, number]; p: [number, number]; d: [number, number]; ceil: boolean }[] = [
    { k: [2, 2], s: [2, 2], p: [0, 0], d: [1, 1], ceil: false },
    { k: [3, 3], s: [2, 2], p: [1, 1], d: [1, 1], ceil: false },
    { k: [2, 3], s: [2, 1], p: [1, 0], d: [1, 1], ceil: true },
    { k: [2, 2], s: [1, 2], p: [0, 1], d: [2, 1], ceil: true },
  ];
  const x = f64([2, 3, 7, 6], 11);

  it('max pooling matches the direct loops, indices included', () => {
    for (const c of setups) {
      const want = refPool(x, c.k, c.s, c.p, c.d, c.ceil, 'max');
      const [v, i] = F.maxPool2d(x, c.k, { stride: c.s, padding: c.p, dilation: c.d, ceilMode: c.ceil, returnIndices: true });
      close(v, want.data, 0);
      expect(Array.from(i.dataSync())).toEqual(want.idx);
      expect(i.dtype).toBe('int64');
      expect(v.gradFn?.name()).toBe('MaxPool2DWithIndicesBackward0');
    }
  });

  it('avg pooling matches the direct loops (countIncludePad both ways, divisorOverride)', () => {
    for (const c of setups.filter((s) => s.d[0] === 1)) {
      for (const cip of [true, false]) {
        const want = refPool(x, c.k, c.s, c.p, [1, 1], c.ceil, 'avg', cip);
        close(F.avgPool2d(x, c.k, c.s, c.p, c.ceil, cip), want.data);
      }
    }
    const y = F.avgPool2d(x, 2, { divisorOverride: 3 });
    const s = refPool(x, [2, 2], [2, 2], [0, 0], [1, 1], false, 'avg');
    close(y, Array.from(s.data, (v) => (v * 4) / 3));
    expect(y.gradFn?.name()).toBe('AvgPool2DBackward0');
  });

  it('unbatched input, default stride, and errors', () => {
    const u = x.select(0, 0);
    expect(F.maxPool2d(u, 2).shape).toEqual([3, 3, 3]);
    expect(F.maxPool2d(u, 2).gradFn?.name()).toBe('MaxPool2DWithIndicesBackward0');
    expect(F.avgPool2d(u, [3, 2]).shape).toEqual([3, 2, 3]);
    expect(() => F.maxPool2d(x, 2, 2, 2)).toThrow('pad should be smaller than or equal to half of kernel size, but got padW = 2, padH = 2, kW = 2, kH = 2');
    expect(() => F.maxPool2d(torch.zeros([4, 4]), 2)).toThrow('non-empty 3D or 4D (batch mode) tensor expected for input');
  });

  it('max pooling sends the gradient to the max only', () => {
    const a = torch.tensor([[[[1, 5], [3, 2]]]], { requiresGrad: true });
    F.maxPool2d(a, 2).sum().backward();
    expect(a.grad!.tolist()).toEqual([[[[0, 1], [0, 0]]]]);
  });

  it('gradcheck and gradgradcheck', () => {
    const a = f64([1, 2, 5, 5], 12);
    both((t: Tensor) => F.maxPool2d(t, 3, { stride: 2, padding: 1 }), [a]);
    both((t: Tensor) => F.maxPool2d(t, [2, 2], { stride: 1, dilation: 2, ceilMode: true }), [a]);
    both((t: Tensor) => F.avgPool2d(t, 3, { stride: 2, padding: 1, countIncludePad: false, ceilMode: true }), [a]);
    both((t: Tensor) => F.avgPool2d(t.select(0, 0), [2, 3]), [a]);
  });
});

describe('unfold / fold', () => {
  it('fold is the adjoint of unfold: <unfold(x), y> = <x, fold(y)>', () => {
    const x = f64([2, 3, 6, 5], 1);
    const opts = { dilation: [1, 2], padding: [1, 1], stride: [2, 1] };
    const u = F.unfold(x, [2, 2], opts);
    expect(u.shape[1]).toBe(12);
    const y = f64([...u.shape], 2);
    const lhs = u.mul(y).sum().item() as number;
    const rhs = x.mul(F.fold(y, [6, 5], [2, 2], opts)).sum().item() as number;
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-10);
    expect(u.gradFn?.name()).toBe('ReshapeAliasBackward0'); // PyTorch: Im2ColBackward0
  });

  it('gradcheck and gradgradcheck', () => {
    both((t: Tensor) => F.unfold(t, 2, { padding: 1 }), [f64([1, 2, 3, 3], 3)]);
    both((t: Tensor) => F.fold(t, [4, 4], 2, { stride: 2 }), [f64([1, 8, 4], 4)]);
  });

  it('errors', () => {
    expect(() => F.unfold(torch.zeros([4, 4]), 2)).toThrow('Input Error: Only 3D or 4D input Tensors are supported (got 2D)');
    expect(() => F.fold(torch.zeros([1, 8, 5]), [4, 4], 2, { stride: 2 })).toThrow("expected size of input's dimension 2 to match the calculated number of sliding blocks 2 * 2 = 4, but got input.size(2)=5");
  });
});

describe('im2col / col2im range kernels', () => {
  /** A contiguous KView over fresh data. */
  const view = (shape: number[], data?: Float64Array): KView => {
    const n = shape.reduce((a, b) => a * b, 1);
    const strides: number[] = [];
    let acc = 1;
    for (let i = shape.length - 1; i >= 0; i--) { strides[i] = acc; acc *= shape[i]!; }
    return { data: data ?? Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1)), shape, strides, offset: 0 };
  };
  const p: UnfoldParams = { sh: 2, sw: 1, ph: 1, pw: 2, dh: 1, dw: 2, padValue: -7 };

  it('any split of the output range gives the single-call result', () => {
    const x = view([2, 3, 5, 6]);
    const colsShape = [2, 3, 2, 3, 3, 6];
    const whole = view(colsShape, new Float64Array(2 * 3 * 2 * 3 * 3 * 6));
    im2colRange(whole, x, p, 0, whole.data.length);
    const split = view(colsShape, new Float64Array(whole.data.length));
    for (const [a, b] of [[0, 7], [7, 8], [8, 200], [200, 513], [513, whole.data.length]] as const) im2colRange(split, x, p, a, b);
    expect(Array.from(split.data)).toEqual(Array.from(whole.data));
    expect(whole.data.includes(-7)).toBe(true);

    const img = view([2, 3, 5, 6], new Float64Array(180));
    col2imRange(img, whole, p, 0, 180);
    const img2 = view([2, 3, 5, 6], new Float64Array(180));
    for (const [a, b] of [[0, 1], [1, 29], [29, 31], [31, 180]] as const) col2imRange(img2, whole, p, a, b);
    expect(Array.from(img2.data)).toEqual(Array.from(img.data));
  });

  it('honours strided, offset views', () => {
    // x as a transposed view of a larger buffer
    const base = Float64Array.from({ length: 200 }, (_, i) => i);
    const x: KView = { data: base, shape: [1, 2, 4, 3], strides: [0, 1, 2, 8], offset: 5 };
    const out = view([1, 2, 2, 2, 3, 2], new Float64Array(48));
    const q: UnfoldParams = { sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, padValue: 0 };
    im2colRange(out, x, q, 0, 48);
    // out[0, c, i, j, oy, ox] = x[0, c, oy + i, ox + j]
    const at = (c: number, y: number, xx: number): number => base[5 + c + 2 * y + 8 * xx]!;
    expect(out.data[0]).toBe(at(0, 0, 0));
    expect(out.data[((1 * 2 + 1) * 2 + 1) * 6 + 2 * 2 + 1]).toBe(at(1, 3, 2));
  });
});
