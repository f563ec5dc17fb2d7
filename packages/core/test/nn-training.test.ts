/**
 * An end-to-end training loop written the way a PyTorch user writes it: a Module subclass,
 * DataLoader over a TensorDataset split with randomSplit, CrossEntropyLoss, Adam, a scheduler,
 * stateDict round trip. The held-out accuracy must clearly beat chance.
 */
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { nn, optim, type Tensor } from '../src/index.js';

const { DataLoader, TensorDataset, randomSplit } = torch.utils.data;

class Mlp extends nn.Module {
  fc1 = new nn.Linear(2, 16);
  act = new nn.Tanh();
  fc2 = new nn.Linear(16, 3);
  override forward(x: Tensor): Tensor {
    return this.fc2.forward(this.act.forward(this.fc1.forward(x)));
  }
}

describe('training loop', () => {
  it('learns three Gaussian blobs', () => {
    torch.manualSeed(0);
    const centers = torch.tensor([[0, 3], [3, -2], [-3, -2]]);
    const y = torch.randint(0, 3, [300]);
    const x = centers.indexSelect(0, y).add(torch.randn(300, 2).mul(0.8));
    const [train, test] = randomSplit(new TensorDataset(x, y), [0.8, 0.2]);
    const model = new Mlp();
    const opt = new optim.Adam(model.parameters(), { lr: 0.05 });
    const sched = new optim.lrScheduler.StepLR(opt, 5, 0.5);
    const lossFn = new nn.CrossEntropyLoss();
    let first = 0, last = 0;
    for (let epoch = 0; epoch < 10; epoch++) {
      let total = 0;
      for (const [xb, yb] of new DataLoader(train!, { batchSize: 32, shuffle: true }) as Iterable<Tensor[]>) {
        opt.zeroGrad();
        const loss = lossFn.forward(model.forward(xb!), yb!);
        loss.backward();
        opt.step();
        total += loss.item() as number;
      }
      sched.step();
      if (epoch === 0) first = total;
      last = total;
    }
    expect(last).toBeLessThan(first / 3);
    model.eval();
    const [xt, yt] = [...new DataLoader(test!, { batchSize: 60 })][0] as Tensor[];
    const acc = torch.noGrad(() => model.forward(xt!).argmax(1).eq(yt!).float().mean().item()) as number;
    expect(acc).toBeGreaterThan(0.9);
    const copy = new Mlp();
    copy.loadStateDict(model.stateDict());
    expect(Array.from(copy.forward(xt!).dataSync())).toEqual(Array.from(model.forward(xt!).dataSync()));
  }, 60000);
});
