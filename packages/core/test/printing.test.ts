import { afterEach, describe, expect, it } from 'vitest';
import {
  defaultPrintOptions,
  formatTensor,
  getPrintOptions,
  setPrintOptions,
} from '../src/printing/format.js';
import { decodeValue, printFixture } from './print-fixture.js';

const fixture = printFixture;
const decode = decodeValue;

describe('formatTensor matches PyTorch 1.13 repr', () => {
  it('fixture has 98 print cases', () => {
    expect(fixture.print_cases.length).toBe(98);
  });

  for (const c of fixture.print_cases) {
    it(c.id, () => {
      const text = formatTensor({
        shape: c.tensor.shape,
        dtype: c.tensor.dtype,
        data: c.tensor.data.map(decode),
        requiresGrad: c.requires_grad,
        gradFnName: c.grad_fn,
      });
      expect(text).toBe(c.text);
    });
  }
});

describe('print options', () => {
  afterEach(() => {
    setPrintOptions({ ...defaultPrintOptions });
  });

  it('defaults match torch', () => {
    expect(getPrintOptions()).toEqual({
      precision: 4,
      threshold: 1000,
      edgeitems: 3,
      linewidth: 80,
      sciMode: null,
    });
    expect(Object.isFrozen(defaultPrintOptions)).toBe(true);
  });

  it('setPrintOptions changes precision', () => {
    setPrintOptions({ precision: 2 });
    expect(formatTensor({ shape: [1], dtype: 'float32', data: [Math.fround(1.2345)] })).toBe('tensor([1.23])');
    expect(getPrintOptions().threshold).toBe(1000);
  });

  it('threshold and edgeitems control summarization', () => {
    const data = Array.from({ length: 10 }, (_, i) => i);
    setPrintOptions({ threshold: 5, edgeitems: 1 });
    expect(formatTensor({ shape: [10], dtype: 'float32', data })).toBe('tensor([0.,  ..., 9.])');
    // Explicit options override the module's current ones.
    expect(formatTensor({ shape: [10], dtype: 'int64', data }, { ...defaultPrintOptions })).toBe(
      'tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])',
    );
  });

  it('rejects data that does not match the shape', () => {
    expect(() => formatTensor({ shape: [2, 2], dtype: 'float32', data: [1, 2, 3] })).toThrow(RangeError);
  });
});
