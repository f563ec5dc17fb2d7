/**
 * PyTorch's checkpoint format (torch.save since 1.6): a zip holding `<archive>/data.pkl`, a
 * pickle whose tensors refer to storages by key through persistent ids, and one record
 * `<archive>/data/<key>` of raw little-endian bytes per storage. Tensors that share a storage
 * are written once and come back sharing it, views with their offsets and strides.
 */
import { Tensor } from '../tensor.js';
import { getBackend } from '../backend/registry.js';
import type { Storage } from '../backend/backend.js';
import type { DType, TypedArray } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { readZip, writeZip } from './zip.js';
import { fromUtf8, utf8 } from './text.js';
import { describe, pickle, PyGlobal, PyPersistent, PyReduce, PyTuple, unpickle, type PyDict, type Resolved } from './pickle.js';
import { decodeStorage, encodeStorage, widenWarning, type StorageCodec } from './codec.js';

/** PyTorch's legacy storage class for each dtype Kindling writes. */
const STORAGE_CLASS: Record<DType, string> = {
  float32: 'FloatStorage', float64: 'DoubleStorage', int64: 'LongStorage', int32: 'IntStorage', bool: 'BoolStorage',
};

/** What each storage class reads as: its byte codec. */
const STORAGE_CODEC: Record<string, StorageCodec> = {
  FloatStorage: 'float32', DoubleStorage: 'float64', LongStorage: 'int64', IntStorage: 'int32', BoolStorage: 'bool',
  HalfStorage: 'float16', BFloat16Storage: 'bfloat16', ByteStorage: 'uint8', CharStorage: 'int8', ShortStorage: 'int16',
};

/** Options of torch.load for PyTorch's format. */
export interface TorchLoadOptions {
  /** Where the tensors go (PyTorch's map_location), default 'cpu'. */
  device?: string;
}

// ------------------------------------------------------------------------------------ save

/** The whole storage of `t` as raw bytes (int64 widened back from its float64 storage). */
function storageValues(t: Tensor): TypedArray {
  return new Tensor(t.storage, t.dtype, [t.storage.length], [1], 0, t.backend).dataSync();
}

/** torch.save in PyTorch's zip format. */
export function saveTorch(obj: unknown, archive = 'archive'): Uint8Array {
  const storages = new Map<Storage, { key: string; tensor: Tensor }>();
  const root = toPython(obj, (t) => {
    let s = storages.get(t.storage);
    if (!s) storages.set(t.storage, (s = { key: String(storages.size), tensor: t }));
    const pid = new PyTuple(['storage', new PyGlobal('torch', STORAGE_CLASS[t.dtype]), s.key, 'cpu', t.storage.length]);
    const args = new PyTuple([
      new PyPersistent(pid), t.offset, new PyTuple([...t.shape]), new PyTuple([...t.strides]), t.requiresGrad,
      new PyReduce(new PyGlobal('collections', 'OrderedDict'), new PyTuple([])),
    ]);
    return new PyReduce(new PyGlobal('torch._utils', '_rebuild_tensor_v2'), args);
  }, new Set());
  const entries: [string, Uint8Array][] = [[`${archive}/data.pkl`, pickle(root)], [`${archive}/byteorder`, utf8('little')]];
  for (const { key, tensor } of storages.values()) {
    entries.push([`${archive}/data/${key}`, encodeStorage(tensor.dtype, storageValues(tensor))]);
  }
  entries.push([`${archive}/version`, utf8('3\n')]);
  return writeZip(entries);
}

/**
 * A JavaScript value as the pickle writer's vocabulary: arrays become lists, plain objects and
 * Maps dicts (object keys that are canonical integers become Python ints, since JavaScript
 * cannot tell `{0: x}` from `{'0': x}`), tensors go through `tensorOf`.
 */
