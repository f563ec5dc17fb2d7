/** MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d. */
import type { Tensor } from '../../tensor.js';
import { bindArgs } from '../args.js';
import { avgPool2d, maxPool2d } from '../conv.js';
import { Module } from '../module.js';
import { adaptiveAvgPool2d, adaptiveMaxPool2d } from '../resample.js';
import { pyBool, pyTuple } from './repr.js';

const sizeText = (v: number | readonly (number | null)[]): string =>
  typeof v === 'number' ? String(v) : v.some((x) => x === null) ? `(${v.map((x) => (x === null ? 'None' : x)).join(', ')})` : pyTuple(v as number[]);

/** Keywords of nn.MaxPool2d. */
export interface MaxPool2dOptions {
  stride?: number | number[] | null;
  padding?: number | number[];
  dilation?: number | number[];
  returnIndices?: boolean;
  ceilMode?: boolean;
}

/** nn.MaxPool2d(kernelSize, stride=kernelSize, padding=0, dilation=1, returnIndices=false, ceilMode=false). */
export class MaxPool2d extends Module {
  /** Window stride. */
  readonly stride: number | number[];
  /** Implicit padding on each side. */
  readonly padding: number | number[];
  /** Spacing between window elements. */
  readonly dilation: number | number[];
  /** Whether forward also returns the argmax indices. */
  readonly returnIndices: boolean;
  /** Whether output sizes round up. */
  readonly ceilMode: boolean;
  constructor(
    /** Window size. */ readonly kernelSize: number | number[],
    ...rest: (number | number[] | boolean | null | MaxPool2dOptions)[]
  ) {
    super();
    const a = bindArgs<Required<MaxPool2dOptions>>('MaxPool2d', rest, ['stride', 'padding', 'dilation', 'returnIndices', 'ceilMode'],
      { stride: null, padding: 0, dilation: 1, returnIndices: false, ceilMode: false });
    this.stride = a.stride ?? kernelSize;
    this.padding = a.padding;
    this.dilation = a.dilation;
    this.returnIndices = a.returnIndices;
    this.ceilMode = a.ceilMode;
  }
  /** F.maxPool2d (with returnIndices: [values, indices]). */
  override forward(input: Tensor): Tensor {
    const opts = { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
    return this.returnIndices ? (maxPool2d(input, this.kernelSize, { ...opts, returnIndices: true }) as unknown as Tensor) : maxPool2d(input, this.kernelSize, opts);
  }
  override extraRepr(): string {
    return `kernel_size=${sizeText(this.kernelSize)}, stride=${sizeText(this.stride)}, padding=${sizeText(this.padding)}, dilation=${sizeText(this.dilation)}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}

/** Keywords of nn.AvgPool2d. */
export interface AvgPool2dOptions {
  stride?: number | number[] | null;
  padding?: number | number[];
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

/** nn.AvgPool2d(kernelSize, stride=kernelSize, padding=0, ceilMode=false, countIncludePad=true, divisorOverride=null). */
export class AvgPool2d extends Module {
  /** Window stride. */
  readonly stride: number | number[];
  /** Implicit padding on each side. */
  readonly padding: number | number[];
  /** Whether output sizes round up. */
  readonly ceilMode: boolean;
  /** Whether padding counts in the average. */
  readonly countIncludePad: boolean;
  /** Divisor used instead of the window size, or null. */
  readonly divisorOverride: number | null;
  constructor(
    /** Window size. */ readonly kernelSize: number | number[],
    ...rest: (number | number[] | boolean | null | AvgPool2dOptions)[]
  ) {
    super();
    const a = bindArgs<Required<AvgPool2dOptions>>('AvgPool2d', rest, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'],
      { stride: null, padding: 0, ceilMode: false, countIncludePad: true, divisorOverride: null });
    this.stride = a.stride ?? kernelSize;
    this.padding = a.padding;
    this.ceilMode = a.ceilMode;
    this.countIncludePad = a.countIncludePad;
    this.divisorOverride = a.divisorOverride;
  }
  /** F.avgPool2d with this layer's geometry. */
  override forward(input: Tensor): Tensor {
    return avgPool2d(input, this.kernelSize, { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride });
  }
  override extraRepr(): string {
    return `kernel_size=${sizeText(this.kernelSize)}, stride=${sizeText(this.stride)}, padding=${sizeText(this.padding)}`;
  }
}

/** nn.AdaptiveAvgPool2d(outputSize): averages into a fixed output size (null keeps a dim). */
export class AdaptiveAvgPool2d extends Module {
  constructor(/** Target output size (null keeps that dim). */ readonly outputSize: number | (number | null)[]) { super(); }
  /** F.adaptiveAvgPool2d(input, outputSize). */
  override forward(input: Tensor): Tensor { return adaptiveAvgPool2d(input, this.outputSize); }
  override extraRepr(): string { return `output_size=${sizeText(this.outputSize)}`; }
}

/** nn.AdaptiveMaxPool2d(outputSize): the max over adaptive windows. */
export class AdaptiveMaxPool2d extends Module {
  constructor(/** Target output size (null keeps that dim). */ readonly outputSize: number | (number | null)[]) { super(); }
  /** F.adaptiveMaxPool2d(input, outputSize). */
  override forward(input: Tensor): Tensor { return adaptiveMaxPool2d(input, this.outputSize); }
  override extraRepr(): string { return `output_size=${sizeText(this.outputSize)}, return_indices=False`; }
}
