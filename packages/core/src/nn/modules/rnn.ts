/**
 * RNN, LSTM and GRU: multi-layer, optionally bidirectional, sequence-first unless batchFirst.
 * Each time step is built from F.linear and pointwise ops, so gradients come from the ops.
 * Parameters are named and initialised as PyTorch's (weight_ih_l0, ..._reverse; all from
 * U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)) in parameter order).
 */
import type { Tensor } from '../../tensor.js';
import { RuntimeError, ValueError } from '../../errors.js';
import { zeros } from '../../ops/creation.js';
import { cat, stack } from '../../ops/shape.js';
import { bindArgs } from '../args.js';
import { uniform_ } from '../init.js';
import { dropout, linear } from '../layers.js';
import { Module } from '../module.js';
import { emptyParam, factory, type FactoryOptions } from './linear.js';
import { pyFloat } from './repr.js';

/** Keywords of the recurrent modules. */
export interface RNNOptions extends FactoryOptions {
  numLayers?: number;
  /** RNN only: 'tanh' or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
  bias?: boolean;
  batchFirst?: boolean;
  /** Dropout between layers (training only). */
  dropout?: number;
  bidirectional?: boolean;
}

type Mode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

/** The weights of one layer and direction. */
interface Cell { wIh: Tensor; wHh: Tensor; bIh: Tensor | null; bHh: Tensor | null }

/** What RNN, LSTM and GRU share: parameters, init, the layer/direction loop. */
abstract class RNNBase extends Module {
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** Field names of the weights per layer and direction, in PyTorch's order. */
  readonly #cells: string[][] = [];

  constructor(protected readonly mode: Mode, readonly inputSize: number, readonly hiddenSize: number, a: RNNOptions) {
    super();
    this.numLayers = a.numLayers ?? 1;
    this.bias = a.bias ?? true;
    this.batchFirst = a.batchFirst ?? false;
    this.dropout = a.dropout ?? 0;
    this.bidirectional = a.bidirectional ?? false;
    if (this.dropout < 0 || this.dropout > 1) throw new ValueError('dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
    const gates = mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1;
    const dirs = this.bidirectional ? 2 : 1;
    const f = factory(a);
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let d = 0; d < dirs; d++) {
        const suffix = `L${layer}${d === 1 ? 'Reverse' : ''}`;
        const inSize = layer === 0 ? inputSize : hiddenSize * dirs;
        const names = [`weightIh${suffix}`, `weightHh${suffix}`];
        this.registerParameter(names[0]!, emptyParam([gates * hiddenSize, inSize], f));
        this.registerParameter(names[1]!, emptyParam([gates * hiddenSize, hiddenSize], f));
        if (this.bias) {
          names.push(`biasIh${suffix}`, `biasHh${suffix}`);
          this.registerParameter(names[2]!, emptyParam([gates * hiddenSize], f));
          this.registerParameter(names[3]!, emptyParam([gates * hiddenSize], f));
        }
        this.#cells.push(names);
      }
    }
    this.resetParameters();
  }

  /** Every weight and bias from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)), in parameter order. */
  resetParameters(): void {
    const stdv = this.hiddenSize > 0 ? 1.0 / Math.sqrt(this.hiddenSize) : 0;
    for (const p of this.parameters()) uniform_(p, -stdv, stdv);
  }

  #cell(i: number): Cell {
    const self = this as unknown as Record<string, Tensor>;
    const n = this.#cells[i]!;
    return { wIh: self[n[0]!]!, wHh: self[n[1]!]!, bIh: n[2] ? self[n[2]]! : null, bHh: n[3] ? self[n[3]]! : null };
  }

  /** One time step: new hidden state(s) from input x [N, in] and state [h] or [h, c]. */
  protected step(x: Tensor, state: Tensor[], c: Cell): Tensor[] {
    const h = state[0]!;
    const gi = linear(x, c.wIh, c.bIh), gh = linear(h, c.wHh, c.bHh);
    switch (this.mode) {
      case 'RNN_TANH': return [gi.add(gh).tanh()];
      case 'RNN_RELU': return [gi.add(gh).relu()];
      case 'LSTM': {
        const [i, f, g, o] = gi.add(gh).chunk(4, 1) as [Tensor, Tensor, Tensor, Tensor];
        const cNext = f.sigmoid().mul(state[1]!).add(i.sigmoid().mul(g.tanh()));
        return [o.sigmoid().mul(cNext.tanh()), cNext];
      }
      case 'GRU': {
        const [ir, iz, inn] = gi.chunk(3, 1) as [Tensor, Tensor, Tensor];
        const [hr, hz, hn] = gh.chunk(3, 1) as [Tensor, Tensor, Tensor];
        const r = ir.add(hr).sigmoid(), z = iz.add(hz).sigmoid();
        const n = inn.add(r.mul(hn)).tanh();
        return [n.sub(n.mul(z)).add(z.mul(h))];
      }
    }
  }

  /**
   * Runs all layers and directions. `input` [L, N, in] ([N, L, in] with batchFirst, or
   * unbatched [L, in]); `hx`: initial states, each [layers * dirs, N, hidden] (zeros if null).
   * Returns the last layer's outputs and the final states.
   */
  protected run(input: Tensor, hx: Tensor[] | null): [Tensor, Tensor[]] {
    const batched = input.ndim === 3;
    if (input.ndim !== 2 && input.ndim !== 3) throw new ValueError(`${this.constructor.name}: Expected input to be 2D or 3D, got ${input.ndim}D instead`);
    let x = batched ? (this.batchFirst ? input.transpose(0, 1) : input) : input.unsqueeze(1);
    if (x.shape[2] !== this.inputSize) throw new RuntimeError(`input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${x.shape[2]}`);
    const [T, N] = x.shape as [number, number];
    const dirs = this.bidirectional ? 2 : 1;
    const nStates = this.mode === 'LSTM' ? 2 : 1;
    const init = hx?.map((h) => (batched ? h : h.unsqueeze(1))) ??
      Array.from({ length: nStates }, () => zeros([this.numLayers * dirs, N, this.hiddenSize], { dtype: input.dtype, device: input.device }));
    const finals: Tensor[][] = Array.from({ length: nStates }, () => []);
    for (let layer = 0; layer < this.numLayers; layer++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < dirs; d++) {
        const idx = layer * dirs + d;
        const cell = this.#cell(idx);
        let state = init.map((s) => s.select(0, idx));
        const seq: Tensor[] = new Array<Tensor>(T);
        for (let k = 0; k < T; k++) {
          const t = d === 0 ? k : T - 1 - k;
          state = this.step(x.select(0, t), state, cell);
          seq[t] = state[0]!;
        }
        outs.push(stack(seq, 0));
        state.forEach((s, j) => finals[j]!.push(s));
      }
      x = dirs === 2 ? cat(outs, -1) : outs[0]!;
      if (this.dropout > 0 && this.training && layer < this.numLayers - 1) x = dropout(x, this.dropout);
    }
    let out = batched ? (this.batchFirst ? x.transpose(0, 1) : x) : x.squeeze(1);
    const states = finals.map((f) => (batched ? stack(f, 0) : stack(f, 0).squeeze(1)));
    if (!batched) out = out.contiguous();
    return [out, states];
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (this.mode === 'RNN_RELU') s += `, nonlinearity='relu'`;
    if (!this.bias) s += ', bias=False';
    if (this.batchFirst) s += ', batch_first=True';
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional) s += ', bidirectional=True';
    return s;
  }
}

