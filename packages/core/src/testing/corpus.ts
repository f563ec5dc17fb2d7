/**
 * The conformance corpus runner: executes the op cases of torch-golden.json (recorded from
 * PyTorch 1.13) through Kindling's public API, generically, and compares outputs and gradients.
 *
 * Calling convention (DESIGN §6): op "add" calls `torch.add(...args, kwargs)`, "Tensor.view"
 * calls `x.view(...rest, kwargs)`, "F.conv2d" calls `torch.nn.functional.conv2d(...)`; Python
 * names are camelCased and keyword arguments become one trailing options object (omitted when
 * empty). "Tensor.__getitem__" maps to `x.index(...items)`.
 *
 * Pure TypeScript: the caller reads the JSON file and passes its text to loadCorpus.
 */
import * as torch from '../index.js';
import { resultType, type DType } from '../dtype.js';
import { NotSupportedError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { parsePyJson, PyFloat, type PyJson } from './pyjson.js';

/** A tensor as the corpus writes it: row-major data, NaN and infinities as strings. */
export interface TensorJson {
  shape: number[];
  dtype: DType;
  data: (number | boolean | string)[];
}

/** A tensor argument; `transform.permute` makes the op receive a non-contiguous view. */
export interface TensorArg {
  tensor: TensorJson;
  requires_grad: boolean;
  transform?: { permute?: number[] };
}

/** Any argument value: a tensor, a Python scalar / string / None, a list, or an index item. */
export type ArgJson =
  | TensorArg
  | number
  | boolean
  | string
  | null
  | ArgJson[]
  | { slice: [number | null, number | null, number | null] }
  | { ellipsis: true };

/** One case of torch-golden.json (see fixtures/README.md). */
export interface CorpusCase {
  id: string;
  op: string;
  args: ArgJson[];
  kwargs: Record<string, ArgJson>;
  out: TensorJson | TensorJson[];
  grad_fn: string | null;
  grad_output: TensorJson | (TensorJson | null)[] | null;
  grads?: (TensorJson | null)[];
  atol: number;
  rtol: number;
  /**
   * Scalars among args / kwargs that the JSON wrote as Python floats with an integral value
   * (`2.0`). After parsing they are indistinguishable from Python ints (`2`), and Kindling
   * treats integral numbers as ints (DESIGN §6); this only changes results next to integer or
   * bool tensors, where the runner reports the case as not expressible.
   */
  pyFloatScalars: number[];
}

/** The outcome of one case. */
export interface CaseResult {
  status: 'pass' | 'fail' | 'unsupported';
  /** Why it failed or is unsupported ('' on pass). */
  detail: string;
  /** The Kindling name of the op that was called, e.g. "torch.add", "Tensor.view", "F.conv2d". */
  op: string;
  /** PyTorch's grad_fn name and Kindling's, when they differ (informational). */
  gradFnMismatch?: { expected: string | null; actual: string | null };
}

/** Options of runCorpusCase. */
export interface RunCaseOptions {
  /** Device the inputs (and so the op) live on; default: the default device. */
  device?: string;
  /** The torch namespace to call into (default: @kindling/core itself). */
  torch?: object;
}

function plain(v: PyJson): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) o[k] = plain(v[k]!);
    return o;
  }
  return v;
}

/** Integral Python floats among argument values, outside tensor objects. */
function floatScalars(v: PyJson, found: number[]): number[] {
  if (v instanceof PyFloat) found.push(v.value);
  else if (Array.isArray(v)) for (const e of v) floatScalars(e, found);
  else if (v !== null && typeof v === 'object' && !('tensor' in v)) for (const k of Object.keys(v)) floatScalars(v[k]!, found);
  return found;
}

/**
 * Parses torch-golden.json into cases. From the file's text, numbers keep their Python int /
 * float distinction where it can matter (see CorpusCase.pyFloatScalars); from already parsed
 * JSON (a JSON module) they cannot, and pyFloatScalars is empty.
 */
export function loadCorpus(json: string | object): CorpusCase[] {
  const root = (typeof json === 'string' ? parsePyJson(json) : json) as { cases?: PyJson[] } | null;
  if (root === null || typeof root !== 'object' || !Array.isArray(root.cases)) throw new Error('loadCorpus: expected {"cases": [...]}');
  return root.cases.map((raw) => {
    const r = raw as { args: PyJson; kwargs: PyJson };
    const c = plain(raw) as CorpusCase;
    c.pyFloatScalars = [...floatScalars(r.args, []), ...floatScalars(r.kwargs, [])];
    return c;
  });
}

