/**
 * Raw storage bytes <-> Kindling typed arrays, shared by PyTorch's format and safetensors.
 * Both store little-endian values; int64 is widened from (and back to) Kindling's float64
 * storage, and dtypes Kindling lacks are widened on load with a warning.
 */
import type { DType, TypedArray } from '../dtype.js';
import { allocArray } from '../dtype.js';
import { RuntimeError } from '../errors.js';

/** The element encodings a file may hold. */
export type StorageCodec = DType | 'float16' | 'bfloat16' | 'uint8' | 'int8' | 'int16';

const BYTES: Record<StorageCodec, number> = {
  float32: 4, float64: 8, int64: 8, int32: 4, bool: 1, float16: 2, bfloat16: 2, uint8: 1, int8: 1, int16: 2,
};

/** What each encoding loads as in Kindling. */
const LOADS_AS: Record<StorageCodec, DType> = {
  float32: 'float32', float64: 'float64', int64: 'int64', int32: 'int32', bool: 'bool',
  float16: 'float32', bfloat16: 'float32', uint8: 'int32', int8: 'int32', int16: 'int32',
};

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1, exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Decodes `bytes` of one encoding into a Kindling array (`widenedFrom` names a widened dtype). */
export function decodeStorage(codec: StorageCodec, bytes: Uint8Array, bigEndian = false): { dtype: DType; values: TypedArray; widenedFrom?: string } {
  const size = BYTES[codec];
  if (bytes.length % size !== 0) throw new RuntimeError(`torch.load: a ${codec} storage of ${bytes.length} bytes is not a whole number of elements (corrupt file)`);
  const n = bytes.length / size;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = !bigEndian;
  const dtype = LOADS_AS[codec];
  const values = allocArray(dtype, n);
  switch (codec) {
    case 'float32': for (let i = 0; i < n; i++) values[i] = dv.getFloat32(4 * i, le); break;
    case 'float64': for (let i = 0; i < n; i++) values[i] = dv.getFloat64(8 * i, le); break;
    case 'int64': for (let i = 0; i < n; i++) values[i] = Number(dv.getBigInt64(8 * i, le)); break;
    case 'int32': for (let i = 0; i < n; i++) values[i] = dv.getInt32(4 * i, le); break;
    case 'bool': for (let i = 0; i < n; i++) values[i] = bytes[i]! ? 1 : 0; break;
    case 'float16': for (let i = 0; i < n; i++) values[i] = halfToFloat(dv.getUint16(2 * i, le)); break;
    case 'bfloat16': {
      const f = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < n; i++) {
        f.setUint32(0, dv.getUint16(2 * i, le) << 16);
        values[i] = f.getFloat32(0);
      }
      break;
    }
    case 'uint8': for (let i = 0; i < n; i++) values[i] = bytes[i]!; break;
    case 'int8': for (let i = 0; i < n; i++) values[i] = dv.getInt8(i); break;
    case 'int16': for (let i = 0; i < n; i++) values[i] = dv.getInt16(2 * i, le); break;
  }
  return codec === dtype ? { dtype, values } : { dtype, values, widenedFrom: codec };
}

/** Encodes a Kindling array of `dtype` as little-endian bytes. */
export function encodeStorage(dtype: DType, values: TypedArray): Uint8Array {
  const out = new Uint8Array(values.length * BYTES[dtype]);
  const dv = new DataView(out.buffer);
  switch (dtype) {
    case 'float32': for (let i = 0; i < values.length; i++) dv.setFloat32(4 * i, values[i]!, true); break;
    case 'float64': for (let i = 0; i < values.length; i++) dv.setFloat64(8 * i, values[i]!, true); break;
    case 'int64': for (let i = 0; i < values.length; i++) dv.setBigInt64(8 * i, BigInt(values[i]!), true); break;
    case 'int32': for (let i = 0; i < values.length; i++) dv.setInt32(4 * i, values[i]!, true); break;
    case 'bool': out.set(values as Uint8Array); break;
  }
  return out;
}

/** Says once per load which dtypes were widened. */
export function widenWarning(codecs: string[]): void {
  (globalThis as { console?: { warn(message: string): void } }).console?.warn(
    `UserWarning: torch.load: Kindling has no ${codecs.join(', ')} dtype; those tensors were widened (${codecs.map((c) => `${c} -> ${LOADS_AS[c as StorageCodec]}`).join(', ')})`,
  );
}
