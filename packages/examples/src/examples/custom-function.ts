/**
 * A custom differentiable op: Swish (x * sigmoid(x)) as a torch.autograd.Function with its
 * derivative written by hand, checked with gradcheck and used as the activation of a small
 * network fit to sin(3x). The PyTorch program expected/custom-function.py prints the same text
 * (expected/custom-function.txt is its output under PyTorch 1.13).
 */
import * as torch from '@kindling/core';
import { nn, optim, type FunctionCtx, type Tensor } from '@kindling/core';
import { gradcheck } from '@kindling/core/testing';
import type { Example } from '../example.js';

/** x * sigmoid(x), with its derivative written by hand. */
class Swish extends torch.autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    const s = torch.sigmoid(x);
    ctx.saveForBackward(x, s);
    return x.mul(s);
  }

  static override backward(ctx: FunctionCtx, grad: Tensor): Tensor {
    const [x, s] = ctx.savedTensors;
    return grad.mul(s!).mul(x!.mul(s!.neg().add(1)).add(1));
  }
}

class SwishLayer extends nn.Module {
  forward(x: Tensor): Tensor {
    return Swish.apply(x);
  }
}

export const customFunction: Example = {
  name: 'custom-function',
  description: 'an autograd.Function (Swish with a hand-written backward) trained inside a model; the same losses as PyTorch',
  check: { kind: 'text' },
  run(print, { device }) {
    const x64 = torch.linspace(-2, 2, 7, { dtype: 'float64', requiresGrad: true, device });
    print('gradcheck:', gradcheck((t) => Swish.apply(t as Tensor), [x64]));
    print('grad_fn:', Swish.apply(x64).gradFn!.name());

    // Three digits: float32 training drifts in the fifth digit between math libraries.
    torch.setPrintOptions({ precision: 3 });
    torch.manualSeed(0);
    const x = torch.linspace(-1, 1, 64).unsqueeze(1).to(device);
    const y = torch.sin(x.mul(3));
    const model = new nn.Sequential(new nn.Linear(1, 32), new SwishLayer(), new nn.Linear(32, 1)).to(device);
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const lossFn = new nn.MSELoss();
    for (let step = 1; step <= 500; step++) {
      const loss = lossFn.forward(model.forward(x), y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      if (step % 100 === 0) print('step', step, 'loss', loss);
    }
    torch.noGrad(() => {
      print('fit at x = 0.5:', model.forward(torch.tensor([[0.5]], { device })), 'sin(1.5) =', torch.sin(torch.tensor(1.5, { device })));
    });
    torch.setPrintOptions({ precision: 4 });
  },
};
