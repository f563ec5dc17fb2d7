/**
 * nn modules against PyTorch 1.13 (fixtures/torch-nn.json, from fixtures/gen/nn.py): with the same
 * seed each layer holds PyTorch's initial values exactly, and gives PyTorch's outputs, input and
 * parameter gradients and running statistics; reprs and state-dict keys match to the character.
 */
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { nn, type Tensor } from '../src/index.js';
import { decode, expectClose, loadFixture, moduleClass, runCase, type FixtureTensor, type NnCase } from './nn-fixture.js';

interface InitEntry { ctor: string; args: number[]; seed: number; params: Record<string, { shape: number[]; step: number; data: number[]; sum: number }> }
interface NnFixture {
  cases: NnCase[]; init: InitEntry[]; reprs: [string, string][]; keys: Record<string, string[]>; errors: Record<string, string>;
  attention: {
    mha: Record<'q' | 'k' | 'v' | 'attn_mask' | 'key_padding_mask' | 'output' | 'weights', FixtureTensor> & { seed: number };
    sdpa: Record<'q' | 'k' | 'v' | 'causal' | 'float_mask' | 'masked', FixtureTensor>;
  };
}

const fx = loadFixture<NnFixture>('torch-nn.json');
const ctorOf = (name: string) => moduleClass(torch, name);

describe('layers against PyTorch (init, outputs, gradients, running stats)', () => {
  for (const c of fx.cases) it(c.name, () => runCase(torch, c));
});

describe('default init is PyTorch exact for big layers', () => {
  for (const e of fx.init) {
    it(`${e.ctor}(${e.args.join(', ')}) after manualSeed(${e.seed})`, () => {
      torch.manualSeed(e.seed);
      const m = new (ctorOf(e.ctor))(...e.args);
      const params = Object.fromEntries(m.namedParameters());
      for (const [k, want] of Object.entries(e.params)) {
        const p = params[k]!;
        expect([...p.shape]).toEqual(want.shape);
        const v = p.reshape(-1).dataSync();
        const sampled = want.data.map((_, i) => v[i * want.step]!);
        expect(sampled).toEqual(want.data);
        expect(Math.abs(p.double().sum().item() as number - want.sum)).toBeLessThan(1e-9);
      }
    });
  }
});

class Net extends nn.Module {
  features = new nn.Sequential(new nn.Conv2d(1, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2));
  classifier = new nn.Sequential(new nn.Flatten(), new nn.Linear(8 * 14 * 14, 10));
  heads = new nn.ModuleDict({ a: new nn.Linear(10, 2), b: new nn.Identity() });
  blocks = new nn.ModuleList([new nn.Dropout(0.1), new nn.LayerNorm(10)]);
  override forward(x: Tensor): Tensor {
    return this.classifier.forward(this.features.forward(x));
  }
}

