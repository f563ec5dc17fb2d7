/** Identity, Linear and Bilinear: thin wrappers over F.linear / matmul. */
import type { Tensor } from '../../tensor.js';
import { empty, type TensorOptions } from '../../ops/creation.js';
import { bindArgs } from '../args.js';
import { resetFanIn, uniform_ } from '../init.js';
import { linear } from '../layers.js';
import { Module, Parameter } from '../module.js';
import { pyBool } from './repr.js';

/** Factory keywords every parametrised layer takes (PyTorch's `device=`, `dtype=`). */
export type FactoryOptions = Pick<TensorOptions, 'device' | 'dtype'>;

/** A new parameter of this shape with unspecified values (filled by the layer's init). */
export function emptyParam(shape: number[], f: FactoryOptions): Parameter {
  return new Parameter(empty(shape, f));
}

/** The factory keywords of a bound options object. */
export function factory(a: FactoryOptions): FactoryOptions {
  return { ...(a.device !== undefined ? { device: a.device } : {}), ...(a.dtype !== undefined ? { dtype: a.dtype } : {}) };
}

/** nn.Identity: returns its input. Constructor arguments are accepted and ignored, as in PyTorch. */
export class Identity extends Module {
  constructor(...args: unknown[]) {
    super();
    void args;
  }

  /** Returns `input`. */
  override forward(input: Tensor): Tensor {
    return input;
  }
}

/** Keywords of nn.Linear. */
export interface LinearOptions extends FactoryOptions {
  bias?: boolean;
}

/**
 * nn.Linear(inFeatures, outFeatures, bias=true): y = x W^T + b, W [out, in]. Initialised like
 * PyTorch (kaiming_uniform with a = sqrt(5), then the bias), so the same manualSeed gives the
 * same values.
 */
export class Linear extends Module {
  /** The weight [outFeatures, inFeatures]. */
  weight: Parameter;
  /** The bias [outFeatures], or null. */
  bias: Parameter | null;

  constructor(
    /** Size of each input sample. */ readonly inFeatures: number,
    /** Size of each output sample. */ readonly outFeatures: number,
    ...rest: (boolean | LinearOptions)[]
  ) {
    super();
    const a = bindArgs<LinearOptions>('Linear', rest, ['bias'], { bias: true, device: undefined, dtype: undefined });
    this.weight = emptyParam([outFeatures, inFeatures], factory(a));
    this.bias = a.bias ? emptyParam([outFeatures], factory(a)) : null;
    this.resetParameters();
  }

  /** Re-draws the weight and bias with PyTorch's default init. */
  resetParameters(): void {
    resetFanIn(this.weight, this.bias);
  }

  /** x W^T + b. */
  override forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}

/** nn.Bilinear(in1Features, in2Features, outFeatures, bias=true): y_k = x1^T A_k x2 + b_k. */
export class Bilinear extends Module {
  /** The weight [out, in1, in2]. */
  weight: Parameter;
  /** The bias [out], or null. */
  bias: Parameter | null;

  constructor(
    /** Size of each first input sample. */ readonly in1Features: number,
    /** Size of each second input sample. */ readonly in2Features: number,
    /** Size of each output sample. */ readonly outFeatures: number,
    ...rest: (boolean | LinearOptions)[]
  ) {
    super();
    const a = bindArgs<LinearOptions>('Bilinear', rest, ['bias'], { bias: true, device: undefined, dtype: undefined });
    this.weight = emptyParam([outFeatures, in1Features, in2Features], factory(a));
    this.bias = a.bias ? emptyParam([outFeatures], factory(a)) : null;
    this.resetParameters();
  }

  /** U(-1/sqrt(in1), 1/sqrt(in1)) for weight and bias, as PyTorch. */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.weight.shape[1]!);
    uniform_(this.weight, -bound, bound);
    if (this.bias) uniform_(this.bias, -bound, bound);
  }

  /** x1^T A_k x2 + b_k over the last dims. */
  override forward(input1: Tensor, input2: Tensor): Tensor {
    // [.., in1] x [out, in1, in2] x [.., in2] -> [.., out]
    const t = input1.unsqueeze(-2).unsqueeze(-3).matmul(this.weight); // [.., out, 1, in2]
    const y = t.matmul(input2.unsqueeze(-2).unsqueeze(-1)).squeeze(-1).squeeze(-1);
    return this.bias ? y.add(this.bias) : y;
  }

  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}