// ------------------------------------------------------------------ building arguments

/** A JSON value of a tensor's data as a number (bool as 0/1). */
export function decodeValue(v: number | boolean | string): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  throw new Error(`unexpected tensor value ${JSON.stringify(v)}`);
}

/** A tensor from its JSON form, on `device`. */
export function tensorFromJson(j: TensorJson, device?: string): Tensor {
  const values = Float64Array.from(j.data, decodeValue);
  return torch.tensor(values, { dtype: j.dtype, ...(device ? { device } : {}) }).reshape([...j.shape]);
}

function isTensorArg(a: unknown): a is TensorArg {
  return a !== null && typeof a === 'object' && !Array.isArray(a) && 'tensor' in a;
}

/** Builds one argument, taking each tensor argument (depth-first) from `tensor`. */
function buildArg(a: ArgJson, tensor: (t: TensorArg) => Tensor): unknown {
  if (isTensorArg(a)) return tensor(a);
  if (Array.isArray(a)) return a.map((e) => buildArg(e, tensor));
  return a;
}

/** A corpus index item as Kindling's IndexItem: [start, stop, step], null, '...', a number, a Tensor. */
function indexItem(item: unknown): unknown {
  if (item !== null && typeof item === 'object' && !(item instanceof Tensor)) {
    if ('slice' in item) return [...(item as { slice: [number | null, number | null, number | null] }).slice];
    if ('ellipsis' in item) return '...';
  }
  return item;
}

/** Python's snake_case name in Kindling's camelCase. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** NotSupportedError is matched by name, so errors from another copy of core count too. */
function isNotSupported(e: unknown): e is Error {
  return e instanceof Error && e.name === 'NotSupportedError';
}

type Callable = (...a: unknown[]) => unknown;

/** The function a case calls, or NotSupportedError naming what is missing. */
function resolve(c: CorpusCase, ns: Record<string, unknown>, self: unknown): Callable {
  let fn: unknown, missing: string;
  if (c.op.startsWith('Tensor.')) {
    const py = c.op.slice('Tensor.'.length);
    const name = py === '__getitem__' ? 'index' : camelCase(py);
    fn = (self as Record<string, unknown> | null)?.[name];
    missing = `Tensor.${name}`;
  } else if (c.op.startsWith('F.')) {
    const name = camelCase(c.op.slice(2));
    fn = (ns['nn'] as { functional?: Record<string, unknown> } | undefined)?.functional?.[name];
    missing = `torch.nn.functional.${name}`;
  } else {
    fn = ns[camelCase(c.op)];
    missing = `torch.${camelCase(c.op)}`;
  }
  if (typeof fn !== 'function') throw new NotSupportedError(`${missing} does not exist`);
  return fn as Callable;
}

/** Options of prepareCase. */
export interface PrepareOptions extends RunCaseOptions {
  /** Build float32 tensors as float64 instead (for gradcheck). */
  float64?: boolean;
}

/** A case ready to call, with its tensor arguments replaceable (what gradcheck needs). */
export interface PreparedCase {
  /** The Kindling name of the op ("torch.add", "Tensor.view", "F.conv2d"). */
  op: string;
  /** The tensor arguments in depth-first order (args, then kwargs), built from the JSON. */
  tensors: Tensor[];
  /** Calls the op with `tensors` (default: the built ones) in place of the tensor arguments. */
  call(tensors?: readonly Tensor[]): unknown;
}

/**
 * Builds a case's tensors and resolves its op. Throws NotSupportedError when the function or
 * method does not exist.
 */
export function prepareCase(c: CorpusCase, options: PrepareOptions = {}): PreparedCase {
  const ns = (options.torch ?? torch) as Record<string, unknown>;
  const tensors: Tensor[] = [];
  const make = (a: TensorArg): Tensor => {
    const j = options.float64 && a.tensor.dtype === 'float32' ? { ...a.tensor, dtype: 'float64' as const } : a.tensor;
    let t = tensorFromJson(j, options.device);
    if (a.transform?.permute) t = t.permute(a.transform.permute);
    if (a.requires_grad) t.requiresGrad_(true); // a leaf: its base does not require grad
    tensors.push(t);
    return t;
  };
  const build = (take: (a: TensorArg) => Tensor): { self: unknown; args: unknown[] } => {
    const args = c.args.map((a) => buildArg(a, take));
    const keys = Object.keys(c.kwargs);
    const kw: Record<string, unknown> = {};
    for (const k of keys) kw[camelCase(k)] = buildArg(c.kwargs[k]!, take);
    let self: unknown = ns;
    if (c.op.startsWith('Tensor.')) {
      self = args.shift();
      if (c.op === 'Tensor.__getitem__') args.splice(0, args.length, ...(Array.isArray(args[0]) ? args[0] : [args[0]]).map(indexItem));
    } else if (c.op.startsWith('F.')) self = (ns['nn'] as { functional?: unknown } | undefined)?.functional;
    if (keys.length > 0) args.push(kw);
    return { self, args };
  };
  const first = build(make);
  const fn = resolve(c, ns, first.self);
  return {
    op: kindlingOpName(c),
    tensors,
    call(replacement?: readonly Tensor[]): unknown {
      if (!replacement) return fn.apply(first.self, first.args);
      let k = 0;
      const { self, args } = build(() => replacement[k++]!);
      return fn.apply(self, args);
    },
  };
}

