/** Storage in the arena, for the cpu backend (and, extended, the workers backend). */
import type { DType, TypedArray } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import type { Storage } from '../backend/backend.js';
import type { Arena, Slot } from './arena.js';

/** The error of a kernel or read that meets a freed storage. */
export function disposedError(): RuntimeError {
  return new RuntimeError('this tensor was disposed: its memory was freed by dispose() or torch.tidy()');
}

/**
 * A storage whose values live in an arena block, or in an ordinary array while evicted or when
 * the memory cannot hold them, or (tiny ones, until a large kernel uses them) on the JS heap. The
 * arena references only the slot, never the storage, so a dropped storage can be collected and
 * its block recycled.
 */
export class ArenaStorage implements Storage {
  version = 0;
  /** Where the values are. */
  readonly slot: Slot;

  constructor(
    /** The arena holding the values. */
    readonly arena: Arena,
    /** The element type. */
    readonly dtype: DType,
    /** The number of elements. */
    readonly length: number,
  ) {
    this.slot = arena.allocate(this, dtype, length);
  }

  /**
   * The values for a kernel: marks the block recently used, re-makes the view after a grow and
   * brings evicted values back in (if room can be made; else the ordinary copy serves). Tiny
   * values stay on the heap (see `bringIn`).
   */
  get data(): TypedArray {
    const s = this.slot, a = this.arena;
    if (s.ptr >= 0) a.touch(s);
    else if (s.freed) throw disposedError();
    else if (!s.heap) a.reload(s, this);
    return a.viewOf(s);
  }

  /**
   * Brings the values into the memory (tiny heap values too, for a kernel over many elements or
   * on the pool) if room can be made; whether they are resident now.
   */
  bringIn(): boolean {
    return this.arena.reload(this.slot, this);
  }

  /** The values where they are, without moving them (for reads). */
  peek(): TypedArray {
    if (this.slot.freed) throw disposedError();
    return this.arena.viewOf(this.slot);
  }

  /** Whether the values are in the arena now. */
  get resident(): boolean {
    return this.slot.ptr >= 0;
  }

  /** Frees the values now; the block is recycled at once. Later use throws. */
  release(): void {
    this.arena.release(this.slot);
  }
}

/** Calls over at least this many elements bring tiny heap operands into the memory (a JS kernel is slower past it). */
export const BRING_IN_AT = 1024;

/**
 * Before a kernel call over at least BRING_IN_AT elements (of any operand's storage), brings its operands
 * on the JS heap into the memory, where the wasm kernels (and pool threads) reach them. Takes a
 * call's arguments: views over ArenaStorage count, anything else is skipped.
 */
export function bringInTiny(args: readonly unknown[]): void {
  // A call's size is that of its largest storage: its output's, or its largest input's.
  let heap = false, most = 0;
  for (const a of args) {
    const s = operandStorage(a);
    if (s === null) continue;
    heap ||= s.slot.heap;
    most = Math.max(most, s.length);
  }
  if (heap && most >= BRING_IN_AT) for (const a of args) operandStorage(a)?.bringIn();
}

function operandStorage(a: unknown): ArenaStorage | null {
  const s = typeof a === 'object' && a !== null ? (a as { storage?: unknown }).storage : undefined;
  return s instanceof ArenaStorage ? s : null;
}
