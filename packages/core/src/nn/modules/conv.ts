/** Conv1d, Conv2d and ConvTranspose2d: thin wrappers over F.conv1d / conv2d / convTranspose2d. */
import type { Tensor } from '../../tensor.js';
import { ValueError } from '../../errors.js';
import { bindArgs, tuple } from '../args.js';
import { conv1d, conv2d, convTranspose2d } from '../conv.js';
import { resetFanIn } from '../init.js';
import { Module, type Parameter } from '../module.js';
import { emptyParam, factory, type FactoryOptions } from './linear.js';
import { pyTuple } from './repr.js';

/** Keywords of the convolution modules. */
export interface ConvModuleOptions extends FactoryOptions {
  stride?: number | number[];
  padding?: number | number[] | 'valid' | 'same';
  dilation?: number | number[];
  groups?: number;
  bias?: boolean;
  /** Only 'zeros' is supported. */
  paddingMode?: 'zeros';
}

/** Keywords of ConvTranspose2d. */
export interface ConvTransposeModuleOptions extends FactoryOptions {
  stride?: number | number[];
  padding?: number | number[];
  outputPadding?: number | number[];
  groups?: number;
  bias?: boolean;
  dilation?: number | number[];
}

/** What the convolution modules share: geometry, parameters, init, repr. */
abstract class ConvNd extends Module {
  /** The filters: [out, in / groups, *kernel] ([in, out / groups, *kernel] when transposed). */
  weight: Parameter;
  /** The bias [outChannels], or null. */
  bias: Parameter | null;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | 'valid' | 'same';
  readonly dilation: number[];
  readonly outputPadding: number[];

  constructor(
    readonly inChannels: number, readonly outChannels: number, kernelSize: number | number[], nd: number,
    readonly transposed: boolean, readonly groups: number, a: ConvModuleOptions & Pick<ConvTransposeModuleOptions, 'outputPadding'>,
  ) {
    super();
    if (groups <= 0) throw new ValueError('groups must be a positive integer');
    if (inChannels % groups !== 0) throw new ValueError('in_channels must be divisible by groups');
    if (outChannels % groups !== 0) throw new ValueError('out_channels must be divisible by groups');
    this.kernelSize = tuple(kernelSize, nd, 'kernel_size');
    this.stride = tuple(a.stride ?? 1, nd, 'stride');
    this.padding = typeof a.padding === 'string' ? a.padding : tuple(a.padding ?? 0, nd, 'padding');
    this.dilation = tuple(a.dilation ?? 1, nd, 'dilation');
    this.outputPadding = tuple(a.outputPadding ?? 0, nd, 'output_padding');
    const w = transposed ? [inChannels, outChannels / groups] : [outChannels, inChannels / groups];
    this.weight = emptyParam([...w, ...this.kernelSize], factory(a));
    this.bias = (a.bias ?? true) ? emptyParam([outChannels], factory(a)) : null;
    this.resetParameters();
  }

  /** PyTorch's default init: kaiming_uniform(a = sqrt(5)) and the fan-in bias bound. */
  resetParameters(): void {
    resetFanIn(this.weight, this.bias);
  }

  override extraRepr(): string {
    const nd = this.kernelSize.length;
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    const zeros = new Array<number>(nd).fill(0), ones = new Array<number>(nd).fill(1);
    const same = (a: readonly number[] | string, b: number[]): boolean => typeof a !== 'string' && a.every((v, i) => v === b[i]);
    if (!same(this.padding, zeros)) s += `, padding=${typeof this.padding === 'string' ? `'${this.padding}'` : pyTuple(this.padding)}`;
    if (!same(this.dilation, ones)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (!same(this.outputPadding, zeros)) s += `, output_padding=${pyTuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}

const CONV_NAMES = ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode'] as const;
const convDefaults = (): ConvModuleOptions => ({ stride: 1, padding: 0, dilation: 1, groups: 1, bias: true, paddingMode: 'zeros', device: undefined, dtype: undefined });

function convArgs(name: string, rest: readonly unknown[]): ConvModuleOptions {
  const a = bindArgs<ConvModuleOptions>(name, rest, [...CONV_NAMES], convDefaults());
  if (a.paddingMode !== 'zeros') throw new ValueError(`${name}: paddingMode '${a.paddingMode}' is not supported (only 'zeros')`);
  return a;
}

/** nn.Conv1d(inChannels, outChannels, kernelSize, stride=1, padding=0, dilation=1, groups=1, bias=true). */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | number[], ...rest: (number | number[] | string | boolean | ConvModuleOptions)[]) {
    const a = convArgs('Conv1d', rest);
    super(inChannels, outChannels, kernelSize, 1, false, a.groups!, a);
  }
  /** F.conv1d with this layer's weight, bias and geometry. */
  override forward(input: Tensor): Tensor {
    return conv1d(input, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}

/** nn.Conv2d(inChannels, outChannels, kernelSize, stride=1, padding=0, dilation=1, groups=1, bias=true). */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | number[], ...rest: (number | number[] | string | boolean | ConvModuleOptions)[]) {
    const a = convArgs('Conv2d', rest);
    super(inChannels, outChannels, kernelSize, 2, false, a.groups!, a);
  }
  /** F.conv2d with this layer's weight, bias and geometry. */
  override forward(input: Tensor): Tensor {
    return conv2d(input, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}

/**
 * nn.ConvTranspose2d(inChannels, outChannels, kernelSize, stride=1, padding=0, outputPadding=0,
 * groups=1, bias=true, dilation=1).
 */
export class ConvTranspose2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | number[], ...rest: (number | number[] | boolean | ConvTransposeModuleOptions)[]) {
    const a = bindArgs<ConvTransposeModuleOptions>('ConvTranspose2d', rest, ['stride', 'padding', 'outputPadding', 'groups', 'bias', 'dilation'],
      { stride: 1, padding: 0, outputPadding: 0, groups: 1, bias: true, dilation: 1, device: undefined, dtype: undefined });
    super(inChannels, outChannels, kernelSize, 2, true, a.groups!, a);
  }
  /** F.convTranspose2d with this layer's weight, bias and geometry. */
  override forward(input: Tensor): Tensor {
    return convTranspose2d(input, this.weight, this.bias, {
      stride: this.stride, padding: this.padding as number[], outputPadding: this.outputPadding, groups: this.groups, dilation: this.dilation,
    });
  }
}
