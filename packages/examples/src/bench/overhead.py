# The per-op overhead loop of src/bench/overhead.ts in PyTorch, for a same-machine comparison:
#   python3 packages/examples/src/bench/overhead.py [rounds]   (needs PyTorch; Debian's python3-torch is 1.13)
import sys, time, statistics
import torch
torch.set_num_threads(1)
x = torch.tensor([0.5, -1, 2, 0.1, 3, -0.7, 1.2, 0.3], requires_grad=True)
w = torch.tensor([1.5, 0.2, -0.3, 2, 0.7, 1.1, -2, 0.4], requires_grad=True)
b = torch.tensor([0.1, 0.2, 0.3, -0.4, 0.5, 0.6, -0.7, 0.8], requires_grad=True)
def step():
    y = x.mul(w).add(b).relu().sum(); y.backward()
for _ in range(4000): step()
r = []
for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 15):
    t0 = time.perf_counter()
    for _ in range(2000): step()
    r.append((time.perf_counter() - t0) * 1e6 / 2000)
print('pytorch %s same loop: median %.2f us/iter, min %.2f' % (torch.__version__, statistics.median(r), min(r)))
