/**
 * Attention built from ops: F.scaledDotProductAttention and the multi-head attention forward
 * behind nn.MultiheadAttention (PyTorch 1.13's F.multi_head_attention_forward, dense path).
 */
import { RuntimeError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { ones } from '../ops/creation.js';
import { where } from '../ops/pointwise.js';
import { bindArgs } from './args.js';
import { dropout, linear } from './layers.js';

/** Keywords of scaledDotProductAttention. */
export interface ScaledDotProductAttentionOptions {
  /** Added to the scores (float), or where false the score is masked out (bool). */
  attnMask?: Tensor | null;
  dropoutP?: number;
  /** Mask out keys after each query (a lower-triangular mask). */
  isCausal?: boolean;
}

/** The additive form of a mask: bool masks become 0 / -inf (true = attend). */
function additiveMask(mask: Tensor, like: Tensor): Tensor {
  return mask.dtype === 'bool' ? where(mask, 0, -Infinity).to(like.dtype) : mask;
}

/**
 * F.scaled_dot_product_attention(query, key, value, attnMask=null, dropoutP=0, isCausal=false):
 * softmax(q k^T / sqrt(E) + mask) v over the last two dims (PyTorch 2.x's function; Kindling
 * keeps its semantics: a bool mask is true where attention is allowed).
 */
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, ...rest: (Tensor | number | boolean | null | ScaledDotProductAttentionOptions)[]): Tensor {
  const opts = bindArgs<ScaledDotProductAttentionOptions>('scaled_dot_product_attention', rest, ['attnMask', 'dropoutP', 'isCausal'],
    { attnMask: null, dropoutP: 0, isCausal: false });
  const E = query.shape[query.ndim - 1]!;
  const L = query.shape[query.ndim - 2]!, S = key.shape[key.ndim - 2]!;
  if (opts.isCausal && opts.attnMask) throw new RuntimeError('_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True');
  let scores = query.div(Math.sqrt(E)).matmul(key.transpose(-2, -1));
  if (opts.isCausal) scores = scores.add(additiveMask(ones([L, S], { dtype: 'bool', device: query.device }).tril(), scores));
  if (opts.attnMask) scores = scores.add(additiveMask(opts.attnMask, scores));
  let attn = scores.softmax(-1);
  if (opts.dropoutP) attn = dropout(attn, opts.dropoutP);
  return attn.matmul(value);
}

/** What multiHeadAttentionForward needs from the module. */
export interface MultiHeadAttentionParams {
  numHeads: number;
  inProjWeight: Tensor;
  inProjBias: Tensor | null;
  outProjWeight: Tensor;
  outProjBias: Tensor | null;
  dropoutP: number;
  training: boolean;
}

/** Options of one multi-head attention call. */
export interface MultiHeadAttentionCall {
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  averageAttnWeights?: boolean;
  isCausal?: boolean;
}

/**
 * Multi-head attention on sequence-first tensors: query [L, N, E], key / value [S, N, E].
 * Returns [output [L, N, E], weights [N, L, S] (averaged over heads) or null].
 * @internal
 */
export function multiHeadAttentionForward(query: Tensor, key: Tensor, value: Tensor, p: MultiHeadAttentionParams, o: MultiHeadAttentionCall): [Tensor, Tensor | null] {
  const [L, N, E] = query.shape as [number, number, number];
  const S = key.shape[0]!, H = p.numHeads, hd = E / H;
  const [wq, wk, wv] = p.inProjWeight.chunk(3) as [Tensor, Tensor, Tensor];
  const [bq, bk, bv] = p.inProjBias ? (p.inProjBias.chunk(3) as [Tensor, Tensor, Tensor]) : [null, null, null];
  const heads = (x: Tensor, len: number): Tensor => x.contiguous().view(len, N * H, hd).transpose(0, 1);
  const q = heads(linear(query, wq, bq), L);
  const k = heads(linear(key, wk, bk), S);
  const v = heads(linear(value, wv, bv), S);
  let scores = q.div(Math.sqrt(hd)).bmm(k.transpose(1, 2)); // [N*H, L, S]
  if (o.isCausal) scores = scores.add(additiveMask(ones([L, S], { dtype: 'bool', device: query.device }).tril(), scores));
  if (o.attnMask) {
    // nn.MultiheadAttention's bool masks are true where attention is NOT allowed.
    const m = o.attnMask.dtype === 'bool' ? where(o.attnMask, -Infinity, 0).to(scores.dtype) : o.attnMask;
    scores = scores.add(m.ndim === 2 ? m : m.view(N * H, L, S));
  }
  if (o.keyPaddingMask) {
    // keyPaddingMask [N, S]: true (or a float added) marks padding keys.
    const kp = o.keyPaddingMask.dtype === 'bool' ? where(o.keyPaddingMask, -Infinity, 0).to(scores.dtype) : o.keyPaddingMask;
    scores = scores.view(N, H, L, S).add(kp.view(N, 1, 1, S)).view(N * H, L, S);
  }
  let attn = scores.softmax(-1);
  if (p.dropoutP > 0 && p.training) attn = dropout(attn, p.dropoutP);
  const out = attn.bmm(v).transpose(0, 1).contiguous().view(L * N, E);
  const y = linear(out, p.outProjWeight, p.outProjBias).view(L, N, E);
  if (!(o.needWeights ?? true)) return [y, null];
  const w = attn.view(N, H, L, S);
  return [y, (o.averageAttnWeights ?? true) ? w.mean(1) : w];
}
