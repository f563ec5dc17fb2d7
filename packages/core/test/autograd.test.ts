/**
 * The autograd engine against PyTorch 1.13's behaviour: accumulation, retain_graph,
 * create_graph, inputs=, autograd.grad, hooks, retain_grad, detach, the version counter, grad
 * mode, next_functions, the one-time non-leaf .grad warning and the requires_grad checks.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';

const vals = (t: Tensor | null): number[] => Array.from(t!.dataSync(), Number);

/** Close to `want` elementwise (float32 rounding). */
function expectClose(t: Tensor | null, want: number[], tol = 1e-5): void {
  expect(t).not.toBeNull();
  const got = vals(t);
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i]!))));
}

// This describe runs first: the warning fires once per process (module), as in PyTorch.
describe('the one-time warning when .grad of a non-leaf is read', () => {
  afterEach(() => vi.restoreAllMocks());

  it('warns once, with PyTorch\'s UserWarning text, and returns null', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    expect(x.grad).toBeNull(); // a leaf: no warning
    expect(warn).not.toHaveBeenCalled();
    const r = x.mul(3);
    r.retainGrad();
    expect(r.grad).toBeNull(); // retains grad: no warning
    expect(warn).not.toHaveBeenCalled();
    expect(y.grad).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /^UserWarning: The \.grad attribute of a Tensor that is not a leaf Tensor is being accessed\. Its \.grad attribute won't be populated during autograd\.backward\(\)\. If you indeed want the \.grad field to be populated for a non-leaf Tensor, use \.retainGrad\(\) on the non-leaf Tensor\./,
    );
    expect(y.grad).toBeNull();
    expect(x.add(1).grad).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('gradient accumulation', () => {
  it('accumulates into .grad across two backward calls', () => {
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    x.mul(2).sum().backward();
    expectClose(x.grad, [2, 2, 2]);
    x.mul(3).sum().backward();
    expectClose(x.grad, [5, 5, 5]);
  });

  it('sums the gradients of every use of a tensor in one backward', () => {
    const x = torch.tensor([1, -2, 3], { requiresGrad: true });
    x.mul(x).add(x).sum().backward(); // d/dx (x^2 + x) = 2x + 1
    expectClose(x.grad, [3, -3, 7]);
  });

  it('a leaf .grad is a plain leaf tensor of the same shape and dtype', () => {
    const x = torch.tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true });
    x.sum().backward();
    const g = x.grad!;
    expect(g.shape).toEqual([2, 2]);
    expect(g.dtype).toBe('float64');
    expect(g.requiresGrad).toBe(false);
    expect(g.isLeaf).toBe(true);
  });

  it('.grad can be reset to null and accumulates afresh', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    x.sum().backward();
    x.grad = null;
    x.mul(4).sum().backward();
    expectClose(x.grad, [4, 4]);
  });

  it('backward of a non-scalar takes the gradient argument', () => {
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    x.mul(x).backward(torch.tensor([1, 0.5, -1]));
    expectClose(x.grad, [2, 2, -6]);
  });

  it('integer and bool results do not require grad', () => {
    const x = torch.tensor([1, 3, 2], { requiresGrad: true });
    expect(x.argmax().requiresGrad).toBe(false);
    expect(x.gt(1).requiresGrad).toBe(false);
    expect(x.max(0).indices.requiresGrad).toBe(false);
    expect(x.max(0).values.requiresGrad).toBe(true);
  });
});

