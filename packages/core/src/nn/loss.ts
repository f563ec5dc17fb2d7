/**
 * Loss functions: mseLoss, l1Loss, smoothL1Loss, nllLoss, crossEntropy, binaryCrossEntropy,
 * binaryCrossEntropyWithLogits, with PyTorch's reductions ('none' | 'mean' | 'sum'), node names,
 * and gradients for both input and target where PyTorch has them. Forwards are built from
 * primitives without recording; backward formulas are written with ops.
 */
import { isFloating, scalarTypeName } from '../dtype.js';
import { checkInt, checkOptions } from '../args.js';
import { IndexError, RuntimeError, ValueError } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Tensor } from '../tensor.js';
import { arange } from '../ops/creation.js';
import { where } from '../ops/pointwise.js';
import { logSoftmax } from '../ops/softmax.js';
import { gradFor, record } from '../ops/support.js';
import { bindArgs } from './args.js';
import { logSigmoidValues } from './activation.js';

/** How a loss reduces its elementwise values. */
export type Reduction = 'none' | 'mean' | 'sum';

/** Keywords shared by every loss. */
export interface ReductionOptions {
  reduction?: Reduction;
}

function checkReduction(r: string): Reduction {
  if (r !== 'none' && r !== 'mean' && r !== 'sum') throw new ValueError(`${r} is not a valid value for reduction`);
  return r;
}

const sizeText = (s: readonly number[]): string => `torch.Size([${s.join(', ')}])`;

/** Applies the reduction (not recorded: callers record their own node). */
function reduce(loss: Tensor, r: Reduction): Tensor {
  return r === 'none' ? loss : r === 'sum' ? loss.sum() : loss.mean();
}

/** The incoming gradient broadcast back over the elements, divided by n for 'mean'. */
function spread(g: Tensor, shape: readonly number[], r: Reduction, n: number): Tensor {
  if (r === 'none') return g;
  const e = g.expand([...shape]);
  return r === 'mean' ? e.div(n) : e;
}

function sameSizeWarning(fn: string, input: Tensor, target: Tensor): void {
  if (input.shape.length === target.shape.length && input.shape.every((s, i) => s === target.shape[i])) return;
  warnOnce(`${fn}`, `UserWarning: Using a target size (${sizeText(target.shape)}) that is different to the input size (${sizeText(input.shape)}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`);
}

const warned = new Set<string>();
function warnOnce(key: string, text: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  (globalThis as { console?: { warn(m: string): void } }).console?.warn(text);
}

// ------------------------------------------------------------------ regression losses

/** F.mse_loss(input, target, reduction='mean'): (input - target)^2. */
export function mseLoss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const r = checkReduction(checkOptions('mse_loss', opts, ['reduction']).reduction ?? 'mean');
  sameSizeWarning('mse_loss', input, target);
  const d0 = noGrad(() => input.sub(target));
  const shape = d0.shape, n = d0.numel();
  const y = noGrad(() => reduce(d0.mul(d0), r));
  record(y, 'MseLossBackward0', [input, target], [input, target], ([g], [x, t], needs) => {
    const gi = x!.sub(t!).mul(2).mul(spread(g!, shape, r, n));
    return [needs[0] ? gradFor(gi, input) : null, needs[1] ? gradFor(gi.neg(), target) : null];
  });
  return y;
}

/** F.l1_loss(input, target, reduction='mean'): |input - target| (composite, as in PyTorch 1.13). */
export function l1Loss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const r = checkReduction(checkOptions('l1_loss', opts, ['reduction']).reduction ?? 'mean');
  sameSizeWarning('l1_loss', input, target);
  return reduce(input.sub(target).abs(), r);
}

/** F.smooth_l1_loss(input, target, reduction='mean', beta=1): quadratic below beta, linear above. */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: ReductionOptions & { beta?: number } = {}): Tensor {
  const r = checkReduction(checkOptions('smooth_l1_loss', opts, ['reduction', 'beta']).reduction ?? 'mean');
  const beta = opts.beta ?? 1;
  if (beta < 0) throw new RuntimeError('smooth_l1_loss does not support negative values for beta.');
  if (beta === 0) return l1Loss(input, target, { reduction: r });
  sameSizeWarning('smooth_l1_loss', input, target);
  const d0 = noGrad(() => input.sub(target));
  const shape = d0.shape, n = d0.numel();
  const y = noGrad(() => {
    const ad = d0.abs();
    return reduce(where(ad.lt(beta), d0.mul(d0).mul(0.5 / beta), ad.sub(0.5 * beta)), r);
  });
  record(y, 'SmoothL1LossBackward0', [input, target], [input, target], ([g], [x, t], needs) => {
    const d = x!.sub(t!);
    const ge = spread(g!, shape, r, n);
    const gi = where(d.lt(-beta), ge.neg(), where(d.gt(beta), ge, ge.mul(d).div(beta)));
    return [needs[0] ? gradFor(gi, input) : null, needs[1] ? gradFor(gi.neg(), target) : null];
  });
  return y;
}