function toPython(v: unknown, tensorOf: (t: Tensor) => PyReduce, seen: Set<object>): unknown {
  if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'string') return v ?? null;
  if (typeof v === 'number') return v;
  if (v instanceof Tensor) return tensorOf(v);
  if (typeof v !== 'object') throw new RuntimeError(`torch.save: cannot save a value of type ${typeof v}`);
  if (seen.has(v)) throw new RuntimeError('torch.save: the object contains itself (a reference cycle)');
  seen.add(v);
  let out: unknown;
  if (Array.isArray(v)) out = v.map((x) => toPython(x, tensorOf, seen));
  else if (v instanceof Map) out = new Map([...v].map(([k, x]) => [k, toPython(x, tensorOf, seen)]));
  else if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) {
    const d: PyDict = new Map();
    for (const [k, x] of Object.entries(v)) d.set(/^(0|[1-9]\d{0,14})$/.test(k) ? Number(k) : k, toPython(x, tensorOf, seen));
    out = d;
  } else {
    throw new RuntimeError(`torch.save: cannot save a ${describe(v)} (Kindling saves tensors, and nested objects, Maps and arrays of tensors, numbers, strings, booleans and null)`);
  }
  seen.delete(v);
  return out;
}

// ------------------------------------------------------------------------------------ load

/** A loaded storage: its Kindling storage, dtype and length in elements. */
interface LoadedStorage {
  readonly storage: Storage;
  readonly dtype: DType;
  readonly length: number;
}

