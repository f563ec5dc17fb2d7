/** Moving between devices and dtypes: Tensor.to and the dtype shorthands. */
import { getBackend } from '../backend/registry.js';
import { DTYPES, type DType } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { fromValues } from './creation.js';
import { record } from './support.js';
import { toDtype } from './views.js';

/** Options of Tensor.to. */
export interface ToOptions {
  dtype?: DType;
  device?: string;
  /** Return a copy even when nothing changes. */
  copy?: boolean;
}

function isDtype(s: string): s is DType {
  return (DTYPES as readonly string[]).includes(s);
}

/** The same values on another device (ToCopyBackward0 moves the gradient back). */
function toDevice(x: Tensor, device: string): Tensor {
  const backend = getBackend(device);
  if (backend === x.backend) return x;
  const src = x.contiguous();
  const out = fromValues(src.dataSync(), x.shape, x.dtype, backend);
  const from = x.device;
  record(out, 'ToCopyBackward0', [x], [], ([g]) => [g!.to(from)]);
  return out;
}

/**
 * Tensor.to: `t.to('workers')`, `t.to('float64')`, `t.to({ device, dtype })`, or another
 * tensor's device and dtype. Returns `t` itself when nothing changes.
 *
 * A device change reads the values synchronously, waiting for pending ones as PyTorch does.
 *
 * @remarks Differs from PyTorch: devices are backend names ('cpu', 'workers'), not CUDA devices.
 */
export function to(x: Tensor, target: string | Tensor | ToOptions): Tensor {
  const o: ToOptions = typeof target === 'string'
    ? (isDtype(target) ? { dtype: target } : { device: target })
    : target instanceof Tensor ? { dtype: target.dtype, device: target.device } : target;
  let r = x;
  if (o.dtype !== undefined) r = toDtype(r, o.dtype);
  if (o.device !== undefined) r = toDevice(r, o.device);
  return o.copy && r === x ? x.clone() : r;
}