/** The Kindling name a case calls ("torch.add", "Tensor.view", "F.conv2d"). */
export function kindlingOpName(c: CorpusCase): string {
  if (c.op === 'Tensor.__getitem__') return 'Tensor.index';
  if (c.op.startsWith('Tensor.')) return `Tensor.${camelCase(c.op.slice(7))}`;
  if (c.op.startsWith('F.')) return `F.${camelCase(c.op.slice(2))}`;
  return `torch.${camelCase(c.op)}`;
}

// ------------------------------------------------------------------ comparing

function fmt(v: number): string {
  return Number.isNaN(v) ? 'nan' : String(v);
}

/** Null when `actual` matches `expected` (shape, dtype, values within atol / rtol), else why not. */
export async function compareTensor(actual: unknown, expected: TensorJson, atol: number, rtol: number): Promise<string | null> {
  if (!(actual instanceof Tensor)) return `expected a Tensor, got ${actual === null ? 'null' : typeof actual}`;
  const shapeOk = actual.shape.length === expected.shape.length && actual.shape.every((s, i) => s === expected.shape[i]);
  if (!shapeOk) return `shape [${actual.shape.join(', ')}], expected [${expected.shape.join(', ')}]`;
  if (actual.dtype !== expected.dtype) return `dtype ${actual.dtype}, expected ${expected.dtype}`;
  const got = await actual.data();
  const exact = expected.dtype !== 'float32' && expected.dtype !== 'float64';
  const bad: string[] = [];
  let nBad = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const e = decodeValue(expected.data[i]!), a = Number(got[i]);
    let ok: boolean;
    if (exact || !Number.isFinite(e)) ok = a === e || (Number.isNaN(a) && Number.isNaN(e));
    else ok = Math.abs(a - e) <= atol + rtol * Math.abs(e); // false for NaN
    if (!ok) {
      nBad++;
      if (bad.length < 4) bad.push(`[${i}] ${fmt(a)} vs ${fmt(e)}`);
    }
  }
  return nBad === 0 ? null : `${nBad} of ${expected.data.length} values differ (atol ${atol}, rtol ${rtol}): ${bad.join(', ')}`;
}

/** The tensors of an op result: a Tensor, an array, or a `{ 0, 1, ... }` tuple-like object. */
function resultList(r: unknown): unknown[] {
  if (Array.isArray(r)) return r;
  if (r !== null && typeof r === 'object' && !(r instanceof Tensor) && '0' in r) {
    const out: unknown[] = [];
    for (let i = 0; i in r; i++) out.push((r as Record<number, unknown>)[i]);
    return out;
  }
  return [r];
}

// ------------------------------------------------------------------ running

/**
 * Runs one case: builds the inputs on `device`, calls the op, compares the outputs and, when
 * the case has a grad_output, back-propagates it and compares the gradient of every input.
 * 'unsupported' means the function or method does not exist, or threw NotSupportedError.
 */
