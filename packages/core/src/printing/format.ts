/**
 * Reproduces PyTorch 1.13's `repr(tensor)` text (`torch/_tensor_str.py`).
 *
 * Self-contained and pure: no Node or DOM APIs. Floating-point values are
 * formatted with exact decimal arithmetic (BigInt) so that rounding matches
 * Python's `'{:.Nf}'` / `'{:.Ne}'` (correctly rounded, ties to even on the
 * exact binary value), which JavaScript's `toFixed`/`toExponential` do not
 * guarantee (they round ties away from zero and switch to exponent notation
 * at 1e21).
 *
 * @packageDocumentation
 */

/** Element types that can be printed. */
export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'bool';

/** Options mirroring `torch.set_printoptions`. */
export interface PrintOptions {
  /** Number of digits after the decimal point for floating-point values (torch `precision`). */
  precision: number;
  /** Tensors with more elements than this are summarized with `...` (torch `threshold`). */
  threshold: number;
  /** Number of items shown at the start and end of each summarized dimension (torch `edgeitems`). */
  edgeitems: number;
  /** Characters per line used for wrapping rows and suffixes (torch `linewidth`). */
  linewidth: number;
  /** `true`/`false` forces scientific/fixed notation; `null` chooses automatically (torch `sci_mode`). */
  sciMode: boolean | null;
}

/** PyTorch's default print options: precision 4, threshold 1000, edgeitems 3, linewidth 80, sciMode null. */
export const defaultPrintOptions: Readonly<PrintOptions> = Object.freeze({
  precision: 4,
  threshold: 1000,
  edgeitems: 3,
  linewidth: 80,
  sciMode: null,
});

const currentOptions: PrintOptions = { ...defaultPrintOptions };

/**
 * Changes the module's current print options, like `torch.set_printoptions`.
 * Only the keys present (and not `undefined`) in `opts` are changed; pass
 * `sciMode: null` explicitly to return to automatic notation.
 *
 * @remarks Differs from PyTorch: no `profile` option; precision, threshold, edgeitems,
 * linewidth and sciMode only.
 */
export function setPrintOptions(opts: Partial<PrintOptions>): void {
  if (opts.precision !== undefined) currentOptions.precision = opts.precision;
  if (opts.threshold !== undefined) currentOptions.threshold = opts.threshold;
  if (opts.edgeitems !== undefined) currentOptions.edgeitems = opts.edgeitems;
  if (opts.linewidth !== undefined) currentOptions.linewidth = opts.linewidth;
  if (opts.sciMode !== undefined) currentOptions.sciMode = opts.sciMode;
}

/** Returns a copy of the module's current print options. */
export function getPrintOptions(): PrintOptions {
  return { ...currentOptions };
}

/** The data `formatTensor` needs: a contiguous, row-major view of a tensor. */
export interface PrintableTensor {
  /** Sizes of each dimension; `[]` for a 0-d tensor. */
  shape: readonly number[];
  /** Element type. */
  dtype: DType;
  /** Flat row-major values: floats (may be NaN/±Infinity), integers, or 0/1 for bool. */
  data: ArrayLike<number>;
  /** Whether the tensor requires grad (prints `requires_grad=True` when there is no grad_fn). */
  requiresGrad?: boolean;
  /** Class name of the tensor's grad_fn, e.g. `MulBackward0` (prints `grad_fn=<MulBackward0>`). */
  gradFnName?: string | null;
  /** Device name; any device but cpu prints first among the suffixes (like `device='cuda:0'`). */
  device?: string;
}

/**
 * The full `repr(t)` text of PyTorch 1.13: `tensor(...)` plus suffixes.
 *
 * Suffixes, in order: `device='name'` for devices other than cpu; `size=(...)` for empty tensors that are not 1-d;
 * `dtype=torch.X` for non-empty tensors whose dtype is not float32, int64 or
 * bool, and for empty tensors whose dtype is not float32; then
 * `grad_fn=<Name>` or else `requires_grad=True`. A suffix moves to a new line
 * when it would not fit within `linewidth`.
 *
 * @param t - The tensor to print.
 * @param opts - Print options; defaults to the current options (see {@link setPrintOptions}).
 * @returns The exact text PyTorch prints.
 * @throws RangeError if `data.length` differs from the product of `shape`.
 */
