/** Devices: the registry of backends by name and the default device. */
import { RuntimeError } from '../errors.js';
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
  if (!f) throw new RuntimeError(`Expected one of cpu${[...factories.keys()].filter((n) => n !== 'cpu').map((n) => `, ${n}`).join('')} device type at start of device string: ${name}`);
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
