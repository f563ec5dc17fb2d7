/** Grad mode: whether ops record the graph (torch.no_grad and friends). */

let enabled = true;

/** torch.is_grad_enabled. */
export function isGradEnabled(): boolean {
  return enabled;
}

/** torch.set_grad_enabled. */
export function setGradEnabled(mode: boolean): void {
  enabled = mode;
}

function withMode<T>(mode: boolean, fn: () => T): T {
  const prev = enabled;
  enabled = mode;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

/**
 * Runs `fn` without recording the graph, like `with torch.no_grad():`.
 *
 * @remarks Differs from PyTorch: a function wrapper instead of a context manager / decorator;
 * the mode covers only the synchronous part of `fn` (code after an `await` inside it records).
 */
export function noGrad<T>(fn: () => T): T {
  return withMode(false, fn);
}

/**
 * Runs `fn` with graph recording on, like `with torch.enable_grad():`.
 *
 * @remarks Differs from PyTorch: a function wrapper, covering only the synchronous part of `fn`.
 */
export function enableGrad<T>(fn: () => T): T {
  return withMode(true, fn);
}
