/** torch.nn.utils: gradient clipping and flat parameter vectors. */
import { RuntimeError, TypeError } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../tensor.js';
import { cat, stack } from '../ops/shape.js';
import { div } from '../ops/pointwise.js';

/** Keywords of clipGradNorm_. */
export interface ClipGradNormOptions {
  /** Throw when the total norm is NaN or infinite. */
  errorIfNonfinite?: boolean;
}

const asList = (p: Tensor | Iterable<Tensor>): Tensor[] => ('shape' in (p as object) ? [p as Tensor] : [...(p as Iterable<Tensor>)]);

/**
 * nn.utils.clip_grad_norm_(parameters, maxNorm, normType=2): scales all gradients together so
 * their joint norm is at most maxNorm (by maxNorm / (total + 1e-6), clamped at 1). Returns the
 * total norm (of the gradients as they were).
 */
export function clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number, normType = 2, opts: ClipGradNormOptions = {}): Tensor {
  const grads = asList(parameters).map((p) => p.grad).filter((g): g is Tensor => g !== null);
  return noGrad(() => {
    if (grads.length === 0) throw new RuntimeError('clip_grad_norm_: no gradients to clip');
    const total = normType === Infinity
      ? stack(grads.map((g) => g.abs().amax()), 0).amax()
      : stack(grads.map((g) => g.norm(normType)), 0).norm(normType);
    if (opts.errorIfNonfinite) {
      const v = total.item() as number;
      if (!Number.isFinite(v)) {
        throw new RuntimeError(`The total norm of order ${normType} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`error_if_nonfinite=False\``);
      }
    }
    const coef = div(maxNorm, total.add(1e-6)).clamp({ max: 1 });
    for (const g of grads) g.mul_(coef);
    return total;
  });
}

/** nn.utils.clip_grad_value_(parameters, clipValue): clamps every gradient to [-clipValue, clipValue] in place. */
export function clipGradValue_(parameters: Tensor | Iterable<Tensor>, clipValue: number): void {
  noGrad(() => {
    for (const p of asList(parameters)) if (p.grad) p.grad.clamp_(-clipValue, clipValue);
  });
}

/** nn.utils.parameters_to_vector(parameters): all parameters flattened into one vector. */
export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  return cat([...parameters].map((p) => p.reshape(-1)));
}

/** nn.utils.vector_to_parameters(vec, parameters): copies consecutive slices of vec into the parameters. */
export function vectorToParameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  if (vec.ndim !== 1) throw new TypeError(`expected torch.Tensor, but got: ${vec.ndim}-d tensor`);
  noGrad(() => {
    let offset = 0;
    for (const p of parameters) {
      const n = p.numel();
      p.copy_(vec.narrow(0, offset, n).view(p.shape as number[]));
      offset += n;
    }
  });
}
