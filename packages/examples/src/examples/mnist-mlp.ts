/**
 * A 784-128-10 MLP on the `mnist` package's digits, trained with Adam and cross-entropy as in
 * PyTorch's tutorials: 8,000 digits train, 2,000 are held out (see lib/mnist.ts). It shows a
 * progress bar on stderr, prints the loss and held-out accuracy per epoch and writes a
 * loss-and-accuracy chart (out/mnist-mlp.svg). The runner requires 93% held-out accuracy.
 */
import * as torch from '@kindling/core';
import { nn, optim, utils, type Tensor } from '@kindling/core';
import type { Example } from '../example.js';
import { writeTrainingChart, type EpochRecord } from '../lib/chart.js';
import { splitDigits } from '../lib/mnist.js';
import { ProgressBar } from '../lib/progress.js';

const EPOCHS = 8;

/** The share of `x`'s rows that `model` classifies as `y` says. */
export function accuracy(model: nn.Module & { forward(x: Tensor): Tensor }, x: Tensor, y: Tensor): number {
  model.eval();
  const correct = Number(torch.noGrad(() => model.forward(x).argmax(1).eq(y).sum().item()));
  model.train();
  return correct / y.shape[0]!;
}

export const mnistMlp: Example = {
  name: 'mnist-mlp',
  description: 'a 784-128-10 MLP with Adam on 8,000 mnist digits; at least 93% held-out accuracy',
  check: { kind: 'metrics', minimum: { accuracy: 0.93 } },
  slow: true,
  async run(print, { device }) {
    const { xTrain, yTrain, xTest, yTest } = splitDigits();
    const loader = new utils.data.DataLoader<Tensor[], Tensor[]>(new utils.data.TensorDataset(xTrain.to(device), yTrain.to(device)), { batchSize: 64, shuffle: true });
    const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10)).to(device);
    print(model);
    const lossFn = new nn.CrossEntropyLoss();
    const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
    const progress = new ProgressBar('mnist-mlp');
    const history: EpochRecord[] = [];

    for (let epoch = 1; epoch <= EPOCHS; epoch++) {
      progress.startEpoch(epoch, loader.length);
      let total = 0;
      for (const [x, y] of loader) {
        const loss = lossFn.forward(model.forward(x!), y!);
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        const value = Number(loss.item());
        total += value * y!.shape[0]!;
        progress.step(y!.shape[0]!, value);
      }
      progress.endEpoch();
      const record = { epoch, loss: total / xTrain.shape[0]!, accuracy: accuracy(model, xTest.to(device), yTest.to(device)) };
      history.push(record);
      print(`epoch ${epoch}: train loss ${record.loss.toFixed(4)}, held-out accuracy ${(100 * record.accuracy).toFixed(2)}%`);
    }

    const final = history.at(-1)!.accuracy;
    print(`held-out accuracy: ${(100 * final).toFixed(2)}% (${Math.round(final * 2000)} of 2000)`);
    print(`chart: ${await writeTrainingChart('mnist-mlp', 'MLP on 8,000 mnist digits (Adam)', history)}`);
    return { metrics: { accuracy: final } };
  },
};
