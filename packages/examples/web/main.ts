/**
 * The demo page: the seed walkthrough, a small classifier trained with a live loss chart and its
 * decision boundary, a device / thread switch, and the measured speedup of the worker pool.
 * Heavy work runs on the pool or yields to the event loop between steps, so the page never
 * freezes. `window.kindlingDemo` lets the end-to-end tests drive it.
 */
import * as torch from '@kindling/core';
import { F } from '@kindling/core';
import { canShareMemory, registerWorkersBackend } from '@kindling/backend-workers';
import { autogradBasics } from '../src/examples/autograd-basics.js';
import { show } from '../src/example.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const status = (text: string): void => void ($('status').textContent = text);
const nextFrame = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

let threads = 2;
registerWorkersBackend({ threads });

/** The founding walkthrough's printed lines. */
function walkthrough(): string[] {
  const lines: string[] = [];
  void autogradBasics.run((...args) => lines.push(args.map(show).join(' ')), { device: 'cpu' });
  return lines;
}

/** Two interleaved spirals: 2-D points and their class (0 or 1), from the seeded generator. */
function spirals(n: number, device: string): { x: torch.Tensor; y: torch.Tensor } {
  const t = torch.linspace(0.25, 2 * Math.PI, n);
  const arm = torch.stack([t.mul(t.cos()), t.mul(t.sin())], 1).div(2 * Math.PI);
  const x = torch.cat([arm, arm.neg()]).add(torch.randn(2 * n, 2).mul(0.02));
  const y = torch.cat([torch.zeros(n, { dtype: 'int64' }), torch.ones(n, { dtype: 'int64' })]);
  return { x: x.to(device), y: y.to(device) };
}

interface TrainResult {
  losses: number[];
  /** The trained parameters' values, to compare devices bitwise. */
  params: number[][];
}

/** Trains a 2-32-32-2 tanh MLP by full-batch gradient descent; draws as it goes. */
async function train(device: string, steps = 300, draw = true): Promise<TrainResult> {
  torch.manualSeed(0);
  const { x, y } = spirals(200, device);
  const on = { device };
  const layer = (i: number, o: number) => [torch.randn(i, o, on).mul(1 / Math.sqrt(i)).requiresGrad_(), torch.zeros(o, { ...on, requiresGrad: true })];
  const params = [...layer(2, 32), ...layer(32, 32), ...layer(32, 2)];
  const [w1, b1, w2, b2, w3, b3] = params as [torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor];
  const forward = (inp: torch.Tensor) => inp.matmul(w1).add(b1).tanh().matmul(w2).add(b2).tanh().matmul(w3).add(b3);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = F.crossEntropy(forward(x), y);
    for (const p of params) p.grad = null;
    loss.backward();
    torch.noGrad(() => {
      for (const p of params) p.sub_(p.grad!.mul(1.0));
    });
    losses.push((await loss.itemAsync()) as number);
    if (draw && (step % 10 === 0 || step === steps - 1)) {
      drawLoss(losses);
      await drawBoundary(forward, x, y);
      status(`training on ${device}: step ${step + 1}/${steps}, loss ${losses[losses.length - 1]!.toFixed(4)}`);
      await nextFrame();
    }
  }
  const values: number[][] = [];
  for (const p of params) values.push(Array.from(await p.data()));
  return { losses, params: values };
}

function drawLoss(losses: number[]): void {
  const c = $<HTMLCanvasElement>('loss'), g = c.getContext('2d')!;
  const pad = 40, w = c.width - pad - 10, h = c.height - pad - 10, top = Math.max(...losses);
  g.clearRect(0, 0, c.width, c.height);
  g.strokeStyle = '#9aa5b4';
  g.strokeRect(pad, 10, w, h);
  g.fillStyle = '#1d2430';
  g.font = '12px system-ui';
  g.fillText(top.toFixed(2), 4, 16);
  g.fillText('0', 26, 10 + h);
  g.fillText(`step ${losses.length}`, pad + w - 60, 10 + h + 18);
  g.strokeStyle = '#d9480f';
  g.lineWidth = 2;
  g.beginPath();
  losses.forEach((l, i) => {
    const px = pad + (i / Math.max(1, losses.length - 1)) * w, py = 10 + h - (l / top) * h;
    if (i === 0) g.moveTo(px, py); else g.lineTo(px, py);
  });
  g.stroke();
  $('loss-text').textContent = `cross-entropy loss: ${losses[losses.length - 1]!.toFixed(4)} after ${losses.length} steps`;
}

