/** Embedding, Dropout, Flatten, Unflatten and Upsample. */
import type { Tensor } from '../../tensor.js';
import { ValueError } from '../../errors.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { bindArgs } from '../args.js';
import { normal_ } from '../init.js';
import { dropout, embedding } from '../layers.js';
import { Module, type Parameter } from '../module.js';
import { interpolate, type InterpolateOptions } from '../resample.js';
import { emptyParam, factory, type FactoryOptions } from './linear.js';
import { pyBool, pyFloat, pyTuple } from './repr.js';

/** Keywords of nn.Embedding. */
export interface EmbeddingModuleOptions extends FactoryOptions {
  paddingIdx?: number | null;
}

/** nn.Embedding(numEmbeddings, embeddingDim, paddingIdx=null): a lookup table initialised from N(0, 1), the padding row zeroed. */
export class Embedding extends Module {
  /** The table [numEmbeddings, embeddingDim]. */
  weight: Parameter;
  /** Row that gets no gradient, or null. */
  readonly paddingIdx: number | null;

  constructor(
    /** Number of rows in the table. */ readonly numEmbeddings: number,
    /** Size of each row. */ readonly embeddingDim: number,
    ...rest: (number | null | EmbeddingModuleOptions)[]
  ) {
    super();
    const a = bindArgs<EmbeddingModuleOptions>('Embedding', rest, ['paddingIdx'], { paddingIdx: null, device: undefined, dtype: undefined });
    let pad = a.paddingIdx ?? null;
    if (pad !== null) {
      if (pad >= numEmbeddings || pad < -numEmbeddings) throw new ValueError('Padding_idx must be within num_embeddings');
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    this.weight = emptyParam([numEmbeddings, embeddingDim], factory(a));
    this.resetParameters();
  }

  /** N(0, 1), then the padding row set to zero. */
  resetParameters(): void {
    normal_(this.weight);
    if (this.paddingIdx !== null) noGrad(() => this.weight.select(0, this.paddingIdx!).fill_(0));
  }

  /** F.embedding(input, weight, paddingIdx). */
  override forward(input: Tensor): Tensor {
    return embedding(input, this.weight, this.paddingIdx);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : ''}`;
  }
}

/** nn.Dropout(p=0.5, inplace=false): active in training mode only. */
export class Dropout extends Module {
  /** Probability of zeroing an element. */
  readonly p: number;
  /** Whether the input is overwritten (PyTorch's `inplace`). */
  readonly inplace: boolean;
  constructor(...rest: (number | boolean | { p?: number; inplace?: boolean })[]) {
    super();
    const a = bindArgs('Dropout', rest, ['p', 'inplace'], { p: 0.5, inplace: false });
    if (a.p < 0 || a.p > 1) throw new ValueError(`dropout probability has to be between 0 and 1, but got ${a.p}`);
    this.p = a.p;
    this.inplace = a.inplace;
  }
  /** F.dropout(input, p, training). */
  override forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training, this.inplace);
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${pyBool(this.inplace)}`;
  }
}

/** nn.Flatten(startDim=1, endDim=-1). */
export class Flatten extends Module {
  constructor(/** First dim flattened. */ readonly startDim = 1, /** Last dim flattened. */ readonly endDim = -1) { super(); }
  /** input.flatten(startDim, endDim). */
  override forward(input: Tensor): Tensor { return input.flatten(this.startDim, this.endDim); }
  override extraRepr(): string { return `start_dim=${this.startDim}, end_dim=${this.endDim}`; }
}

/** nn.Unflatten(dim, unflattenedSize): splits one dim into several. */
export class Unflatten extends Module {
  constructor(/** The dim it works along. */ readonly dim: number, /** The shape the dim is split into. */ readonly unflattenedSize: number[]) { super(); }
  /** input viewed with `dim` replaced by unflattenedSize. */
  override forward(input: Tensor): Tensor {
    const d = this.dim < 0 ? this.dim + input.ndim : this.dim;
    return input.reshape([...input.shape.slice(0, d), ...this.unflattenedSize, ...input.shape.slice(d + 1)]);
  }
  override extraRepr(): string { return `dim=${this.dim}, unflattened_size=${pyTuple(this.unflattenedSize)}`; }
}

/** nn.Upsample(size=null, scaleFactor=null, mode='nearest', alignCorners=null): F.interpolate as a module. */
export class Upsample extends Module {
  /** Output spatial size, or null. */
  readonly size: number | number[] | null;
  /** Multiplier of the spatial size, or null. */
  readonly scaleFactor: number | number[] | null;
  /** The algorithm. */
  readonly mode: 'nearest' | 'bilinear';
  /** Whether corner pixels align (bilinear only), or null. */
  readonly alignCorners: boolean | null;
  constructor(opts: InterpolateOptions = {}) {
    super();
    this.size = opts.size ?? null;
    this.scaleFactor = opts.scaleFactor ?? null;
    this.mode = opts.mode ?? 'nearest';
    this.alignCorners = opts.alignCorners ?? null;
  }
  /** F.interpolate with this module's settings. */
  override forward(input: Tensor): Tensor {
    return interpolate(input, { size: this.size, scaleFactor: this.scaleFactor, mode: this.mode, alignCorners: this.alignCorners });
  }
  override extraRepr(): string {
    const s = this.scaleFactor !== null
      ? `scale_factor=${typeof this.scaleFactor === 'number' ? pyFloat(this.scaleFactor) : pyTuple(this.scaleFactor)}`
      : `size=${typeof this.size === 'number' ? this.size : pyTuple(this.size!)}`;
    return `${s}, mode=${this.mode}`;
  }
}
