/** torch-print.json, as the printing tests read it. */
import { readFileSync } from 'node:fs';
import type { DType } from '../src/index.js';

/** A value in the fixture: numbers, bools, and "nan" / "inf" / "-inf" for non-finite floats. */
export type JsonValue = number | boolean | string;

/** A print case: the tensor, and PyTorch's repr of it (`op` is the Python that made it, if any). */
export interface PrintCase {
  id: string;
  tensor: { shape: number[]; dtype: DType; data: JsonValue[] };
  requires_grad: boolean;
  grad_fn: string | null;
  op?: string;
  text: string;
}

/** An error case: a Python snippet and the error PyTorch raises. */
export interface ErrorCase {
  id: string;
  description: string;
  python: string;
  error_type: string;
  message: string;
}

export const printFixture = JSON.parse(readFileSync(new URL('./fixtures/torch-print.json', import.meta.url), 'utf8')) as {
  print_cases: PrintCase[];
  error_cases: ErrorCase[];
};

export { decodeValue } from '../src/testing/corpus.js';
