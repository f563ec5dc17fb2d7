/** torch.optim.Adam and AdamW (Adam with decoupled weight decay). */
import type { Tensor } from '../tensor.js';
import { ValueError } from '../errors.js';
import { zerosLike } from '../ops/creation.js';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

/** Options of Adam / AdamW. */
export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

/**
 * torch.optim.Adam(params, { lr=1e-3, betas=[0.9, 0.999], eps=1e-8, weightDecay=0,
 * amsgrad=false, maximize=false }): PyTorch 1.13's update with bias corrections computed in
 * float64. `decoupled` (AdamW) decays the parameter instead of adding weightDecay * p to the gradient.
 */
export class Adam extends Optimizer<AdamOptions> {
  protected override readonly stepAsTensor: boolean = true;
  /** Whether weight decay is decoupled from the gradient (AdamW). */
  protected readonly decoupled: boolean = false;

  constructor(params: ParamsInput<AdamOptions>, opts: Partial<AdamOptions> = {}) {
    const d: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, ...opts };
    if (!(d.lr >= 0)) throw new ValueError(`Invalid learning rate: ${d.lr}`);
    if (!(d.eps >= 0)) throw new ValueError(`Invalid epsilon value: ${d.eps}`);
    if (!(d.betas[0] >= 0 && d.betas[0] < 1)) throw new ValueError(`Invalid beta parameter at index 0: ${d.betas[0]}`);
    if (!(d.betas[1] >= 0 && d.betas[1] < 1)) throw new ValueError(`Invalid beta parameter at index 1: ${d.betas[1]}`);
    if (!(d.weightDecay >= 0)) throw new ValueError(`Invalid weight_decay value: ${d.weightDecay}`);
    super(params, d);
  }

  protected override initState(p: Tensor, g: ParamGroup<AdamOptions>): ParamState {
    const s: ParamState = { step: 0, expAvg: zerosLike(p), expAvgSq: zerosLike(p) };
    if (g.amsgrad) s.maxExpAvgSq = zerosLike(p);
    return s;
  }

  protected override update(p: Tensor, grad: Tensor, g: ParamGroup<AdamOptions>, s: ParamState): void {
    const [beta1, beta2] = g.betas;
    const step = (s.step as number) + 1;
    s.step = step;
    if (g.maximize) grad = grad.neg();
    if (g.weightDecay !== 0) {
      if (this.decoupled) p.mul_(1 - g.lr * g.weightDecay);
      else grad = grad.add(p, { alpha: g.weightDecay });
    }
    const expAvg = s.expAvg as Tensor, expAvgSq = s.expAvgSq as Tensor;
    expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
    expAvgSq.mul_(beta2).add_(grad.mul(grad), { alpha: 1 - beta2 });
    const stepSize = g.lr / (1 - beta1 ** step);
    const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
    let second = expAvgSq;
    if (g.amsgrad) {
      const max = s.maxExpAvgSq as Tensor;
      max.copy_(max.maximum(expAvgSq));
      second = max;
    }
    const denom = second.sqrt().div(bc2Sqrt).add_(g.eps);
    p.add_(expAvg.div(denom), { alpha: -stepSize });
  }
}

/**
 * torch.optim.AdamW(params, { lr=1e-3, betas=[0.9, 0.999], eps=1e-8, weightDecay=1e-2,
 * amsgrad=false, maximize=false }): Adam with decoupled weight decay (p *= 1 - lr * weightDecay).
 */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;

  constructor(params: ParamsInput<AdamOptions>, opts: Partial<AdamOptions> = {}) {
    super(params, { weightDecay: 1e-2, ...opts });
  }
}
