/**
 * torch-print.json through the real API: every print case (plain tensors via torch.tensor, and
 * op results whose `op` Python snippet is translated by hand below) prints PyTorch's repr, and
 * every error case (its `python` snippet translated by hand) throws PyTorch's error class with
 * PyTorch's first message line. A translation that needs an op Kindling lacks is reported as
 * not supported yet, by name, in a summary line.
 */
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import type { NestedArray, Tensor } from '../src/index.js';
import { decodeValue, printFixture, type PrintCase } from './print-fixture.js';

const fixture = printFixture;

/** Thrown when a translation needs an API Kindling does not have yet. */
class Missing extends Error {}

/** `torch.<path>` as a function, or Missing naming it. */
function api<F = (...args: never[]) => unknown>(path: string): F {
  let v: unknown = torch;
  for (const part of path.split('.')) v = v === null || v === undefined ? undefined : (v as Record<string, unknown>)[part];
  if (typeof v !== 'function') throw new Missing(`torch.${path}`);
  return v as F;
}

const notSupported = new Map<string, string>();

afterAll(() => {
  const names = [...new Set(notSupported.values())].sort();
  console.log(`print and error cases: ${notSupported.size} not supported yet${names.length ? `: ${names.join(', ')}` : ''}`);
});

// ------------------------------------------------------------------ print cases

const decode = decodeValue;

/** Row-major data as nested arrays of `shape`. */
function nest(data: (number | boolean)[], shape: number[]): NestedArray {
  if (shape.length === 0) return data[0]!;
  let i = 0;
  const build = (d: number): NestedArray[] => {
    const out: NestedArray[] = [];
    for (let k = 0; k < shape[d]!; k++) out.push(d === shape.length - 1 ? data[i++]! : build(d + 1));
    return out;
  };
  return build(0);
}

/** The Kindling translation of each print case's `op` snippet (the result is `y`). */
const printOps: Record<string, () => Tensor> = {
  gf_mul_scalar: () => {
    const x = torch.tensor([1.0, 2.0, 3.0], { requiresGrad: true });
    return x.mul(2);
  },
  gf_add: () => {
    const x = torch.tensor([0.38, -2.64, 2.65], { requiresGrad: true });
    const w = torch.tensor([1.48, -1.84, 0.62]);
    return x.add(w);
  },
  gf_div: () => {
    const x = torch.tensor([1.0, 2.0, 4.0], { requiresGrad: true });
    return x.div(3);
  },
  gf_sum_scalar: () => {
    const x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], { requiresGrad: true });
    return x.sum();
  },
  gf_mean_scalar: () => {
    const x = torch.tensor([0.38, -2.64, 2.65], { requiresGrad: true });
    return x.mean();
  },
  gf_mm: () => {
    const x = torch.tensor([[-0.39, -0.54, 0.17], [0.1, 0.87, 0.55]], { requiresGrad: true });
    const w = torch.tensor([[-0.89, 0.65], [0.33, -0.48], [0.16, -0.47]]);
    return x.matmul(w); // x @ w
  },
  gf_relu: () => {
    const x = torch.tensor([-1.0, 0.5, 2.0], { requiresGrad: true });
    return x.relu();
  },
  gf_t: () => {
    const x = torch.tensor([[-6.0, 5.0, 7.0], [5.0, 7.0, 7.0]], { requiresGrad: true });
    return x.t();
  },
  gf_f64_dtype_and_grad_fn: () => {
    const x = torch.tensor([0.5, 1.25], { dtype: 'float64', requiresGrad: true });
    return x.mul(2);
  },
  gf_suffix_wraps: () => {
    const x = torch.tensor([2.0976, 2.0057, 0.3449, 3.1719, 3.4005, 0.3455, 2.0565, 1.6141, 3.9036], { requiresGrad: true });
    return x.add(1);
  },
  gf_suffix_wraps_by_one: () => {
    const x = torch.tensor([4.0, 2.0, 2.0, 2.0, 2.0, 4.0, 2.0, 4.0, 2.0, 4.0, 4.0, 2.0], { requiresGrad: true });
    return x.mul(2);
  },
  gf_suffix_fits_exactly_2d: () => {
    const x = torch.tensor([
      [38.0, 20.0, 25.0, 29.0, 24.0, 45.0, 28.0, 24.0, 12.0],
      [28.0, 38.0, 26.0, 20.0, 44.0, 29.0, 20.0, 8.0, 46.0],
    ], { requiresGrad: true });
    return x.mul(2);
  },
  gf_2d_multiline: () => {
    const x = torch.tensor([[-1.15, 2.86], [2.04, 1.95], [-1.11, 1.63]], { requiresGrad: true });
    return x.mul(x);
  },
};

/** A plain print case as `torch.tensor(data, { dtype, requiresGrad })`. */
function plainTensor(c: PrintCase): Tensor {
  const { shape, dtype } = c.tensor;
  const data = c.tensor.data.map(decode);
  // Nested arrays cannot spell an empty dim before the last one ([0, 3]): make those directly.
  if (shape.slice(0, -1).includes(0)) return torch.empty(shape, { dtype, requiresGrad: c.requires_grad });
  return torch.tensor(nest(data, shape), { dtype, requiresGrad: c.requires_grad });
}

