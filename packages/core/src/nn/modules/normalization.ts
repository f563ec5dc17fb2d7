/** BatchNorm1d / BatchNorm2d, LayerNorm and GroupNorm. */
import type { Tensor } from '../../tensor.js';
import { ValueError } from '../../errors.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { ones, zeros } from '../../ops/creation.js';
import { bindArgs } from '../args.js';
import { ones_, zeros_ } from '../init.js';
import { layerNorm } from '../layers.js';
import { Module, type Parameter } from '../module.js';
import { batchNorm, groupNorm } from '../norm.js';
import { emptyParam, factory, type FactoryOptions } from './linear.js';
import { pyBool, pyFloat, pyTuple } from './repr.js';

/** Keywords of the BatchNorm modules. */
export interface BatchNormModuleOptions extends FactoryOptions {
  eps?: number;
  /** Weight of the new batch statistic in the running ones; null: cumulative average. */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
}

/**
 * The BatchNorm modules: per-channel normalisation with learned scale and shift, batch
 * statistics in training and running statistics (mean, unbiased variance,
 * num_batches_tracked) in eval.
 */
abstract class BatchNorm extends Module {
  /** Scale [numFeatures] (affine), or null. */
  weight: Parameter | null;
  /** Shift [numFeatures] (affine), or null. */
  bias: Parameter | null;
  /** Running mean [numFeatures] (a buffer), or null. */
  runningMean!: Tensor | null;
  /** Running unbiased variance [numFeatures] (a buffer), or null. */
  runningVar!: Tensor | null;
  /** Number of training batches seen (an int64 buffer), or null. */
  numBatchesTracked!: Tensor | null;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  constructor(readonly numFeatures: number, rest: readonly unknown[], private readonly expectedDims: number[]) {
    super();
    const a = bindArgs<BatchNormModuleOptions>(new.target.name, rest, ['eps', 'momentum', 'affine', 'trackRunningStats'],
      { eps: 1e-5, momentum: 0.1, affine: true, trackRunningStats: true, device: undefined, dtype: undefined });
    this.eps = a.eps!;
    this.momentum = a.momentum!;
    this.affine = a.affine!;
    this.trackRunningStats = a.trackRunningStats!;
    const f = factory(a);
    this.weight = this.affine ? emptyParam([numFeatures], f) : null;
    this.bias = this.affine ? emptyParam([numFeatures], f) : null;
    if (this.trackRunningStats) {
      this.registerBuffer('runningMean', zeros([numFeatures], f));
      this.registerBuffer('runningVar', ones([numFeatures], f));
      this.registerBuffer('numBatchesTracked', zeros([], { dtype: 'int64', ...(f.device ? { device: f.device } : {}) }));
    } else {
      this.registerBuffer('runningMean', null);
      this.registerBuffer('runningVar', null);
      this.registerBuffer('numBatchesTracked', null);
    }
    this.resetParameters();
  }

  /** Resets the running statistics (mean 0, variance 1, no batches). */
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    zeros_(this.runningMean!);
    ones_(this.runningVar!);
    zeros_(this.numBatchesTracked!);
  }

  /** Resets the statistics, and the scale to 1 and shift to 0. */
  resetParameters(): void {
    this.resetRunningStats();
    if (this.affine) {
      ones_(this.weight!);
      zeros_(this.bias!);
    }
  }

  /** F.batchNorm with batch statistics in training (updating the running ones), running ones in eval. */
  override forward(input: Tensor): Tensor {
    if (!this.expectedDims.includes(input.ndim)) {
      throw new ValueError(`expected ${this.expectedDims.map((d) => `${d}D`).join(' or ')} input (got ${input.ndim}D input)`);
    }
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats) {
      noGrad(() => this.numBatchesTracked!.add_(1));
      if (this.momentum === null) factor = 1 / (this.numBatchesTracked!.item() as number);
    }
    const useBatch = this.training || !this.trackRunningStats;
    const tracking = !this.training || this.trackRunningStats;
    return batchNorm(input, tracking ? this.runningMean : null, tracking ? this.runningVar : null, this.weight, this.bias, useBatch, factor, this.eps);
  }

  override extraRepr(): string {
    const m = this.momentum === null ? 'None' : pyFloat(this.momentum);
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${m}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}

