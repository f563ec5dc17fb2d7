/**
 * gradcheck and gradgradcheck (float64 finite differences) for every differentiable op: a
 * hand-written table covering each op and its argument forms, then every differentiable case
 * of the corpus (in float64), so ops added later are checked too.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import type { FunctionCtx, Tensor } from '../src/index.js';
import { gradcheck, gradgradcheck, loadCorpus, prepareCase, type GradcheckFn, type GradcheckOptions, type GradcheckOutput } from '../src/testing/index.js';

/** Deterministic float64 values in [lo, hi), kept at least `gap` away from `avoid` points. */
function values(n: number, seed: number, lo = -2, hi = 2, avoid: number[] = [], gap = 0.05): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  while (out.length < n) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const v = lo + (hi - lo) * (s / 2 ** 32);
    if (avoid.every((a) => Math.abs(v - a) > gap)) out.push(v);
  }
  return out;
}

let seedCounter = 1;

/** A float64 leaf that requires grad. */
function x64(shape: number[], opts: { lo?: number; hi?: number; avoid?: number[]; gap?: number; grad?: boolean } = {}): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = values(n, seedCounter++ * 7919, opts.lo ?? -2, opts.hi ?? 2, opts.avoid ?? [], opts.gap);
  return torch.tensor(Float64Array.from(data), { dtype: 'float64' }).reshape(shape).detach().requiresGrad_(opts.grad ?? true);
}

/** Positive inputs (log, sqrt, pow bases). */
const pos = (shape: number[]): Tensor => x64(shape, { lo: 0.3, hi: 2.5 });
/** Inputs away from 0 (abs, relu, sign kinks). */
const nz = (shape: number[]): Tensor => x64(shape, { avoid: [0], gap: 0.1 });
/** Inputs inside (-1, 1) (asin, acos, atanh). */
const unit = (shape: number[]): Tensor => x64(shape, { lo: -0.85, hi: 0.85 });
/** Inputs away from integers and half-integers (floor, ceil, round, trunc). */
const frac = (shape: number[]): Tensor => x64(shape, { avoid: [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2], gap: 0.05 });

interface Case {
  name: string;
  fn: GradcheckFn;
  inputs: () => unknown[];
  opts?: GradcheckOptions;
  /** false: only first derivatives are checked (documented reason in the name). */
  twice?: boolean;
}

const c = (name: string, fn: GradcheckFn, inputs: () => unknown[], extra: Partial<Case> = {}): Case => ({ name, fn, inputs, ...extra });

const T = (f: (...ts: Tensor[]) => GradcheckOutput): GradcheckFn => f as GradcheckFn;

