/**
 * Python's pickle, for the subset that checkpoints use. The reader is a small stack machine over
 * the opcodes of protocols 2 to 5; it never runs code: every global a file names goes through
 * the caller's `findGlobal`, which allows a short list and refuses the rest. The writer emits
 * protocol 2, as torch.save does.
 */
import { RuntimeError } from '../errors.js';
import { fromUtf8, utf8 } from './text.js';

/** A Python tuple (read and written as a JavaScript array marked as a tuple). */
export class PyTuple {
  constructor(readonly items: unknown[]) {}
}

/** A Python global (module.name), as the writer emits it. */
export class PyGlobal {
  constructor(readonly module: string, readonly name: string) {}
}

/** `callable(*args)` on load; the writer emits GLOBAL, the args tuple and REDUCE. */
export class PyReduce {
  constructor(readonly callable: PyGlobal, readonly args: PyTuple) {}
}

/** A persistent id: the writer emits the value and BINPERSID. */
export class PyPersistent {
  constructor(readonly id: unknown) {}
}

/** A Python dict with keys of any type (insertion order kept). */
export type PyDict = Map<unknown, unknown>;

/** What a global names, once allowed: a function called by REDUCE, or a plain value. */
export type Resolved = { call: (args: unknown[]) => unknown } | { value: unknown };

/** How the reader resolves what a file refers to. */
export interface UnpickleHooks {
  /** Resolves `module.name`; throws for anything not allowed. */
  findGlobal(module: string, name: string): Resolved;
  /** Resolves a persistent id (PyTorch's storages). */
  persistentLoad(id: unknown): unknown;
  /** Applies BUILD state to an object, or throws. */
  build?(obj: unknown, state: unknown): void;
}

function bad(why: string): RuntimeError {
  return new RuntimeError(`torch.load: the pickle data is invalid or truncated (${why})`);
}