describe('retainGraph and createGraph', () => {
  it('retainGraph keeps saved tensors for a second backward; the third fails', () => {
    const x = torch.tensor([0, 1], { requiresGrad: true });
    const y = x.exp().sum();
    y.backward(null, { retainGraph: true });
    y.backward();
    expectClose(x.grad, [2, 2 * Math.E]);
    expect(() => y.backward()).toThrow(/^Trying to backward through the graph a second time/);
  });

  it('createGraph records the backward pass: second derivatives', () => {
    const x = torch.tensor(2, { dtype: 'float64', requiresGrad: true });
    const y = x.pow(3);
    const [g] = torch.autograd.grad(y, x, null, { createGraph: true });
    expect(g!.item()).toBe(12); // 3x^2
    expect(g!.requiresGrad).toBe(true);
    expect(g!.gradFn).not.toBeNull();
    const [g2] = torch.autograd.grad(g!, x);
    expect(g2!.item()).toBe(12); // 6x
    expect(g2!.requiresGrad).toBe(false);
  });

  it('backward with createGraph gives .grad a graph (and retains the graph by default)', () => {
    const x = torch.tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const y = x.pow(3).sum();
    y.backward(null, { createGraph: true });
    const g = x.grad!;
    expect(vals(g)).toEqual([3, 12]);
    expect(g.requiresGrad).toBe(true);
    const [h] = torch.autograd.grad(g.sum(), x);
    expect(vals(h!)).toEqual([6, 12]);
    y.backward(null, { createGraph: true }); // the graph was retained
    expect(vals(x.grad)).toEqual([6, 24]);
  });
});

describe('inputs= and autograd.grad', () => {
  it('backward(inputs) accumulates only into the given tensors', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const w = torch.tensor([3, 4], { requiresGrad: true });
    x.mul(w).sum().backward(null, { inputs: [x] });
    expectClose(x.grad, [3, 4]);
    expect(w.grad).toBeNull();
  });

  it('backward(inputs) with a non-leaf fills its .grad', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const h = x.mul(2);
    h.mul(h).sum().backward(null, { inputs: [h] });
    expectClose(h.grad, [4, 8]);
    expect(x.grad).toBeNull();
  });

  it('backward(inputs: []) is an error', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    expect(() => x.sum().backward(null, { inputs: [] })).toThrow("'inputs' argument to backward() cannot be empty.");
  });

  it('autograd.grad returns gradients without touching .grad', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const w = torch.tensor([3, 4], { requiresGrad: true });
    const [gx, gw] = torch.autograd.grad(x.mul(w).sum(), [x, w]);
    expectClose(gx!, [3, 4]);
    expectClose(gw!, [1, 2]);
    expect(x.grad).toBeNull();
    expect(w.grad).toBeNull();
  });

  it('autograd.grad with gradOutputs for several outputs', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const a = x.mul(2), b = x.mul(x);
    const [g] = torch.autograd.grad([a, b], [x], [torch.tensor([1, 1]), torch.tensor([0.5, 2])]);
    expectClose(g!, [3, 10]); // 2 + 0.5*2*1, 2 + 2*2*2
  });

  it('an unused input is an error unless allowUnused', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const z = torch.tensor([5], { requiresGrad: true });
    const y = x.sum();
    expect(() => torch.autograd.grad(y, [x, z], null, { retainGraph: true })).toThrow(
      'One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.',
    );
    const [gx, gz] = torch.autograd.grad(y, [x, z], null, { allowUnused: true });
    expectClose(gx!, [1, 1]);
    expect(gz).toBeNull();
  });

  it('differentiating with respect to a tensor that does not require grad is an error', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const c = torch.tensor([1, 2]);
    expect(() => torch.autograd.grad(x.mul(c).sum(), [c])).toThrow('One of the differentiated Tensors does not require grad');
  });
});

describe('hooks', () => {
  it('a leaf hook sees the summed gradient once and may replace it', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const seen: number[][] = [];
    x.registerHook((g) => {
      seen.push(vals(g));
      return g.mul(2);
    });
    x.mul(3).add(x).sum().backward();
    expect(seen).toEqual([[4, 4]]);
    expectClose(x.grad, [8, 8]);
  });

  it('a non-leaf hook replaces the gradient flowing on', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(3);
    y.registerHook((g) => g.mul(10));
    y.sum().backward();
    expectClose(x.grad, [30, 30]);
  });

  it('hooks run in registration order, each on the previous result; remove() unregisters', () => {
    const x = torch.tensor([1], { requiresGrad: true });
    const y = x.mul(1);
    const order: string[] = [];
    const h1 = y.registerHook((g) => { order.push('a'); return g.add(1); });
    y.registerHook((g) => { order.push(`b:${vals(g)[0]}`); return undefined; }); // observes only
    y.sum().backward(null, { retainGraph: true });
    expect(order).toEqual(['a', 'b:2']);
    expectClose(x.grad, [2]);
    h1.remove();
    y.sum().backward();
    expectClose(x.grad, [3]);
  });

  it('registering a hook on a tensor that does not require grad is an error', () => {
    expect(() => torch.tensor([1]).registerHook((g) => g)).toThrow("cannot register a hook on a tensor that doesn't require gradient");
  });
});

