/**
 * The benchmark workloads, each written once for Kindling (any device) and once for tfjs. A
 * workload's setup builds its inputs (untimed) and returns `run`, which computes the result and
 * resolves when it exists, and `dispose`.
 */
import * as torch from '@kindling/core';
import type { Tensor } from '@kindling/core';
import { disposeTensor } from '@kindling/backend-workers';
import type * as TF from '@tensorflow/tfjs-core';

/** One prepared instance of a workload on one implementation. */
export interface Instance {
  run(): Promise<void> | void;
  dispose(): void;
}

export interface Workload {
  name: string;
  /** Floating-point operations per run (for GFLOP/s), when meaningful. */
  flops?: number;
  kindling(device: string): Instance;
  tfjs(tf: typeof TF): Instance;
}

const N24 = 1 << 24;

/** Deterministic input values in [-2, 2). */
export function values(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (s / 4294967296) * 4 - 2;
  }
  return a;
}

function kt(data: Float32Array, shape: number[], device: string): Tensor {
  return torch.tensor(data).view(shape).to(device);
}

/** Waits for a Kindling result and frees its memory for reuse. */
async function settle(...ts: Tensor[]): Promise<void> {
  for (const t of ts) {
    await t.ready();
    t.dispose();
  }
}

/** One Kindling op on prepared inputs. */
function kOp(inputs: Tensor[], f: (...xs: Tensor[]) => Tensor): Instance {
  return {
    run: () => settle(f(...inputs)),
    dispose: () => inputs.forEach(disposeTensor),
  };
}

function tfOp(inputs: TF.Tensor[], f: (...xs: TF.Tensor[]) => TF.Tensor): Instance {
  return {
    run: () => {
      const y = f(...inputs); // cpu and wasm compute synchronously
      if (y.size === 1) y.dataSync();
      y.dispose();
    },
    dispose: () => inputs.forEach((t) => t.dispose()),
  };
}

function elementwise(name: string, k: (a: Tensor, b: Tensor) => Tensor, t: (tf: typeof TF, a: TF.Tensor, b: TF.Tensor) => TF.Tensor): Workload {
  const a = values(N24, 1), b = values(N24, 2);
  return {
    name,
    kindling: (device) => kOp([kt(a, [N24], device), kt(b, [N24], device)], k),
    tfjs: (tf) => tfOp([tf.tensor1d(a), tf.tensor1d(b)], (x, y) => t(tf, x!, y!)),
  };
}

/** softmax over the last dim: torch.softmax when core has it, else max-shifted exp / sum. */
function softmax(x: Tensor): Tensor {
  const sm = (torch as unknown as { softmax?: (x: Tensor, dim: number) => Tensor }).softmax;
  if (sm) return sm(x, 1);
  const e = x.sub(x.amax(1, true)).exp();
  return e.div(e.sum(1, true));
}

/** Mean cross-entropy of logits [B, C] against class indices: F.crossEntropy when core has it. */
function crossEntropy(logits: Tensor, target: Tensor, onehot: Tensor): Tensor {
  const ce = (torch as unknown as { nn?: { functional?: { crossEntropy?: (x: Tensor, t: Tensor) => Tensor } } }).nn?.functional?.crossEntropy;
  if (ce) return ce(logits, target);
  const z = logits.sub(logits.amax(1, true).detach());
  return z.exp().sum(1, true).log().sub(z.mul(onehot).sum(1, true)).mean();
}

