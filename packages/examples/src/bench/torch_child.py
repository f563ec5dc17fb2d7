"""PyTorch baselines for `pnpm bench`, run as a child process of main.ts (1 thread, as in the
issue's table). One JSON request per stdin line, one JSON reply per stdout line:
{"op": "make", "workload": name} -> {}, {"op": "run"} -> {"ms": float}, {"op": "dispose"} -> {}.
The workloads mirror workloads.ts (same shapes and dtypes; values are random, timing only)."""
import json
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
N24 = 1 << 24


def vals(*shape):
    return torch.rand(*shape) * 4 - 2


def elementwise(f):
    a, b = vals(N24), vals(N24)
    return lambda: f(a, b)


def matrix(f):
    m, v = vals(4096, 4096), vals(4096)
    return lambda: f(m, v)


def matmul(n):
    a, b = vals(n, n), vals(n, n)
    return lambda: a @ b


def mlp_step():
    B, IN, H, OUT, lr = 512, 784, 256, 10, 0.05
    x = vals(B, IN)
    y = torch.tensor([(i * 7) % OUT for i in range(B)])
    params = [(vals(IN, H) * 0.05).requires_grad_(), torch.zeros(H, requires_grad=True),
              (vals(H, OUT) * 0.1).requires_grad_(), torch.zeros(OUT, requires_grad=True)]
    w1, b1, w2, b2 = params

    def step():
        loss = F.cross_entropy((x @ w1 + b1).relu() @ w2 + b2, y)
        loss.backward()
        with torch.no_grad():
            for p in params:
                p.sub_(p.grad * lr)
                p.grad = None
    return step


WORKLOADS = {
    'add': lambda: elementwise(lambda a, b: a + b),
    'mul': lambda: elementwise(lambda a, b: a * b),
    'exp': lambda: elementwise(lambda a, b: a.exp()),
    'tanh': lambda: elementwise(lambda a, b: a.tanh()),
    'sum': lambda: elementwise(lambda a, b: a.sum()),
    'sum-dim0': lambda: matrix(lambda m, v: m.sum(0)),
    'sum-dim1': lambda: matrix(lambda m, v: m.sum(1)),
    'broadcast-add': lambda: matrix(lambda m, v: m + v),
    'softmax': lambda: matrix(lambda m, v: torch.softmax(m, 1)),
    'matmul-512': lambda: matmul(512),
    'matmul-1024': lambda: matmul(1024),
    'mlp-step': mlp_step,
}

run = None
print(json.dumps({'ready': True, 'version': torch.__version__}), flush=True)
for line in sys.stdin:
    m = json.loads(line)
    reply = {}
    try:
        if m['op'] == 'make':
            make = WORKLOADS.get(m['workload'])
            run = make() if make else None
            reply = {'supported': run is not None}
        elif m['op'] == 'run':
            t0 = time.perf_counter()
            run()
            reply = {'ms': (time.perf_counter() - t0) * 1000}
        else:
            run = None
    except Exception as e:  # reported to the parent, which fails the run
        reply = {'error': repr(e)}
    print(json.dumps(reply), flush=True)