// ------------------------------------------------------------------ binary cross entropy

/** Keywords of binaryCrossEntropy (weight may also be the third positional argument). */
export interface BceOptions extends ReductionOptions {
  weight?: Tensor | null;
}

/**
 * F.binary_cross_entropy(input, target, weight=null, reduction='mean'):
 * -w (t log(x) + (1 - t) log(1 - x)), each log clamped at -100 like PyTorch.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, ...rest: (Tensor | null | BceOptions)[]): Tensor {
  const a = bindArgs<{ weight: Tensor | null; sizeAverage: unknown; reduce: unknown; reduction: Reduction }>(
    'binary_cross_entropy', rest, ['weight', 'sizeAverage', 'reduce', 'reduction'], { weight: null, sizeAverage: null, reduce: null, reduction: 'mean' });
  const r = checkReduction(a.reduction);
  if (input.shape.length !== target.shape.length || input.shape.some((s, i) => s !== target.shape[i])) {
    throw new ValueError(`Using a target size (${sizeText(target.shape)}) that is different to the input size (${sizeText(input.shape)}) is deprecated. Please ensure they have the same size.`);
  }
  checkUnitInterval(input);
  const w = a.weight;
  const n = input.numel(), shape = input.shape;
  const y = noGrad(() => {
    const logx = input.log().maximum(floor100(input));
    const log1mx = input.neg().add(1).log().maximum(floor100(input));
    let loss = target.mul(logx).add(target.neg().add(1).mul(log1mx)).neg();
    if (w) loss = loss.mul(w);
    return reduce(loss, r);
  });
  record(y, 'BinaryCrossEntropyBackward0', [input, target], [input, target, w], ([g], [x, t, sw], needs) => {
    let ge = spread(g!, shape, r, n);
    if (sw) ge = ge.mul(sw);
    let gi: Tensor | null = null, gt: Tensor | null = null;
    if (needs[0]) {
      // g w (x - t) / max(x (1 - x), 1e-12)
      const denom = x!.mul(x!.neg().add(1));
      gi = gradFor(ge.mul(x!.sub(t!)).div(where(denom.lt(1e-12), 1e-12, denom)), input);
    }
    // d/dt = -w g logit(x) = w g (log(1 - x) - log(x))
    if (needs[1]) gt = gradFor(ge.mul(x!.neg().add(1).log().sub(x!.log())), target);
    return [gi, gt];
  });
  return y;
}

/** A tensor of -100 matching `x` (the floor PyTorch puts under the logs of BCE). */
function floor100(x: Tensor): Tensor {
  return x.mul(0).sub(100);
}

function checkUnitInterval(x: Tensor): void {
  const values = x.backend.readSync(x.storage);
  if (values === null) return; // pending on an asynchronous device: checked by nobody, as on CUDA
  const v = x.contiguous().dataSync();
  for (let i = 0; i < v.length; i++) {
    if (!(v[i]! >= 0 && v[i]! <= 1)) throw new RuntimeError('all elements of input should be between 0 and 1');
  }
}

/** Keywords of binaryCrossEntropyWithLogits. */
export interface BceWithLogitsOptions extends ReductionOptions {
  weight?: Tensor | null;
  /** Weight of the positive examples, broadcast against the classes (last dim). */
  posWeight?: Tensor | null;
}

