/**
 * A small convolutional network on the same 8,000 / 2,000 split as mnist-mlp: two blocks of
 * Conv2d + BatchNorm2d + ReLU + MaxPool2d, then a Linear classifier, trained with Adam. It shows
 * a progress bar on stderr, prints the loss and held-out accuracy per epoch and writes a
 * loss-and-accuracy chart (out/mnist-cnn.svg). The runner requires 96% held-out accuracy.
 */
import { nn, optim, utils, type Tensor } from '@kindling/core';
import type { Example } from '../example.js';
import { writeTrainingChart, type EpochRecord } from '../lib/chart.js';
import { splitDigits } from '../lib/mnist.js';
import { ProgressBar } from '../lib/progress.js';
import { accuracy } from './mnist-mlp.js';

const EPOCHS = 2;

export const mnistCnn: Example = {
  name: 'mnist-cnn',
  description: 'Conv2d + BatchNorm2d + MaxPool2d on the same mnist split; at least 96% held-out accuracy',
  check: { kind: 'metrics', minimum: { accuracy: 0.96 } },
  slow: true,
  async run(print, { device }) {
    const { xTrain, yTrain, xTest, yTest } = splitDigits();
    const images = (x: Tensor) => x.view(-1, 1, 28, 28).to(device);
    const loader = new utils.data.DataLoader<Tensor[], Tensor[]>(new utils.data.TensorDataset(images(xTrain), yTrain.to(device)), { batchSize: 64, shuffle: true });
    const model = new nn.Sequential(
      new nn.Conv2d(1, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Conv2d(8, 16, 3, { padding: 1 }), new nn.BatchNorm2d(16), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Flatten(), new nn.Linear(16 * 7 * 7, 10),
    ).to(device);
    print(model);
    const lossFn = new nn.CrossEntropyLoss();
    const optimizer = new optim.Adam(model.parameters(), { lr: 2e-3 });
    const progress = new ProgressBar('mnist-cnn');
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
      const record = { epoch, loss: total / xTrain.shape[0]!, accuracy: accuracy(model, images(xTest), yTest.to(device)) };
      history.push(record);
      print(`epoch ${epoch}: train loss ${record.loss.toFixed(4)}, held-out accuracy ${(100 * record.accuracy).toFixed(2)}%`);
    }

    const final = history.at(-1)!.accuracy;
    print(`held-out accuracy: ${(100 * final).toFixed(2)}% (${Math.round(final * 2000)} of 2000)`);
    print(`chart: ${await writeTrainingChart('mnist-cnn', 'CNN on 8,000 mnist digits (Adam)', history)}`);
    return { metrics: { accuracy: final } };
  },
};
