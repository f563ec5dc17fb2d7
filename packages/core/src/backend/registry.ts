/** Devices: the registry of backends by name and the default device. */
import { RuntimeError, TypeError } from '../errors.js';
import type { Backend } from './backend.js';
import { createCpuBackend } from './cpu.js';

const factories = new Map<string, () => Backend>([['cpu', () => createCpuBackend()]]);
const instances = new Map<string, Backend>();
let defaultDevice = 'cpu';

/** Plugs in a backend under a device name; it is created on first use. Re-registering replaces it. */
export function registerBackend(name: string, factory: () => Backend): void {
  factories.set(name, factory);
  instances.delete(name);
}

/** Removes a device (the default falls back to cpu if it was this one). */
export function unregisterBackend(name: string): void {
  if (name === 'cpu') throw new RuntimeError('the cpu backend cannot be unregistered');
  factories.delete(name);
  instances.delete(name);
  if (defaultDevice === name) defaultDevice = 'cpu';
}

/** The backend of a device name, created on first use. */
export function getBackend(name: string): Backend {
  let b = instances.get(name);
  if (b) return b;
  const f = factories.get(name);
  if (!f) {
    const hint = name === 'workers' ? " (the 'workers' device exists once registered: call registerWorkersBackend() from @kindling/backend-workers first)" : '';
    throw new RuntimeError(`Expected one of cpu${[...factories.keys()].filter((n) => n !== 'cpu').map((n) => `, ${n}`).join('')} device type at start of device string: ${name}${hint}`);
  }
  b = f();
  instances.set(name, b);
  return b;
}

/** The names of the registered devices. */
export function listDevices(): string[] {
  return [...factories.keys()];
}

/** torch.set_default_device: where factory functions create tensors when no device is given. */
export function setDefaultDevice(name: string): void {
  getBackend(name);
  defaultDevice = name;
}

/** torch.get_default_device: the device factory functions use when none is given. */
export function getDefaultDevice(): string {
  return defaultDevice;
}

let numThreads: number | null = null;

/**
 * torch.set_num_threads: how many threads backends with a thread pool (the workers backend)
 * compute with. Resizes the pools that exist now (their issued kernels finish on the old pool)
 * and is the default for pools registered later without an explicit thread count. The cpu
 * backend computes on the calling thread and is not affected.
 */
export function setNumThreads(n: number): void {
  if (typeof n !== 'number') throw new TypeError(`set_num_threads(): argument 'int' must be int, not ${n === null ? 'null' : typeof n}`);
  if (!Number.isInteger(n)) throw new RuntimeError(`set_num_threads expects an int, but got ${n}`);
  if (n < 1) throw new RuntimeError('set_num_threads expects a positive integer');
  for (const b of instances.values()) b.setThreads?.(n);
  numThreads = n;
}

/**
 * torch.get_num_threads: the number given to setNumThreads, else the largest thread pool of the
 * backends in use, else 1 (the cpu backend's single thread).
 */
export function getNumThreads(): number {
  if (numThreads !== null) return numThreads;
  let n = 1;
  for (const b of instances.values()) n = Math.max(n, b.threads ?? 1);
  return n;
}

/** The number given to setNumThreads, or null if it was never called (for backends picking a default pool size). */
export function configuredNumThreads(): number | null {
  return numThreads;
}
