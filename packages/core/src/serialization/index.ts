/**
 * torch.save / torch.load on bytes: PyTorch's own checkpoint format (zip + pickle) by default,
 * safetensors on request. File paths come through `@kindling/core/node`, so core itself keeps
 * no Node imports.
 */
import { RuntimeError, TypeError } from '../errors.js';
import { loadSafetensors, saveSafetensors } from './safetensors.js';
import { loadTorch, saveTorch } from './torch-format.js';

/** The file formats torch.save / torch.load speak. */
export type SaveFormat = 'torch' | 'safetensors';

/** Options of torch.save. */
export interface SaveOptions {
  /** 'torch' (PyTorch's zip + pickle, default) or 'safetensors' (flat maps of tensors). */
  format?: SaveFormat;
  /** safetensors only: string metadata stored in the header. */
  metadata?: Record<string, string>;
}

/** Options of torch.load. */
export interface LoadOptions {
  /** The file format; by default told from the bytes. */
  format?: SaveFormat;
  /** The device the tensors are created on (PyTorch's map_location), default 'cpu'. */
  device?: string;
}

const PATH_HINT = "file paths need the Node entry (import { save, load } from '@kindling/core/node'); in browsers, pass and keep the bytes";

/**
 * Serializes tensors, and nested objects, Maps and arrays of tensors, numbers, strings, booleans
 * and null, in PyTorch's format: Python's `torch.load` reads the bytes. Tensors that share
 * storage are written once and keep sharing it.
 *
 * @remarks Differs from PyTorch: returns the bytes (a Uint8Array) instead of writing a file;
 * `save(obj, path)` from `@kindling/core/node` writes one. Arrays are saved as Python lists;
 * object keys that are integers ('0', '12') become Python ints (as optimizer state needs).
 */
export function save(obj: unknown, options: SaveOptions = {}): Uint8Array {
  if (typeof options === 'string') throw new TypeError(`torch.save(obj, path): ${PATH_HINT}`);
  const format = options.format ?? 'torch';
  if (format === 'safetensors') return saveSafetensors(obj, options.metadata);
  if (format !== 'torch') throw new RuntimeError(`torch.save: unknown format '${String(format)}' (expected 'torch' or 'safetensors')`);
  return saveTorch(obj);
}

/**
 * Reads what PyTorch's `torch.save` (or Kindling's `save`) wrote: tensors (float32, float64,
 * int64, int32, bool; float16 and bfloat16 widen to float32, uint8/int8/int16 to int32, with a
 * warning), dicts (plain objects when the keys are all strings or all integers, else Maps),
 * lists and tuples (arrays), numbers, strings, booleans and None (null). Shared storages and
 * views come back shared. Anything else in the file (classes, code) is refused, never run.
 *
 * @remarks Differs from PyTorch: takes the bytes; `load(path)` from `@kindling/core/node` reads
 * a file. Tensors saved as nn.Parameter come back as tensors with requiresGrad set.
 */
export function load(bytes: Uint8Array | ArrayBuffer, options: LoadOptions = {}): any {
  if (typeof bytes === 'string') throw new TypeError(`torch.load(path): ${PATH_HINT}`);
  const data = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(data instanceof Uint8Array)) throw new TypeError(`torch.load: expected a Uint8Array or ArrayBuffer, got ${data === null ? 'null' : typeof data}`);
  const isZip = data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;
  const format = options.format ?? (isZip || data[0] === 0x80 ? 'torch' : 'safetensors');
  if (format === 'safetensors') return loadSafetensors(data, options.device);
  if (format !== 'torch') throw new RuntimeError(`torch.load: unknown format '${String(format)}' (expected 'torch' or 'safetensors')`);
  return loadTorch(data, { device: options.device });
}
