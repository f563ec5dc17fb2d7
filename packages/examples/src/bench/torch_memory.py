"""The memory section's PyTorch reference (see memory.ts): the same plain mlp-step loop, 1 thread,
RSS (from /proc/self/statm) and ms/step at each checkpoint given on the command line."""
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
checkpoints = [int(a) for a in sys.argv[1:]]
B, IN, H, OUT, lr = 512, 784, 256, 10, 0.05
x = torch.rand(B, IN) * 4 - 2
y = torch.tensor([(i * 7) % OUT for i in range(B)])
params = [(torch.rand(IN, H) * 0.2 - 0.1).requires_grad_(), torch.zeros(H, requires_grad=True),
          (torch.rand(H, OUT) * 0.4 - 0.2).requires_grad_(), torch.zeros(OUT, requires_grad=True)]
w1, b1, w2, b2 = params


def rss_mb():
    with open('/proc/self/statm') as f:
        return round(int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2 ** 20)


points, last, last_step = [], time.perf_counter(), 0
for i in range(1, checkpoints[-1] + 1):
    loss = F.cross_entropy((x @ w1 + b1).relu() @ w2 + b2, y)
    loss.backward()
    with torch.no_grad():
        for p in params:
            p.sub_(p.grad * lr)
            p.grad = None
    loss.item()
    if i in checkpoints:
        now = time.perf_counter()
        points.append({'step': i, 'rss_mb': rss_mb(), 'ms_per_step': round((now - last) / (i - last_step) * 1000, 2)})
        last, last_step = now, i
print(json.dumps({'points': points}))
