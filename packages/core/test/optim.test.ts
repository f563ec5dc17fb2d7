/**
 * torch.optim against PyTorch 1.13 (fixtures/torch-optim.json, from fixtures/gen/optim.py): from
 * the same parameters and gradients every optimizer and option gives PyTorch's parameters after
 * each step, its state dict has PyTorch's layout, and every scheduler gives PyTorch's learning
 * rates (and OneCycleLR's momentums).
 */
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { nn, optim, type Tensor } from '../src/index.js';
import { camelKeys, decode, expectClose, loadFixture, runOptimizer as runFixtureOptimizer, type FixtureTensor, type OptCase } from './nn-fixture.js';

interface SchedCase { name: string; kwargs: Record<string, unknown>; lrs: number[]; momentums: number[] }
interface OptimFixture {
  params: FixtureTensor[]; grads: FixtureTensor[][]; optimizers: OptCase[];
  groups: { steps: FixtureTensor[][]; state_dict: OptCase['state_dict'] };
  schedulers: SchedCase[]; metrics: number[];
}

const fx = loadFixture<OptimFixture>('torch-optim.json');
/** PyTorch's flags that Kindling's groups do not carry (they select kernels, not results). */
const KERNEL_FLAGS = new Set(['foreach', 'differentiable', 'capturable', 'fused']);
const runOptimizer = (c: OptCase): Promise<optim.Optimizer<object>> => runFixtureOptimizer(torch, fx.params, fx.grads, c);
const dec = (t: FixtureTensor): Tensor => decode(torch, t);

function checkStateDict(o: optim.Optimizer<object>, want: OptCase['state_dict']): void {
  const sd = o.stateDict();
  expect(Object.keys(sd.state)).toEqual(Object.keys(want.state));
  for (const [id, ws] of Object.entries(want.state)) {
    const got = sd.state[Number(id)]!;
    expect(Object.keys(got)).toEqual(Object.keys(ws));
    for (const [k, v] of Object.entries(ws)) {
      if (v !== null && typeof v === 'object') expectClose(got[k] as Tensor, v as FixtureTensor, `state ${id}.${k}`, 1e-5, 1e-6);
      else expect(got[k]).toEqual(v);
    }
  }
  expect(sd.param_groups.length).toBe(want.param_groups.length);
  sd.param_groups.forEach((g, i) => {
    const w = Object.fromEntries(Object.entries(want.param_groups[i]!).filter(([k]) => !KERNEL_FLAGS.has(k)));
    expect(g).toEqual(w);
  });
}

describe('optimizers against PyTorch', () => {
  for (const c of fx.optimizers) {
    it(`${c.name} ${JSON.stringify(c.kwargs)}`, async () => checkStateDict(await runOptimizer(c), c.state_dict));
  }
  it('parameter groups with their own options', () => {
    const params = fx.params.map((p) => new nn.Parameter(dec(p)));
    const o = new optim.SGD([{ params: [params[0]!] }, { params: [params[1]!], lr: 0.01, momentum: 0.9 }], { lr: 0.1 });
    fx.groups.steps.forEach((want, k) => {
      o.zeroGrad();
      params.forEach((p, i) => (p.grad = dec(fx.grads[k]![i]!)));
      o.step();
      want.forEach((w, i) => expectClose(params[i], w, `step ${k + 1} param ${i}`, 1e-5, 1e-6));
    });
    checkStateDict(o, fx.groups.state_dict);
  });
});