/** Reads one pickle. Dicts come back as Maps, tuples as PyTuple. */
export function unpickle(bytes: Uint8Array, hooks: UnpickleHooks): unknown {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let at = 0;
  const need = (n: number): number => {
    if (at + n > bytes.length) throw bad(`ends at byte ${bytes.length} inside an opcode`);
    const start = at;
    at += n;
    return start;
  };
  const u8 = (): number => bytes[need(1)]!;
  const u16 = (): number => dv.getUint16(need(2), true);
  const u32 = (): number => dv.getUint32(need(4), true);
  const u64 = (): number => Number(dv.getBigUint64(need(8), true));
  const take = (n: number): Uint8Array => {
    const s = need(n);
    return bytes.subarray(s, s + n);
  };
  const text = (n: number): string => fromUtf8(take(n), true);
  const line = (): string => {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0) throw bad('missing newline');
    const s = fromUtf8(bytes.subarray(at, end));
    at = end + 1;
    return s;
  };
  const pop = (): unknown => {
    if (stack.length === 0 || (marks.length > 0 && stack.length <= marks[marks.length - 1]!)) throw bad('stack underflow');
    return stack.pop();
  };
  const popMark = (): unknown[] => {
    const m = marks.pop();
    if (m === undefined) throw bad('no mark');
    return stack.splice(m);
  };
  const top = (): unknown => {
    if (stack.length === 0) throw bad('stack underflow');
    return stack[stack.length - 1];
  };
  const asList = (v: unknown): unknown[] => {
    if (!Array.isArray(v)) throw bad('APPEND to a non-list');
    return v;
  };
  const asDict = (v: unknown): PyDict => {
    if (!(v instanceof Map)) throw bad('SETITEM on a non-dict');
    return v;
  };
  const global = (module: string, name: string): void => {
    stack.push(hooks.findGlobal(module, name));
  };
  const long = (b: Uint8Array): number => {
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    if (b.length > 0 && b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
    return Number(v);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: u64(); break; // FRAME
      case 0x2e: { // STOP
        if (stack.length !== 1) throw bad('stack not empty at STOP');
        return stack[0];
      }
      case 0x28: marks.push(stack.length); break; // MARK
      case 0x31: popMark(); break; // POP_MARK
      case 0x30: pop(); break; // POP
      case 0x32: stack.push(top()); break; // DUP
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x4a: stack.push(dv.getInt32(need(4), true)); break; // BININT
      case 0x8a: stack.push(long(take(u8()))); break; // LONG1
      case 0x8b: stack.push(long(take(u32()))); break; // LONG4
      case 0x49: { // INT (text): I01/I00 are booleans
        const s = line();
        stack.push(s === '01' ? true : s === '00' ? false : Number.parseInt(s, 10));
        break;
      }
      case 0x47: stack.push(dv.getFloat64(need(8), false)); break; // BINFLOAT (big-endian)
      case 0x58: stack.push(text(u32())); break; // BINUNICODE
      case 0x8c: stack.push(text(u8())); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(text(u64())); break; // BINUNICODE8
      case 0x54: stack.push(text(u32())); break; // BINSTRING
      case 0x55: stack.push(text(u8())); break; // SHORT_BINSTRING
      case 0x42: stack.push(take(u32()).slice()); break; // BINBYTES
      case 0x43: stack.push(take(u8()).slice()); break; // SHORT_BINBYTES
      case 0x8e: stack.push(take(u64()).slice()); break; // BINBYTES8
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x74: stack.push(new PyTuple(popMark())); break; // TUPLE
      case 0x85: stack.push(new PyTuple([pop()])); break; // TUPLE1
      case 0x86: { const b = pop(), a = pop(); stack.push(new PyTuple([a, b])); break; } // TUPLE2
      case 0x87: { const c = pop(), b = pop(), a = pop(); stack.push(new PyTuple([a, b, c])); break; } // TUPLE3
      case 0x64: { // DICT
        const items = popMark(), d: PyDict = new Map();
        for (let i = 0; i + 1 < items.length; i += 2) d.set(key(items[i]), items[i + 1]);
        stack.push(d);
        break;
      }
      case 0x61: { const v = pop(); asList(top()).push(v); break; } // APPEND
      case 0x65: { const items = popMark(); asList(top()).push(...items); break; } // APPENDS
      case 0x73: { const v = pop(), k = pop(); asDict(top()).set(key(k), v); break; } // SETITEM
      case 0x75: { // SETITEMS
        const items = popMark(), d = asDict(top());
        for (let i = 0; i + 1 < items.length; i += 2) d.set(key(items[i]), items[i + 1]);
        break;
      }
      case 0x63: { const module = line(); global(module, line()); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop(), module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw bad('STACK_GLOBAL needs two strings');
        global(module, name);
        break;
      }
      case 0x52: { // REDUCE
        const args = pop(), fn = pop();
        if (!(args instanceof PyTuple)) throw bad('REDUCE needs an argument tuple');
        if (!isResolved(fn) || !('call' in fn)) throw bad('REDUCE of something that is not callable');
        stack.push(fn.call(args.items));
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        if (!hooks.build) throw new RuntimeError('torch.load: unsupported pickle content: BUILD (object state)');
        hooks.build(top(), state);
        break;
      }
      case 0x51: stack.push(hooks.persistentLoad(unwrap(pop()))); break; // BINPERSID
      case 0x68: stack.push(recall(u8())); break; // BINGET
      case 0x6a: stack.push(recall(u32())); break; // LONG_BINGET
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      default:
        throw new RuntimeError(`torch.load: unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at - 1} (Kindling reads tensors, dicts, lists, tuples, numbers, strings and booleans)`);
    }
  }

  function recall(i: number): unknown {
    if (!memo.has(i)) throw bad(`memo key ${i} missing`);
    return memo.get(i);
  }
}

function isResolved(v: unknown): v is Resolved {
  return typeof v === 'object' && v !== null && ('call' in v || 'value' in v) && !(v instanceof Map) && !Array.isArray(v);
}

/** Dict keys are compared by value: tuples become their text form. */
function key(k: unknown): unknown {
  if (k instanceof PyTuple) return JSON.stringify(k.items);
  if (isResolved(k) && 'value' in k) return k.value;
  return k;
}