/**
 * F.binary_cross_entropy_with_logits(input, target, weight=null, reduction='mean',
 * posWeight=null): sigmoid + BCE in one numerically stable expression.
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, ...rest: (Tensor | null | BceWithLogitsOptions)[]): Tensor {
  const a = bindArgs<{ weight: Tensor | null; sizeAverage: unknown; reduce: unknown; reduction: Reduction; posWeight: Tensor | null }>(
    'binary_cross_entropy_with_logits', rest, ['weight', 'sizeAverage', 'reduce', 'reduction', 'posWeight'],
    { weight: null, sizeAverage: null, reduce: null, reduction: 'mean', posWeight: null });
  const r = checkReduction(a.reduction);
  if (input.shape.length !== target.shape.length || input.shape.some((s, i) => s !== target.shape[i])) {
    throw new ValueError(`Target size (${sizeText(target.shape)}) must be the same as input size (${sizeText(input.shape)})`);
  }
  const w = a.weight, pw = a.posWeight;
  const n = input.numel(), shape = input.shape;
  const y = noGrad(() => {
    // (1 - t) x - lw * logsigmoid(x), lw = 1 + (pw - 1) t
    const ls = logSigmoidValues(input);
    const lw = pw ? pw.sub(1).mul(target).add(1) : null;
    let loss = target.neg().add(1).mul(input).sub(lw ? lw.mul(ls) : ls);
    if (w) loss = loss.mul(w);
    return reduce(loss, r);
  });
  record(y, 'BinaryCrossEntropyWithLogitsBackward0', [input, target], [input, target, w, pw], ([g], [x, t, sw, spw], needs) => {
    let ge = spread(g!, shape, r, n);
    if (sw) ge = ge.mul(sw);
    let gi: Tensor | null = null, gt: Tensor | null = null;
    if (needs[0]) {
      // (pw t + 1 - t) sigmoid(x) - pw t, or sigmoid(x) - t
      const base = spw ? spw.mul(t!).add(1).sub(t!).mul(x!.sigmoid()).sub(spw.mul(t!)) : x!.sigmoid().sub(t!);
      gi = gradFor(base.mul(ge), input);
    }
    if (needs[1]) {
      // logsigmoid(-x) - pw logsigmoid(x), or -x
      const base = spw ? logSigmoidValues(x!.neg()).sub(logSigmoidValues(x!).mul(spw)) : x!.neg();
      gt = gradFor(base.mul(ge), target);
    }
    return [gi, gt];
  });
  return y;
}

// ------------------------------------------------------------------ nll / cross entropy

/** Keywords of nllLoss / crossEntropy (weight may also be the third positional argument). */
export interface NllOptions extends ReductionOptions {
  weight?: Tensor | null;
  /** Targets equal to this are skipped (no loss, no gradient, not counted by 'mean'). */
  ignoreIndex?: number;
}

/** Keywords of crossEntropy. */
export interface CrossEntropyOptions extends NllOptions {
  /** Mixes the target with the uniform distribution: (1 - s) one-hot + s / C. */
  labelSmoothing?: number;
}

interface NllArgs {
  weight: Tensor | null;
  sizeAverage: unknown;
  ignoreIndex: number;
  reduce: unknown;
  reduction: Reduction;
  labelSmoothing: number;
}

const NLL_NAMES = ['weight', 'sizeAverage', 'ignoreIndex', 'reduce', 'reduction', 'labelSmoothing'] as const;
const NLL_DEFAULTS: NllArgs = { weight: null, sizeAverage: null, ignoreIndex: -100, reduce: null, reduction: 'mean', labelSmoothing: 0 };

