import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import type { Backend } from '../src/index.js';

describe('Tensor basics', () => {
  it('type() gives the legacy type string; type(dtype) converts', () => {
    expect(torch.ones(2).type()).toBe('torch.FloatTensor');
    expect(torch.ones(2, { dtype: 'int64' }).type()).toBe('torch.LongTensor');
    expect(torch.ones(2).type('float64').dtype).toBe('float64');
  });

  it('sizes, strides, views and contiguity', () => {
    const x = torch.arange(24).view(2, 3, 4);
    expect(x.size()).toEqual([2, 3, 4]);
    expect(x.size(-1)).toBe(4);
    expect(x.stride()).toEqual([12, 4, 1]);
    const t = x.transpose(0, 2);
    expect(t.isContiguous()).toBe(false);
    expect(t.storage).toBe(x.storage);
    expect(t.contiguous().isContiguous()).toBe(true);
    expect(t.contiguous().tolist()).toEqual(t.tolist());
  });

  it('sync readers on cpu, async twins, and item errors', async () => {
    const x = torch.tensor([[1, 2], [3, 4]]);
    expect(x.tolist()).toEqual([[1, 2], [3, 4]]);
    expect(await x.tolistAsync()).toEqual([[1, 2], [3, 4]]);
    expect(x.sum().item()).toBe(10);
    expect(await x.sum().itemAsync()).toBe(10);
    expect(() => x.item()).toThrow('only one element tensors can be converted to Python scalars');
    expect(torch.tensor([true, false]).tolist()).toEqual([true, false]);
  });

  it('devices: registering a backend, moving tensors, and the same-device error', () => {
    const cpu = torch.getBackend('cpu');
    // A custom device that delegates to cpu: enough to exercise the registry and `to`.
    torch.registerBackend('other', () => ({ ...cpu, name: 'other' }) as Backend);
    try {
      const a = torch.ones(2, { device: 'other' });
      expect(a.device).toBe('other');
      expect(a.to('cpu').device).toBe('cpu');
      expect(() => a.add(torch.ones(2))).toThrow('Expected all tensors to be on the same device, but found at least two devices, other and cpu!');
      const g = torch.ones(2, { requiresGrad: true });
      const moved = g.to('other');
      moved.mul(3).sum().backward();
      expect(Array.from(g.grad!.dataSync())).toEqual([3, 3]);
      torch.setDefaultDevice('other');
      expect(torch.zeros(1).device).toBe('other');
    } finally {
      torch.setDefaultDevice('cpu');
      torch.unregisterBackend('other');
    }
    expect(() => torch.ones(1, { device: 'nope' })).toThrow(/device type at start of device string: nope/);
  });
});
