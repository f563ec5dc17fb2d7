# The PyTorch 1.13 program whose output is expected/mlp-regression.txt (run: python3 mlp-regression.py).
import torch
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(64, 3)
true_w = torch.tensor([[2.0], [-3.0], [0.5]])
y = x @ true_w + 0.1 * torch.randn(64, 1)
w1 = (torch.randn(3, 8) * 0.5).requires_grad_()
b1 = torch.zeros(8, requires_grad=True)
w2 = (torch.randn(8, 1) * 0.5).requires_grad_()
b2 = torch.zeros(1, requires_grad=True)
params = [w1, b1, w2, b2]
print('x[:2] =', x[:2])
print('w2 =', w2)
for step in range(101):
    pred = torch.tanh(x @ w1 + b1) @ w2 + b2
    loss = F.mse_loss(pred, y)
    for p in params:
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= 0.1 * p.grad
    if step % 20 == 0:
        print('step', step, 'loss', loss)
print('b2 =', b2)
print('prediction for [0.5, -1, 2]:', torch.tanh(torch.tensor([[0.5, -1.0, 2.0]]) @ w1 + b1) @ w2 + b2)
