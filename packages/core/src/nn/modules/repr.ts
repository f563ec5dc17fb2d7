/** Python's text for values inside module reprs (`eps=1e-05`, `bias=True`, `(3, 3)`). */

/** Python's repr of a float: `1.0`, `0.1`, `1e-05`. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const [mant, expText] = x.toExponential().split('e') as [string, string];
  const e = Number(expText);
  if (e < -4 || e >= 16) return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  const s = String(x);
  return Number.isInteger(x) ? `${s}.0` : s;
}

/** Python's True / False. */
export function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}

/** A Python tuple of ints: `(3, 3)`, `(10,)`. */
export function pyTuple(v: readonly number[]): string {
  return v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`;
}
