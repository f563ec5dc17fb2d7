/**
 * torch.optim.lr_scheduler: StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LambdaLR,
 * OneCycleLR and ReduceLROnPlateau, with PyTorch 1.13's (chainable) formulas, so each epoch's
 * learning rate matches PyTorch's.
 */
import { ValueError } from '../errors.js';
import type { Optimizer } from './optimizer.js';

type Group = Record<string, unknown> & { lr: number };

/** Python's modulo (the result takes the divisor's sign). */
const pyMod = (a: number, b: number): number => ((a % b) + b) % b;

/**
 * Base of the epoch-driven schedulers (torch.optim.lr_scheduler._LRScheduler): remembers each
 * group's initial lr and sets `lr` on every `step()`. Construction takes the first step
 * (epoch 0), as in PyTorch.
 */
export abstract class LRScheduler {
  /** The epoch count: -1 before the constructor's first step. */
  lastEpoch: number;
  /** Each group's initial learning rate. */
  readonly baseLrs: number[];
  #lastLr: number[] = [];
  /** @internal How many times step() ran. */
  protected stepCount = 0;

  constructor(
    /** The optimizer whose learning rates it sets. */ readonly optimizer: Optimizer<object>,
    lastEpoch = -1,
  ) {
    const groups = this.groups();
    if (lastEpoch === -1) for (const g of groups) g.initialLr ??= g.lr;
    else groups.forEach((g, i) => {
      if (g.initialLr === undefined) throw new ValueError(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
    });
    this.baseLrs = groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /** Runs the constructor's first step; subclasses call it once their fields are set. */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** @internal The optimizer's groups. */
  protected groups(): Group[] {
    return this.optimizer.paramGroups as unknown as Group[];
  }

  /** The learning rates for the current lastEpoch (chainable form: may read each group's current lr). */
  protected abstract getLr(): number[];

  /** Advances one epoch and sets each group's lr. */
  step(): void {
    this.stepCount++;
    this.lastEpoch++;
    const lrs = this.getLr();
    this.groups().forEach((g, i) => (g.lr = lrs[i]!));
    this.#lastLr = this.groups().map((g) => g.lr);
  }

  /** The learning rates set by the last step. */
  getLastLr(): number[] {
    return [...this.#lastLr];
  }
}

/** StepLR(optimizer, stepSize, gamma=0.1): lr times gamma every stepSize epochs. */
export class StepLR extends LRScheduler {
  constructor(
    optimizer: Optimizer<object>,
    /** Epochs between decays. */ readonly stepSize: number,
    /** Multiplicative decay factor. */ readonly gamma = 0.1,
    lastEpoch = -1,
  ) {
    super(optimizer, lastEpoch);
    this.initialStep();
  }
  protected override getLr(): number[] {
    const e = this.lastEpoch;
    return this.groups().map((g) => (e === 0 || e % this.stepSize !== 0 ? g.lr : g.lr * this.gamma));
  }
}

/** MultiStepLR(optimizer, milestones, gamma=0.1): lr times gamma at each milestone epoch. */
export class MultiStepLR extends LRScheduler {
  readonly #counts = new Map<number, number>();
  constructor(
    optimizer: Optimizer<object>,
    /** Epochs at which the lr decays. */ readonly milestones: number[],
    /** Multiplicative decay factor. */ readonly gamma = 0.1,
    lastEpoch = -1,
  ) {
    super(optimizer, lastEpoch);
    for (const m of milestones) this.#counts.set(m, (this.#counts.get(m) ?? 0) + 1);
    this.initialStep();
  }
  protected override getLr(): number[] {
    const n = this.#counts.get(this.lastEpoch);
    return this.groups().map((g) => (n === undefined ? g.lr : g.lr * this.gamma ** n));
  }
}

/** ExponentialLR(optimizer, gamma): lr times gamma every epoch. */
export class ExponentialLR extends LRScheduler {
  constructor(
    optimizer: Optimizer<object>,
    /** Multiplicative decay factor. */ readonly gamma: number,
    lastEpoch = -1,
  ) {
    super(optimizer, lastEpoch);
    this.initialStep();
  }
  protected override getLr(): number[] {
    return this.groups().map((g) => (this.lastEpoch === 0 ? g.lr : g.lr * this.gamma));
  }
}

/** CosineAnnealingLR(optimizer, tMax, etaMin=0): cosine from the base lr down to etaMin over tMax epochs (PyTorch's recursive form). */
export class CosineAnnealingLR extends LRScheduler {
  constructor(
    optimizer: Optimizer<object>,
    /** Epochs of the half cosine period. */ readonly tMax: number,
    /** Minimum learning rate. */ readonly etaMin = 0,
    lastEpoch = -1,
  ) {
    super(optimizer, lastEpoch);
    this.initialStep();
  }
  protected override getLr(): number[] {
    const e = this.lastEpoch, T = this.tMax, eta = this.etaMin;
    const groups = this.groups();
    if (e === 0) return groups.map((g) => g.lr);
    if (this.stepCount === 1 && e > 0) {
      return this.baseLrs.map((b) => eta + ((b - eta) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    }
    if (pyMod(e - 1 - T, 2 * T) === 0) {
      return groups.map((g, i) => g.lr + ((this.baseLrs[i]! - eta) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return groups.map((g) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (g.lr - eta) + eta);
  }
}

/** LambdaLR(optimizer, lrLambda): base lr times lrLambda(epoch) (one function, or one per group). */
export class LambdaLR extends LRScheduler {
  readonly #lambdas: ((epoch: number) => number)[];
  constructor(optimizer: Optimizer<object>, lrLambda: ((epoch: number) => number) | ((epoch: number) => number)[], lastEpoch = -1) {
    super(optimizer, lastEpoch);
    const n = optimizer.paramGroups.length;
    if (Array.isArray(lrLambda) && lrLambda.length !== n) throw new ValueError(`Expected ${n} lr_lambdas, but got ${lrLambda.length}`);
    this.#lambdas = Array.isArray(lrLambda) ? lrLambda : new Array<(e: number) => number>(n).fill(lrLambda);
    this.initialStep();
  }
  protected override getLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.#lambdas[i]!(this.lastEpoch));
  }
}

/** Options of OneCycleLR. */
export interface OneCycleLROptions {
  totalSteps?: number | null;
  epochs?: number | null;
  stepsPerEpoch?: number | null;
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  cycleMomentum?: boolean;
  baseMomentum?: number;
  maxMomentum?: number;
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
  lastEpoch?: number;
}

interface Phase { endStep: number; startLr: string; endLr: string; startMomentum: string; endMomentum: string }

/**
 * OneCycleLR(optimizer, maxLr, { totalSteps | epochs + stepsPerEpoch, pctStart=0.3,
 * annealStrategy='cos', cycleMomentum=true, baseMomentum=0.85, maxMomentum=0.95, divFactor=25,
 * finalDivFactor=1e4, threePhase=false }): the 1cycle policy, stepped once per batch. It also
 * cycles momentum (or Adam's beta1).
 */
export class OneCycleLR extends LRScheduler {
  /** Steps in the cycle. */
  readonly totalSteps: number;
  readonly #phases: Phase[];
  readonly #anneal: (start: number, end: number, pct: number) => number;
  readonly #cycleMomentum: boolean;
  readonly #useBeta1: boolean;

  constructor(optimizer: Optimizer<object>, maxLr: number | number[], opts: OneCycleLROptions = {}) {
    const o = { pctStart: 0.3, annealStrategy: 'cos' as const, cycleMomentum: true, baseMomentum: 0.85, maxMomentum: 0.95, divFactor: 25, finalDivFactor: 1e4, threePhase: false, lastEpoch: -1, ...opts };
    const groups = optimizer.paramGroups as unknown as Group[];
    const perGroup = (name: string, v: number | number[]): number[] => {
      if (!Array.isArray(v)) return groups.map(() => v);
      if (v.length !== groups.length) throw new ValueError(`expected ${groups.length} values for ${name}, got ${v.length}`);
      return v;
    };
    let total: number;
    if (o.totalSteps != null) {
      if (o.totalSteps <= 0 || !Number.isInteger(o.totalSteps)) throw new ValueError(`Expected positive integer total_steps, but got ${o.totalSteps}`);
      total = o.totalSteps;
    } else if (o.epochs != null && o.stepsPerEpoch != null) {
      total = o.epochs * o.stepsPerEpoch;
    } else {
      throw new ValueError('You must define either total_steps OR (epochs AND steps_per_epoch)');
    }
    if (o.pctStart < 0 || o.pctStart > 1) throw new ValueError(`Expected float between 0 and 1 pct_start, but got ${o.pctStart}`);
    if (o.annealStrategy !== 'cos' && o.annealStrategy !== 'linear') {
      throw new ValueError(`anneal_strategy must by one of 'cos' or 'linear', instead got ${String(o.annealStrategy)}`);
    }
    const maxLrs = perGroup('max_lr', maxLr);
    if (o.lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i]! / o.divFactor;
        g.maxLr = maxLrs[i]!;
        g.minLr = (g.initialLr as number) / o.finalDivFactor;
      });
    }
    const defaults = optimizer.defaults as Record<string, unknown>;
    const useBeta1 = 'betas' in defaults;
    if (o.cycleMomentum) {
      if (!('momentum' in defaults) && !useBeta1) throw new ValueError('optimizer must support momentum with `cycle_momentum` option enabled');
      const maxM = perGroup('max_momentum', o.maxMomentum), baseM = perGroup('base_momentum', o.baseMomentum);
      if (o.lastEpoch === -1) {
        groups.forEach((g, i) => {
          if (useBeta1) g.betas = [maxM[i]!, ...(g.betas as number[]).slice(1)];
          else g.momentum = maxM[i]!;
          g.maxMomentum = maxM[i]!;
          g.baseMomentum = baseM[i]!;
        });
      }
    }
    super(optimizer, o.lastEpoch);
    this.totalSteps = total;
    const p = o.pctStart;
    this.#phases = o.threePhase
      ? [
        { endStep: p * total - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
        { endStep: 2 * p * total - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        { endStep: total - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
      ]
      : [
        { endStep: p * total - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
        { endStep: total - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
      ];
    this.#anneal = o.annealStrategy === 'cos'
      ? (start, end, pct) => end + ((start - end) / 2.0) * (Math.cos(Math.PI * pct) + 1)
      : (start, end, pct) => (end - start) * pct + start;
    this.#cycleMomentum = o.cycleMomentum;
    this.#useBeta1 = useBeta1;
    this.initialStep();
  }

  protected override getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new ValueError(`Tried to step ${stepNum + 1} times. The specified number of total steps is ${this.totalSteps}`);
    }
    return this.groups().map((g) => {
      let start = 0, lr = 0, momentum = 0;
      for (let i = 0; i < this.#phases.length; i++) {
        const ph = this.#phases[i]!;
        if (stepNum <= ph.endStep || i === this.#phases.length - 1) {
          const pct = (stepNum - start) / (ph.endStep - start);
          lr = this.#anneal(g[ph.startLr] as number, g[ph.endLr] as number, pct);
          if (this.#cycleMomentum) momentum = this.#anneal(g[ph.startMomentum] as number, g[ph.endMomentum] as number, pct);
          break;
        }
        start = ph.endStep;
      }
      if (this.#cycleMomentum) {
        if (this.#useBeta1) g.betas = [momentum, ...(g.betas as number[]).slice(1)];
        else g.momentum = momentum;
      }
      return lr;
    });
  }
}

/** Options of ReduceLROnPlateau. */
export interface ReduceLROnPlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  minLr?: number | number[];
  eps?: number;
}

/**
 * ReduceLROnPlateau(optimizer, { mode='min', factor=0.1, patience=10, threshold=1e-4,
 * thresholdMode='rel', cooldown=0, minLr=0, eps=1e-8 }): multiplies the lr by `factor` when
 * the metric passed to `step(metric)` stops improving for more than `patience` epochs.
 */
export class ReduceLROnPlateau {
  /** The algorithm. */
  readonly mode: 'min' | 'max';
  /** Multiplier applied to the lr on a plateau. */
  readonly factor: number;
  /** Epochs without improvement before reducing. */
  readonly patience: number;
  /** The threshold. */
  readonly threshold: number;
  /** 'rel' or 'abs' improvement threshold. */
  readonly thresholdMode: 'rel' | 'abs';
  /** Epochs to wait after a reduction. */
  readonly cooldown: number;
  /** Lower bound of each group's lr. */
  readonly minLrs: number[];
  /** Added to the variance for numerical stability. */
  readonly eps: number;
  /** The best metric so far. */
  best: number;
  /** Epochs since the last improvement. */
  numBadEpochs = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  /** Epochs stepped. */
  lastEpoch = 0;
  #lastLr: number[];

  constructor(
    /** The optimizer whose learning rates it sets. */ readonly optimizer: Optimizer<object>,
    opts: ReduceLROnPlateauOptions = {},
  ) {
    this.factor = opts.factor ?? 0.1;
    if (this.factor >= 1.0) throw new ValueError('Factor should be < 1.0.');
    const groups = optimizer.paramGroups as unknown as Group[];
    const minLr = opts.minLr ?? 0;
    if (Array.isArray(minLr) && minLr.length !== groups.length) throw new ValueError(`expected ${groups.length} min_lrs, got ${minLr.length}`);
    this.minLrs = Array.isArray(minLr) ? [...minLr] : groups.map(() => minLr);
    this.mode = opts.mode ?? 'min';
    this.patience = opts.patience ?? 10;
    this.threshold = opts.threshold ?? 1e-4;
    this.thresholdMode = opts.thresholdMode ?? 'rel';
    this.cooldown = opts.cooldown ?? 0;
    this.eps = opts.eps ?? 1e-8;
    if (this.mode !== 'min' && this.mode !== 'max') throw new ValueError(`mode ${String(this.mode)} is unknown!`);
    if (this.thresholdMode !== 'rel' && this.thresholdMode !== 'abs') throw new ValueError(`threshold mode ${String(this.thresholdMode)} is unknown!`);
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.#lastLr = groups.map((g) => g.lr);
  }

  #isBetter(a: number): boolean {
    const { best, threshold: t } = this;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - t) : a < best - t;
    return this.thresholdMode === 'rel' ? a > best * (t + 1) : a > best + t;
  }

  /** Records one epoch's metric; reduces the lr after `patience` epochs without improvement. */
  step(metric: number): void {
    const current = Number(metric);
    this.lastEpoch++;
    if (this.#isBetter(current)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    const groups = this.optimizer.paramGroups as unknown as Group[];
    if (this.numBadEpochs > this.patience) {
      groups.forEach((g, i) => {
        const newLr = Math.max(g.lr * this.factor, this.minLrs[i]!);
        if (g.lr - newLr > this.eps) g.lr = newLr;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.#lastLr = groups.map((g) => g.lr);
  }

  /** The learning rates after the last step. */
  getLastLr(): number[] {
    return [...this.#lastLr];
  }
}
