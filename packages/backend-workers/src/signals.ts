/**
 * Completion words in shared memory: one Int32 per shard task, so a thread blocked in
 * Atomics.wait (which receives no messages) still learns when a shard ends, and how.
 *
 * A shard's word goes QUEUED -> RUNNING (a worker claimed it) -> DONE / FAILED / DIED, or
 * QUEUED -> STOLEN (the calling thread claimed it, to run it itself) -> DONE / FAILED. Claims are
 * compare-exchanges, so exactly one thread runs each shard. Ends are notified, claims are not: no
 * waiter needs them (a blocked read's grace for an unclaimed shard times out by itself), and each
 * one woke the calling thread for nothing, on cores the workers need. A failure leaves its
 * message beside the word.
 *
 * A word is reused as soon as its shard has ended, so it also holds a generation, bumped on
 * reuse: a task that reaches its worker after the calling thread claimed it back (and the word
 * went to another shard) finds another generation and does nothing.
 */

export const QUEUED = 0;
export const RUNNING = 1;
export const STOLEN = 2;
export const DONE = 3;
export const FAILED = 4;
/** The worker thread ended while running the shard. */
export const DIED = 5;

/** Words per chunk of shared memory, and bytes of message kept per word. */
const WORDS = 256;
const TEXT = 240;

/** Where a shard's word lives, and its generation: sent to the worker with its task. */
export interface SignalArg {
  readonly buffer: SharedArrayBuffer;
  readonly index: number;
  readonly generation: number;
}

/** Generations wrap within 28 bits; the low 3 bits of a word hold the state. */
const GENERATIONS = 1 << 28;

function words(buffer: SharedArrayBuffer): Int32Array {
  return new Int32Array(buffer, 0, WORDS);
}

const word = (s: SignalArg, state: number) => (s.generation << 3) | state;

/** The state of a word this thread owns (its current generation). */
export function stateOf(s: SignalArg): number {
  return Atomics.load(words(s.buffer), s.index) & 7;
}

/** Whether a state is an end: DONE, FAILED or DIED. */
export function ended(state: number): boolean {
  return state === DONE || state === FAILED || state === DIED;
}

/** Moves the word from `from` to `to`; false if it was not in `from` (claimed by another thread, or reused). */
export function claim(s: SignalArg, from: number, to: number): boolean {
  const w = words(s.buffer);
  return Atomics.compareExchange(w, s.index, word(s, from), word(s, to)) === word(s, from);
}

/** Ends the shard: DONE, or FAILED / DIED with a message. */
export function settle(s: SignalArg, state: number, message = ''): void {
  const text = new Uint8Array(s.buffer, WORDS * 4 + s.index * TEXT, TEXT);
  const n = Math.min(message.length, TEXT - 1);
  // Plain char codes (no TextEncoder: it refuses shared memory in browsers); non-ASCII becomes '?'.
  for (let i = 0; i < n; i++) {
    const c = message.charCodeAt(i);
    text[i + 1] = c < 128 ? c : 63;
  }
  text[0] = n;
  const w = words(s.buffer);
  Atomics.store(w, s.index, word(s, state));
  Atomics.notify(w, s.index);
}

/**
 * Ends, as DIED with `message`, a shard whose thread is gone or whose pool failed, unless it has
 * ended already (or its word went to another shard). The caller must know no thread runs it.
 */
export function abandon(s: SignalArg, message: string): void {
  if (claim(s, QUEUED, STOLEN) || claim(s, RUNNING, STOLEN)) settle(s, DIED, message);
}

/** The message a FAILED / DIED shard left. */
export function messageOf(s: SignalArg): string {
  const text = new Uint8Array(s.buffer, WORDS * 4 + s.index * TEXT, TEXT);
  let m = '';
  for (let i = 0; i < text[0]!; i++) m += String.fromCharCode(text[i + 1]!);
  return m;
}

/** The word's array, index and current value (to wait on a change of it asynchronously). */
export function wordOf(s: SignalArg): [Int32Array, number, number] {
  const w = words(s.buffer);
  return [w, s.index, Atomics.load(w, s.index)];
}

/** Sleeps until the word leaves `state` (or `ms` pass). The caller must be allowed to block. */
export function waitWhile(s: SignalArg, state: number, ms: number): void {
  Atomics.wait(words(s.buffer), s.index, word(s, state), ms);
}

/** Hands out words, in chunks of shared memory, and takes them back for reuse. */
export class Signals {
  private free: SignalArg[] = [];

  /** A word in a new generation, set to QUEUED. */
  acquire(): SignalArg {
    if (this.free.length === 0) {
      const buffer = new SharedArrayBuffer(WORDS * (4 + TEXT));
      for (let i = WORDS - 1; i >= 0; i--) this.free.push({ buffer, index: i, generation: 0 });
    }
    const old = this.free.pop()!;
    const s = { buffer: old.buffer, index: old.index, generation: (old.generation + 1) % GENERATIONS };
    Atomics.store(words(s.buffer), s.index, word(s, QUEUED));
    return s;
  }

  /** Takes back the word of a shard that has ended (or whose task may still arrive: it will find another generation). */
  release(s: SignalArg): void {
    this.free.push(s);
  }
}
