/** MultiheadAttention and TransformerEncoderLayer (PyTorch 1.13's layouts, names and init). */
import type { Tensor } from '../../tensor.js';
import { RuntimeError, ValueError } from '../../errors.js';
import { relu, gelu } from '../activation.js';
import { multiHeadAttentionForward, type MultiHeadAttentionCall } from '../attention.js';
import { bindArgs } from '../args.js';
import { constant_, xavierUniform_ } from '../init.js';
import { Module, type Parameter } from '../module.js';
import { Dropout } from './misc.js';
import { emptyParam, factory, Linear, type FactoryOptions } from './linear.js';
import { LayerNorm } from './normalization.js';

/** PyTorch's NonDynamicallyQuantizableLinear: a Linear under its own name (out_proj's repr). */
export class NonDynamicallyQuantizableLinear extends Linear {}

/** Keywords of nn.MultiheadAttention. */
export interface MultiheadAttentionOptions extends FactoryOptions {
  dropout?: number;
  bias?: boolean;
  batchFirst?: boolean;
}

/**
 * nn.MultiheadAttention(embedDim, numHeads, dropout=0, bias=true, batchFirst=false): packed
 * in-projection (in_proj_weight [3E, E]), scaled dot-product attention per head, out_proj.
 * `forward(query, key, value, { keyPaddingMask, needWeights, attnMask, averageAttnWeights })`
 * returns [output, weights | null]; bool masks are true where attention is NOT allowed.
 */
export class MultiheadAttention extends Module {
  /** The packed query/key/value projection [3 embedDim, embedDim]. */
  inProjWeight: Parameter;
  /** Its bias [3 embedDim], or null. */
  inProjBias: Parameter | null;
  /** The output projection. */
  outProj: NonDynamicallyQuantizableLinear;
  /** Dropout probability. */
  readonly dropout: number;
  /** Whether inputs are batch-first ([N, L, E]). */
  readonly batchFirst: boolean;
  /** Size of each head (embedDim / numHeads). */
  readonly headDim: number;

  constructor(
    /** Model dimension. */ readonly embedDim: number,
    /** Number of attention heads. */ readonly numHeads: number,
    ...rest: (number | boolean | MultiheadAttentionOptions)[]
  ) {
    super();
    const a = bindArgs<MultiheadAttentionOptions>('MultiheadAttention', rest, ['dropout', 'bias'], { dropout: 0, bias: true, batchFirst: false, device: undefined, dtype: undefined });
    this.dropout = a.dropout!;
    this.batchFirst = a.batchFirst!;
    this.headDim = Math.floor(embedDim / numHeads);
    if (this.headDim * numHeads !== embedDim) throw new ValueError('embed_dim must be divisible by num_heads');
    const f = factory(a);
    this.inProjWeight = emptyParam([3 * embedDim, embedDim], f);
    this.inProjBias = a.bias ? emptyParam([3 * embedDim], f) : null;
    this.outProj = new NonDynamicallyQuantizableLinear(embedDim, embedDim, { bias: a.bias!, ...f });
    this.resetParameters();
  }

  /** xavier_uniform for the in-projection, zero biases (out_proj's weight keeps Linear's init). */
  resetParameters(): void {
    xavierUniform_(this.inProjWeight);
    if (this.inProjBias) {
      constant_(this.inProjBias, 0);
      constant_(this.outProj.bias!, 0);
    }
  }

  /** Attention of `query` over `key` / `value`; returns [output, averaged weights or null]. */
  override forward(query: Tensor, key: Tensor, value: Tensor, opts: MultiHeadAttentionCall = {}): [Tensor, Tensor | null] {
    const batched = query.ndim === 3;
    const seqFirst = (t: Tensor): Tensor => (!batched ? t.unsqueeze(1) : this.batchFirst ? t.transpose(0, 1) : t);
    const [y, w] = multiHeadAttentionForward(seqFirst(query), seqFirst(key), seqFirst(value), {
      numHeads: this.numHeads, inProjWeight: this.inProjWeight, inProjBias: this.inProjBias,
      outProjWeight: this.outProj.weight, outProjBias: this.outProj.bias, dropoutP: this.dropout, training: this.training,
    }, { ...opts, keyPaddingMask: opts.keyPaddingMask && !batched ? opts.keyPaddingMask.unsqueeze(0) : opts.keyPaddingMask ?? null });
    const out = !batched ? y.squeeze(1) : this.batchFirst ? y.transpose(0, 1) : y;
    return [out, w && !batched ? w.squeeze(0) : w];
  }
}