/** nn.BatchNorm1d(numFeatures, eps=1e-5, momentum=0.1, affine=true, trackRunningStats=true): input [N, C] or [N, C, L]. */
export class BatchNorm1d extends BatchNorm {
  constructor(numFeatures: number, ...rest: (number | null | boolean | BatchNormModuleOptions)[]) {
    super(numFeatures, rest, [2, 3]);
  }
}

/** nn.BatchNorm2d(numFeatures, eps=1e-5, momentum=0.1, affine=true, trackRunningStats=true): input [N, C, H, W]. */
export class BatchNorm2d extends BatchNorm {
  constructor(numFeatures: number, ...rest: (number | null | boolean | BatchNormModuleOptions)[]) {
    super(numFeatures, rest, [4]);
  }
}

/** Keywords of nn.LayerNorm. */
export interface LayerNormModuleOptions extends FactoryOptions {
  eps?: number;
  elementwiseAffine?: boolean;
}

/** nn.LayerNorm(normalizedShape, eps=1e-5, elementwiseAffine=true): normalises over the last dims. */
export class LayerNorm extends Module {
  /** Scale [...normalizedShape], or null. */
  weight: Parameter | null;
  /** Shift [...normalizedShape], or null. */
  bias: Parameter | null;
  /** The trailing shape normalised over. */
  readonly normalizedShape: number[];
  /** Added to the variance for numerical stability. */
  readonly eps: number;
  /** Whether there is a learned scale and shift. */
  readonly elementwiseAffine: boolean;

  constructor(normalizedShape: number | number[], ...rest: (number | boolean | LayerNormModuleOptions)[]) {
    super();
    const a = bindArgs<LayerNormModuleOptions>('LayerNorm', rest, ['eps', 'elementwiseAffine'], { eps: 1e-5, elementwiseAffine: true, device: undefined, dtype: undefined });
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = a.eps!;
    this.elementwiseAffine = a.elementwiseAffine!;
    this.weight = this.elementwiseAffine ? ones_(emptyParam(this.normalizedShape, factory(a))) as Parameter : null;
    this.bias = this.elementwiseAffine ? zeros_(emptyParam(this.normalizedShape, factory(a))) as Parameter : null;
  }

  /** F.layerNorm over the last dims. */
  override forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}

/** Keywords of nn.GroupNorm. */
export interface GroupNormModuleOptions extends FactoryOptions {
  eps?: number;
  affine?: boolean;
}

/** nn.GroupNorm(numGroups, numChannels, eps=1e-5, affine=true). */
export class GroupNorm extends Module {
  /** Scale [numChannels], or null. */
  weight: Parameter | null;
  /** Shift [numChannels], or null. */
  bias: Parameter | null;
  /** Added to the variance for numerical stability. */
  readonly eps: number;
  /** Whether there is a learned scale and shift. */
  readonly affine: boolean;

  constructor(
    /** Number of channel groups. */ readonly numGroups: number,
    /** Number of channels. */ readonly numChannels: number,
    ...rest: (number | boolean | GroupNormModuleOptions)[]
  ) {
    super();
    const a = bindArgs<GroupNormModuleOptions>('GroupNorm', rest, ['eps', 'affine'], { eps: 1e-5, affine: true, device: undefined, dtype: undefined });
    if (numChannels % numGroups !== 0) throw new ValueError('num_channels must be divisible by num_groups');
    this.eps = a.eps!;
    this.affine = a.affine!;
    this.weight = this.affine ? ones_(emptyParam([numChannels], factory(a))) as Parameter : null;
    this.bias = this.affine ? zeros_(emptyParam([numChannels], factory(a))) as Parameter : null;
  }

  /** F.groupNorm(input, numGroups, weight, bias, eps). */
  override forward(input: Tensor): Tensor {
    return groupNorm(input, this.numGroups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`;
  }
}

