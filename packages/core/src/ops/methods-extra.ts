/**
 * Installs the composite reductions, softmax and the random samplers as Tensor methods
 * (`x.var(1)`, `x.softmax(-1)`, `x.normal_(0, 0.02)`), with their types declared on Tensor.
 */
import { Tensor } from '../tensor.js';
import * as rx from './reduce-extra.js';
import * as rnd from './random.js';
import * as sm from './softmax.js';
import type { Dims } from './reduce.js';
import type { NormOptions, NormOrder, VarOptions } from './reduce-extra.js';
import type { GeneratorOption } from './random.js';
import type { SoftmaxOptions } from './softmax.js';
import type { DType } from '../dtype.js';

declare module '../tensor.js' {
  interface Tensor {
    /** Variance: `var()`, `var(unbiased)`, `var(dim, unbiased?, keepdim?)`, `var({ dim, correction, keepdim })`. */
    var(...args: (Dims | boolean | VarOptions)[]): Tensor;
    /** Standard deviation, with var's arguments. */
    std(...args: (Dims | boolean | VarOptions)[]): Tensor;
    /** log(sum(exp(x))) over `dim`, computed stably. */
    logsumexp(dim: Dims | { dim: Dims; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): Tensor;
    /** Vector p-norm (default 2 / 'fro') over `dim` (default all). */
    norm(...args: (NormOrder | Dims | boolean | NormOptions | null)[]): Tensor;
    /** softmax along `dim`. */
    softmax(dim: number | SoftmaxOptions, dtype?: DType | SoftmaxOptions): Tensor;
    /** log_softmax along `dim`. */
    logSoftmax(dim: number | SoftmaxOptions, dtype?: DType | SoftmaxOptions): Tensor;
    /** Fills in place with normal samples (mean 0, std 1 by default). */
    normal_(mean?: number | GeneratorOption, std?: number | GeneratorOption, opts?: GeneratorOption): Tensor;
    /** Fills in place with samples uniform on [from, to). */
    uniform_(from?: number | GeneratorOption, to?: number | GeneratorOption, opts?: GeneratorOption): Tensor;
    /** 0/1 samples with this tensor's values as probabilities (or a fixed p). */
    bernoulli(p?: number | GeneratorOption, opts?: GeneratorOption): Tensor;
    /** Fills in place with 0/1 samples of probability p (a number or a tensor). */
    bernoulli_(p?: number | Tensor | GeneratorOption, opts?: GeneratorOption): Tensor;
  }
}

function method<A extends unknown[], R>(fn: (x: Tensor, ...args: A) => R): (this: Tensor, ...args: A) => R {
  return function (this: Tensor, ...args: A): R {
    return fn(this, ...args);
  };
}

Object.assign(Tensor.prototype, {
  var: method(rx.var_), std: method(rx.std), logsumexp: method(rx.logsumexp), norm: method(rx.norm),
  softmax: method(sm.softmax), logSoftmax: method(sm.logSoftmax),
  normal_: method(rnd.normal_), uniform_: method(rnd.uniform_), bernoulli: method(rnd.bernoulli), bernoulli_: method(rnd.bernoulli_),
});
