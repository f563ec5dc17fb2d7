# Writes weights/load-pytorch-weights.pt (a state dict saved by torch.save) and prints the model and
# its logits for a fixed input: expected/load-pytorch-weights.txt is this script's output under
# Debian's PyTorch 1.13 (run from packages/examples: /usr/bin/python3 weights/load-pytorch-weights.py).
import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.bn = nn.BatchNorm1d(8)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(torch.tanh(self.bn(self.fc1(x))))


torch.manual_seed(7)
model = Net()
# A few batches in training mode give BatchNorm running statistics that are not the defaults.
for _ in range(3):
    model(torch.randn(16, 4) * 2 + 1)
model.eval()
torch.save(model.state_dict(), 'weights/load-pytorch-weights.pt')

print(model)
print('keys:', ', '.join(model.state_dict().keys()))
x = torch.tensor([[0.5, -1.0, 2.0, 0.0], [1.5, 0.25, -0.75, 3.0]])
with torch.no_grad():
    logits = model(x)
print('logits:', logits)
print('predicted classes:', logits.argmax(1))