export function formatTensor(t: PrintableTensor, opts: PrintOptions = currentOptions): string {
  const shape = t.shape;
  let numel = 1;
  for (const s of shape) numel *= s;
  if (numel !== t.data.length) {
    throw new RangeError(
      `formatTensor: shape [${shape.join(', ')}] holds ${numel} elements but data has ${t.data.length}`,
    );
  }
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  if (t.device !== undefined && t.device !== 'cpu') suffixes.push(`device='${t.device}'`);
  const hasDefaultDtype = t.dtype === 'float32' || t.dtype === 'int64' || t.dtype === 'bool';
  let body: string;
  if (numel === 0) {
    if (shape.length !== 1) suffixes.push(`size=(${shape.join(', ')})`);
    if (t.dtype !== 'float32') suffixes.push(`dtype=torch.${t.dtype}`);
    body = '[]';
  } else {
    if (!hasDefaultDtype) suffixes.push(`dtype=torch.${t.dtype}`);
    body = tensorStr(t, indent, opts);
  }
  if (t.gradFnName != null) suffixes.push(`grad_fn=<${t.gradFnName}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  return addSuffixes(prefix + body, suffixes, indent, opts.linewidth);
}

/** torch `_add_suffixes` (including its generous last-line length estimate). */
function addSuffixes(tensorText: string, suffixes: readonly string[], indent: number, linewidth: number): string {
  const parts = [tensorText];
  let lastLineLen = tensorText.length - tensorText.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > linewidth) {
      parts.push(',\n' + ' '.repeat(indent) + suffix);
      lastLineLen = indent + suffix.length;
    } else {
      parts.push(', ' + suffix);
      lastLineLen += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

interface Formatter {
  readonly width: number;
  format(value: number): string;
}

/** torch `_tensor_str` for a non-empty tensor. */
function tensorStr(t: PrintableTensor, indent: number, opts: PrintOptions): string {
  const shape = t.shape;
  const ndim = shape.length;
  const data = t.data;
  const strides: number[] = new Array<number>(ndim);
  let acc = 1;
  for (let d = ndim - 1; d >= 0; d--) {
    strides[d] = acc;
    acc *= shape[d]!;
  }
  const summarize = data.length > opts.threshold;
  const edge = opts.edgeitems;
  const floating = t.dtype === 'float32' || t.dtype === 'float64';

  // Values that the formatter sees (torch `get_summarized_data`).
  let sample: number[];
  if (!summarize) {
    sample = Array.from(data);
  } else {
    sample = [];
    const collect = (offset: number, d: number): void => {
      const n = shape[d]!;
      const stride = strides[d]!;
      if (d === ndim - 1) {
        if (n > 2 * edge) {
          for (let i = 0; i < edge; i++) sample.push(data[offset + i]!);
          // Python's self[-0:] is the whole dimension.
          for (let i = edge === 0 ? 0 : n - edge; i < n; i++) sample.push(data[offset + i]!);
        } else {
          for (let i = 0; i < n; i++) sample.push(data[offset + i]!);
        }
        return;
      }
      if (n > 2 * edge) {
        for (let i = 0; i < edge; i++) collect(offset + i * stride, d + 1);
        for (let i = n - edge; i < n; i++) collect(offset + i * stride, d + 1);
      } else {
        for (let i = 0; i < n; i++) collect(offset + i * stride, d + 1);
      }
    };
    if (ndim === 0) sample.push(data[0]!);
    else collect(0, 0);
  }
  const formatter = makeFormatter(sample, floating, t.dtype === 'bool', opts);

  if (ndim === 0) return formatter.format(data[0]!);

  const vectorStr = (offset: number, ind: number): string => {
    const n = shape[ndim - 1]!;
    const elementLength = formatter.width + 2;
    const perLine = Math.max(1, Math.floor((opts.linewidth - ind) / elementLength));
    const items: string[] = [];
    if (summarize && !edge) {
      items.push('...');
    } else if (summarize && n > 2 * edge) {
      for (let i = 0; i < edge; i++) items.push(formatter.format(data[offset + i]!));
      items.push(' ...');
      for (let i = n - edge; i < n; i++) items.push(formatter.format(data[offset + i]!));
    } else {
      for (let i = 0; i < n; i++) items.push(formatter.format(data[offset + i]!));
    }
    const lines: string[] = [];
    for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
    return '[' + lines.join(',\n' + ' '.repeat(ind + 1)) + ']';
  };

  const recurse = (offset: number, d: number, ind: number): string => {
    if (d === ndim - 1) return vectorStr(offset, ind);
    const n = shape[d]!;
    const stride = strides[d]!;
    const slices: string[] = [];
    if (summarize && n > 2 * edge) {
      for (let i = 0; i < edge; i++) slices.push(recurse(offset + i * stride, d + 1, ind + 1));
      slices.push('...');
      for (let i = n - edge; i < n; i++) slices.push(recurse(offset + i * stride, d + 1, ind + 1));
    } else {
      for (let i = 0; i < n; i++) slices.push(recurse(offset + i * stride, d + 1, ind + 1));
    }
    const remaining = ndim - d;
    return '[' + slices.join(',' + '\n'.repeat(remaining - 1) + ' '.repeat(ind + 1)) + ']';
  };

  return recurse(0, 0, indent);
}

/** torch `_Formatter`. */
function makeFormatter(values: readonly number[], floating: boolean, isBool: boolean, opts: PrintOptions): Formatter {
  const precision = opts.precision;
  if (!floating) {
    const str = isBool ? (v: number): string => (v ? 'True' : 'False') : formatInteger;
    let maxWidth = 1;
    for (const v of values) maxWidth = Math.max(maxWidth, str(v).length);
    return {
      width: maxWidth,
      format: (v) => padStart(str(v), maxWidth),
    };
  }

  let intMode = true;
  let sciMode = false;
  let maxWidth = 1;
  const nonzeroFinite = values.filter((v) => Number.isFinite(v) && v !== 0);
  if (nonzeroFinite.length > 0) {
    let min = Infinity;
    let max = 0;
    for (const v of nonzeroFinite) {
      const a = Math.abs(v);
      if (a < min) min = a;
      if (a > max) max = a;
    }
    for (const v of nonzeroFinite) {
      if (v !== Math.ceil(v)) {
        intMode = false;
        break;
      }
    }
    if (intMode) {
      if (max / min > 1000 || max > 1e8) {
        sciMode = true;
        for (const v of nonzeroFinite) maxWidth = Math.max(maxWidth, formatExponential(v, precision).length);
      } else {
        for (const v of nonzeroFinite) maxWidth = Math.max(maxWidth, formatFixed(v, 0).length + 1);
      }
    } else if (max / min > 1000 || max > 1e8 || min < 1e-4) {
      sciMode = true;
      for (const v of nonzeroFinite) maxWidth = Math.max(maxWidth, formatExponential(v, precision).length);
    } else {
      for (const v of nonzeroFinite) maxWidth = Math.max(maxWidth, formatFixed(v, precision).length);
    }
    // torch returns early (ignoring sci_mode) when there is no nonzero finite value.
    if (opts.sciMode !== null) sciMode = opts.sciMode;
  }

  const width = maxWidth;
  return {
    width,
    format(v: number): string {
      let ret: string;
      if (sciMode) {
        ret = formatExponential(v, precision);
      } else if (intMode) {
        ret = formatFixed(v, 0);
        if (Number.isFinite(v)) ret += '.';
      } else {
        ret = formatFixed(v, precision);
      }
      return padStart(ret, width);
    },
  };
}

function padStart(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}

/** Python `str(int)` of an integer-valued number (exact, no exponent notation). */
function formatInteger(v: number): string {
  if (Number.isInteger(v)) return BigInt(v).toString();
  return String(v);
}

// ---------------------------------------------------------------------------
// Exact decimal formatting of doubles, matching Python's float.__format__.

const BIG_ZERO = BigInt(0);
const BIG_ONE = BigInt(1);
const BIG_TWO = BigInt(2);
const BIG_TEN = BigInt(10);

const pow10Cache: bigint[] = [BIG_ONE];
function pow10(n: number): bigint {
  while (pow10Cache.length <= n) pow10Cache.push(pow10Cache[pow10Cache.length - 1]! * BIG_TEN);
  return pow10Cache[n]!;
}

const scratch = new DataView(new ArrayBuffer(8));

/** The exact value of a finite, non-negative double as `num / den`. */
function toRational(a: number): { num: bigint; den: bigint } {
  scratch.setFloat64(0, a);
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << BigInt(32)) | BigInt(lo);
  let exp: number;
  if (biased === 0) {
    exp = -1074;
  } else {
    mant |= BIG_ONE << BigInt(52);
    exp = biased - 1075;
  }
  if (exp >= 0) return { num: mant << BigInt(exp), den: BIG_ONE };
  return { num: mant, den: BIG_ONE << BigInt(-exp) };
}

/** `num / den` rounded to the nearest integer, ties to even. */
function roundDiv(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = (num % den) * BIG_TWO;
  if (r2 > den || (r2 === den && q % BIG_TWO !== BIG_ZERO)) return q + BIG_ONE;
  return q;
}

function nonFinite(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  return v > 0 ? 'inf' : '-inf';
}

function isNegative(v: number): boolean {
  return v < 0 || Object.is(v, -0);
}

/** Python `'{:.<p>f}'.format(v)`. */
function formatFixed(v: number, p: number): string {
  if (!Number.isFinite(v)) return nonFinite(v);
  const sign = isNegative(v) ? '-' : '';
  const { num, den } = toRational(Math.abs(v));
  const scaled = roundDiv(num * pow10(p), den).toString();
  if (p === 0) return sign + scaled;
  const digits = scaled.padStart(p + 1, '0');
  return sign + digits.slice(0, digits.length - p) + '.' + digits.slice(digits.length - p);
}

/** Python `'{:.<p>e}'.format(v)`. */
function formatExponential(v: number, p: number): string {
  if (!Number.isFinite(v)) return nonFinite(v);
  const sign = isNegative(v) ? '-' : '';
  const a = Math.abs(v);
  let digits: string;
  let e: number;
  if (a === 0) {
    digits = '0'.repeat(p + 1);
    e = 0;
  } else {
    const { num, den } = toRational(a);
    // Compare num/den with 10^k.
    const cmp = (k: number): number => {
      const l = k >= 0 ? num : num * pow10(-k);
      const r = k >= 0 ? den * pow10(k) : den;
      return l < r ? -1 : l > r ? 1 : 0;
    };
    e = Math.floor(Math.log10(a));
    while (cmp(e) < 0) e--;
    while (cmp(e + 1) >= 0) e++;
    const shift = p - e;
    let n = shift >= 0 ? roundDiv(num * pow10(shift), den) : roundDiv(num, den * pow10(-shift));
    if (n >= pow10(p + 1)) {
      n /= BIG_TEN;
      e++;
    }
    digits = n.toString();
  }
  const mantissa = p > 0 ? digits[0] + '.' + digits.slice(1) : digits;
  const expAbs = String(Math.abs(e)).padStart(2, '0');
  return `${sign}${mantissa}e${e < 0 ? '-' : '+'}${expAbs}`;
}