/** PyTorch's shape checks for class-index targets; returns the class dim. */
function checkNllShapes(input: Tensor, target: Tensor, weight: Tensor | null): number {
  if (input.ndim < 1) throw new RuntimeError('input tensor should be 1D or 2D');
  if (target.dtype !== 'int64') {
    throw new RuntimeError(`expected scalar type Long but found ${scalarTypeName(target.dtype)}`);
  }
  const classDim = input.ndim === 1 ? 0 : 1;
  const C = input.shape[classDim]!;
  if (input.ndim === 1) {
    if (target.ndim !== 0) throw new RuntimeError(`0D or 1D target tensor expected, multi-target not supported`);
  } else {
    if (input.shape[0] !== target.shape[0]) {
      throw new ValueError(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`);
    }
    const want = [input.shape[0]!, ...input.shape.slice(2)];
    if (target.ndim !== want.length || target.shape.some((s, i) => s !== want[i])) {
      throw new RuntimeError(`Expected target size [${want.join(', ')}], got [${target.shape.join(', ')}]`);
    }
  }
  if (weight && (weight.ndim !== 1 || weight.numel() !== C)) {
    throw new RuntimeError(`weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: [${weight.shape.join(', ')}]`);
  }
  return classDim;
}

/** PyTorch's "Target k is out of bounds." for targets outside [0, C) other than ignoreIndex. */
function checkTargets(target: Tensor, C: number, ignoreIndex: number): void {
  if (target.backend.readSync(target.storage) === null) return; // pending: cannot check synchronously
  const v = target.contiguous().dataSync();
  for (let i = 0; i < v.length; i++) {
    const k = v[i]!;
    if (k !== ignoreIndex && (k < 0 || k >= C)) throw new IndexError(`Target ${k} is out of bounds.`);
  }
}

/** Broadcast shape of the class axis: C at classDim, 1 elsewhere. */
function classShape(ndim: number, classDim: number, C: number): number[] {
  return Array.from({ length: ndim }, (_, i) => (i === classDim ? C : 1));
}

/**
 * The negative log likelihood of class-index targets. `input` holds log-probabilities
 * [N, C, d...] or [C]; node NllLossBackward0 (NllLoss2DBackward0 for 3-d and higher inputs).
 */
function nll(input: Tensor, target: Tensor, weight: Tensor | null, r: Reduction, ignoreIndex: number): Tensor {
  const classDim = checkNllShapes(input, target, weight);
  const C = input.shape[classDim]!;
  checkTargets(target, C, ignoreIndex);
  const { mask, wt } = noGrad(() => {
    const classes = arange(C, { device: input.device }).view(classShape(input.ndim, classDim, C));
    const t = target.unsqueeze(classDim);
    const m = classes.eq(t); // one-hot of the target class
    const valid = target.ne(ignoreIndex).to(input.dtype);
    const picked = weight ? where(m, weight.view(classShape(input.ndim, classDim, C)), 0).sum(classDim) : null;
    return { mask: m, wt: picked ? picked.mul(valid) : valid };
  });
  const total = noGrad(() => wt.sum());
  const y = noGrad(() => {
    const loss = where(mask, input, 0).sum(classDim).neg().mul(wt);
    return r === 'none' ? loss : r === 'sum' ? loss.sum() : loss.sum().div(total);
  });
  const node = input.ndim >= 3 ? 'NllLoss2DBackward0' : 'NllLossBackward0';
  const outShape = wt.shape;
  record(y, node, [input], [], ([g]) => {
    let scale = r === 'none' ? g!.mul(wt) : g!.expand([...outShape]).mul(wt);
    if (r === 'mean') scale = scale.div(total);
    return [where(mask, scale.neg().unsqueeze(classDim), 0)];
  });
  return y;
}

/**
 * F.nll_loss(input, target, weight=null, ignoreIndex=-100, reduction='mean'): input holds
 * log-probabilities [N, C, d...] (or [C] with a 0-d target); target holds class indices.
 */
export function nllLoss(input: Tensor, target: Tensor, ...rest: (Tensor | null | number | NllOptions)[]): Tensor {
  const a = bindArgs<NllArgs>('nll_loss', rest, NLL_NAMES.slice(0, 5) as (keyof NllArgs)[], NLL_DEFAULTS);
  checkInt(a.ignoreIndex, 'ignore_index', 'nll_loss');
  const r = checkReduction(a.reduction);
  if (input.ndim < 3 || input.ndim === 4) return nll(input, target, a.weight, r, a.ignoreIndex);
  return nllNd(input, target, a.weight, r, a.ignoreIndex);
}

/** PyTorch's nll_loss_nd for 3-d and 5-d+ inputs: viewed as [N, C, 1, -1]; 'none' viewed back. */
function nllNd(input: Tensor, target: Tensor, weight: Tensor | null, r: Reduction, ignoreIndex: number): Tensor {
  checkNllShapes(input, target, weight);
  const [N, C] = input.shape as [number, number];
  const outShape = [N, ...input.shape.slice(2)];
  const x = input.contiguous().view(N, C, 1, -1);
  const t = target.contiguous().view(N, 1, -1);
  const out = nll(x, t, weight, r, ignoreIndex);
  return r === 'none' ? out.view(outShape) : out;
}

/**
 * F.cross_entropy(input, target, weight=null, ignoreIndex=-100, reduction='mean',
 * labelSmoothing=0): logSoftmax over the class dim, then nll. `target` holds class indices
 * (int64) or class probabilities (a float tensor shaped like input).
 */
export function crossEntropy(input: Tensor, target: Tensor, ...rest: (Tensor | null | number | CrossEntropyOptions)[]): Tensor {
  const a = bindArgs<NllArgs>('cross_entropy', rest, NLL_NAMES as unknown as (keyof NllArgs)[], NLL_DEFAULTS);
  checkInt(a.ignoreIndex, 'ignore_index', 'cross_entropy');
  const r = checkReduction(a.reduction);
  const s = a.labelSmoothing;
  if (s < 0 || s > 1) throw new RuntimeError(`label_smoothing must be between 0.0 and 1.0. Got: ${s}`);
  const classDim = input.ndim === 1 ? 0 : 1;
  const lsm = logSoftmax(input, classDim);
  if (isFloating(target.dtype)) return crossEntropyProbs(lsm, target, a.weight, r, s, classDim);
  const nllOut = input.ndim < 3 || input.ndim === 4 ? nll(lsm, target, a.weight, r, a.ignoreIndex) : nllNd(lsm, target, a.weight, r, a.ignoreIndex);
  if (s === 0) return nllOut;
  // Label smoothing: (1 - s) nll + (s / C) * smooth, where smooth sums -w_c logp_c over classes.
  const C = input.shape[classDim]!;
  const ignore = target.eq(a.ignoreIndex);
  const w = a.weight ? a.weight.view(classShape(input.ndim, classDim, C)) : null;
  let smooth = (w ? lsm.mul(w) : lsm).sum(classDim).neg();
  smooth = where(ignore, 0, smooth);
  let ret: Tensor;
  if (r === 'none') ret = smooth;
  else if (r === 'sum') ret = smooth.sum();
  else if (a.weight) {
    const keep = ignore.logicalNot();
    const classes = arange(C, { device: input.device }).view(classShape(target.ndim + 1, target.ndim, C));
    const wsum = noGrad(() => where(classes.eq(target.unsqueeze(-1)).logicalAnd(keep.unsqueeze(-1)), a.weight!, 0).sum());
    ret = smooth.sum().div(wsum);
  } else ret = smooth.sum().div(ignore.logicalNot().sum());
  return nllOut.mul(1 - s).add(ret.mul(s / C));
}

/** Cross entropy against class probabilities: -sum(w * t * logp) over classes. */
function crossEntropyProbs(lsm: Tensor, target: Tensor, weight: Tensor | null, r: Reduction, s: number, classDim: number): Tensor {
  if (lsm.ndim !== target.ndim || lsm.shape.some((d, i) => d !== target.shape[i])) {
    throw new RuntimeError(`Expected target size ${sizeText(lsm.shape).slice(11, -1)}, got ${sizeText(target.shape).slice(11, -1)}`);
  }
  const C = lsm.shape[classDim]!;
  const t = s > 0 ? target.mul(1 - s).add(s / C) : target;
  let prod = lsm.mul(t);
  if (weight) prod = prod.mul(weight.view(classShape(lsm.ndim, classDim, C)));
  if (r === 'none') return prod.sum(classDim).neg();
  if (r === 'sum') return prod.sum().neg();
  return divScalar(prod.sum().neg(), lsm.numel() / C);
}

/** t / n recorded as DivBackward1: PyTorch's C++ composites divide by a Scalar there. */
function divScalar(t: Tensor, n: number): Tensor {
  const y = noGrad(() => t.div(n));
  record(y, 'DivBackward1', [t], [], ([g]) => [g!.div(n)]);
  return y;
}

/** F.huber_loss(input, target, reduction='mean', delta=1): 0.5 d^2 below delta, delta (|d| - 0.5 delta) above. */
export function huberLoss(input: Tensor, target: Tensor, opts: ReductionOptions & { delta?: number } = {}): Tensor {
  const r = checkReduction(opts.reduction ?? 'mean');
  const delta = opts.delta ?? 1;
  sameSizeWarning('huber_loss', input, target);
  const d = input.sub(target), ad = d.abs();
  return reduce(where(ad.lt(delta), d.mul(d).mul(0.5), ad.sub(0.5 * delta).mul(delta)), r);
}

/** Keywords of klDiv. */
export interface KlDivOptions {
  /** 'batchmean' divides the sum by the batch size (what the KL divergence means). */
  reduction?: Reduction | 'batchmean';
  /** The target is given as log-probabilities. */
  logTarget?: boolean;
}

/** F.kl_div(input, target, reduction='mean', logTarget=false): target (log target - input), input being log-probabilities. */
export function klDiv(input: Tensor, target: Tensor, opts: KlDivOptions = {}): Tensor {
  const red = opts.reduction ?? 'mean';
  const loss = opts.logTarget
    ? target.exp().mul(target.sub(input))
    : where(target.gt(0), target.mul(target.log()), 0).sub(target.mul(input));
  if (red === 'batchmean') return input.ndim === 0 ? loss.sum() : loss.sum().div(input.shape[0]!);
  return reduce(loss, checkReduction(red));
}