/** A persistent id's tuple as a plain array (nested tuples too); resolved globals by value. */
function unwrap(v: unknown): unknown {
  if (v instanceof PyTuple) return v.items.map(unwrap);
  if (isResolved(v) && 'value' in v) return v.value;
  return v;
}

/** Writes `value` as a protocol-2 pickle (see the Py* classes for what the writer understands). */
export function pickle(value: unknown): Uint8Array {
  const out = new ByteWriter();
  out.byte(0x80, 2);
  write(out, value);
  out.byte(0x2e);
  return out.bytes();
}

function write(out: ByteWriter, v: unknown): void {
  if (v === null || v === undefined) out.byte(0x4e);
  else if (v === true) out.byte(0x88);
  else if (v === false) out.byte(0x89);
  else if (typeof v === 'number') writeNumber(out, v);
  else if (typeof v === 'string') {
    const b = utf8(v);
    out.byte(0x58);
    out.u32(b.length);
    out.raw(b);
  } else if (v instanceof Uint8Array) {
    out.byte(0x42);
    out.u32(v.length);
    out.raw(v);
  } else if (v instanceof PyTuple) {
    out.byte(0x28);
    for (const x of v.items) write(out, x);
    out.byte(0x74);
  } else if (Array.isArray(v)) {
    out.byte(0x5d);
    for (let i = 0; i < v.length; i += 1000) {
      out.byte(0x28);
      for (const x of v.slice(i, i + 1000)) write(out, x);
      out.byte(0x65);
    }
  } else if (v instanceof PyGlobal) {
    out.byte(0x63);
    out.raw(utf8(`${v.module}\n${v.name}\n`));
  } else if (v instanceof PyReduce) {
    write(out, v.callable);
    write(out, v.args);
    out.byte(0x52);
  } else if (v instanceof PyPersistent) {
    write(out, v.id);
    out.byte(0x51);
  } else if (v instanceof Map) {
    out.byte(0x7d);
    const entries = [...v.entries()];
    for (let i = 0; i < entries.length; i += 1000) {
      out.byte(0x28);
      for (const [k, x] of entries.slice(i, i + 1000)) {
        write(out, k);
        write(out, x);
      }
      out.byte(0x75);
    }
  } else {
    throw new RuntimeError(`torch.save: cannot pickle a value of type ${describe(v)}`);
  }
}

function writeNumber(out: ByteWriter, v: number): void {
  if (!Number.isSafeInteger(v) || Object.is(v, -0)) {
    out.byte(0x47);
    out.f64be(v);
  } else if (v >= 0 && v < 256) out.byte(0x4b, v);
  else if (v >= 0 && v < 65536) {
    out.byte(0x4d);
    out.u16(v);
  } else if (v >= -(2 ** 31) && v < 2 ** 31) {
    out.byte(0x4a);
    out.i32(v);
  } else {
    // LONG1: little-endian two's complement, 8 bytes is enough below 2^53.
    out.byte(0x8a, 8);
    const b = new DataView(new ArrayBuffer(8));
    b.setBigInt64(0, BigInt(v), true);
    out.raw(new Uint8Array(b.buffer));
  }
}

/** A short description of a value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return (v as object).constructor?.name ?? 'object';
}

class ByteWriter {
  private buf = new Uint8Array(1024);
  private len = 0;
  private room(n: number): number {
    if (this.len + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    const at = this.len;
    this.len += n;
    return at;
  }
  // Each writer reserves room first: room() may replace the buffer.
  byte(...bs: number[]): void {
    const at = this.room(bs.length);
    this.buf.set(bs, at);
  }
  raw(b: Uint8Array): void {
    const at = this.room(b.length);
    this.buf.set(b, at);
  }
  u16(v: number): void {
    const at = this.room(2);
    new DataView(this.buf.buffer).setUint16(at, v, true);
  }
  u32(v: number): void {
    const at = this.room(4);
    new DataView(this.buf.buffer).setUint32(at, v, true);
  }
  i32(v: number): void {
    const at = this.room(4);
    new DataView(this.buf.buffer).setInt32(at, v, true);
  }
  f64be(v: number): void {
    const at = this.room(8);
    new DataView(this.buf.buffer).setFloat64(at, v, false);
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