/** Keywords of nn.TransformerEncoderLayer. */
export interface TransformerEncoderLayerOptions extends FactoryOptions {
  dimFeedforward?: number;
  dropout?: number;
  activation?: 'relu' | 'gelu' | ((x: Tensor) => Tensor);
  layerNormEps?: number;
  batchFirst?: boolean;
  normFirst?: boolean;
}

/**
 * nn.TransformerEncoderLayer(dModel, nhead, dimFeedforward=2048, dropout=0.1, activation='relu',
 * layerNormEps=1e-5, batchFirst=false, normFirst=false): self-attention and a feed-forward
 * block, each with a residual connection and LayerNorm.
 */
export class TransformerEncoderLayer extends Module {
  /** The self-attention block. */
  selfAttn: MultiheadAttention;
  /** First feed-forward layer. */
  linear1: Linear;
  /** Dropout probability. */
  dropout: Dropout;
  /** Second feed-forward layer. */
  linear2: Linear;
  /** LayerNorm of the attention block. */
  norm1: LayerNorm;
  /** LayerNorm of the feed-forward block. */
  norm2: LayerNorm;
  /** Dropout after attention. */
  dropout1: Dropout;
  /** Dropout after the feed-forward block. */
  dropout2: Dropout;
  /** Whether LayerNorm comes before each block (pre-norm). */
  readonly normFirst: boolean;
  readonly #activation: (x: Tensor) => Tensor;

  constructor(dModel: number, nhead: number, ...rest: (number | string | boolean | TransformerEncoderLayerOptions)[]) {
    super();
    const a = bindArgs<TransformerEncoderLayerOptions>('TransformerEncoderLayer', rest, ['dimFeedforward', 'dropout', 'activation', 'layerNormEps', 'batchFirst', 'normFirst'],
      { dimFeedforward: 2048, dropout: 0.1, activation: 'relu', layerNormEps: 1e-5, batchFirst: false, normFirst: false, device: undefined, dtype: undefined });
    const f = factory(a);
    this.selfAttn = new MultiheadAttention(dModel, nhead, { dropout: a.dropout!, batchFirst: a.batchFirst!, ...f });
    this.linear1 = new Linear(dModel, a.dimFeedforward!, f);
    this.dropout = new Dropout(a.dropout!);
    this.linear2 = new Linear(a.dimFeedforward!, dModel, f);
    this.normFirst = a.normFirst!;
    this.norm1 = new LayerNorm(dModel, { eps: a.layerNormEps!, ...f });
    this.norm2 = new LayerNorm(dModel, { eps: a.layerNormEps!, ...f });
    this.dropout1 = new Dropout(a.dropout!);
    this.dropout2 = new Dropout(a.dropout!);
    const act = a.activation!;
    if (act !== 'relu' && act !== 'gelu' && typeof act !== 'function') throw new RuntimeError(`activation should be relu/gelu, not ${String(act)}`);
    this.#activation = act === 'relu' ? (x) => relu(x) : act === 'gelu' ? (x) => gelu(x) : act;
  }

  /** One encoder layer over src ([S, N, E], or [N, S, E] with batchFirst). */
  override forward(src: Tensor, opts: { srcMask?: Tensor | null; srcKeyPaddingMask?: Tensor | null; isCausal?: boolean } = {}): Tensor {
    const sa = (x: Tensor): Tensor => this.dropout1.forward(this.selfAttn.forward(x, x, x, {
      attnMask: opts.srcMask ?? null, keyPaddingMask: opts.srcKeyPaddingMask ?? null, needWeights: false, isCausal: opts.isCausal ?? false,
    })[0]);
    const ff = (x: Tensor): Tensor => this.dropout2.forward(this.linear2.forward(this.dropout.forward(this.#activation(this.linear1.forward(x)))));
    let x = src;
    if (this.normFirst) {
      x = x.add(sa(this.norm1.forward(x)));
      x = x.add(ff(this.norm2.forward(x)));
    } else {
      x = this.norm1.forward(x.add(sa(x)));
      x = this.norm2.forward(x.add(ff(x)));
    }
    return x;
  }
}
