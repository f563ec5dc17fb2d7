/**
 * Fit a line with nn.Linear, nn.MSELoss and optim.SGD: the PyTorch program
 * expected/linear-regression.py, line by line. With the same seed, Kindling draws the same data
 * and the same initial weight and bias, so it prints what PyTorch 1.13 printed
 * (expected/linear-regression.txt).
 */
import * as torch from '@kindling/core';
import { nn, optim } from '@kindling/core';
import type { Example } from '../example.js';

export const linearRegression: Example = {
  name: 'linear-regression',
  description: 'fit y = 2x + 0.5 with nn.Linear + optim.SGD; the same numbers as PyTorch',
  check: { kind: 'text' },
  run(print, { device }) {
    torch.manualSeed(0);
    const x = torch.linspace(-1, 1, 50).unsqueeze(1);
    const y = x.mul(2).add(0.5).add(torch.randn(50, 1).mul(0.1));

    const model = new nn.Linear(1, 1);
    print(model);
    model.to(device);
    const X = x.to(device);
    const Y = y.to(device);
    const lossFn = new nn.MSELoss();
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });

    for (let epoch = 1; epoch <= 100; epoch++) {
      const loss = lossFn.forward(model.forward(X), Y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      if (epoch % 20 === 0) print('epoch', epoch, 'loss', loss);
    }

    print('weight:', model.weight);
    print('bias:', model.bias);
    torch.noGrad(() => print('prediction at x = 3:', model.forward(torch.tensor([[3.0]], { device }))));
  },
};