describe('optimizer behaviour', () => {
  it('loadStateDict resumes exactly where the saved optimizer was', async () => {
    const c = fx.optimizers.find((o) => o.name === 'Adam' && o.kwargs.amsgrad)!;
    const short = { ...c, steps: c.steps.slice(0, 3) };
    const first = await runOptimizer(short);
    const params = first.paramGroups[0]!.params.map((p) => new nn.Parameter(p.detach().clone()));
    const resumed = new optim.Adam(params, { lr: 0.01, amsgrad: true });
    resumed.loadStateDict(first.stateDict());
    for (let k = 3; k < c.steps.length; k++) {
      params.forEach((p, i) => (p.grad = dec(fx.grads[k]![i]!)));
      resumed.step();
    }
    c.steps[c.steps.length - 1]!.forEach((w, i) => expectClose(params[i], w, `param ${i}`, 1e-5, 1e-6));
  });
  it('zeroGrad sets grads to null by default (PyTorch 2.x), zeroes them with setToNone: false', () => {
    const p = new nn.Parameter(torch.ones(2));
    const o = new optim.SGD([p], { lr: 0.1 });
    p.grad = torch.ones(2);
    o.zeroGrad({ setToNone: false });
    expect(Array.from(p.grad!.dataSync())).toEqual([0, 0]);
    o.zeroGrad();
    expect(p.grad).toBeNull();
  });
  it("PyTorch's argument errors", () => {
    const p = new nn.Parameter(torch.ones(2));
    expect(() => new optim.SGD([], { lr: 0.1 })).toThrow('optimizer got an empty parameter list');
    expect(() => new optim.SGD([p], { lr: -1 })).toThrow('Invalid learning rate: -1');
    expect(() => new optim.SGD([p.mul(2)], { lr: 0.1 })).toThrow("can't optimize a non-leaf Tensor");
    expect(() => new optim.SGD([{ params: [p] }, { params: [p] }], { lr: 0.1 })).toThrow('some parameters appear in more than one parameter group');
    expect(() => new optim.Adam([p], { betas: [1, 0.9] })).toThrow('Invalid beta parameter at index 0: 1');
  });
  it("prints like PyTorch's optimizer repr (less the kernel-selection flags)", () => {
    const o = new optim.SGD([new nn.Parameter(torch.ones(1))], { lr: 0.1 });
    expect(o.toString()).toBe('SGD (\nParameter Group 0\n    dampening: 0\n    lr: 0.1\n    maximize: False\n    momentum: 0\n    nesterov: False\n    weight_decay: 0\n)');
    expect(new optim.Adam([new nn.Parameter(torch.ones(1))]).toString()).toContain('    betas: (0.9, 0.999)\n    eps: 1e-08\n');
  });
  it('step(closure) returns the loss', () => {
    const p = new nn.Parameter(torch.tensor([3]));
    const o = new optim.SGD([p], { lr: 0.5 });
    const loss = o.step(() => {
      o.zeroGrad();
      const l = p.mul(p).sum();
      l.backward();
      return l;
    }) as Tensor;
    expect(loss.item()).toBe(9);
    expect(p.item()).toBe(0);
  });
});

describe('learning-rate schedulers against PyTorch', () => {
  for (const s of fx.schedulers) {
    it(`${s.name} ${JSON.stringify(s.kwargs)}`, () => {
      const o = new optim.SGD([new nn.Parameter(torch.zeros(1))], { lr: 0.1, momentum: 0.9 });
      const k = camelKeys(s.kwargs) as Record<string, never>;
      const L = optim.lrScheduler;
      let step: () => void;
      let metric = 0;
      switch (s.name) {
        case 'StepLR': { const x = new L.StepLR(o, k.stepSize, k.gamma); step = () => x.step(); break; }
        case 'MultiStepLR': { const x = new L.MultiStepLR(o, k.milestones, k.gamma); step = () => x.step(); break; }
        case 'ExponentialLR': { const x = new L.ExponentialLR(o, k.gamma); step = () => x.step(); break; }
        case 'CosineAnnealingLR': { const x = new L.CosineAnnealingLR(o, k.TMax, k.etaMin); step = () => x.step(); break; }
        case 'LambdaLR': { const x = new L.LambdaLR(o, (e) => 0.95 ** e); step = () => x.step(); break; }
        case 'OneCycleLR': { const { maxLr, ...rest } = k as Record<string, never>; const x = new L.OneCycleLR(o, maxLr, rest); step = () => x.step(); break; }
        case 'ReduceLROnPlateau': { const x = new L.ReduceLROnPlateau(o, k); step = () => x.step(fx.metrics[metric++]!); break; }
        default: throw new Error(`unknown scheduler ${s.name}`);
      }
      const lrs = [o.paramGroups[0]!.lr], moms = [o.paramGroups[0]!.momentum];
      for (let e = 0; e < 11; e++) {
        o.step();
        step();
        lrs.push(o.paramGroups[0]!.lr);
        moms.push(o.paramGroups[0]!.momentum);
      }
      lrs.forEach((v, i) => expect(Math.abs(v - s.lrs[i]!), `lr at epoch ${i}: ${v} vs ${s.lrs[i]}`).toBeLessThanOrEqual(1e-15 + 1e-12 * Math.abs(s.lrs[i]!)));
      moms.forEach((v, i) => expect(Math.abs(v - s.momentums[i]!), `momentum at epoch ${i}`).toBeLessThanOrEqual(1e-12));
    });
  }
});
