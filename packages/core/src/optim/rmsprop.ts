/** torch.optim.RMSprop and torch.optim.Adagrad. */
import type { Tensor } from '../tensor.js';
import { ValueError } from '../errors.js';
import { fullLike, zerosLike } from '../ops/creation.js';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

/** Options of RMSprop. */
export interface RMSpropOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

/**
 * torch.optim.RMSprop(params, { lr=1e-2, alpha=0.99, eps=1e-8, weightDecay=0, momentum=0,
 * centered=false, maximize=false }).
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: ParamsInput<RMSpropOptions>, opts: Partial<RMSpropOptions> = {}) {
    const d: RMSpropOptions = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false, ...opts };
    if (!(d.lr >= 0)) throw new ValueError(`Invalid learning rate: ${d.lr}`);
    if (!(d.eps >= 0)) throw new ValueError(`Invalid epsilon value: ${d.eps}`);
    if (!(d.momentum >= 0)) throw new ValueError(`Invalid momentum value: ${d.momentum}`);
    if (!(d.weightDecay >= 0)) throw new ValueError(`Invalid weight_decay value: ${d.weightDecay}`);
    if (!(d.alpha >= 0)) throw new ValueError(`Invalid alpha value: ${d.alpha}`);
    super(params, d);
  }

  protected override initState(p: Tensor, g: ParamGroup<RMSpropOptions>): ParamState {
    const s: ParamState = { step: 0, squareAvg: zerosLike(p) };
    if (g.momentum > 0) s.momentumBuffer = zerosLike(p);
    if (g.centered) s.gradAvg = zerosLike(p);
    return s;
  }

  protected override update(p: Tensor, grad: Tensor, g: ParamGroup<RMSpropOptions>, s: ParamState): void {
    s.step = (s.step as number) + 1;
    if (g.maximize) grad = grad.neg();
    if (g.weightDecay !== 0) grad = grad.add(p, { alpha: g.weightDecay });
    const sq = s.squareAvg as Tensor;
    sq.mul_(g.alpha).add_(grad.mul(grad), { alpha: 1 - g.alpha });
    let avg: Tensor;
    if (g.centered) {
      const ga = s.gradAvg as Tensor;
      ga.mul_(g.alpha).add_(grad, { alpha: 1 - g.alpha });
      avg = sq.sub(ga.mul(ga)).sqrt();
    } else {
      avg = sq.sqrt();
    }
    avg = avg.add_(g.eps);
    if (g.momentum > 0) {
      const buf = s.momentumBuffer as Tensor;
      buf.mul_(g.momentum).add_(grad.div(avg));
      p.add_(buf, { alpha: -g.lr });
    } else {
      p.add_(grad.div(avg), { alpha: -g.lr });
    }
  }
}

/** Options of Adagrad. */
export interface AdagradOptions {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

/**
 * torch.optim.Adagrad(params, { lr=1e-2, lrDecay=0, weightDecay=0, initialAccumulatorValue=0,
 * eps=1e-10, maximize=false }).
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  protected override readonly stepAsTensor: boolean = true;

  constructor(params: ParamsInput<AdagradOptions>, opts: Partial<AdagradOptions> = {}) {
    const d: AdagradOptions = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false, ...opts };
    if (!(d.lr >= 0)) throw new ValueError(`Invalid learning rate: ${d.lr}`);
    if (!(d.lrDecay >= 0)) throw new ValueError(`Invalid lr_decay value: ${d.lrDecay}`);
    if (!(d.weightDecay >= 0)) throw new ValueError(`Invalid weight_decay value: ${d.weightDecay}`);
    if (!(d.initialAccumulatorValue >= 0)) throw new ValueError(`Invalid initial_accumulator_value value: ${d.initialAccumulatorValue}`);
    if (!(d.eps >= 0)) throw new ValueError(`Invalid epsilon value: ${d.eps}`);
    super(params, d);
  }

  protected override initState(p: Tensor, g: ParamGroup<AdagradOptions>): ParamState {
    return { step: 0, sum: fullLike(p, g.initialAccumulatorValue) };
  }

  protected override update(p: Tensor, grad: Tensor, g: ParamGroup<AdagradOptions>, s: ParamState): void {
    const step = (s.step as number) + 1;
    s.step = step;
    if (g.maximize) grad = grad.neg();
    if (g.weightDecay !== 0) grad = grad.add(p, { alpha: g.weightDecay });
    const clr = g.lr / (1 + (step - 1) * g.lrDecay);
    const sum = s.sum as Tensor;
    sum.add_(grad.mul(grad));
    p.add_(grad.div(sum.sqrt().add_(g.eps)), { alpha: -clr });
  }
}
