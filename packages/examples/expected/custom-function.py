# The PyTorch 1.13 program whose output is expected/custom-function.txt
# (run with Debian's PyTorch: /usr/bin/python3 custom-function.py).
import torch
from torch import nn


class Swish(torch.autograd.Function):
    """x * sigmoid(x), with its derivative written by hand."""

    @staticmethod
    def forward(ctx, x):
        s = torch.sigmoid(x)
        ctx.save_for_backward(x, s)
        return x * s

    @staticmethod
    def backward(ctx, grad):
        x, s = ctx.saved_tensors
        return grad * s * (1 + x * (1 - s))


class SwishLayer(nn.Module):
    def forward(self, x):
        return Swish.apply(x)


x64 = torch.linspace(-2, 2, 7, dtype=torch.float64, requires_grad=True)
print('gradcheck:', torch.autograd.gradcheck(Swish.apply, (x64,)))
print('grad_fn:', type(Swish.apply(x64).grad_fn).__name__)

# Three digits: float32 training drifts in the fifth digit between math libraries.
torch.set_printoptions(precision=3)
torch.manual_seed(0)
x = torch.linspace(-1, 1, 64).unsqueeze(1)
y = torch.sin(3 * x)
model = nn.Sequential(nn.Linear(1, 32), SwishLayer(), nn.Linear(32, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loss_fn = nn.MSELoss()
for step in range(1, 501):
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 100 == 0:
        print('step', step, 'loss', loss)
with torch.no_grad():
    print('fit at x = 0.5:', model(torch.tensor([[0.5]])), 'sin(1.5) =', torch.sin(torch.tensor(1.5)))