function mlpStep(): Workload {
  const B = 512, IN = 784, H = 256, OUT = 10, lr = 0.05;
  const x = values(B * IN, 11), w1 = values(IN * H, 12).map((v) => v * 0.05), w2 = values(H * OUT, 13).map((v) => v * 0.1);
  const b1 = new Float32Array(H), b2 = new Float32Array(OUT);
  const labels = Array.from({ length: B }, (_, i) => (i * 7) % OUT);
  const onehot = new Float32Array(B * OUT);
  labels.forEach((c, i) => (onehot[i * OUT + c] = 1));
  return {
    name: 'mlp-step',
    // Five matmuls: x @ W1 and x^T @ dPre (x needs no gradient), h @ W2, dLogits @ W2^T, h^T @ dLogits.
    flops: 2 * B * (2 * IN * H + 3 * H * OUT),
    kindling(device) {
      const params = [kt(w1, [IN, H], device), kt(b1, [H], device), kt(w2, [H, OUT], device), kt(b2, [OUT], device)];
      params.forEach((p) => p.requiresGrad_());
      const [W1, B1, W2, B2] = params as [Tensor, Tensor, Tensor, Tensor];
      const X = kt(x, [B, IN], device), Y = torch.tensor(labels, { dtype: 'int64' }).to(device), OH = kt(onehot, [B, OUT], device);
      return {
        async run() {
          const h = X.matmul(W1).add(B1).relu();
          const loss = crossEntropy(h.matmul(W2).add(B2), Y, OH);
          loss.backward();
          torch.noGrad(() => {
            for (const p of params) {
              p.sub_(p.grad!.mul(lr));
              p.grad = null;
            }
          });
          await Promise.all(params.map((p) => p.ready()));
        },
        dispose: () => [...params, X, Y, OH].forEach(disposeTensor),
      };
    },
    // tfjs-core's Node build registers no gradients (the union package does), so the step
    // spells out the same backward pass: softmax cross-entropy, relu and the two linear layers.
    tfjs(tf) {
      const vars = [tf.variable(tf.tensor2d(w1, [IN, H])), tf.variable(tf.tensor1d(b1)), tf.variable(tf.tensor2d(w2, [H, OUT])), tf.variable(tf.tensor1d(b2))];
      const [W1, B1, W2, B2] = vars as [TF.Variable, TF.Variable, TF.Variable, TF.Variable];
      const X = tf.tensor2d(x, [B, IN]), OH = tf.tensor2d(onehot, [B, OUT]);
      return {
        run() {
          tf.tidy(() => {
            const pre = tf.add(tf.matMul(X, W1), B1), h = tf.relu(pre);
            const logits = tf.add(tf.matMul(h, W2), B2);
            const loss = tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, OH), 1)));
            const dLogits = tf.div(tf.sub(tf.softmax(logits), OH), B);
            const dPre = tf.mul(tf.matMul(dLogits, W2, false, true), tf.step(pre));
            const grads = [tf.matMul(X, dPre, true, false), tf.sum(dPre, 0), tf.matMul(h, dLogits, true, false), tf.sum(dLogits, 0)];
            vars.forEach((v, i) => v.assign(tf.sub(v, tf.mul(grads[i]!, lr))));
            loss.dataSync();
          });
        },
        dispose: () => [...vars, X, OH].forEach((t) => t.dispose()),
      };
    },
  };
}

function matmul(n: number): Workload {
  const a = values(n * n, 21), b = values(n * n, 22);
  return {
    name: `matmul-${n}`, flops: 2 * n * n * n,
    kindling: (device) => kOp([kt(a, [n, n], device), kt(b, [n, n], device)], (x, y) => x!.matmul(y!)),
    tfjs: (tf) => tfOp([tf.tensor2d(a, [n, n]), tf.tensor2d(b, [n, n])], (x, y) => tf.matMul(x!, y!)),
  };
}

function matrix(name: string, k: (x: Tensor, v: Tensor) => Tensor, t: (tf: typeof TF, x: TF.Tensor, v: TF.Tensor) => TF.Tensor): Workload {
  const n = 4096, m = values(n * n, 31), v = values(n, 32);
  return {
    name,
    kindling: (device) => kOp([kt(m, [n, n], device), kt(v, [n], device)], (x, y) => k(x!, y!)),
    tfjs: (tf) => tfOp([tf.tensor2d(m, [n, n]), tf.tensor1d(v)], (x, y) => t(tf, x!, y!)),
  };
}

/** A workload by name; `make` builds it (its input data) only when it is run. */
export interface WorkloadEntry {
  name: string;
  /** Part of the `--quick` set. */
  quick: boolean;
  make: () => Workload;
}

/** Every workload, in report order (names as in bench-results/latest.json). */
export const WORKLOADS: WorkloadEntry[] = [
  { name: 'add', quick: true, make: () => elementwise('add', (a, b) => a.add(b), (tf, a, b) => tf.add(a, b)) },
  { name: 'mul', quick: false, make: () => elementwise('mul', (a, b) => a.mul(b), (tf, a, b) => tf.mul(a, b)) },
  { name: 'exp', quick: true, make: () => elementwise('exp', (a) => a.exp(), (tf, a) => tf.exp(a)) },
  { name: 'tanh', quick: false, make: () => elementwise('tanh', (a) => a.tanh(), (tf, a) => tf.tanh(a)) },
  { name: 'sum', quick: true, make: () => elementwise('sum', (a) => a.sum(), (tf, a) => tf.sum(a)) },
  { name: 'sum-dim0', quick: true, make: () => matrix('sum-dim0', (x) => x.sum(0), (tf, x) => tf.sum(x, 0)) },
  { name: 'sum-dim1', quick: false, make: () => matrix('sum-dim1', (x) => x.sum(1), (tf, x) => tf.sum(x, 1)) },
  { name: 'broadcast-add', quick: false, make: () => matrix('broadcast-add', (x, v) => x.add(v), (tf, x, v) => tf.add(x, v)) },
  { name: 'softmax', quick: true, make: () => matrix('softmax', (x) => softmax(x), (tf, x) => tf.softmax(x)) },
  { name: 'matmul-512', quick: true, make: () => matmul(512) },
  { name: 'matmul-1024', quick: false, make: () => matmul(1024) },
  { name: 'mlp-step', quick: true, make: mlpStep },
];