export async function runCorpusCase(c: CorpusCase, options: RunCaseOptions = {}): Promise<CaseResult> {
  const label = kindlingOpName(c);
  const result = (status: CaseResult['status'], detail: string): CaseResult => ({ status, detail, op: label });
  let stage = 'building the inputs';
  try {
    let prepared: PreparedCase;
    try {
      prepared = prepareCase(c, options);
    } catch (e) {
      if (isNotSupported(e)) return result('unsupported', e.message);
      throw e;
    }
    const tensors = prepared.tensors;
    if (c.pyFloatScalars.length > 0) {
      // Only matters when it changes type promotion: a Python float next to integer / bool
      // tensors alone. (0.5 stands for "some float" in resultType.)
      const asFloat = resultType(...tensors, ...c.pyFloatScalars.map(() => 0.5));
      const asInt = resultType(...tensors, ...c.pyFloatScalars);
      if (asFloat !== asInt) {
        return result(
          'unsupported',
          `Python float scalar ${c.pyFloatScalars[0]!.toFixed(1)} next to ${tensors.map((t) => t.dtype).join(', ')} tensors promotes to ${asFloat} in PyTorch, but a JavaScript number with an integral value counts as a Python int (giving ${asInt}); pass a 0-d float tensor to get float promotion`,
        );
      }
    }

    stage = 'the forward call';
    const r = prepared.call();

    stage = 'comparing the outputs';
    const expectedOuts = Array.isArray(c.out) ? c.out : [c.out];
    const outs = Array.isArray(c.out) ? resultList(r) : [r];
    if (outs.length !== expectedOuts.length) return result('fail', `returned ${outs.length} outputs, expected ${expectedOuts.length}`);
    for (let i = 0; i < outs.length; i++) {
      const why = await compareTensor(outs[i], expectedOuts[i]!, c.atol, c.rtol);
      if (why !== null) return result('fail', `output ${i}: ${why}`);
    }
    const gradFnName = outs[0] instanceof Tensor ? (outs[0].gradFn?.name() ?? null) : null;
    const mismatch = c.grad_fn !== gradFnName ? { expected: c.grad_fn, actual: gradFnName } : undefined;

    if (c.grad_output !== null && c.grad_output !== undefined) {
      stage = 'the backward pass';
      const gos = Array.isArray(c.grad_output) ? c.grad_output : [c.grad_output];
      const roots: Tensor[] = [], rootGrads: Tensor[] = [];
      gos.forEach((g, i) => {
        if (g === null) return;
        roots.push(outs[i] as Tensor);
        rootGrads.push(tensorFromJson(g, options.device));
      });
      const leaves = tensors.filter((t) => t.requiresGrad);
      if (roots.length > 0 && leaves.length > 0) {
        const grads = torch.autograd.grad(roots, leaves, rootGrads, { allowUnused: true });
        stage = 'comparing the gradients';
        const expected = c.grads ?? [];
        let k = 0;
        for (let i = 0; i < tensors.length; i++) {
          const t = tensors[i]!, e = expected[i] ?? null;
          if (!t.requiresGrad) continue;
          const g = grads[k++] ?? null;
          if (e === null) continue;
          if (g === null) return result('fail', `gradient of tensor argument ${i}: none flowed (the output does not depend on it)`);
          const why = await compareTensor(g, e, c.atol, c.rtol);
          if (why !== null) return result('fail', `gradient of tensor argument ${i}: ${why}`);
        }
      }
    }
    const res = result('pass', '');
    if (mismatch) res.gradFnMismatch = mismatch;
    return res;
  } catch (e) {
    if (isNotSupported(e)) return result('unsupported', `NotSupportedError in ${stage}: ${e.message}`);
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return result('fail', `${stage} threw ${msg}`);
  }
}

/** Counts of a corpus run and the summary line `corpus: N passed, M not supported yet`. */
export interface CorpusSummary {
  passed: number;
  failed: number;
  unsupported: number;
  /** Kindling op names of the unsupported cases, sorted, each once. */
  unsupportedOps: string[];
  /** Ids of the failed cases, with why. */
  failures: { id: string; detail: string }[];
  /** The report: the summary line, then the unsupported op names, then any failures. */
  text: string;
}

/** Summarizes results keyed by case id. */
export function summarize(cases: readonly CorpusCase[], results: ReadonlyMap<string, CaseResult>): CorpusSummary {
  let passed = 0, unsupported = 0;
  const ops = new Set<string>();
  const failures: { id: string; detail: string }[] = [];
  for (const c of cases) {
    const r = results.get(c.id);
    if (!r) continue;
    if (r.status === 'pass') passed++;
    else if (r.status === 'unsupported') { unsupported++; ops.add(r.op); }
    else failures.push({ id: c.id, detail: r.detail });
  }
  const unsupportedOps = [...ops].sort();
  const lines = [`corpus: ${passed} passed, ${unsupported} not supported yet`];
  if (unsupportedOps.length > 0) lines.push(`not supported yet: ${unsupportedOps.join(', ')}`);
  if (failures.length > 0) {
    lines.push(`${failures.length} failed:`);
    for (const f of failures) lines.push(`  ${f.id}: ${f.detail}`);
  }
  return { passed, failed: failures.length, unsupported, unsupportedOps, failures, text: lines.join('\n') };
}
