/**
 * Dtypes and PyTorch's type promotion.
 *
 * int64 is stored in a Float64Array: values are exact up to 2^53 (Number.MAX_SAFE_INTEGER).
 * bool is stored in a Uint8Array holding 0 or 1.
 */

/**
 * The dtypes Kindling supports. `float32` is the default float dtype, `int64` the default integer dtype.
 *
 * @remarks Differs from PyTorch: only these five (no float16, bfloat16, uint8, int8, int16 or
 * complex), named by strings; int64 is stored as float64, so its values are exact only up to
 * 2^53 in magnitude.
 */
export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'bool';

/** Any typed array a storage can hold. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** All dtypes, in PyTorch's order of promotion within a category. */
export const DTYPES: readonly DType[] = ['bool', 'int32', 'int64', 'float32', 'float64'];

/** Allocates a zero-filled typed array for `n` elements of `dtype`. */
export function allocArray(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(n);
    case 'float64': case 'int64': return new Float64Array(n);
    case 'int32': return new Int32Array(n);
    case 'bool': return new Uint8Array(n);
  }
}

/** Views `length` elements of `dtype` at `byteOffset` in `buffer`. */
export function arrayView(dtype: DType, buffer: ArrayBufferLike, byteOffset: number, length: number): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(buffer, byteOffset, length);
    case 'float64': case 'int64': return new Float64Array(buffer, byteOffset, length);
    case 'int32': return new Int32Array(buffer, byteOffset, length);
    case 'bool': return new Uint8Array(buffer, byteOffset, length);
  }
}

/** Bytes per element of a dtype's storage. */
export function itemSize(dtype: DType): number {
  return dtype === 'float32' || dtype === 'int32' ? 4 : dtype === 'bool' ? 1 : 8;
}

/** Whether a dtype is floating point (torch.is_floating_point, for a dtype rather than a tensor). */
export function isFloating(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

export function isIntegral(dtype: DType, includeBool = false): boolean {
  return dtype === 'int32' || dtype === 'int64' || (includeBool && dtype === 'bool');
}

/** 0 bool, 1 integer, 2 floating: promotion between categories goes upward. */
export function category(dtype: DType): number {
  return dtype === 'bool' ? 0 : isFloating(dtype) ? 2 : 1;
}

/** torch.promote_types. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  const ca = category(a), cb = category(b);
  if (ca !== cb) return ca > cb ? a : b;
  // Same category: the wider one wins (int32 < int64, float32 < float64).
  return DTYPES.indexOf(a) > DTYPES.indexOf(b) ? a : b;
}

/** The dtype PyTorch gives a Python scalar: bool, int (int64) or float (the default float dtype). */
export function scalarType(v: number | boolean): DType {
  if (typeof v === 'boolean') return 'bool';
  return Number.isInteger(v) ? 'int64' : 'float32';
}

/** An operand for result-type computation: a tensor (by dtype and rank) or a scalar. */
export type Operand = { dtype: DType; shape: readonly number[] } | number | boolean;

/**
 * torch.result_type: tensors with dims outrank 0-d tensors, which outrank scalars; a lower
 * priority operand only matters when its category is higher than the result so far.
 *
 * @remarks Differs from PyTorch: a number for which `Number.isInteger` holds counts as a Python
 * int (so `2.0` is an int), any other number as a Python float.
 */
export function resultType(...ops: Operand[]): DType {
  // Fast path: two tensors of one dtype, the overwhelmingly common case.
  if (ops.length === 2) {
    const a = ops[0]!, b = ops[1]!;
    if (typeof a === 'object' && typeof b === 'object' && a.dtype === b.dtype) return a.dtype;
  }
  let dim: DType | null = null, zero: DType | null = null, scalar: DType | null = null;
  for (const o of ops) {
    if (typeof o === 'number' || typeof o === 'boolean') {
      const t = scalarType(o);
      scalar = scalar === null ? t : promoteTypes(scalar, t);
    } else if (o.shape.length === 0) {
      zero = zero === null ? o.dtype : promoteTypes(zero, o.dtype);
    } else {
      dim = dim === null ? o.dtype : promoteTypes(dim, o.dtype);
    }
  }
  let out = dim;
  for (const t of [zero, scalar]) {
    if (t === null) continue;
    if (out === null || category(t) > category(out)) out = out === null ? t : promoteTypes(out, t);
  }
  return out ?? 'float32';
}

/** Whether a value of dtype `from` may be written in place into `to` (torch.can_cast). */
export function canCast(from: DType, to: DType): boolean {
  return category(from) <= category(to);
}

/** PyTorch's legacy type names, used in some error messages ("torch.FloatTensor"). */
export function legacyTypeName(dtype: DType): string {
  return { float32: 'FloatTensor', float64: 'DoubleTensor', int64: 'LongTensor', int32: 'IntTensor', bool: 'BoolTensor' }[dtype];
}

/** PyTorch's scalar type names ("Float", "Long"), used in some error messages. */
export function scalarTypeName(dtype: DType): string {
  return { float32: 'Float', float64: 'Double', int64: 'Long', int32: 'Int', bool: 'Bool' }[dtype];
}

/** Rounds a JavaScript number to what a `dtype` storage would hold. */
export function castScalar(v: number, dtype: DType): number {
  switch (dtype) {
    case 'float32': return Math.fround(v);
    case 'float64': return v;
    case 'int64': return Math.trunc(v);
    case 'int32': return Math.trunc(v) | 0;
    case 'bool': return v !== 0 ? 1 : 0;
  }
}

// PyTorch's dtype names as constants: `{ dtype: torch.float64 }` works as in PyTorch, and
// `torch.float64 === 'float64'`.
/** torch.float32: the dtype string 'float32'. */
export const float32 = 'float32' as const;
/** torch.float64: the dtype string 'float64'. */
export const float64 = 'float64' as const;
/** torch.int64: the dtype string 'int64'. */
export const int64 = 'int64' as const;
/** torch.int32: the dtype string 'int32'. */
export const int32 = 'int32' as const;
/** torch.bool: the dtype string 'bool'. */
export const bool = 'bool' as const;
/** torch.float, PyTorch's alias of float32. */
export const float = float32;
/** torch.double, PyTorch's alias of float64. */
export const double = float64;
/** torch.long, PyTorch's alias of int64. */
export const long = int64;
/** torch.int, PyTorch's alias of int32. */
export const int = int32;