describe('module reprs', () => {
  const build: Record<string, () => nn.Module> = {
    Linear: () => new nn.Linear(784, 256),
    'Linear no bias': () => new nn.Linear(3, 2, { bias: false }),
    mlp: () => new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10)),
    nested: () => new nn.Sequential(new nn.Sequential(new nn.Linear(2, 2), new nn.Tanh()), new nn.Linear(2, 1)),
    Net: () => new Net(),
    Conv2d: () => new nn.Conv2d(3, 8, 3, { stride: 2, padding: 1 }),
    'Conv2d groups': () => new nn.Conv2d(4, 4, [3, 5], { groups: 2, bias: false, dilation: 2 }),
    BatchNorm2d: () => new nn.BatchNorm2d(8),
    BatchNorm1d: () => new nn.BatchNorm1d(8, { momentum: null, affine: false }),
    MaxPool2d: () => new nn.MaxPool2d(2),
    AvgPool2d: () => new nn.AvgPool2d(3, { stride: 1 }),
    LayerNorm: () => new nn.LayerNorm(10),
    Embedding: () => new nn.Embedding(10, 3, { paddingIdx: 0 }),
    Dropout: () => new nn.Dropout(0.25),
    LSTM: () => new nn.LSTM(3, 4, { numLayers: 2, batchFirst: true, bidirectional: true }),
    GRU: () => new nn.GRU(3, 4),
    MultiheadAttention: () => new nn.MultiheadAttention(8, 2),
    CrossEntropyLoss: () => new nn.CrossEntropyLoss(),
    LeakyReLU: () => new nn.LeakyReLU(0.2),
    Softmax: () => new nn.Softmax({ dim: 1 }),
    Flatten: () => new nn.Flatten(),
    ReLU: () => new nn.ReLU(),
    GroupNorm: () => new nn.GroupNorm(2, 4),
    ConvTranspose2d: () => new nn.ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1, outputPadding: 1 }),
    Upsample: () => new nn.Upsample({ scaleFactor: 2, mode: 'nearest' }),
    AdaptiveAvgPool2d: () => new nn.AdaptiveAvgPool2d([1, 1]),
    Identity: () => new nn.Identity(),
    Conv1d: () => new nn.Conv1d(2, 3, 3),
  };
  for (const [name, text] of fx.reprs) {
    it(name, () => {
      expect(build[name], `no builder for ${name}`).toBeDefined();
      expect(build[name]!().toString()).toBe(text);
    });
  }
});

describe('state-dict keys are PyTorch snake_case', () => {
  const build: Record<string, () => nn.Module> = {
    Net: () => new Net(),
    LSTM: () => new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true }),
    BatchNorm1d: () => new nn.BatchNorm1d(3),
    MultiheadAttention: () => new nn.MultiheadAttention(8, 2),
    TransformerEncoderLayer: () => new nn.TransformerEncoderLayer(8, 2, 16),
  };
  for (const [name, keys] of Object.entries(fx.keys)) {
    it(name, () => expect(Object.keys(build[name]!().stateDict())).toEqual(keys));
  }
  it('snakeCase', () => {
    expect(nn.snakeCase('runningMean')).toBe('running_mean');
    expect(nn.snakeCase('numBatchesTracked')).toBe('num_batches_tracked');
    expect(nn.snakeCase('weightIhL0Reverse')).toBe('weight_ih_l0_reverse');
    expect(nn.snakeCase('inProjWeight')).toBe('in_proj_weight');
    expect(nn.snakeCase('fc1')).toBe('fc1');
  });
});

describe('loadStateDict', () => {
  it("PyTorch's missing / unexpected key error", () => {
    const m = new nn.Linear(2, 2);
    expect(() => m.loadStateDict({ weight: torch.zeros(2, 2), extra: torch.zeros(1) })).toThrow(fx.errors.missing_unexpected!);
    const r = m.loadStateDict({ weight: torch.zeros(2, 2), extra: torch.zeros(1) }, { strict: false });
    expect(r).toEqual({ missingKeys: ['bias'], unexpectedKeys: ['extra'] });
    expect(Array.from(m.weight.dataSync())).toEqual([0, 0, 0, 0]);
  });
  it("PyTorch's size-mismatch error", () => {
    const m = new nn.Linear(2, 2);
    expect(() => m.loadStateDict({ weight: torch.zeros(3, 2), bias: torch.zeros(2) })).toThrow(fx.errors.size_mismatch!);
  });
  it('round-trips a model, buffers included', () => {
    torch.manualSeed(0);
    const a = new Net();
    a.features.forward(torch.randn(2, 1, 4, 4));
    const b = new Net();
    b.loadStateDict(a.stateDict());
    for (const [k, v] of Object.entries(a.stateDict())) expect(Array.from(b.stateDict()[k]!.dataSync())).toEqual(Array.from(v.dataSync()));
  });
});

