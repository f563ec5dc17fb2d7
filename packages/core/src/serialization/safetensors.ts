/**
 * safetensors: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
 * shape and byte range, then the raw little-endian bytes. Flat maps of tensors only.
 */
import { Tensor } from '../tensor.js';
import { getBackend } from '../backend/registry.js';
import type { DType } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { decodeStorage, encodeStorage, widenWarning, type StorageCodec } from './codec.js';
import { describe } from './pickle.js';
import { fromUtf8, utf8 } from './text.js';

const WRITE_CODE: Record<DType, string> = { float32: 'F32', float64: 'F64', int64: 'I64', int32: 'I32', bool: 'BOOL' };
const READ_CODEC: Record<string, StorageCodec> = {
  F32: 'float32', F64: 'float64', I64: 'int64', I32: 'int32', BOOL: 'bool', F16: 'float16', BF16: 'bfloat16', U8: 'uint8', I8: 'int8', I16: 'int16',
};

/** Writes a flat map of tensors (and optional string metadata) as safetensors. */
export function saveSafetensors(tensors: unknown, metadata?: Record<string, string>): Uint8Array {
  if (tensors === null || typeof tensors !== 'object' || Array.isArray(tensors)) {
    throw new RuntimeError(`safetensors: expected a flat object (or Map) of tensors, got ${describe(tensors)}`);
  }
  const entries = tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  const header: Record<string, unknown> = {};
  if (metadata) header['__metadata__'] = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor)) throw new RuntimeError(`safetensors: '${String(name)}' is a ${describe(t)}, not a Tensor (safetensors holds flat maps of tensors)`);
    const bytes = encodeStorage(t.dtype, t.contiguous().dataSync());
    header[String(name)] = { dtype: WRITE_CODE[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const head = utf8(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Reads safetensors into a plain object of tensors (header metadata is not returned). */
export function loadSafetensors(bytes: Uint8Array, device = 'cpu'): Record<string, Tensor> {
  if (bytes.length < 8) throw new RuntimeError('safetensors: the file is shorter than its 8-byte header length (truncated)');
  const headerLen = Number(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true));
  if (headerLen > bytes.length - 8) throw new RuntimeError(`safetensors: the header says ${headerLen} bytes but the file has ${bytes.length - 8} after it (truncated or not safetensors)`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  try {
    header = JSON.parse(fromUtf8(bytes.subarray(8, 8 + headerLen), true));
  } catch (e) {
    throw new RuntimeError(`safetensors: the header is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const data = bytes.subarray(8 + headerLen);
  const backend = getBackend(device);
  const out: Record<string, Tensor> = {};
  const widened = new Set<string>();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const codec = READ_CODEC[info?.dtype];
    if (codec === undefined) throw new RuntimeError(`safetensors: tensor '${name}' has unsupported dtype ${JSON.stringify(info?.dtype)}`);
    const [begin, end] = info.data_offsets ?? [];
    const shape = info.shape;
    if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0) || !Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || begin! < 0 || end! < begin! || end! > data.length) {
      throw new RuntimeError(`safetensors: tensor '${name}' has an invalid shape or byte range (corrupt file)`);
    }
    const { dtype, values, widenedFrom } = decodeStorage(codec, data.subarray(begin, end));
    if (values.length !== shape.reduce((a, b) => a * b, 1)) throw new RuntimeError(`safetensors: tensor '${name}' has ${values.length} elements but shape [${shape.join(', ')}]`);
    if (widenedFrom) widened.add(widenedFrom);
    const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
    Object.defineProperty(out, name, { value: new Tensor(backend.fromArray(dtype, values), dtype, shape, strides, 0, backend), enumerable: true, writable: true, configurable: true });
  }
  if (widened.size > 0) widenWarning([...widened]);
  return out;
}