const RNN_NAMES = ['numLayers', 'nonlinearity', 'bias', 'batchFirst', 'dropout', 'bidirectional'] as const;
const rnnDefaults = (): RNNOptions => ({ numLayers: 1, nonlinearity: 'tanh', bias: true, batchFirst: false, dropout: 0, bidirectional: false, device: undefined, dtype: undefined });

/** nn.RNN(inputSize, hiddenSize, numLayers=1, nonlinearity='tanh', bias=true, batchFirst=false, dropout=0, bidirectional=false). */
export class RNN extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, ...rest: (number | string | boolean | RNNOptions)[]) {
    const a = bindArgs<RNNOptions>('RNN', rest, [...RNN_NAMES], rnnDefaults());
    if (a.nonlinearity !== 'tanh' && a.nonlinearity !== 'relu') throw new ValueError(`Unknown nonlinearity '${a.nonlinearity}'. Select from 'tanh' or 'relu'.`);
    super(a.nonlinearity === 'relu' ? 'RNN_RELU' : 'RNN_TANH', inputSize, hiddenSize, a);
  }
  /** Returns [output, hN]. */
  override forward(input: Tensor, hx: Tensor | null = null): [Tensor, Tensor] {
    const [out, [h]] = this.run(input, hx ? [hx] : null);
    return [out, h!];
  }
}

/** nn.LSTM(inputSize, hiddenSize, numLayers=1, bias=true, batchFirst=false, dropout=0, bidirectional=false). */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, ...rest: (number | boolean | Omit<RNNOptions, 'nonlinearity'>)[]) {
    super('LSTM', inputSize, hiddenSize, bindArgs<RNNOptions>('LSTM', rest, ['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional'], rnnDefaults()));
  }
  /** Returns [output, [hN, cN]]; `hx` is [h0, c0] or null for zeros. */
  override forward(input: Tensor, hx: [Tensor, Tensor] | null = null): [Tensor, [Tensor, Tensor]] {
    const [out, [h, c]] = this.run(input, hx);
    return [out, [h!, c!]];
  }
}

/** nn.GRU(inputSize, hiddenSize, numLayers=1, bias=true, batchFirst=false, dropout=0, bidirectional=false). */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, ...rest: (number | boolean | Omit<RNNOptions, 'nonlinearity'>)[]) {
    super('GRU', inputSize, hiddenSize, bindArgs<RNNOptions>('GRU', rest, ['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional'], rnnDefaults()));
  }
  /** Returns [output, hN]. */
  override forward(input: Tensor, hx: Tensor | null = null): [Tensor, Tensor] {
    const [out, [h]] = this.run(input, hx ? [hx] : null);
    return [out, h!];
  }
}