const cases: Case[] = [
  // arithmetic, with broadcasting and scalars
  c('add', T((a, b) => torch.add(a, b)), () => [x64([2, 3]), x64([3])]),
  c('add alpha', T((a, b) => torch.add(a, b, { alpha: 2.5 })), () => [x64([2, 3]), x64([2, 1])]),
  c('add scalar', T((a) => a.add(2)), () => [x64([4])]),
  c('sub', T((a, b) => torch.sub(a, b)), () => [x64([2, 1, 3]), x64([4, 1])]),
  c('sub alpha', T((a, b) => a.sub(b, { alpha: -0.5 })), () => [x64([3]), x64([3])]),
  c('rsub scalar', T((a) => torch.sub(1.5, a)), () => [x64([3])]),
  c('mul', T((a, b) => torch.mul(a, b)), () => [x64([2, 3]), x64([2, 3])]),
  c('mul broadcast 0-d', T((a, b) => a.mul(b)), () => [x64([2, 3]), x64([])]),
  c('mul scalar', T((a) => a.mul(-1.5)), () => [x64([5])]),
  c('mul same tensor', T((a) => a.mul(a)), () => [x64([4])]),
  c('div', T((a, b) => torch.div(a, b)), () => [x64([2, 3]), x64([3], { avoid: [0], gap: 0.3 })]),
  c('div scalar', T((a) => a.div(3)), () => [x64([4])]),
  c('rdiv scalar', T((a) => torch.div(2, a)), () => [x64([4], { avoid: [0], gap: 0.3 })]),
  c('neg', T((a) => torch.neg(a)), () => [x64([2, 2])]),
  c('pow tensor^scalar', T((a) => a.pow(2.5)), () => [pos([5])]),
  c('pow tensor^int scalar', T((a) => torch.pow(a, 3)), () => [x64([5])]),
  c('pow tensor^negative scalar', T((a) => torch.pow(a, -1.5)), () => [pos([5])]),
  c('pow tensor^tensor', T((a, b) => torch.pow(a, b)), () => [pos([2, 3]), x64([3])]),
  c('pow scalar^tensor', T((b) => torch.pow(2.5, b)), () => [x64([4])]),
  c('maximum', T((a, b) => torch.maximum(a, b)), () => [x64([2, 3]), x64([3])]),
  c('minimum', T((a, b) => torch.minimum(a, b)), () => [x64([2, 3]), x64([2, 1])]),
  c('where', T((a, b) => torch.where(torch.tensor([true, false, true]), a, b)), () => [x64([2, 3]), x64([2, 1])]),
  c('where scalar other', T((a) => torch.where(torch.tensor([[true, false, true]]), a, 0.5)), () => [x64([2, 3])]),
  // unary
  ...(
    [
      ['exp', x64], ['log', pos], ['sqrt', pos], ['abs', nz], ['relu', nz], ['sigmoid', x64], ['tanh', x64],
      ['sin', x64], ['cos', x64], ['tan', unit], ['asin', unit], ['acos', unit], ['atan', x64], ['sinh', x64], ['cosh', x64],
      ['asinh', x64], ['acosh', (s: number[]) => x64(s, { lo: 1.2, hi: 3 })], ['atanh', unit], ['log1p', pos], ['expm1', x64],
      ['log2', pos], ['log10', pos], ['exp2', x64], ['rsqrt', pos], ['reciprocal', nz], ['square', x64], ['erf', x64],
      ['silu', x64], ['gelu', x64], ['sign', nz], ['floor', frac], ['ceil', frac], ['round', frac], ['trunc', frac],
    ] as [string, (s: number[]) => Tensor][]
  ).map(([op, gen]) => c(op, T((a) => (torch as unknown as Record<string, (t: Tensor) => Tensor>)[op]!(a)), () => [gen([2, 3])])),
  c('gelu tanh', T((a) => torch.gelu(a, { approximate: 'tanh' })), () => [x64([2, 3])]),
  c('exp on a permuted view', T((a) => a.permute(1, 0).exp()), () => [x64([2, 3])]),
  // reductions
  c('sum', T((a) => a.sum()), () => [x64([2, 3])]),
  c('sum dim', T((a) => a.sum(1)), () => [x64([2, 3, 2])]),
  c('sum dims keepdim', T((a) => a.sum([0, 2], true)), () => [x64([2, 3, 2])]),
  c('sum dtype option', T((a) => a.sum({ dim: -1, keepdim: false })), () => [x64([3, 2])]),
  c('mean', T((a) => a.mean()), () => [x64([2, 3])]),
  c('mean dims', T((a) => a.mean([0, 2])), () => [x64([2, 3, 2])]),
  c('mean dim keepdim', T((a) => a.mean(1, true)), () => [x64([2, 3])]),
  c('prod', T((a) => a.prod()), () => [x64([2, 3], { avoid: [0], gap: 0.2 })]),
  c('prod dim', T((a) => a.prod(1)), () => [x64([3, 4], { avoid: [0], gap: 0.2 })]),
  c('prod dim keepdim', T((a) => a.prod(0, true)), () => [x64([3, 2], { avoid: [0], gap: 0.2 })]),
  c('prod with one zero', T((a) => a.mul(torch.tensor([1, 0, 1, 1], { dtype: 'float64' })).prod()), () => [x64([4], { avoid: [0], gap: 0.2 })]),
  c('max', T((a) => a.max()), () => [x64([2, 3])]),
  c('max dim values', T((a) => a.max(1).values), () => [x64([3, 4])]),
  c('max dim keepdim', T((a) => a.max(0, true).values), () => [x64([3, 4])]),
  c('min', T((a) => a.min()), () => [x64([2, 3])]),
  c('min dim values', T((a) => a.min(-1).values), () => [x64([3, 4])]),
  c('amax', T((a) => a.amax()), () => [x64([2, 3])]),
  c('amax dims', T((a) => a.amax([0, 2])), () => [x64([2, 3, 2])]),
  c('amin dim keepdim', T((a) => a.amin(1, true)), () => [x64([2, 3])]),
  // linear algebra: every matmul form
  c('matmul 1d@1d', T((a, b) => torch.matmul(a, b)), () => [x64([4]), x64([4])]),
  c('matmul 2d@2d', T((a, b) => torch.matmul(a, b)), () => [x64([2, 3]), x64([3, 4])]),
  c('matmul 1d@2d', T((a, b) => torch.matmul(a, b)), () => [x64([3]), x64([3, 2])]),
  c('matmul 2d@1d', T((a, b) => torch.matmul(a, b)), () => [x64([2, 3]), x64([3])]),
  c('matmul 3d@3d', T((a, b) => torch.matmul(a, b)), () => [x64([2, 2, 3]), x64([2, 3, 2])]),
  c('matmul 3d@2d', T((a, b) => torch.matmul(a, b)), () => [x64([2, 2, 3]), x64([3, 2])]),
  c('matmul 2d@3d', T((a, b) => torch.matmul(a, b)), () => [x64([2, 3]), x64([2, 3, 2])]),
  c('matmul 1d@3d', T((a, b) => torch.matmul(a, b)), () => [x64([3]), x64([2, 3, 2])]),
  c('matmul 3d@1d', T((a, b) => torch.matmul(a, b)), () => [x64([2, 2, 3]), x64([3])]),
  c('matmul broadcast batch 4d@3d', T((a, b) => torch.matmul(a, b)), () => [x64([2, 1, 2, 3]), x64([3, 3, 2])]),
  c('matmul transposed operands', T((a, b) => a.t().matmul(b.t())), () => [x64([3, 2]), x64([4, 3])]),
  c('mm', T((a, b) => torch.mm(a, b)), () => [x64([2, 3]), x64([3, 2])]),
  c('bmm', T((a, b) => torch.bmm(a, b)), () => [x64([2, 2, 3]), x64([2, 3, 2])]),
  c('dot', T((a, b) => torch.dot(a, b)), () => [x64([5]), x64([5])]),
  // views and copies
  c('view', T((a) => a.view(3, 2)), () => [x64([2, 3])]),
  c('view -1', T((a) => a.view([-1])), () => [x64([2, 3])]),
  c('reshape contiguous', T((a) => a.reshape(6, 1)), () => [x64([2, 3])]),
  c('reshape non-contiguous', T((a) => a.t().reshape(6)), () => [x64([2, 3])]),
  c('permute', T((a) => a.permute(2, 0, 1)), () => [x64([2, 3, 2])]),
  c('transpose', T((a) => a.transpose(0, 2)), () => [x64([2, 3, 2])]),
  c('t', T((a) => a.t()), () => [x64([2, 3])]),
  c('expand', T((a) => a.expand(2, 3, 4)), () => [x64([3, 1])]),
  c('squeeze', T((a) => a.squeeze()), () => [x64([2, 1, 3, 1])]),
  c('squeeze dim', T((a) => a.squeeze(1)), () => [x64([2, 1, 3])]),
  c('unsqueeze', T((a) => a.unsqueeze(-1)), () => [x64([2, 3])]),
  c('flatten', T((a) => a.flatten(1)), () => [x64([2, 3, 2])]),
  c('narrow', T((a) => a.narrow(1, 1, 2)), () => [x64([2, 4])]),
  c('select', T((a) => a.select(0, -1)), () => [x64([3, 2])]),
  c('index int, slice, None, ellipsis', T((a) => a.index(0, [1, null], null, '...')), () => [x64([2, 3, 2])]),
  c('index stepped slice', T((a) => a.index('...', [null, null, 2])), () => [x64([2, 5])]),
  c('index string form', T((a) => a.index('1:, ::2')), () => [x64([3, 4])]),
  c('clone', T((a) => a.clone()), () => [x64([2, 3])]),
  c('contiguous of a transpose', T((a) => a.t().contiguous()), () => [x64([2, 3])]),
  c('to(float32) and back', T((a) => a.to('float32').mul(2).to('float64')), () => [x64([3])], { opts: { eps: 1e-3, atol: 1e-3, rtol: 1e-3 } }),
  c('to(float64) of float64 is the same tensor', T((a) => a.to('float64').mul(a)), () => [x64([3])]),
  // a small composite: an MLP layer with a loss
  c('mlp', T((x, w, b) => x.matmul(w).add(b).tanh().mul(x.sum(1, true)).mean()), () => [x64([3, 2]), x64([2, 4]), x64([4])]),
];

