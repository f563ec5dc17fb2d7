/**
 * A small MLP fit by plain gradient descent, from PyTorch's random numbers: with the same seed,
 * Kindling draws the same data and initial weights as PyTorch, so the printed losses match what
 * the PyTorch program prints (expected/mlp-regression.txt comes from PyTorch 1.13). After 100
 * float32 steps the two agree to about 1e-6 relative (Kindling sums in float64, PyTorch in
 * float32), well inside the 4 printed decimals. On the 'workers' device the results are bitwise
 * those of cpu.
 */
import * as torch from '@kindling/core';
import { F } from '@kindling/core';
import type { Example, Print } from '../example.js';

function train(device: string, print: Print): void {
  const on = { device };
  torch.manualSeed(0);
  const x = torch.randn(64, 3, on);
  const trueW = torch.tensor([[2.0], [-3.0], [0.5]], on);
  const y = x.matmul(trueW).add(torch.randn(64, 1, on).mul(0.1));
  const w1 = torch.randn(3, 8, on).mul(0.5).requiresGrad_();
  const b1 = torch.zeros(8, { ...on, requiresGrad: true });
  const w2 = torch.randn(8, 1, on).mul(0.5).requiresGrad_();
  const b2 = torch.zeros(1, { ...on, requiresGrad: true });
  const params = [w1, b1, w2, b2];
  print('x[:2] =', x.index([null, 2]));
  print('w2 =', w2);
  for (let step = 0; step <= 100; step++) {
    const pred = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2);
    const loss = F.mseLoss(pred, y);
    for (const p of params) p.grad = null;
    loss.backward();
    torch.noGrad(() => {
      for (const p of params) p.sub_(p.grad!.mul(0.1));
    });
    if (step % 20 === 0) print('step', step, 'loss', loss);
  }
  print('b2 =', b2);
  print('prediction for [0.5, -1, 2]:', torch.tensor([[0.5, -1, 2]], on).matmul(w1).add(b1).tanh().matmul(w2).add(b2));
}

export const mlpRegression: Example = {
  name: 'mlp-regression',
  description: 'a 3-8-1 MLP fit by gradient descent; the same numbers as PyTorch',
  check: { kind: 'text' },
  run: (print, { device }) => train(device, print),
};
