/**
 * Argument checks shared by every public function: integers (dims, sizes, indices, counts,
 * steps), dtype strings and options objects. Each throws PyTorch's error class with a message
 * in PyTorch's words where its argument parser has them.
 */
import { DTYPES, type DType } from './dtype.js';
import { RuntimeError, TypeError } from './errors.js';

/** The Python type name PyTorch's messages would give a JavaScript value ("float", "str", ...). */
export function pyTypeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'bigint';
  if (typeof v === 'function') return 'function';
  if (Array.isArray(v)) return 'list';
  const name = (v as object).constructor?.name;
  return name === 'Tensor' ? 'Tensor' : name === undefined || name === 'Object' ? 'dict' : name;
}

function prefix(fn: string | undefined): string {
  return fn ? `${fn}(): ` : '';
}

/**
 * `v` as an integer, or PyTorch's TypeError ("argument 'dim' must be int, not float"). Booleans,
 * NaN, infinities, strings and fractions are refused, as PyTorch's parser refuses them.
 */
export function checkInt(v: unknown, name: string, fn?: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new TypeError(`${prefix(fn)}argument '${name}' must be int, not ${pyTypeName(v)}`);
  }
  return v;
}

/**
 * A list of integers (a shape, dims, repeats...), or PyTorch's TypeError ("argument 'size' must be
 * tuple of ints, but found element of type float at pos 2").
 */
export function checkIntList(list: unknown, name: string, fn?: string): number[] {
  if (!Array.isArray(list)) throw new TypeError(`${prefix(fn)}argument '${name}' must be tuple of ints, not ${pyTypeName(list)}`);
  for (let i = 0; i < list.length; i++) {
    const v: unknown = list[i];
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new TypeError(`${prefix(fn)}argument '${name}' must be tuple of ints, but found element of type ${pyTypeName(v)} at pos ${i + 1}`);
    }
  }
  return list as number[];
}

/** A tensor shape for a factory: integers (TypeError otherwise), none negative (PyTorch's RuntimeError). */
export function checkShape(shape: unknown, fn?: string): number[] {
  const s = checkIntList(shape, 'size', fn);
  for (const n of s) if (n < 0) throw new RuntimeError(`Trying to create tensor with negative dimension ${n}: [${s.join(', ')}]`);
  return s;
}

/** Common misspellings of dtypes, mapped to the string Kindling uses. */
const DTYPE_ALIASES: Record<string, DType> = {
  float: 'float32', double: 'float64', long: 'int64', int: 'int32',
  'torch.float32': 'float32', 'torch.float': 'float32', 'torch.float64': 'float64', 'torch.double': 'float64',
  'torch.int64': 'int64', 'torch.long': 'int64', 'torch.int32': 'int32', 'torch.int': 'int32', 'torch.bool': 'bool',
};

/** Whether `v` names a dtype Kindling supports. */
export function isDType(v: unknown): v is DType {
  return typeof v === 'string' && (DTYPES as readonly string[]).includes(v);
}

/**
 * `v` as a dtype, or a TypeError naming it and listing the supported dtypes (with the spelling
 * to use when `v` is PyTorch's, such as 'torch.float64' or 'double').
 */
export function checkDtype(v: unknown, fn?: string): DType {
  if (isDType(v)) return v;
  const hint = typeof v === 'string' && Object.hasOwn(DTYPE_ALIASES, v) ? ` (did you mean '${DTYPE_ALIASES[v]}', also spelled torch.${DTYPE_ALIASES[v]}?)` : '';
  const shown = typeof v === 'string' ? `'${v}'` : pyTypeName(v);
  throw new TypeError(`${prefix(fn)}invalid dtype ${shown}${hint}: Kindling supports ${DTYPES.map((d) => `'${d}'`).join(', ')}`);
}

/** True when `v` is a plain options object (not an array, a typed array, null or a class instance such as a Tensor). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Edit distance between two short strings, a swap of neighbours counting as one edit (for "did you mean"). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The allowed key a user most likely meant by `key` (its camelCase form, a close spelling, an abbreviation), or null. */
function suggestKey(key: string, allowed: readonly string[]): string | null {
  const lower = camel(key).toLowerCase();
  const exact = allowed.find((k) => k.toLowerCase() === lower || k.toLowerCase() === key.toLowerCase());
  if (exact) return exact;
  let best: string | null = null, bestD = Infinity;
  for (const k of allowed) {
    const d = distance(lower, k.toLowerCase());
    if (d < bestD) { best = k; bestD = d; }
  }
  if (best !== null && bestD <= Math.max(1, Math.floor(best.length / 3))) return best;
  // An abbreviation or a near form sharing a long start ('diag' for diagonal, 'reduce' for reduction).
  const shared = (k: string): number => { let n = 0; while (n < k.length && n < lower.length && k[n] === lower[n]) n++; return n; };
  return lower.length >= 3 ? allowed.find((k) => k.toLowerCase().startsWith(lower) || shared(k.toLowerCase()) >= 5) ?? null : null;
}

/**
 * Checks an options object (PyTorch's keyword arguments) and returns it: it must be a plain
 * object whose own keys are all in `allowed`. An unknown key is a TypeError naming it, in
 * PyTorch's words, with the spelling Kindling uses suggested:
 * `zeros() got an unexpected keyword argument 'requires_grad' (did you mean requiresGrad?)`.
 * Inherited names (`constructor`, `toString`) are never keywords. A `dtype` key, when set, must
 * name a supported dtype. Use it in every function (nn and optim included) taking options.
 */
export function checkOptions<O extends object>(fn: string, opts: O | null | undefined, allowed: readonly (keyof O & string)[]): O {
  if (opts === undefined || opts === null) return {} as O;
  if (!isPlainObject(opts)) throw new TypeError(`${fn}(): expected an options object, got ${pyTypeName(opts)}`);
  for (const key of Object.keys(opts)) {
    if ((allowed as readonly string[]).includes(key)) continue;
    const s = suggestKey(key, allowed);
    const hint = s ? ` (did you mean ${s}?)` : allowed.length > 0 ? ` (expected one of: ${allowed.join(', ')})` : '';
    throw new TypeError(`${fn}() got an unexpected keyword argument '${key}'${hint}`);
  }
  const dtype = (opts as { dtype?: unknown }).dtype;
  if (dtype !== undefined && dtype !== null) checkDtype(dtype, fn);
  return opts;
}

/** `v` as a boolean flag (keepdim, ...), or PyTorch's TypeError. */
export function checkBool(v: unknown, name: string, fn?: string): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${prefix(fn)}argument '${name}' must be bool, not ${pyTypeName(v)}`);
  return v;
}