describe('gradcheck / gradgradcheck: each op', () => {
  for (const k of cases) {
    it(`gradcheck ${k.name}`, () => {
      expect(gradcheck(k.fn, k.inputs(), k.opts)).toBe(true);
    });
    if (k.twice !== false) {
      it(`gradgradcheck ${k.name}`, () => {
        expect(gradgradcheck(k.fn, k.inputs(), null, k.opts)).toBe(true);
      });
    }
  }
});

/** x^2 whose backward is off by one: g * (2x + 1). */
class WrongSquare extends torch.autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.mul(x);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return g.mul(x!.mul(2).add(1));
  }
}

/** x^2 with a right first derivative whose backward is not differentiable in x (x detached). */
class OnceSquare extends torch.autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.mul(x);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return g.mul(x!.detach().mul(2));
  }
}

describe('gradcheck catches wrong gradients', () => {
  it('reports the Jacobian mismatch of a wrong backward', () => {
    // Value 3a, but autograd sees only the (a - a.detach()) term: gradient 1 instead of 3.
    const wrong = (a: Tensor): Tensor => a.detach().mul(3).add(a.sub(a.detach()));
    expect(() => gradcheck(wrong as (...xs: never[]) => Tensor, [x64([3])])).toThrow(/Jacobian mismatch for output 0 with respect to input 0/);
    expect(() => gradcheck(T((a) => WrongSquare.apply(a)), [x64([3])])).toThrow(/Jacobian mismatch/);
  });

  it('gradgradcheck catches a backward that is right once but not differentiable', () => {
    const f = T((a) => OnceSquare.apply(a));
    expect(gradcheck(f, [x64([3])])).toBe(true);
    expect(() => gradgradcheck(f, [x64([3])])).toThrow(/Jacobian mismatch for output 0 with respect to input 0/);
  });

  it('requires a float64 input that requires grad', () => {
    expect(() => gradcheck(((a: Tensor) => a.exp()) as (...xs: never[]) => Tensor, [x64([3], { grad: false })])).toThrow(/at least one input/);
    const f32 = torch.tensor([1, 2], { requiresGrad: true });
    expect(() => gradcheck(((a: Tensor) => a.exp()) as (...xs: never[]) => Tensor, [f32])).toThrow(/not float64/);
  });
});