/** torch.load of PyTorch's zip format. */
export function loadTorch(bytes: Uint8Array, options: TorchLoadOptions = {}): unknown {
  if (bytes.length >= 2 && bytes[0] === 0x80 && bytes[1] === 0x02) {
    throw new RuntimeError('torch.load: this file uses the legacy (pre-1.6) torch.save format, which Kindling does not read; re-save it in Python with torch.save(obj, path) (PyTorch 1.6 or newer)');
  }
  const records = readZip(bytes);
  const pkl = [...records.keys()].find((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (pkl === undefined) {
    if ([...records.keys()].some((n) => n.endsWith('/constants.pkl'))) throw new RuntimeError('torch.load: this is a TorchScript archive (torch.jit.save), which Kindling does not read; save the state_dict with torch.save instead');
    throw new RuntimeError('torch.load: no data.pkl record: not a file written by torch.save');
  }
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const order = records.get(`${prefix}byteorder`);
  const bigEndian = order !== undefined && fromUtf8(order).trim() === 'big';
  const backend = getBackend(options.device ?? 'cpu');
  const loaded = new Map<string, LoadedStorage>();
  const widened = new Set<string>();

  const findGlobal = (module: string, name: string): Resolved => {
    const full = `${module}.${name}`;
    if (full === 'collections.OrderedDict') return { call: () => new Map() };
    if (full === 'torch._utils._rebuild_tensor_v2') return { call: rebuildTensor };
    if (full === 'torch._utils._rebuild_parameter' || full === 'torch._utils._rebuild_parameter_with_state') return { call: rebuildParameter };
    if (module === 'torch' && name in STORAGE_CODEC) return { value: { storageClass: name } };
    throw new RuntimeError(`torch.load: unsupported pickle content: global '${full}' (Kindling loads tensors, and dicts, lists and tuples of tensors, numbers, strings and booleans; it never runs code from a file)`);
  };

  const persistentLoad = (id: unknown): LoadedStorage => {
    if (!Array.isArray(id) || id[0] !== 'storage' || id.length < 5) throw new RuntimeError(`torch.load: unsupported persistent id ${JSON.stringify(id)}`);
    const [, cls, key, , numel] = id as [string, { storageClass?: string }, string, string, number];
    const codec = cls?.storageClass !== undefined ? STORAGE_CODEC[cls.storageClass] : undefined;
    if (codec === undefined) throw new RuntimeError(`torch.load: unsupported storage type ${JSON.stringify(cls)}`);
    const cached = loaded.get(key);
    if (cached) return cached;
    const record = records.get(`${prefix}data/${key}`);
    if (record === undefined) throw new RuntimeError(`torch.load: the archive has no record data/${key} (truncated or corrupt file)`);
    const { dtype, values, widenedFrom } = decodeStorage(codec, record, bigEndian);
    if (values.length !== numel) throw new RuntimeError(`torch.load: storage ${key} holds ${values.length} elements, the file says ${numel} (corrupt file)`);
    if (widenedFrom) widened.add(widenedFrom);
    const s = { storage: backend.fromArray(dtype, values), dtype, length: values.length };
    loaded.set(key, s);
    return s;
  };

  function rebuildTensor(args: unknown[]): Tensor {
    const [s, offset, size, stride, requiresGrad] = args as [LoadedStorage, number, PyTuple, PyTuple, boolean];
    if (!s || typeof s !== 'object' || !('storage' in s) || !(size instanceof PyTuple) || !(stride instanceof PyTuple) || typeof offset !== 'number') {
      throw new RuntimeError('torch.load: malformed tensor record');
    }
    const shape = size.items as number[], strides = stride.items as number[];
    let last = offset;
    for (let d = 0; d < shape.length; d++) if (shape[d]! > 0) last += (shape[d]! - 1) * strides[d]!;
    if (shape.every((n) => n > 0) && (offset < 0 || last >= s.length)) throw new RuntimeError('torch.load: a tensor reaches past the end of its storage (corrupt file)');
    const t = new Tensor(s.storage, s.dtype, shape, strides, offset, backend);
    if (requiresGrad === true && (s.dtype === 'float32' || s.dtype === 'float64')) t.requiresGrad_(true);
    return t;
  }

  function rebuildParameter(args: unknown[]): Tensor {
    const [data, requiresGrad] = args as [Tensor, boolean];
    if (!(data instanceof Tensor)) throw new RuntimeError('torch.load: malformed parameter record');
    return data.requiresGrad_(requiresGrad === true);
  }

  const root = unpickle(records.get(pkl)!, {
    findGlobal,
    persistentLoad,
    // state_dict's OrderedDict carries `_metadata` (module versions) as object state: not needed.
    build: (obj) => {
      if (!(obj instanceof Map)) throw new RuntimeError('torch.load: unsupported pickle content: object state (BUILD)');
    },
  });
  if (widened.size > 0) widenWarning([...widened]);
  return toJs(root, new Map());
}

/**
 * A loaded Python value as JavaScript: dicts whose keys are all strings or all integers become
 * plain objects, other dicts Maps; tuples and lists arrays.
 */
function toJs(v: unknown, seen: Map<object, unknown>): unknown {
  if (v === null || typeof v !== 'object' || v instanceof Tensor || v instanceof Uint8Array) return v;
  if (seen.has(v)) return seen.get(v);
  if (v instanceof PyTuple || Array.isArray(v)) {
    const out: unknown[] = [];
    seen.set(v, out);
    for (const x of v instanceof PyTuple ? v.items : v) out.push(toJs(x, seen));
    return out;
  }
  if (v instanceof Map) {
    const keys = [...v.keys()];
    const plain = keys.every((k) => typeof k === 'string') || keys.every((k) => Number.isSafeInteger(k) && (k as number) >= 0);
    if (plain) {
      const out: Record<string, unknown> = {};
      seen.set(v, out);
      // defineProperty: a key such as '__proto__' from a file must stay an ordinary key.
      for (const [k, x] of v) Object.defineProperty(out, String(k), { value: toJs(x, seen), enumerable: true, writable: true, configurable: true });
      return out;
    }
    const out = new Map<unknown, unknown>();
    seen.set(v, out);
    for (const [k, x] of v) out.set(k, toJs(x, seen));
    return out;
  }
  if ('storage' in v) throw new RuntimeError('torch.load: bare storages are not supported (save tensors instead)');
  throw new RuntimeError(`torch.load: unsupported value ${describe(v)}`);
}