describe('print cases through the API', () => {
  it('every print case with a grad_fn has a translation', () => {
    const withOp = fixture.print_cases.filter((c) => c.grad_fn !== null).map((c) => c.id);
    expect(withOp.filter((id) => !(id in printOps))).toEqual([]);
  });

  for (const c of fixture.print_cases) {
    it(c.id, () => {
      const t = c.grad_fn === null ? plainTensor(c) : printOps[c.id]!();
      expect(String(t)).toBe(c.text);
      expect(inspect(t)).toBe(c.text); // what console.log prints
      if (c.grad_fn !== null) expect(t.gradFn?.name()).toBe(c.grad_fn);
    });
  }
});

// ------------------------------------------------------------------ error cases

/** The Kindling translation of each error case's `python` snippet. */
const errorSnippets: Record<string, () => unknown> = {
  backward_non_scalar_without_gradient: () => {
    const x = torch.ones(3, 2, { requiresGrad: true });
    const y = x.mul(2);
    y.backward();
  },
  backward_twice_without_retain_graph: () => {
    const x = torch.ones(2, { requiresGrad: true });
    const y = x.exp().sum();
    y.backward();
    y.backward();
  },
  backward_on_tensor_without_grad: () => torch.ones(6).sum().backward(),
  backward_gradient_shape_mismatch: () => {
    const x = torch.ones(3, { requiresGrad: true });
    const y = x.mul(2);
    y.backward(torch.ones(2));
  },
  requires_grad_on_integer_tensor: () => {
    const x = torch.ones(4, { dtype: 'int64' });
    x.requiresGrad_();
  },
  // torch.tensor([0, 0]) is int64 in Python; Kindling needs the dtype spelled out.
  tensor_ctor_requires_grad_integer_data: () => torch.tensor([0, 0], { dtype: 'int64', requiresGrad: true }),
  inplace_modified_saved_tensor: () => {
    const x = torch.ones(3, { requiresGrad: true });
    const y = x.exp();
    y.add_(1);
    y.sum().backward();
  },
  inplace_on_leaf_requiring_grad: () => {
    const x = torch.ones(3, { requiresGrad: true });
    x.add_(1);
  },
  set_requires_grad_on_non_leaf: () => {
    const x = torch.ones(2, { requiresGrad: true });
    const y = x.mul(2);
    y.requiresGrad = false;
  },
  add_broadcast_mismatch: () => torch.ones(4, 6).add(torch.ones(5)),
  matmul_2d_shape_mismatch: () => torch.ones(5, 3).matmul(torch.ones(7, 2)),
  matmul_batched_shape_mismatch: () => torch.ones(2, 5, 3).matmul(torch.ones(2, 7, 2)),
  view_incompatible_size: () => torch.ones(2, 5).view(30),
  view_on_non_contiguous: () => torch.ones(2, 5).t().view(10),
  reshape_two_inferred_dims: () => torch.ones(10).reshape(-1, -1),
  expand_incompatible_size: () => torch.ones(3).expand(2),
  inplace_broadcast_output_shape: () => torch.ones(5).add_(torch.ones(2, 5)),
  cat_shape_mismatch: () => api<(ts: Tensor[]) => Tensor>('cat')([torch.ones(4, 2), torch.ones(4, 6)]),
  stack_shape_mismatch: () => api<(ts: Tensor[]) => Tensor>('stack')([torch.ones(2), torch.ones(6)]),
  index_out_of_range: () => torch.ones(6).index(6), // torch.ones(6)[6]
  sum_dim_out_of_range: () => torch.ones(4, 2).sum({ dim: 2 }),
  gather_index_out_of_bounds: () =>
    api<(x: Tensor, dim: number, index: Tensor) => Tensor>('gather')(
      torch.ones(4, 4), 1, torch.tensor([[0, 7], [0, 7], [0, 7], [0, 7]], { dtype: 'int64' }),
    ),
  cross_entropy_target_out_of_range: () =>
    api<(x: Tensor, target: Tensor) => Tensor>('nn.functional.crossEntropy')(torch.zeros(3, 4), torch.tensor([1, 1, 4], { dtype: 'int64' })),
  item_on_multi_element: () => torch.ones(2).item(),
  mean_on_integer_tensor: () => torch.tensor([0, 5, 2], { dtype: 'int64' }).mean(),
  inplace_result_type_cannot_cast: () => torch.ones(5, { dtype: 'int64' }).add_(0.5),
};

describe('error cases through the API', () => {
  it('every error case has a translation', () => {
    expect(fixture.error_cases.map((c) => c.id).filter((id) => !(id in errorSnippets))).toEqual([]);
  });

  for (const c of fixture.error_cases) {
    it(c.id, (ctx) => {
      let error: unknown = null;
      try {
        errorSnippets[c.id]!();
      } catch (e) {
        error = e;
      }
      if (error instanceof Missing) {
        notSupported.set(c.id, error.message);
        return ctx.skip(`not supported yet: ${error.message}`);
      }
      expect(error, `${c.python} should throw`).toBeInstanceOf(Error);
      const e = error as Error;
      expect({ type: e.name, message: e.message.split('\n')[0] }).toEqual({ type: c.error_type, message: c.message });
    });
  }
});

describe('itemAsync() rejects like item() throws', () => {
  it('item_on_multi_element, async', async () => {
    await expect(torch.ones(2).itemAsync()).rejects.toThrow('only one element tensors can be converted to Python scalars');
  });
});