// ------------------------------------------------------------------ every differentiable corpus case

/**
 * Cases where finite differences cannot agree with the (correct) analytic gradient, by design:
 * PyTorch's own gradcheck fails on them too.
 */
function excluded(id: string, op: string): string | null {
  if (/^(floor|ceil|round|trunc|sign)$/.test(op) && id.includes('ties')) return 'inputs sit on the jumps of a step function';
  if (op === 'F.embedding' && id.includes('padding_idx')) return 'padding_idx rows get no gradient by definition';
  if (op === 'F.embedding' && id.includes('max_norm')) return 'max_norm rescales the weight under noGrad, which finite differences see and the gradient (as in PyTorch) does not';
  return null;
}

const differentiable = ['torch-golden.json', 'torch-ops-linalg.json']
  .flatMap((f) => loadCorpus(readFileSync(new URL(`../src/testing/corpus/${f}`, import.meta.url), 'utf8')))
  .filter((k) => k.grad_output !== null && (k.grads ?? []).some((g) => g !== null));
const corpus = differentiable.filter((k) => excluded(k.id, k.op) === null);

/** Tolerances for the corpus cases: window ops (conv, pooling) sum more terms. */
function corpusTol(op: string): GradcheckOptions {
  return /conv|pool|layer_norm|norm/.test(op) ? { atol: 1e-4, rtol: 1e-3 } : {};
}

describe('gradcheck / gradgradcheck: every differentiable corpus case, in float64', () => {
  const unsupported = new Map<string, string>();
  for (const k of corpus) {
    const prepare = () => {
      try {
        return prepareCase(k, { float64: true });
      } catch (e) {
        if (e instanceof Error && e.name === 'NotSupportedError') {
          unsupported.set(k.id, (e as Error).message);
          return null;
        }
        throw e;
      }
    };
    for (const order of ['gradcheck', 'gradgradcheck'] as const) {
      it(`${order} ${k.id}`, (ctx) => {
        const p = prepare();
        if (p === null) return ctx.skip(`not supported yet: ${unsupported.get(k.id)}`);
        const fn = (...ts: Tensor[]) => p.call(ts);
        const opts = corpusTol(k.op);
        try {
          if (order === 'gradcheck') expect(gradcheck(fn as (...xs: never[]) => Tensor, p.tensors, opts)).toBe(true);
          else expect(gradgradcheck(fn as (...xs: never[]) => Tensor, p.tensors, null, opts)).toBe(true);
        } catch (e) {
          if (e instanceof Error && e.name === 'NotSupportedError') {
            unsupported.set(k.id, e.message);
            return ctx.skip(`not supported yet: ${e.message}`);
          }
          throw e;
        }
      });
    }
  }
  it('summary', () => {
    const ops = [...new Set(corpus.filter((k) => unsupported.has(k.id)).map((k) => k.op))].sort();
    const skipped = differentiable.filter((k) => excluded(k.id, k.op) !== null).map((k) => `${k.id} (${excluded(k.id, k.op)})`);
    console.log(
      `gradcheck corpus: ${corpus.length - unsupported.size} of ${corpus.length} differentiable cases checked, ${unsupported.size} not supported yet${ops.length ? `: ${ops.join(', ')}` : ''}\n` +
        `excluded by design: ${skipped.join(', ')}`,
    );
  });
});