describe('Module behaviour', () => {
  it('parameters, children, modules, buffers in declaration order', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual(fx.keys.Net!.filter((k) => !/running|num_batches/.test(k)));
    expect([...net.namedChildren()].map(([n]) => n)).toEqual(['features', 'classifier', 'heads', 'blocks']);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['features.1.running_mean', 'features.1.running_var', 'features.1.num_batches_tracked']);
    expect([...net.modules()].length).toBe(15);
    expect(net.parameters()[0]).toBeInstanceOf(nn.Parameter);
  });
  it('train / eval reach every module; apply visits children first', () => {
    const net = new Net();
    net.eval();
    expect([...net.modules()].every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.blocks.get(0).training).toBe(true);
    const seen: string[] = [];
    new nn.Sequential(new nn.ReLU(), new nn.Tanh()).apply((m) => seen.push(m.constructor.name));
    expect(seen).toEqual(['ReLU', 'Tanh', 'Sequential']);
  });
  it('forward runs pre-hooks and hooks; handles remove them', () => {
    const lin = new nn.Linear(2, 2);
    const calls: string[] = [];
    const h1 = lin.registerForwardPreHook((_m, args) => { calls.push('pre'); return [(args[0] as Tensor).mul(0)]; });
    const h2 = lin.registerForwardHook((_m, _a, out) => { calls.push('post'); return (out as Tensor).add(1); });
    const y = lin.forward(torch.ones(1, 2));
    expect(calls).toEqual(['pre', 'post']);
    expectClose(y, { shape: [1, 2], dtype: 'float32', data: Array.from(lin.bias!.add(1).dataSync()) }, 'hooked output');
    h1.remove(); h2.remove();
    lin.forward(torch.ones(1, 2));
    expect(calls.length).toBe(2);
    const seq = new nn.Sequential(lin);
    lin.registerForwardHook(() => void calls.push('inner'));
    seq.forward(torch.ones(1, 2));
    expect(calls).toContain('inner');
  });
  it('zeroGrad sets grads to null by default, or zero', () => {
    const lin = new nn.Linear(2, 1);
    lin.forward(torch.ones(1, 2)).sum().backward();
    lin.zeroGrad({ setToNone: false });
    expect(Array.from(lin.weight.grad!.dataSync())).toEqual([0, 0]);
    lin.zeroGrad();
    expect(lin.weight.grad).toBeNull();
  });
  it('to(dtype) converts floating parameters in place and keeps integer buffers', () => {
    const bn = new nn.BatchNorm1d(3);
    const w = bn.weight!;
    bn.to('float64');
    expect(bn.weight).toBe(w);
    expect(w.dtype).toBe('float64');
    expect(bn.runningMean!.dtype).toBe('float64');
    expect(bn.numBatchesTracked!.dtype).toBe('int64');
    expect(bn.forward(torch.randn(4, 3, { dtype: 'float64' })).dtype).toBe('float64');
  });
  it('a module without forward raises PyTorch\'s error', () => {
    class Empty extends nn.Module {}
    expect(() => (new Empty().forward as () => unknown)()).toThrow('Module [Empty] is missing the required "forward" function');
  });
  it('Parameter prints as PyTorch', () => {
    const p = new nn.Parameter(torch.tensor([1, 2]));
    expect(p.toString()).toBe('Parameter containing:\ntensor([1., 2.], requires_grad=True)');
  });
  it('BatchNorm eval uses the running statistics', () => {
    const bn = new nn.BatchNorm1d(2).eval();
    const x = torch.tensor([[1, 2], [3, 4]]);
    expect(Array.from(bn.forward(x).dataSync()).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([1, 2, 3, 4].map((v) => Math.round((v / Math.sqrt(1 + 1e-5)) * 1e4) / 1e4));
  });
});

