/**
 * What a kernel sees: a strided view over a typed array. `offset` and `strides` count elements
 * from the start of `data`, and `data` itself may be a window into a larger (shared) buffer.
 */
import type { TypedArray } from '../dtype.js';

export interface KView {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}
