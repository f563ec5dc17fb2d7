/** What an example is: a named program that writes lines through a Python-style `print`. */
import { Node, Tensor } from '@kindling/core';

/** Python's print: arguments separated by spaces, one line. */
export type Print = (...args: unknown[]) => void;

/** A runnable example of the suite; its output is checked against expected/<name>.txt. */
export interface Example {
  name: string;
  description: string;
  run(print: Print): void | Promise<void>;
}

/**
 * Formats a value the way the ported notebooks show it: tensors and graph nodes by their repr,
 * booleans as Python's True / False (the notebooks' own output), and null where Python has None.
 */
export function show(v: unknown): string {
  if (v instanceof Tensor || v instanceof Node) return v.toString();
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null || v === undefined) return 'null';
  return String(v);
}

/** A print that appends each line to `lines`. */
export function collectingPrint(lines: string[]): Print {
  return (...args) => lines.push(args.map(show).join(' '));
}
