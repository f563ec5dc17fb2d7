/**
 * Installs sorting, selection, scans, value tests, searching and the new samplers as Tensor
 * methods (`x.sort(1)`, `x.topk(3)`, `x.isnan()`, `x.multinomial(4)`), with their types.
 */
import { Tensor } from '../tensor.js';
import * as fc from './float-checks.js';
import * as rx from './random-extra.js';
import * as sc from './scans.js';
import * as se from './search.js';
import * as so from './sort.js';
import type { IscloseOptions, NanToNumOptions } from './float-checks.js';
import type { MultinomialOptions } from './random-extra.js';
import type { ValuesIndices } from './reduce.js';
import type { BincountOptions, UniqueOptions } from './search.js';
import type { SelectOptions, SortOptions, TopkOptions } from './sort.js';

declare module '../tensor.js' {
  interface Tensor {
    /** Sorted along `dim` (default -1): `{ values, indices }`. NaN sorts last; the sort is stable. */
    sort(dim?: number | SortOptions, descending?: boolean | SortOptions, opts?: SortOptions): ValuesIndices;
    /** The positions that sort this tensor along `dim`. */
    argsort(dim?: number | SortOptions, descending?: boolean | SortOptions, opts?: SortOptions): Tensor;
    /** Sorted along dim 0. */
    msort(): Tensor;
    /** The k largest (or smallest) along `dim`: `{ values, indices }`, in sorted order. */
    topk(k: number, dim?: number | TopkOptions, largest?: boolean | TopkOptions, sorted?: boolean | TopkOptions, opts?: TopkOptions): ValuesIndices;
    /** The k-th smallest along `dim`: `{ values, indices }`. */
    kthvalue(k: number, dim?: number | SelectOptions, keepdim?: boolean | SelectOptions, opts?: SelectOptions): ValuesIndices;
    /** The lower median of all elements, or `{ values, indices }` along `dim`. */
    median(): Tensor;
    median(dim: number | SelectOptions, keepdim?: boolean | SelectOptions): ValuesIndices;
    /** The most frequent value along `dim` and its last position: `{ values, indices }`. */
    mode(dim?: number | SelectOptions, keepdim?: boolean | SelectOptions, opts?: SelectOptions): ValuesIndices;
    /** Running maximum along `dim` and where it was: `{ values, indices }`. */
    cummax(dim: number | { dim: number }): ValuesIndices;
    /** Running minimum along `dim` and where it was: `{ values, indices }`. */
    cummin(dim: number | { dim: number }): ValuesIndices;
    /** log of the running sum of exp along `dim`. */
    logcumsumexp(dim: number | { dim: number }): Tensor;
    /** True where NaN (bool). */
    isnan(): Tensor;
    /** True where +inf or -inf (bool). */
    isinf(): Tensor;
    /** True where neither NaN nor infinite (bool). */
    isfinite(): Tensor;
    /** NaN and infinities replaced by finite values. */
    nanToNum(nan?: number | null | NanToNumOptions, posinf?: number | null | NanToNumOptions, neginf?: number | null | NanToNumOptions, opts?: NanToNumOptions): Tensor;
    /** Elementwise closeness to `other` (bool). */
    isclose(other: Tensor, rtol?: number | IscloseOptions, atol?: number | IscloseOptions, equalNan?: boolean | IscloseOptions, opts?: IscloseOptions): Tensor;
    /** Whether every element is close to `other`. */
    allclose(other: Tensor, rtol?: number | IscloseOptions, atol?: number | IscloseOptions, equalNan?: boolean | IscloseOptions, opts?: IscloseOptions): boolean;
    /** Counts of each value 0..max of this 1-d non-negative integer tensor. */
    bincount(weights?: Tensor | null | BincountOptions, minlength?: number | BincountOptions, opts?: BincountOptions): Tensor;
    /** The distinct values, sorted (with inverse positions and counts when asked). */
    unique(sorted?: boolean | UniqueOptions, returnInverse?: boolean | UniqueOptions, returnCounts?: boolean | UniqueOptions, opts?: UniqueOptions): Tensor | Tensor[];
    /** Category indices drawn from this tensor's rows of probabilities. */
    multinomial(numSamples: number | MultinomialOptions, replacement?: boolean | MultinomialOptions, opts?: MultinomialOptions): Tensor;
  }
}

function method<A extends unknown[], R>(fn: (x: Tensor, ...args: A) => R): (this: Tensor, ...args: A) => R {
  return function (this: Tensor, ...args: A): R {
    return fn(this, ...args);
  };
}

Object.assign(Tensor.prototype, {
  sort: method(so.sort), argsort: method(so.argsort), msort: method(so.msort), topk: method(so.topk), kthvalue: method(so.kthvalue),
  median: method(so.median as (x: Tensor, ...a: unknown[]) => unknown), mode: method(so.mode),
  cummax: method(sc.cummax), cummin: method(sc.cummin), logcumsumexp: method(sc.logcumsumexp),
  isnan: method(fc.isnan), isinf: method(fc.isinf), isfinite: method(fc.isfinite), nanToNum: method(fc.nanToNum),
  isclose: method(fc.isclose), allclose: method(fc.allclose),
  bincount: method(se.bincount), unique: method(se.unique), multinomial: method(rx.multinomial),
});

