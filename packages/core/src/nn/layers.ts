/**
 * Functional layers: linear (and torch.addmm), layerNorm, embedding, dropout, normalize.
 * Forwards run without recording and record PyTorch's node; backward formulas use ops.
 */
import { isFloating, scalarTypeName } from '../dtype.js';
import { RuntimeError, ValueError } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { shapeStr } from '../shape.js';
import { Tensor } from '../tensor.js';
import { namedView } from '../ops/views.js';
import { where } from '../ops/pointwise.js';
import { inplaceFrom } from '../ops/inplace.js';
import { bernoulli_ } from '../ops/random.js';
import { emptyOf, gradFor, record } from '../ops/support.js';
import type { Generator } from '../random/generator.js';
import { bindArgs } from './args.js';


// ------------------------------------------------------------------ addmm / linear

/** Keywords of addmm. */
export interface AddmmOptions {
  beta?: number;
  alpha?: number;
}

/** torch.addmm(input, mat1, mat2, beta=1, alpha=1): beta * input + alpha * (mat1 @ mat2). */
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, opts: AddmmOptions = {}): Tensor {
  const beta = opts.beta ?? 1, alpha = opts.alpha ?? 1;
  if (mat1.ndim !== 2) throw new RuntimeError('mat1 must be a matrix, got ' + mat1.ndim + '-D tensor');
  if (mat2.ndim !== 2) throw new RuntimeError('mat2 must be a matrix, got ' + mat2.ndim + '-D tensor');
  const y = noGrad(() => {
    let p = mat1.mm(mat2);
    if (alpha !== 1) p = p.mul(alpha);
    return p.add(beta === 1 ? input : input.mul(beta));
  });
  record(y, 'AddmmBackward0', [input, mat1, mat2], [mat1, mat2], ([g], [m1, m2], needs) => {
    const ga = alpha === 1 ? g! : g!.mul(alpha);
    return [
      needs[0] ? gradFor(beta === 1 ? g! : g!.mul(beta), input) : null,
      needs[1] ? ga.mm(m2!.t()) : null,
      needs[2] ? m1!.t().mm(ga) : null,
    ];
  });
  return y;
}


/**
 * F.linear(input, weight, bias=null): input @ weight.T + bias, with PyTorch's paths (addmm for
 * 2-d input with bias; a folded mm for higher-rank input).
 */
export function linear(input: Tensor, weight: Tensor, ...rest: (Tensor | null | { bias?: Tensor | null })[]): Tensor {
  const { bias } = bindArgs<{ bias: Tensor | null }>('linear', rest, ['bias'], { bias: null });
  if (weight.ndim !== 2) throw new RuntimeError(`t() expects a tensor with <= 2 dimensions, but self is ${weight.ndim}D`);
  const K = weight.shape[1]!, O = weight.shape[0]!;
  if (input.ndim === 0) throw new RuntimeError('both arguments to linear need to be at least 1D, but they are 0D and 2D');
  if (input.shape[input.ndim - 1] !== K) {
    const rows = input.ndim === 1 ? 1 : input.numel() / input.shape[input.ndim - 1]!;
    throw new RuntimeError(`mat1 and mat2 shapes cannot be multiplied (${rows}x${input.shape[input.ndim - 1]} and ${K}x${O})`);
  }
  if (input.ndim === 2 && bias) return addmm(bias, input, weight.t());
  if (input.ndim === 3 && bias && input.isContiguous()) {
    const [a, b] = input.shape as [number, number];
    return addmm(bias, input.view(a * b, K), weight.t()).view(a, b, O);
  }
  let out: Tensor;
  if (input.ndim <= 2) out = input.matmul(weight.t());
  else out = namedView(input.reshape(-1, K).mm(weight.t()), [...input.shape.slice(0, -1), O], 'UnsafeViewBackward0');
  return bias ? out.add(bias) : out;
}

// ------------------------------------------------------------------ layer norm

/** Keywords of layerNorm (weight / bias may also be positional). */
export interface LayerNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  eps?: number;
}

/**
 * F.layer_norm(input, normalizedShape, weight=null, bias=null, eps=1e-5): normalizes over the
 * last dims (biased variance), then scales and shifts. Node NativeLayerNormBackward0.
 */
