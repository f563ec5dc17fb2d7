/**
 * nn, optim and data on the workers backend: a representative subset of the PyTorch 1.13 layer
 * and optimizer cases (core's fixtures) runs with every kernel on the pool and must match
 * PyTorch as on cpu; a DataLoader batches workers tensors.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '@kindling/core';
import { disposeWorkers, registerWorkersBackend } from '../src/index.js';
import { loadFixture, runCase, runOptimizer, type FixtureTensor, type NnCase, type OptCase, type TorchModule } from '../../core/test/nn-fixture.js';

registerWorkersBackend({ name: 'wnn', threads: 2, inlineThreshold: 0 });
afterAll(() => disposeWorkers());

// The built package's namespace, typed as core's source namespace the helpers expect.
const T = torch as unknown as TorchModule;
const nnFx = loadFixture<{ cases: NnCase[] }>('torch-nn.json');
const optFx = loadFixture<{ params: FixtureTensor[]; grads: FixtureTensor[][]; optimizers: OptCase[] }>('torch-optim.json');

const LAYERS = [
  'Linear', 'Conv2d', 'Conv2d groups stride', 'ConvTranspose2d', 'MaxPool2d', 'AvgPool2d', 'AdaptiveAvgPool2d', 'BatchNorm2d',
  'BatchNorm2d eval', 'LayerNorm', 'GroupNorm', 'Embedding', 'Upsample bilinear', 'LSTM bidirectional', 'GRU',
  'MultiheadAttention', 'TransformerEncoderLayer', 'CrossEntropyLoss mean', 'BCEWithLogitsLoss sum',
];

describe('layers on workers match PyTorch', () => {
  for (const name of LAYERS) {
    const c = nnFx.cases.find((x) => x.name === name);
    it(name, async () => {
      expect(c, `fixture case ${name}`).toBeDefined();
      await runCase(T, c!, 'wnn');
    });
  }
});

describe('optimizers on workers match PyTorch', () => {
  for (const c of optFx.optimizers.filter((o) => o.kwargs.nesterov || o.kwargs.amsgrad || o.name === 'RMSprop' && o.kwargs.centered)) {
    it(`${c.name} ${JSON.stringify(c.kwargs)}`, async () => {
      const o = await runOptimizer(T, optFx.params, optFx.grads, c, 'wnn');
      expect(o.paramGroups[0]!.params[0]!.device).toBe('wnn');
    });
  }
});

describe('DataLoader over workers tensors', () => {
  it('batches keep the device and PyTorch\'s shuffle order', async () => {
    torch.manualSeed(0);
    const ds = new torch.utils.data.TensorDataset(torch.arange(10, { device: 'wnn' }));
    const batches = [...new torch.utils.data.DataLoader(ds, { batchSize: 3, shuffle: true })] as torch.Tensor[][];
    expect(batches[0]![0]!.device).toBe('wnn');
    expect(await Promise.all(batches.map(([x]) => x!.tolist()))).toEqual([[6, 7, 1], [4, 2, 0], [9, 8, 3], [5]]);
  });
});
