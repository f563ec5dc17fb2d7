/** The losses as modules: each keeps its options (`reduction`, ...) and calls the functional form. */
import type { Tensor } from '../../tensor.js';
import { bindArgs } from '../args.js';
import * as L from '../loss.js';
import type { Reduction } from '../loss.js';
import { Module } from '../module.js';

/** Options every loss module takes. */
export interface LossOptions {
  reduction?: Reduction;
}

/** Base of the loss modules: holds `reduction` (class weights are buffers, in the state dict as in PyTorch). */
abstract class Loss extends Module {
  /** 'none' | 'mean' | 'sum'. */
  readonly reduction: Reduction;
  constructor(reduction: Reduction = 'mean') {
    super();
    this.reduction = reduction;
  }
}

/** nn.MSELoss(reduction='mean'). */
export class MSELoss extends Loss {
  constructor(opts: LossOptions = {}) { super(opts.reduction); }
  /** F.mseLoss(input, target). */
  override forward(input: Tensor, target: Tensor): Tensor { return L.mseLoss(input, target, { reduction: this.reduction }); }
}

/** nn.L1Loss(reduction='mean'). */
export class L1Loss extends Loss {
  constructor(opts: LossOptions = {}) { super(opts.reduction); }
  /** F.l1Loss(input, target). */
  override forward(input: Tensor, target: Tensor): Tensor { return L.l1Loss(input, target, { reduction: this.reduction }); }
}

/** nn.SmoothL1Loss(reduction='mean', beta=1). */
export class SmoothL1Loss extends Loss {
  /** The beta constant. */
  readonly beta: number;
  constructor(opts: LossOptions & { beta?: number } = {}) { super(opts.reduction); this.beta = opts.beta ?? 1; }
  /** F.smoothL1Loss(input, target). */
  override forward(input: Tensor, target: Tensor): Tensor { return L.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta }); }
}

/** nn.HuberLoss(reduction='mean', delta=1). */
export class HuberLoss extends Loss {
  /** Where the loss turns from quadratic to linear. */
  readonly delta: number;
  constructor(opts: LossOptions & { delta?: number } = {}) { super(opts.reduction); this.delta = opts.delta ?? 1; }
  /** F.huberLoss(input, target). */
  override forward(input: Tensor, target: Tensor): Tensor { return L.huberLoss(input, target, { reduction: this.reduction, delta: this.delta }); }
}

/** Options of NLLLoss / CrossEntropyLoss. */
export interface NllLossOptions extends LossOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
}

/** nn.NLLLoss(weight=null, ignoreIndex=-100, reduction='mean'): input holds log-probabilities. */
export class NLLLoss extends Loss {
  /** Per-class weights, or null. */
  readonly weight!: Tensor | null;
  /** Targets equal to this are ignored. */
  readonly ignoreIndex: number;
  constructor(...rest: (Tensor | null | NllLossOptions)[]) {
    const a = bindArgs<Required<NllLossOptions>>('NLLLoss', rest, ['weight'], { weight: null, ignoreIndex: -100, reduction: 'mean' });
    super(a.reduction);
    this.registerBuffer('weight', a.weight);
    this.ignoreIndex = a.ignoreIndex;
  }
  /** F.nllLoss(input, target). */
  override forward(input: Tensor, target: Tensor): Tensor {
    return L.nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/** nn.CrossEntropyLoss(weight=null, ignoreIndex=-100, reduction='mean', labelSmoothing=0): input holds logits. */
export class CrossEntropyLoss extends Loss {
  /** Per-class weights, or null. */
  readonly weight!: Tensor | null;
  /** Targets equal to this are ignored. */
  readonly ignoreIndex: number;
  /** Amount of label smoothing (0 to 1). */
  readonly labelSmoothing: number;
  constructor(...rest: (Tensor | null | NllLossOptions & { labelSmoothing?: number })[]) {
    const a = bindArgs<Required<NllLossOptions> & { labelSmoothing: number }>('CrossEntropyLoss', rest, ['weight'],
      { weight: null, ignoreIndex: -100, reduction: 'mean', labelSmoothing: 0 });
    super(a.reduction);
    this.registerBuffer('weight', a.weight);
    this.ignoreIndex = a.ignoreIndex;
    this.labelSmoothing = a.labelSmoothing;
  }
  /** F.crossEntropy(input, target). */
  override forward(input: Tensor, target: Tensor): Tensor {
    return L.crossEntropy(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction, labelSmoothing: this.labelSmoothing });
  }
}

/** nn.BCELoss(weight=null, reduction='mean'): input holds probabilities. */
export class BCELoss extends Loss {
  /** Per-class weights, or null. */
  readonly weight!: Tensor | null;
  constructor(...rest: (Tensor | null | LossOptions & { weight?: Tensor | null })[]) {
    const a = bindArgs<{ weight: Tensor | null; reduction: Reduction }>('BCELoss', rest, ['weight'], { weight: null, reduction: 'mean' });
    super(a.reduction);
    this.registerBuffer('weight', a.weight);
  }
  /** F.binaryCrossEntropy(input, target). */
  override forward(input: Tensor, target: Tensor): Tensor {
    return L.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/** nn.BCEWithLogitsLoss(weight=null, reduction='mean', posWeight=null): input holds logits. */
export class BCEWithLogitsLoss extends Loss {
  /** Per-class weights, or null. */
  readonly weight!: Tensor | null;
  /** Weight of positive examples, or null. */
  readonly posWeight!: Tensor | null;
  constructor(...rest: (Tensor | null | LossOptions & { weight?: Tensor | null; posWeight?: Tensor | null })[]) {
    const a = bindArgs<{ weight: Tensor | null; reduction: Reduction; posWeight: Tensor | null }>('BCEWithLogitsLoss', rest, ['weight'],
      { weight: null, reduction: 'mean', posWeight: null });
    super(a.reduction);
    this.registerBuffer('weight', a.weight);
    this.registerBuffer('posWeight', a.posWeight);
  }
  /** F.binaryCrossEntropyWithLogits(input, target). */
  override forward(input: Tensor, target: Tensor): Tensor {
    return L.binaryCrossEntropyWithLogits(input, target, { weight: this.weight, reduction: this.reduction, posWeight: this.posWeight });
  }
}

/** nn.KLDivLoss(reduction='mean', logTarget=false): input holds log-probabilities. */
export class KLDivLoss extends Module {
  /** How the elementwise losses are reduced. */
  readonly reduction: Reduction | 'batchmean';
  /** Whether the target holds log-probabilities. */
  readonly logTarget: boolean;
  constructor(opts: L.KlDivOptions = {}) {
    super();
    this.reduction = opts.reduction ?? 'mean';
    this.logTarget = opts.logTarget ?? false;
  }
  /** F.klDiv(input, target). */
  override forward(input: Tensor, target: Tensor): Tensor { return L.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget }); }
}