describe('retainGrad, detach, detach_', () => {
  it('retainGrad keeps a non-leaf gradient', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    y.retainGrad();
    expect(y.retainsGrad).toBe(true);
    y.mul(y).sum().backward();
    expectClose(y.grad, [4, 8]);
    expectClose(x.grad, [8, 16]);
  });

  it('retainGrad is a no-op on leaves and an error without requires_grad', () => {
    const x = torch.tensor([1], { requiresGrad: true });
    x.retainGrad();
    expect(x.retainsGrad).toBe(false);
    expect(() => torch.tensor([1]).retainGrad()).toThrow("can't retain_grad on Tensor that has requires_grad=False");
  });

  it('detach shares storage but not the graph', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    const d = y.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    expect(d.gradFn).toBeNull();
    expect(d.storage).toBe(y.storage);
    d.zero_();
    expect(vals(y)).toEqual([0, 0]);
  });

  it('detach shares the version counter: modifying the detached output breaks backward', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.exp();
    y.detach().zero_();
    expect(() => y.sum().backward()).toThrow(/^one of the variables needed for gradient computation has been modified by an inplace operation: \[torch\.FloatTensor \[2\]\], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead\./);
  });

  it('detach_ cuts a tensor from the graph in place', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    expect(y.detach_()).toBe(y);
    expect(y.gradFn).toBeNull();
    expect(y.requiresGrad).toBe(false);
    expect(y.isLeaf).toBe(true);
  });
});

describe('version counter and in-place checks', () => {
  it('in-place ops bump the storage version, shared by views', () => {
    const x = torch.zeros(4);
    const v = x.view(2, 2);
    expect(x.storage.version).toBe(0);
    x.add_(1);
    expect(v.storage.version).toBe(1);
    v.mul_(2);
    expect(x.storage.version).toBe(2);
    expect(vals(x)).toEqual([2, 2, 2, 2]);
  });

  it('modifying a saved output in place fails backward with PyTorch\'s message', () => {
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    const y = x.sigmoid();
    y.mul_(2);
    expect(() => y.sum().backward()).toThrow(
      'one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of SigmoidBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).',
    );
  });

  it('modifying a saved input in place fails backward', () => {
    const x = torch.tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const a = x.mul(1);
    const b = a.log(); // saves a
    a.add_(1); // PyTorch then names a's grad_fn as it is now: AddBackward0
    expect(() => b.sum().backward()).toThrow(/^one of the variables needed for gradient computation has been modified by an inplace operation: \[torch\.DoubleTensor \[3\]\], which is output 0 of AddBackward0, is at version 1; expected version 0 instead\./);
  });

  it('an in-place op whose input is not saved keeps backward working', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2); // MulBackward0 saves only the scalar side
    y.add_(1);
    expect(y.gradFn?.name()).toBe('AddBackward0');
    y.sum().backward();
    expectClose(x.grad, [2, 2]);
  });

  it('in-place on a leaf that requires grad is an error, but allowed under noGrad', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    expect(() => x.add_(1)).toThrow('a leaf Variable that requires grad is being used in an in-place operation.');
    torch.noGrad(() => x.sub_(x.mul(0.5)));
    expect(vals(x)).toEqual([0.5, 1]);
    expect(x.isLeaf).toBe(true);
    expect(x.requiresGrad).toBe(true);
  });
});

