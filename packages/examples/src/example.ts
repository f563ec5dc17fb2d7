/** What an example is: a named program that writes lines through a Python-style `print`. */
import { Node, Tensor } from '@kindling/core';

/** Python's print: arguments separated by spaces, one line. */
export type Print = (...args: unknown[]) => void;

/** The devices an example runs on (`--device cpu|workers`). */
export type Device = 'cpu' | 'workers';

/** What the runner passes to an example. */
export interface RunOptions {
  /** Where the example's tensors and model live; the runner has registered it. */
  device: Device;
}

/** What an example may hand back: the metrics its check compares with thresholds. */
export interface ExampleResult {
  metrics: Record<string, number>;
}

/**
 * How the runner checks an example's output:
 * - `text`: the printed text equals expected/<name>.txt exactly (on workers, once the
 *   `device='workers'` annotations of tensor reprs are taken out: the numbers are bitwise cpu's);
 * - `metrics`: each metric the example returns is at least its minimum (training accuracy);
 * - `pattern`: line i of the output matches pattern i (text whose numbers vary, such as timings).
 */
export type OutputCheck =
  | { kind: 'text' }
  | { kind: 'metrics'; minimum: Record<string, number> }
  | { kind: 'pattern'; lines: readonly RegExp[] };

/** A runnable example of the suite. */
export interface Example {
  name: string;
  description: string;
  check: OutputCheck;
  /** A long training: `pnpm examples` runs and checks it, the unit tests leave it out. */
  slow?: boolean;
  run(print: Print, options: RunOptions): void | ExampleResult | Promise<void | ExampleResult>;
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

/** Parses `--device cpu|workers` (default cpu) out of argv; returns the device and the other arguments. */
export function parseDevice(argv: readonly string[]): { device: Device; rest: string[] } {
  const rest: string[] = [];
  let device: Device = 'cpu';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--device' || a.startsWith('--device=')) {
      const value = a === '--device' ? argv[++i] : a.slice('--device='.length);
      if (value !== 'cpu' && value !== 'workers') throw new Error(`--device must be cpu or workers, got ${value ?? 'nothing'}`);
      device = value;
    } else if (a !== '--') {
      rest.push(a);
    }
  }
  return { device, rest };
}
