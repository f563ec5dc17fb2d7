/**
 * Weights trained in PyTorch, run in Kindling: weights/load-pytorch-weights.py builds a small
 * network, saves its state dict with torch.save (weights/load-pytorch-weights.pt) and prints its
 * logits for a fixed input. Here the same network, written as a Kindling module, loads that file
 * with torch.load + loadStateDict and prints the same text (expected/load-pytorch-weights.txt
 * is the Python script's output).
 */
import { fileURLToPath } from 'node:url';
import * as torch from '@kindling/core';
import { nn, type Tensor } from '@kindling/core';
import { load } from '@kindling/core/node';
import type { Example } from '../example.js';

/** The PyTorch script's Net: fields in the order PyTorch registers them give its state-dict keys. */
class Net extends nn.Module {
  fc1 = new nn.Linear(4, 8);
  bn = new nn.BatchNorm1d(8);
  fc2 = new nn.Linear(8, 3);

  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.bn.forward(this.fc1.forward(x)).tanh());
  }
}

const WEIGHTS = fileURLToPath(new URL('../../weights/load-pytorch-weights.pt', import.meta.url));

export const loadPytorchWeights: Example = {
  name: 'load-pytorch-weights',
  description: "a state dict saved by PyTorch's torch.save, loaded into the same model; the same logits",
  check: { kind: 'text' },
  run(print, { device }) {
    const model = new Net();
    model.loadStateDict(load(WEIGHTS) as Record<string, Tensor>);
    model.eval();
    model.to(device);

    print(model);
    print('keys:', Object.keys(model.stateDict()).join(', '));
    const x = torch.tensor([[0.5, -1.0, 2.0, 0.0], [1.5, 0.25, -0.75, 3.0]], { device });
    const logits = torch.noGrad(() => model.forward(x));
    print('logits:', logits);
    print('predicted classes:', logits.argmax(1));
  },
};
