/** Every nn.functional activation as a module (thin wrappers; reprs as PyTorch prints them). */
import type { Tensor } from '../../tensor.js';
import * as act from '../activation.js';
import { bindArgs } from '../args.js';
import { logSoftmax, softmax } from '../functional.js';
import { constant_ } from '../init.js';
import { Module, Parameter } from '../module.js';
import { emptyParam, factory, type FactoryOptions } from './linear.js';
import { pyFloat } from './repr.js';

/** Base of the activations that take only `inplace`. */
abstract class InplaceActivation extends Module {
  /** Whether the input is overwritten (where the functional form supports it). */
  readonly inplace: boolean;

  constructor(rest: readonly unknown[]) {
    super();
    this.inplace = bindArgs(new.target.name, rest, ['inplace'], { inplace: false }).inplace;
  }

  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** nn.ReLU(inplace=false): max(0, x). */
export class ReLU extends InplaceActivation {
  constructor(...rest: (boolean | { inplace?: boolean })[]) { super(rest); }
  /** F.relu(input). */
  override forward(input: Tensor): Tensor { return act.relu(input, this.inplace); }
}

/** nn.ReLU6(inplace=false): min(max(0, x), 6). */
export class ReLU6 extends InplaceActivation {
  constructor(...rest: (boolean | { inplace?: boolean })[]) { super(rest); }
  /** F.relu6(input). */
  override forward(input: Tensor): Tensor { return act.relu6(input); }
}

/** nn.SELU(inplace=false). */
export class SELU extends InplaceActivation {
  constructor(...rest: (boolean | { inplace?: boolean })[]) { super(rest); }
  /** F.selu(input). */
  override forward(input: Tensor): Tensor { return act.selu(input); }
}

/** nn.SiLU(inplace=false): x sigmoid(x). */
export class SiLU extends InplaceActivation {
  constructor(...rest: (boolean | { inplace?: boolean })[]) { super(rest); }
  /** F.silu(input). */
  override forward(input: Tensor): Tensor { return act.silu(input, this.inplace); }
}

/** nn.Mish(inplace=false): x tanh(softplus(x)). */
export class Mish extends InplaceActivation {
  constructor(...rest: (boolean | { inplace?: boolean })[]) { super(rest); }
  /** F.mish(input). */
  override forward(input: Tensor): Tensor { return act.mish(input); }
}

/** nn.Hardsigmoid(inplace=false). */
export class Hardsigmoid extends InplaceActivation {
  constructor(...rest: (boolean | { inplace?: boolean })[]) { super(rest); }
  /** F.hardsigmoid(input). */
  override forward(input: Tensor): Tensor { return act.hardsigmoid(input); }
}

/** nn.Hardswish(inplace=false). */
export class Hardswish extends InplaceActivation {
  constructor(...rest: (boolean | { inplace?: boolean })[]) { super(rest); }
  /** F.hardswish(input). */
  override forward(input: Tensor): Tensor { return act.hardswish(input); }
}

/** nn.Sigmoid. */
export class Sigmoid extends Module {
  /** sigmoid(input). */
  override forward(input: Tensor): Tensor { return input.sigmoid(); }
}

/** nn.Tanh. */
export class Tanh extends Module {
  /** tanh(input). */
  override forward(input: Tensor): Tensor { return input.tanh(); }
}

/** nn.Softsign: x / (1 + |x|). */
export class Softsign extends Module {
  /** F.softsign(input). */
  override forward(input: Tensor): Tensor { return act.softsign(input); }
}

/** nn.Tanhshrink: x - tanh(x). */
export class Tanhshrink extends Module {
  /** F.tanhshrink(input). */
  override forward(input: Tensor): Tensor { return act.tanhshrink(input); }
}

/** nn.LogSigmoid. */
export class LogSigmoid extends Module {
  /** F.logsigmoid(input). */
  override forward(input: Tensor): Tensor { return act.logsigmoid(input); }
}

/** nn.LeakyReLU(negativeSlope=0.01, inplace=false). */
export class LeakyReLU extends Module {
  /** Slope for negative inputs. */
  readonly negativeSlope: number;
  /** Whether the input is overwritten (PyTorch's `inplace`). */
  readonly inplace: boolean;
  constructor(...rest: (number | boolean | { negativeSlope?: number; inplace?: boolean })[]) {
    super();
    const a = bindArgs('LeakyReLU', rest, ['negativeSlope', 'inplace'], { negativeSlope: 0.01, inplace: false });
    this.negativeSlope = a.negativeSlope;
    this.inplace = a.inplace;
  }
  /** F.leakyRelu(input, negativeSlope). */
  override forward(input: Tensor): Tensor { return act.leakyRelu(input, this.negativeSlope, this.inplace); }
  override extraRepr(): string { return `negative_slope=${pyFloat(this.negativeSlope)}${this.inplace ? ', inplace=True' : ''}`; }
}

/** nn.ELU(alpha=1, inplace=false). */
export class ELU extends Module {
  /** The alpha constant. */
  readonly alpha: number;
  /** Whether the input is overwritten (PyTorch's `inplace`). */
  readonly inplace: boolean;
  constructor(...rest: (number | boolean | { alpha?: number; inplace?: boolean })[]) {
    super();
    const a = bindArgs('ELU', rest, ['alpha', 'inplace'], { alpha: 1, inplace: false });
    this.alpha = a.alpha;
    this.inplace = a.inplace;
  }
  /** F.elu(input, alpha). */
  override forward(input: Tensor): Tensor { return act.elu(input, this.alpha, this.inplace); }
  override extraRepr(): string { return `alpha=${pyFloat(this.alpha)}${this.inplace ? ', inplace=True' : ''}`; }
}

/** nn.CELU(alpha=1, inplace=false). */
export class CELU extends Module {
  /** The alpha constant. */
  readonly alpha: number;
  /** Whether the input is overwritten (PyTorch's `inplace`). */
  readonly inplace: boolean;
  constructor(...rest: (number | boolean | { alpha?: number; inplace?: boolean })[]) {
    super();
    const a = bindArgs('CELU', rest, ['alpha', 'inplace'], { alpha: 1, inplace: false });
    this.alpha = a.alpha;
    this.inplace = a.inplace;
  }
  /** F.celu(input, alpha). */
  override forward(input: Tensor): Tensor { return act.celu(input, this.alpha); }
  override extraRepr(): string { return `alpha=${pyFloat(this.alpha)}${this.inplace ? ', inplace=True' : ''}`; }
}

/** nn.GELU(approximate='none'). */
export class GELU extends Module {
  /** 'none' (exact) or 'tanh' (the tanh approximation). */
  readonly approximate: 'none' | 'tanh';
  constructor(...rest: ('none' | 'tanh' | { approximate?: 'none' | 'tanh' })[]) {
    super();
    this.approximate = bindArgs<{ approximate: 'none' | 'tanh' }>('GELU', rest, ['approximate'], { approximate: 'none' }).approximate;
  }
  /** F.gelu(input, approximate). */
  override forward(input: Tensor): Tensor { return act.gelu(input, this.approximate); }
  override extraRepr(): string { return `approximate='${this.approximate}'`; }
}

/** nn.Softplus(beta=1, threshold=20). */
export class Softplus extends Module {
  /** The beta constant. */
  readonly beta: number;
  /** The threshold. */
  readonly threshold: number;
  constructor(...rest: (number | { beta?: number; threshold?: number })[]) {
    super();
    const a = bindArgs('Softplus', rest, ['beta', 'threshold'], { beta: 1, threshold: 20 });
    this.beta = a.beta;
    this.threshold = a.threshold;
  }
  /** F.softplus(input, beta, threshold). */
  override forward(input: Tensor): Tensor { return act.softplus(input, this.beta, this.threshold); }
  override extraRepr(): string { return `beta=${this.beta}, threshold=${this.threshold}`; }
}

/** nn.Hardtanh(minVal=-1, maxVal=1, inplace=false). */
export class Hardtanh extends Module {
  /** Lower clamp bound. */
  readonly minVal: number;
  /** Upper clamp bound. */
  readonly maxVal: number;
  /** Whether the input is overwritten (PyTorch's `inplace`). */
  readonly inplace: boolean;
  constructor(...rest: (number | boolean | { minVal?: number; maxVal?: number; inplace?: boolean })[]) {
    super();
    const a = bindArgs('Hardtanh', rest, ['minVal', 'maxVal', 'inplace'], { minVal: -1, maxVal: 1, inplace: false });
    this.minVal = a.minVal;
    this.maxVal = a.maxVal;
    this.inplace = a.inplace;
  }
  /** F.hardtanh(input, minVal, maxVal). */
  override forward(input: Tensor): Tensor { return act.hardtanh(input, this.minVal, this.maxVal); }
  override extraRepr(): string { return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}${this.inplace ? ', inplace=True' : ''}`; }
}

/** nn.Threshold(threshold, value, inplace=false): x where x > threshold, else value. */
export class Threshold extends Module {
  /** Whether the input is overwritten (PyTorch's `inplace`). */
  readonly inplace: boolean;
  constructor(
    /** The threshold. */ readonly threshold: number,
    /** The value that replaces inputs at or below the threshold. */ readonly value: number,
    ...rest: (boolean | { inplace?: boolean })[]
  ) {
    super();
    this.inplace = bindArgs('Threshold', rest, ['inplace'], { inplace: false }).inplace;
  }
  /** F.threshold(input, threshold, value). */
  override forward(input: Tensor): Tensor { return act.threshold(input, this.threshold, this.value); }
  override extraRepr(): string { return `threshold=${pyFloat(this.threshold)}, value=${pyFloat(this.value)}${this.inplace ? ', inplace=True' : ''}`; }
}

/** nn.Softshrink(lambd=0.5). */
export class Softshrink extends Module {
  constructor(/** The shrinkage threshold. */ readonly lambd = 0.5) { super(); }
  /** F.softshrink(input, lambd). */
  override forward(input: Tensor): Tensor { return act.softshrink(input, this.lambd); }
  override extraRepr(): string { return pyFloat(this.lambd); }
}

/** nn.Hardshrink(lambd=0.5). */
export class Hardshrink extends Module {
  constructor(/** The shrinkage threshold. */ readonly lambd = 0.5) { super(); }
  /** F.hardshrink(input, lambd). */
  override forward(input: Tensor): Tensor { return act.hardshrink(input, this.lambd); }
  override extraRepr(): string { return pyFloat(this.lambd); }
}

/** nn.GLU(dim=-1). */
export class GLU extends Module {
  constructor(/** The dim it works along. */ readonly dim = -1) { super(); }
  /** F.glu(input, dim). */
  override forward(input: Tensor): Tensor { return act.glu(input, this.dim); }
  override extraRepr(): string { return `dim=${this.dim}`; }
}

/** Keywords of the softmax modules. */
export interface DimOption { dim?: number | null }

/** Base of Softmax, LogSoftmax, Softmin. */
abstract class SoftmaxLike extends Module {
  readonly dim: number | null;
  constructor(rest: readonly unknown[]) {
    super();
    this.dim = bindArgs<{ dim: number | null }>(new.target.name, rest, ['dim'], { dim: null }).dim;
  }
  /** The dim to normalise over (PyTorch's legacy implicit choice when none was given). */
  protected axis(input: Tensor): number {
    return this.dim ?? (input.ndim === 0 || input.ndim === 1 || input.ndim === 3 ? 0 : 1);
  }
  override extraRepr(): string { return `dim=${this.dim === null ? 'None' : this.dim}`; }
}

/** nn.Softmax(dim). */
export class Softmax extends SoftmaxLike {
  constructor(...rest: (number | null | DimOption)[]) { super(rest); }
  /** F.softmax(input, dim). */
  override forward(input: Tensor): Tensor { return softmax(input, this.axis(input)); }
}

/** nn.LogSoftmax(dim). */
export class LogSoftmax extends SoftmaxLike {
  constructor(...rest: (number | null | DimOption)[]) { super(rest); }
  /** F.logSoftmax(input, dim). */
  override forward(input: Tensor): Tensor { return logSoftmax(input, this.axis(input)); }
}

/** nn.Softmin(dim). */
export class Softmin extends SoftmaxLike {
  constructor(...rest: (number | null | DimOption)[]) { super(rest); }
  /** F.softmin(input, dim). */
  override forward(input: Tensor): Tensor { return act.softmin(input, this.axis(input)); }
}

/** Keywords of nn.PReLU. */
export interface PReLUOptions extends FactoryOptions {
  numParameters?: number;
  init?: number;
}

/** nn.PReLU(numParameters=1, init=0.25): a learned negative slope (one, or one per channel). */
export class PReLU extends Module {
  /** The slopes [numParameters]. */
  weight: Parameter;
  /** Number of learned slopes (1, or one per channel). */
  readonly numParameters: number;
  constructor(...rest: (number | PReLUOptions)[]) {
    super();
    const a = bindArgs<PReLUOptions>('PReLU', rest, ['numParameters', 'init'], { numParameters: 1, init: 0.25, device: undefined, dtype: undefined });
    this.numParameters = a.numParameters!;
    this.weight = emptyParam([this.numParameters], factory(a));
    constant_(this.weight, a.init!);
  }
  /** F.prelu(input, weight). */
  override forward(input: Tensor): Tensor { return act.prelu(input, this.weight); }
  override extraRepr(): string { return `num_parameters=${this.numParameters}`; }
}