export function layerNorm(input: Tensor, normalizedShape: number | readonly number[], ...rest: (Tensor | null | number | LayerNormOptions)[]): Tensor {
  const a = bindArgs<{ weight: Tensor | null; bias: Tensor | null; eps: number }>('layer_norm', rest, ['weight', 'bias', 'eps'], { weight: null, bias: null, eps: 1e-5 });
  const ns = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const k = ns.length, nd = input.ndim;
  const tail = input.shape.slice(nd - k);
  if (k === 0 || nd < k || tail.some((s, i) => s !== ns[i])) {
    throw new RuntimeError(`Given normalized_shape=${shapeStr(ns)}, expected input with shape [*, ${ns.join(', ')}], but got input of size${shapeStr(input.shape)}`);
  }
  for (const [name, t] of [['weight', a.weight], ['bias', a.bias]] as const) {
    if (t && (t.ndim !== k || t.shape.some((s, i) => s !== ns[i]))) {
      throw new RuntimeError(`Expected ${name} to be of same shape as normalized_shape, but got ${name} of shape ${shapeStr(t.shape)} and normalized_shape = ${shapeStr(ns)}`);
    }
  }
  if (!isFloating(input.dtype)) throw new RuntimeError(`"LayerNormKernelImpl" not implemented for '${scalarTypeName(input.dtype)}'`);
  const dims = Array.from({ length: k }, (_, i) => nd - k + i);
  const batchDims = Array.from({ length: nd - k }, (_, i) => i);
  const { weight, bias, eps } = a;
  const normalize = (x: Tensor): { xhat: Tensor; rstd: Tensor } => {
    const mean = x.mean(dims, true);
    const d = x.sub(mean);
    const rstd = d.mul(d).mean(dims, true).add(eps).rsqrt();
    return { xhat: d.mul(rstd), rstd };
  };
  const y = noGrad(() => {
    let r = normalize(input).xhat;
    if (weight) r = r.mul(weight);
    if (bias) r = r.add(bias);
    return r;
  });
  record(y, 'NativeLayerNormBackward0', [input, weight, bias], [input, weight], ([g], [x, w], needs) => {
    const { xhat, rstd } = normalize(x!);
    let gx: Tensor | null = null;
    if (needs[0]) {
      const gw = w ? g!.mul(w) : g!;
      gx = rstd.mul(gw.sub(gw.mean(dims, true)).sub(xhat.mul(gw.mul(xhat).mean(dims, true))));
    }
    const over = (t: Tensor): Tensor => (batchDims.length ? t.sum(batchDims) : t);
    return [gx, needs[1] ? over(g!.mul(xhat)) : null, needs[2] ? over(g!) : null];
  });
  return y;
}

// ------------------------------------------------------------------ embedding

/** Keywords of embedding. */
export interface EmbeddingOptions {
  /** This row gets no gradient (and is returned as stored). */
  paddingIdx?: number | null;
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  sparse?: boolean;
}

/** Rows of `weight` picked by the flat int64 index (not recorded). */
function pickRows(weight: Tensor, flat: Tensor): Tensor {
  const out = emptyOf([flat.shape[0]!, weight.shape[1]!], weight.dtype, weight.backend);
  weight.backend.indexSelect(out, weight, 0, flat);
  return out;
}

/** The embedding gradient: rows of g2 summed into [V, D] at the flat indices (padding rows dropped). */
function embeddingDense(g2: Tensor, flat: Tensor, keep: Tensor | null, V: number): Tensor {
  const src = keep ? where(keep, g2, 0) : g2;
  const out = emptyOf([V, g2.shape[1]!], g2.dtype, g2.backend);
  g2.backend.fill(out, 0);
  g2.backend.indexAdd(out, 0, flat, src.contiguous());
  record(out, 'EmbeddingDenseBackward0', [g2], [], ([gg]) => {
    const rows = pickRows(gg!.contiguous(), flat);
    const r = keep ? where(keep, rows, 0) : rows;
    // The rows are a function of gg only through pickRows: record it so higher orders flow.
    record(r, 'IndexSelectBackward0', [gg], [], ([g3]) => [embeddingDense(g3!, flat, keep, V)]);
    return [r];
  });
  return out;
}