describe('losses and dropout as modules', () => {
  it('class weights are buffers, in the state dict under PyTorch\'s names', () => {
    expect(Object.keys(new nn.CrossEntropyLoss({ weight: torch.ones(3) }).stateDict())).toEqual(['weight']);
    expect(Object.keys(new nn.BCEWithLogitsLoss({ posWeight: torch.ones(3) }).stateDict())).toEqual(['pos_weight']);
    expect(Object.keys(new nn.CrossEntropyLoss().stateDict())).toEqual([]);
  });
  it('Dropout zeroes about p of the elements in training, scales the rest by 1 / (1 - p), and is the identity in eval', () => {
    torch.manualSeed(0);
    const d = new nn.Dropout(0.3);
    const y = d.forward(torch.ones(10000));
    const v = y.dataSync();
    let zeros = 0;
    for (const x of v) {
      if (x === 0) zeros++;
      else expect(x).toBeCloseTo(1 / 0.7, 6);
    }
    expect(Math.abs(zeros / v.length - 0.3)).toBeLessThan(0.02);
    const x = torch.randn(5);
    expect(d.eval().forward(x)).toBe(x);
  });
});

describe('F.interpolate', () => {
  it("takes PyTorch's positional arguments (size, scaleFactor, mode, alignCorners)", () => {
    const x = torch.arange(6, { dtype: 'float32' }).view(1, 1, 2, 3);
    const a = nn.functional.interpolate(x, null, 2, 'bilinear', true);
    const b = nn.functional.interpolate(x, { scaleFactor: 2, mode: 'bilinear', alignCorners: true });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(nn.functional.interpolate(x, [4, 6]).shape).toEqual([1, 1, 4, 6]);
  });
});

describe('nn.utils', () => {
  it('clipGradNorm_ scales gradients to the max norm and returns the total norm', () => {
    const p = new nn.Parameter(torch.zeros(2));
    p.grad = torch.tensor([3, 4]);
    const total = nn.utils.clipGradNorm_([p], 1);
    expect(total.item()).toBeCloseTo(5, 5);
    expect(Array.from(p.grad.dataSync()).map((v) => +v.toFixed(5))).toEqual([0.6, 0.8]);
  });
  it('clipGradValue_ clamps', () => {
    const p = new nn.Parameter(torch.zeros(3));
    p.grad = torch.tensor([-3, 0.5, 4]);
    nn.utils.clipGradValue_([p], 1);
    expect(Array.from(p.grad.dataSync())).toEqual([-1, 0.5, 1]);
  });
  it('parametersToVector / vectorToParameters round-trip', () => {
    const m = new nn.Linear(3, 2);
    const v = nn.utils.parametersToVector(m.parameters());
    expect(v.shape).toEqual([8]);
    nn.utils.vectorToParameters(torch.arange(8, { dtype: 'float32' }), m.parameters());
    expect(Array.from(m.bias!.dataSync())).toEqual([6, 7]);
  });
});

describe('attention against PyTorch', () => {
  const { mha, sdpa } = fx.attention;
  const t = (x: FixtureTensor): Tensor => decode(torch, x);
  it('MultiheadAttention with a bool attnMask and keyPaddingMask (true = not allowed)', () => {
    torch.manualSeed(mha.seed);
    const m = new nn.MultiheadAttention(8, 2);
    const [out, weights] = m.forward(t(mha.q), t(mha.k), t(mha.v), { attnMask: t(mha.attn_mask), keyPaddingMask: t(mha.key_padding_mask) });
    expectClose(out, mha.output, 'output');
    expectClose(weights, mha.weights, 'weights');
  });
  it('F.scaledDotProductAttention with isCausal and with a float mask', () => {
    const [q, k, v] = [t(sdpa.q), t(sdpa.k), t(sdpa.v)];
    expectClose(nn.functional.scaledDotProductAttention(q, k, v, { isCausal: true }), sdpa.causal, 'causal');
    expectClose(nn.functional.scaledDotProductAttention(q, k, v, { attnMask: t(sdpa.float_mask) }), sdpa.masked, 'float mask');
    expectClose(nn.functional.scaledDotProductAttention(q, k, v, null, 0, true), sdpa.causal, 'positional isCausal');
    const bool = torch.ones(3, 5, { dtype: 'bool' }).tril();
    expectClose(nn.functional.scaledDotProductAttention(q, k, v, { attnMask: bool }), sdpa.causal, 'bool mask (true = attend)');
  });
});
