// In-place writes into views with autograd (PyTorch's CopySlices). Expected values come from
// PyTorch 1.13 running the same programs.
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';

const values = (t: torch.Tensor): number[] => Array.from(t.dataSync());

describe('in-place ops on views record CopySlices on the base', () => {
  it('copy_ into a slice of a tensor that needs no grad gives the base a history', () => {
    const w = torch.tensor([1, 2], { requiresGrad: true });
    const b = torch.zeros(3);
    b.index([1, null]).copy_(w.mul(3));
    expect(b.gradFn!.name()).toBe('CopySlices');
    expect(b.requiresGrad).toBe(true);
    b.mul(torch.tensor([1, 10, 100])).sum().backward();
    expect(values(w.grad!)).toEqual([30, 300]);
  });

  it('mul_ on a view of a non-leaf: the gradient passes through the view and around it', () => {
    const x = torch.tensor([1, 2, 3, 4], { requiresGrad: true });
    const y = x.mul(2);
    const v = y.index([1, 3]);
    v.mul_(torch.tensor([5, 7]));
    expect(y.gradFn!.name()).toBe('CopySlices');
    expect(v.gradFn!.name()).toBe('AsStridedBackward0');
    expect(values(y)).toEqual([2, 20, 42, 8]);
    y.mul(torch.tensor([1, 2, 3, 4])).sum().backward();
    expect(values(x.grad!)).toEqual([2, 20, 42, 8]);
  });

  it('is differentiable twice', () => {
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    const y = x.clone();
    y.index([0, 2]).mul_(x.index([1, 3]));
    const [g] = torch.autograd.grad(y.pow(2).sum(), x, null, { createGraph: true });
    expect(values(g!)).toEqual([8, 40, 30]);
    const [h] = torch.autograd.grad(g!.sum(), x);
    expect(values(h!)).toEqual([16, 52, 34]);
  });

  it('the view itself keeps working after the write', () => {
    const x = torch.tensor([1, 2, 3, 4], { requiresGrad: true });
    const v = x.mul(1).index([null, null, 2]);
    v.add_(1);
    v.mul(v).sum().backward();
    expect(values(x.grad!)).toEqual([4, 0, 8, 0]);
  });

  it("refuses a view of a leaf that requires grad, with PyTorch's message", () => {
    const x = torch.ones(3, { requiresGrad: true });
    expect(() => x.index([0, 1]).add_(1)).toThrow('a view of a leaf Variable that requires grad is being used in an in-place operation.');
    expect(() => torch.noGrad(() => x.index([0, 1]).add_(1))).not.toThrow();
    expect(values(x)).toEqual([2, 1, 1]);
  });

  it('in-place samplers on a view rebase the base too, and refuse a view of a leaf', () => {
    const x = torch.tensor([1, 2, 3, 4], { requiresGrad: true });
    const y = x.mul(2);
    y.index([1, 3]).uniform_(0, 1);
    expect(y.gradFn!.name()).toBe('CopySlices');
    y.sum().backward();
    expect(values(x.grad!)).toEqual([2, 0, 0, 2]);
    const z = torch.ones(3, { requiresGrad: true });
    expect(() => z.index([0, 2]).normal_()).toThrow('a view of a leaf Variable that requires grad is being used in an in-place operation.');
  });

  it('setIndex with a grad-requiring value is recorded too', () => {
    const w = torch.tensor([1, 2], { requiresGrad: true });
    const b = torch.zeros(2, 2);
    b.setIndex([0], w);
    b.sum().backward();
    expect(values(w.grad!)).toEqual([1, 1]);
  });
});

describe("in-place overlap checks (PyTorch's messages)", () => {
  const partial = 'unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.';
  const internal = 'unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.';

  it('allows full overlap and disjoint views', () => {
    const a = torch.arange(6, { dtype: 'float32' });
    expect(values(a.add_(a))).toEqual([0, 2, 4, 6, 8, 10]);
    const b = torch.arange(6, { dtype: 'float32' }).view(2, 3);
    b.select(0, 1).add_(b.select(0, 0));
    expect(values(b)).toEqual([0, 1, 2, 3, 5, 7]);
    expect(values(torch.zeros(1).expand(3).fill_(1))).toEqual([1, 1, 1]);
    expect(values(torch.zeros(1).expand(3).zero_())).toEqual([0, 0, 0]);
  });

  it('rejects partial overlap and writes into expanded tensors, leaving values unchanged', () => {
    const a = torch.arange(6, { dtype: 'float32' });
    expect(() => a.index([1, null]).sub_(a.index([null, -1]))).toThrow(partial);
    expect(() => a.index([1, null]).copy_(a.index([null, -1]))).toThrow(partial);
    const b = torch.arange(6, { dtype: 'float32' }).view(2, 3);
    expect(() => b.add_(b.select(0, 0))).toThrow(partial);
    const c = torch.arange(4, { dtype: 'float32' }).view(2, 2);
    expect(() => c.add_(c.t())).toThrow(partial);
    expect(() => torch.zeros(1).expand(3).add_(1)).toThrow(internal);
    expect(() => torch.zeros(2, 1).expand(2, 3).mul_(2)).toThrow(internal);
    expect(values(a)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('CopySlices frees what the in-place op saved', () => {
  it('a second backward through it raises PyTorch\'s error', () => {
    const a = torch.ones(4, { requiresGrad: true });
    const o = torch.ones(2, { requiresGrad: true });
    const b = a.mul(1);
    b.index([0, 2]).mul_(o);
    b.sum().backward({ retainGraph: true });
    b.sum().backward();
    expect(values(a.grad!)).toEqual([2, 2, 2, 2]);
    expect(() => b.sum().backward()).toThrow('Trying to backward through the graph a second time');
  });
});