/**
 * F.embedding(input, weight, paddingIdx=null): rows of `weight` [V, D] picked by the int64
 * indices in `input`, giving input.shape + [D]. maxNorm (renormalisation) is not supported.
 *
 * @remarks Differs from PyTorch: `maxNorm` and `scaleGradByFreq` are not supported (they throw
 * RuntimeError), and `sparse` gradients are dense.
 */
export function embedding(input: Tensor, weight: Tensor, ...rest: (number | null | boolean | EmbeddingOptions)[]): Tensor {
  const a = bindArgs<Required<EmbeddingOptions>>('embedding', rest, ['paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse'],
    { paddingIdx: null, maxNorm: null, normType: 2, scaleGradByFreq: false, sparse: false });
  if (input.dtype !== 'int64' && input.dtype !== 'int32') {
    throw new RuntimeError(`Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.${input.dtype === 'float32' ? 'Float' : scalarTypeName(input.dtype)}Tensor instead (while checking arguments for embedding)`);
  }
  if (weight.ndim !== 2) throw new RuntimeError("'weight' must be 2-D");
  if (a.maxNorm !== null) throw new RuntimeError('embedding: maxNorm is not supported');
  if (a.scaleGradByFreq) throw new RuntimeError('embedding: scaleGradByFreq is not supported');
  const [V, D] = weight.shape as [number, number];
  let pad = a.paddingIdx;
  if (pad !== null) {
    if (pad >= V || pad < -V) throw new ValueError('Padding_idx must be within num_embeddings');
    if (pad < 0) pad += V;
  }
  const flat = input.reshape(-1).contiguous();
  const y = noGrad(() => pickRows(weight, flat).view([...input.shape, D]));
  const keep = pad === null ? null : noGrad(() => flat.ne(pad!).unsqueeze(1));
  record(y, 'EmbeddingBackward0', [weight], [], ([g]) => [embeddingDense(g!.reshape(-1, D), flat, keep, V)]);
  return y;
}

// ------------------------------------------------------------------ dropout

/** Keywords of dropout. */
export interface DropoutOptions {
  p?: number;
  training?: boolean;
  inplace?: boolean;
  /** Draw the mask from this generator instead of the default one. */
  generator?: Generator | null;
}

/**
 * F.dropout(input, p=0.5, training=true, inplace=false): zeroes elements with probability p and
 * scales the rest by 1 / (1 - p). The mask comes from the seeded generator (bernoulli with
 * probability 1 - p per element); PyTorch's own CPU mask stream (MKL) is not reproduced.
 */
export function dropout(input: Tensor, ...rest: (number | boolean | DropoutOptions)[]): Tensor {
  const a = bindArgs<Required<DropoutOptions>>('dropout', rest, ['p', 'training', 'inplace'], { p: 0.5, training: true, inplace: false, generator: null });
  const p = a.p;
  if (p < 0 || p > 1) throw new ValueError(`dropout probability has to be between 0 and 1, but got ${p}`);
  if (p === 0 || !a.training || input.numel() === 0) return input;
  let scale: Tensor | number = 0;
  if (p < 1) {
    const noise = emptyOf(input.shape, isFloating(input.dtype) ? input.dtype : 'float32', input.backend);
    bernoulli_(noise, 1 - p, { generator: a.generator });
    scale = noGrad(() => noise.div(1 - p));
  }
  // In place, PyTorch's input.mul_(noise): the one in-place driver does the checks and history.
  return a.inplace ? inplaceFrom(input, [], false, (x) => x.mul(scale)) : input.mul(scale);
}

// ------------------------------------------------------------------ normalize

/** F.normalize(input, p=2, dim=1, eps=1e-12): input / max(||input||_p along dim, eps). */
export function normalize(input: Tensor, ...rest: (number | { p?: number; dim?: number; eps?: number })[]): Tensor {
  const a = bindArgs('normalize', rest, ['p', 'dim', 'eps'], { p: 2, dim: 1, eps: 1e-12 });
  const n = input.norm(a.p, a.dim, true);
  const denom = where(n.lt(a.eps), a.eps, n);
  return input.div(denom.expand([...input.shape]));
}

