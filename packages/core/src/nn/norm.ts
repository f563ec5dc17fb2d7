/**
 * Functional normalisation built from ops: batchNorm (with the running-statistics update) and
 * groupNorm. Gradients come from the ops.
 */
import { RuntimeError, ValueError } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { shapeStr } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { bindArgs } from './args.js';

/** Keywords of batchNorm. */
export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/** `t` [C] shaped to broadcast over dim 1 of an `nd`-dim input. */
function perChannel(t: Tensor, nd: number): Tensor {
  return t.view([t.shape[0]!, ...new Array<number>(Math.max(0, nd - 2)).fill(1)]);
}

/**
 * F.batch_norm(input, runningMean, runningVar, weight=null, bias=null, training=false,
 * momentum=0.1, eps=1e-5): normalises each channel (dim 1). In training it uses the batch
 * statistics and updates the running ones in place: mean and unbiased variance blended with
 * `momentum`.
 */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, ...rest: unknown[]): Tensor {
  const a = bindArgs<Required<BatchNormOptions>>('batch_norm', rest, ['weight', 'bias', 'training', 'momentum', 'eps'],
    { weight: null, bias: null, training: false, momentum: 0.1, eps: 1e-5 });
  if (input.ndim < 2) throw new ValueError(`Expected 2D or 3D input (got ${input.ndim}D input)`);
  const nd = input.ndim, C = input.shape[1]!;
  const dims = [0, ...Array.from({ length: nd - 2 }, (_, i) => i + 2)];
  const n = input.numel() / C;
  let mean: Tensor, invStd: Tensor;
  if (a.training) {
    if (n <= 1) throw new ValueError(`Expected more than 1 value per channel when training, got input size torch.Size(${shapeStr(input.shape)})`);
    mean = input.mean(dims);
    const centered = input.sub(perChannel(mean, nd));
    const variance = centered.mul(centered).mean(dims);
    invStd = variance.add(a.eps).rsqrt();
    if (runningMean && runningVar) {
      noGrad(() => {
        const m = a.momentum;
        runningMean.mul_(1 - m).add_(mean.mul(m));
        runningVar.mul_(1 - m).add_(variance.mul((m * n) / (n - 1)));
      });
    }
  } else {
    if (!runningMean || !runningVar) throw new RuntimeError('running_mean and running_var must be defined in evaluation mode');
    mean = runningMean;
    invStd = runningVar.add(a.eps).rsqrt();
  }
  let y = input.sub(perChannel(mean, nd)).mul(perChannel(invStd, nd));
  if (a.weight) y = y.mul(perChannel(a.weight, nd));
  if (a.bias) y = y.add(perChannel(a.bias, nd));
  return y;
}

/** Keywords of groupNorm. */
export interface GroupNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  eps?: number;
}

/** F.group_norm(input, numGroups, weight=null, bias=null, eps=1e-5): normalises each group of channels. */
export function groupNorm(input: Tensor, numGroups: number, ...rest: unknown[]): Tensor {
  const a = bindArgs<Required<GroupNormOptions>>('group_norm', rest, ['weight', 'bias', 'eps'], { weight: null, bias: null, eps: 1e-5 });
  const N = input.shape[0]!, C = input.shape[1]!;
  if (C % numGroups !== 0) {
    throw new RuntimeError(`Expected number of channels in input to be divisible by num_groups, but got input of shape ${shapeStr(input.shape)} and num_groups=${numGroups}`);
  }
  const g = input.reshape(N, numGroups, -1);
  const mean = g.mean(2, true);
  const c = g.sub(mean);
  const y0 = c.mul(c.mul(c).mean(2, true).add(a.eps).rsqrt()).view([...input.shape]);
  let y = y0;
  if (a.weight) y = y.mul(perChannel(a.weight, input.ndim));
  if (a.bias) y = y.add(perChannel(a.bias, input.ndim));
  return y;
}
