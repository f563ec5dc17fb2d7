/**
 * torch.nn.init: in-place initialisers. Each writes through the in-place driver (uniform_,
 * normal_, fill_ under noGrad), computing its bounds with PyTorch's float64 arithmetic in
 * PyTorch's order, so with the same `manualSeed` a layer holds PyTorch's exact values.
 */
import { ValueError } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../tensor.js';
import { normal_ as sampleNormal, uniform_ as sampleUniform, type GeneratorOption } from '../ops/random.js';

/** The nonlinearities calculateGain knows. */
export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/** nn.init.calculate_gain(nonlinearity, param=null): the recommended gain for a nonlinearity. */
export function calculateGain(nonlinearity: Nonlinearity, param: number | null = null): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d':
    case 'conv_transpose1d': case 'conv_transpose2d': case 'conv_transpose3d': case 'sigmoid':
      return 1;
    case 'tanh': return 5.0 / 3;
    case 'relu': return Math.sqrt(2.0);
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2.0 / (1 + slope * slope));
    }
    case 'selu': return 3.0 / 4;
    default: throw new ValueError(`Unsupported nonlinearity ${String(nonlinearity)}`);
  }
}

/** [fanIn, fanOut] of a weight: dims 1 and 0 times the receptive field (dims 2..). */
export function calculateFanInAndFanOut(tensor: Tensor): [number, number] {
  if (tensor.ndim < 2) throw new ValueError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  let receptive = 1;
  for (let d = 2; d < tensor.ndim; d++) receptive *= tensor.shape[d]!;
  return [tensor.shape[1]! * receptive, tensor.shape[0]! * receptive];
}

function correctFan(tensor: Tensor, mode: 'fan_in' | 'fan_out'): number {
  if (mode !== 'fan_in' && mode !== 'fan_out') throw new ValueError(`Mode ${String(mode)} not supported, please use one of fan_in, fan_out`);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  return mode === 'fan_in' ? fanIn : fanOut;
}

/** nn.init.uniform_(tensor, a=0, b=1): samples from U(a, b) in place. */
export function uniform_(tensor: Tensor, a = 0, b = 1, opts: GeneratorOption = {}): Tensor {
  return noGrad(() => sampleUniform(tensor, a, b, opts));
}

/** nn.init.normal_(tensor, mean=0, std=1): samples from N(mean, std^2) in place. */
export function normal_(tensor: Tensor, mean = 0, std = 1, opts: GeneratorOption = {}): Tensor {
  return noGrad(() => sampleNormal(tensor, mean, std, opts));
}

/** nn.init.constant_(tensor, val): fills with `val` in place. */
export function constant_(tensor: Tensor, val: number): Tensor {
  return noGrad(() => tensor.fill_(val));
}

/** nn.init.ones_(tensor). */
export function ones_(tensor: Tensor): Tensor {
  return constant_(tensor, 1);
}

/** nn.init.zeros_(tensor). */
export function zeros_(tensor: Tensor): Tensor {
  return noGrad(() => tensor.zero_());
}

/** nn.init.xavier_uniform_(tensor, gain=1): U(-a, a) with a = gain * sqrt(6 / (fanIn + fanOut)). */
export function xavierUniform_(tensor: Tensor, gain = 1, opts: GeneratorOption = {}): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  const a = Math.sqrt(3.0) * std;
  return uniform_(tensor, -a, a, opts);
}

/** nn.init.xavier_normal_(tensor, gain=1): N(0, std^2) with std = gain * sqrt(2 / (fanIn + fanOut)). */
export function xavierNormal_(tensor: Tensor, gain = 1, opts: GeneratorOption = {}): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  return normal_(tensor, 0, gain * Math.sqrt(2.0 / (fanIn + fanOut)), opts);
}

/** Keywords of the kaiming initialisers. */
export interface KaimingOptions extends GeneratorOption {
  a?: number;
  mode?: 'fan_in' | 'fan_out';
  nonlinearity?: Nonlinearity;
}

function kaimingStd(tensor: Tensor, o: KaimingOptions): number {
  const gain = calculateGain(o.nonlinearity ?? 'leaky_relu', o.a ?? 0);
  return gain / Math.sqrt(correctFan(tensor, o.mode ?? 'fan_in'));
}

/**
 * nn.init.kaiming_uniform_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu'): U(-b, b)
 * with b = gain * sqrt(3 / fan). Layers call it with `a = sqrt(5)` for their default init.
 */
export function kaimingUniform_(tensor: Tensor, opts: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3.0) * kaimingStd(tensor, opts);
  return uniform_(tensor, -bound, bound, opts.generator ? { generator: opts.generator } : {});
}

/** nn.init.kaiming_normal_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu'): N(0, (gain / sqrt(fan))^2). */
export function kaimingNormal_(tensor: Tensor, opts: KaimingOptions = {}): Tensor {
  return normal_(tensor, 0, kaimingStd(tensor, opts), opts.generator ? { generator: opts.generator } : {});
}

/**
 * PyTorch's default init of a weight and its bias (Linear, Conv*, ...): kaiming_uniform_ with
 * a = sqrt(5), then the bias from U(-1/sqrt(fanIn), 1/sqrt(fanIn)), in that order.
 * @internal
 */
export function resetFanIn(weight: Tensor, bias: Tensor | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias) {
    const [fanIn] = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound);
  }
}