describe('grad mode', () => {
  it('noGrad records nothing and returns the function value', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = torch.noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(torch.isGradEnabled()).toBe(true);
  });

  it('enableGrad inside noGrad records again; modes restore on throw', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    torch.noGrad(() => {
      expect(torch.isGradEnabled()).toBe(false);
      const y = torch.enableGrad(() => x.mul(2));
      expect(y.requiresGrad).toBe(true);
      expect(torch.isGradEnabled()).toBe(false);
    });
    expect(() => torch.noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(torch.isGradEnabled()).toBe(true);
  });

  it('setGradEnabled switches recording off and on', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    torch.setGradEnabled(false);
    try {
      expect(torch.isGradEnabled()).toBe(false);
      expect(x.exp().requiresGrad).toBe(false);
    } finally {
      torch.setGradEnabled(true);
    }
    expect(x.exp().requiresGrad).toBe(true);
  });
});

describe('graph nodes', () => {
  it('gradFn names and nextFunctions follow PyTorch', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const w = torch.tensor([3, 4], { requiresGrad: true });
    const b = torch.tensor([0.5, 0.5]);
    const y = x.mul(w).add(b);
    expect(y.gradFn!.name()).toBe('AddBackward0');
    const [mul, none] = y.gradFn!.nextFunctions;
    expect(mul![0]!.name()).toBe('MulBackward0');
    expect(mul![1]).toBe(0);
    expect(none).toEqual([null, 0]);
    const [ax, aw] = mul![0]!.nextFunctions;
    expect(ax![0]!.name()).toBe('AccumulateGrad');
    expect(aw![0]!.name()).toBe('AccumulateGrad');
    expect((ax![0] as unknown as { variable: Tensor }).variable).toBe(x);
    expect(String(y.gradFn)).toBe('<AddBackward0>');
    // the same leaf reached twice shares one AccumulateGrad node
    const z = x.mul(x);
    expect(z.gradFn!.nextFunctions[0]![0]).toBe(z.gradFn!.nextFunctions[1]![0]);
    expect(z.gradFn!.nextFunctions[0]![0]).toBe(ax![0]);
  });

  it('a multi-output node numbers its outputs', () => {
    const x = torch.tensor([[1, 5], [7, 2]], { requiresGrad: true });
    const { values } = x.max(1);
    expect(values.gradFn!.name()).toBe('MaxBackward0');
    const s = x.sum(0);
    expect(s.gradFn!.name()).toBe('SumBackward1');
    expect(x.sum().gradFn!.name()).toBe('SumBackward0');
    expect(x.mean(1).gradFn!.name()).toBe('MeanBackward1');
    expect(x.view(4).gradFn!.name()).toBe('ViewBackward0');
    expect(x.t().gradFn!.name()).toBe('TBackward0');
  });
});

describe('requires_grad checks', () => {
  it('integer tensors cannot require grad', () => {
    const x = torch.ones(4, { dtype: 'int64' });
    expect(() => x.requiresGrad_()).toThrow('only Tensors of floating point dtype can require gradients');
    expect(() => { x.requiresGrad = true; }).toThrow('only Tensors of floating point and complex dtype can require gradients');
    expect(() => torch.tensor([0, 0], { dtype: 'int32', requiresGrad: true })).toThrow('Only Tensors of floating point and complex dtype can require gradients');
    x.requiresGrad_(false); // turning it off is fine
    expect(x.requiresGrad).toBe(false);
  });

  it('requires_grad of a non-leaf cannot be switched off', () => {
    const x = torch.tensor([1], { requiresGrad: true });
    const y = x.mul(2);
    expect(() => { y.requiresGrad = false; }).toThrow(/^you can only change requires_grad flags of leaf variables\./);
    y.requiresGrad = true; // no-op, as in PyTorch
  });

  it('backward on a result that does not require grad is an error', () => {
    expect(() => torch.ones(6).sum().backward()).toThrow('element 0 of tensors does not require grad and does not have a grad_fn');
  });

  it('backward on a non-scalar needs a gradient', () => {
    expect(() => torch.ones(2, { requiresGrad: true }).mul(2).backward()).toThrow('grad can be implicitly created only for scalar outputs');
  });
});
