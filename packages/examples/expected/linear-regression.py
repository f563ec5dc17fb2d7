# The PyTorch 1.13 program whose output is expected/linear-regression.txt
# (run with Debian's PyTorch: /usr/bin/python3 linear-regression.py).
import torch
from torch import nn

torch.manual_seed(0)
x = torch.linspace(-1, 1, 50).unsqueeze(1)
y = 2 * x + 0.5 + 0.1 * torch.randn(50, 1)

model = nn.Linear(1, 1)
print(model)
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for epoch in range(1, 101):
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 20 == 0:
        print('epoch', epoch, 'loss', loss)

print('weight:', model.weight)
print('bias:', model.bias)
with torch.no_grad():
    print('prediction at x = 3:', model(torch.tensor([[3.0]])))