async function drawBoundary(forward: (x: torch.Tensor) => torch.Tensor, x: torch.Tensor, y: torch.Tensor): Promise<void> {
  const c = $<HTMLCanvasElement>('boundary'), g = c.getContext('2d')!, n = 64, cell = c.width / n;
  const axis = torch.linspace(-1.1, 1.1, n);
  const grid = torch.stack([axis.view(1, n).expand(n, n).reshape(-1), axis.view(n, 1).expand(n, n).reshape(-1)], 1).to(x.device);
  const p = torch.noGrad(() => F.softmax(forward(grid), 1).index(':', 1));
  const probs = await p.data(), pts = await x.data(), labels = await y.data();
  for (let i = 0; i < n * n; i++) {
    const q = probs[i]!;
    g.fillStyle = `rgb(${Math.round(255 - 90 * q)}, ${Math.round(235 - 40 * Math.abs(q - 0.5))}, ${Math.round(165 + 90 * q)})`;
    g.fillRect((i % n) * cell, c.height - (Math.floor(i / n) + 1) * cell, cell + 1, cell + 1);
  }
  const px = (v: number) => ((v + 1.1) / 2.2) * c.width;
  for (let i = 0; i < labels.length; i++) {
    g.fillStyle = labels[i] ? '#1c4fa0' : '#b3261e';
    g.beginPath();
    g.arc(px(pts[2 * i]!), c.height - px(pts[2 * i + 1]!), 2.5, 0, 2 * Math.PI);
    g.fill();
  }
}

/** Median milliseconds of `run` over `reps` runs after one warm-up. */
async function time(run: () => Promise<unknown>, reps = 5): Promise<number> {
  await run();
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
    await nextFrame();
  }
  return ms.sort((a, b) => a - b)[reps >> 1]!;
}

interface SpeedupRow { workload: string; cpu: number; workers: number; speedup: number }

/** exp and sum over 2^22 floats on cpu and on the pool. */
async function measureSpeedup(): Promise<SpeedupRow[]> {
  const base = torch.randn(1 << 22);
  const onPool = base.to('workers');
  await onPool.ready();
  const rows: SpeedupRow[] = [];
  for (const [workload, op] of [['exp (elementwise)', (t: torch.Tensor) => t.exp()], ['sum (reduction)', (t: torch.Tensor) => t.sum()]] as const) {
    const cpu = await time(() => op(base).ready());
    const workers = await time(() => op(onPool).ready());
    rows.push({ workload, cpu, workers, speedup: cpu / workers });
  }
  const table = $<HTMLTableElement>('speedup');
  for (const r of rows) {
    const tr = table.insertRow();
    for (const v of [r.workload, r.cpu.toFixed(1), r.workers.toFixed(1), `${r.speedup.toFixed(2)}x`]) tr.insertCell().textContent = v;
  }
  return rows;
}

function setThreads(n: number): void {
  threads = n;
  registerWorkersBackend({ threads });
}

$('walkthrough').textContent = walkthrough().join('\n');
$<HTMLInputElement>('threads').addEventListener('change', (e) => setThreads(Number((e.target as HTMLInputElement).value)));
$('train').addEventListener('click', () => void train($<HTMLSelectElement>('device').value));
$('bench').addEventListener('click', () => void measureSpeedup());
status(canShareMemory() ? `ready: cross-origin isolated, workers device with ${threads} threads` : 'ready: not cross-origin isolated, so the workers device runs the cpu kernels');

declare global {
  interface Window {
    kindlingDemo: {
      walkthrough: () => string[];
      train: typeof train;
      measureSpeedup: typeof measureSpeedup;
      setThreads: typeof setThreads;
      isolated: boolean;
    };
  }
}
window.kindlingDemo = { walkthrough, train, measureSpeedup, setThreads, isolated: canShareMemory() };
