/** Argument binding for the functional API: PyTorch's positional order plus a trailing options object. */
import { checkInt, checkIntList, checkOptions } from '../args.js';
import { TypeError } from '../errors.js';
import { isOptions } from '../ops/reduce-extra.js';

/**
 * Binds `args` to `names` in PyTorch's positional order, then overlays a trailing options object
 * (camelCase keywords). Missing values keep `defaults`. `undefined` positional values are skipped.
 */
export function bindArgs<T extends object>(fn: string, args: readonly unknown[], names: readonly (keyof T & string)[], defaults: T): T {
  const out = { ...defaults } as Record<string, unknown>;
  let pos: readonly unknown[] = args;
  const last = args[args.length - 1];
  let opts: Record<string, unknown> | null = null;
  if (args.length > 0 && isOptions(last)) {
    opts = last;
    pos = args.slice(0, -1);
  }
  if (pos.length > names.length) {
    throw new TypeError(`${fn}() takes ${names.length} optional positional arguments after the required ones but ${pos.length} were given`);
  }
  pos.forEach((v, i) => {
    if (v !== undefined) out[names[i]!] = v;
  });
  if (opts) {
    checkOptions(fn, opts, Object.keys(defaults));
    for (const [k, v] of Object.entries(opts)) if (v !== undefined) out[k] = v;
  }
  return out as T;
}

/** An int or a tuple of `n` ints, as PyTorch's `_pair` / `_single` expand it. */
export function tuple(v: number | readonly number[], n: number, what: string): number[] {
  if (!Array.isArray(v)) return new Array<number>(n).fill(checkInt(v, what));
  checkIntList(v, what);
  if (v.length === 1) return new Array<number>(n).fill(v[0]!);
  if (v.length !== n) throw new TypeError(`${what} must be an int or a tuple of ${n} ints, got [${v.join(', ')}]`);
  return [...(v as readonly number[])];
}
