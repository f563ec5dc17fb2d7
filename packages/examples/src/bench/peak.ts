/**
 * This machine's ceiling for the wasm kernels' arithmetic: f32x4 multiplies and adds per second on
 * one thread, with no memory traffic. WebAssembly SIMD128 has no fused multiply-add (relaxed SIMD
 * needs a flag in Node 20), so a matmul's 2 flops per multiply-add are one f32x4.mul and one
 * f32x4.add, and this is the most any wasm matmul can reach here. The GFLOP/s rows of the report
 * are given as a share of it, so a run on another machine can be read against its own ceiling.
 *
 * The loop keeps CHAINS multiply chains (m = m * y) and CHAINS add chains (a = a + z) in registers:
 * each op depends only on its own chain's previous value, so nothing can be hoisted or folded, and
 * enough chains are in flight to cover the ops' latency on every FP pipe.
 */
import wabtInit from 'wabt';
import { median } from './stats.js';

export interface PeakResult {
  /** f32x4 mul + add GFLOP/s on one thread: best sample (the ceiling) and median sample. */
  best_gflops: number;
  median_gflops: number;
  runs: number;
}

/** 6 + 6 chains and y, z: 14 vector registers (x64 has 16, V8 keeps one as scratch; more spill). */
const CHAINS = 6;
/** The two constructors this file needs (the project's TypeScript lib has no WebAssembly types). */
const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (m: object) => { exports: unknown } } }).WebAssembly;

const TURNS = 1_000_000; // loop turns per run: about 3 ms at 20 GFLOP/s

function peakWat(): string {
  const chains = Array.from({ length: CHAINS }, (_, i) => i);
  const locals = chains.map((i) => `(local $m${i} v128) (local $a${i} v128)`).join(' ');
  // Distinct starting values, so no two chains are the same expression.
  const init = chains.map((i) => `(local.set $m${i} (f32x4.splat (f32.const ${1 + i / 64}))) (local.set $a${i} (f32x4.splat (f32.const ${i})))`).join('\n');
  const body = chains.map((i) => `(local.set $m${i} (f32x4.mul (local.get $m${i}) (local.get $y))) (local.set $a${i} (f32x4.add (local.get $a${i}) (local.get $z)))`).join('\n');
  const all = chains.flatMap((i) => [`(local.get $m${i})`, `(local.get $a${i})`]).reduce((s, x) => `(f32x4.add ${s} ${x})`);
  // y slightly below 1 keeps the products normal numbers over a run (0.9999999^1e6 ~ 0.9).
  return `(module (func (export "run") (param $n i32) (result f32)
  (local $y v128) (local $z v128) ${locals}
  (local.set $y (f32x4.splat (f32.const 0.9999999))) (local.set $z (f32x4.splat (f32.const 0.000001)))
  ${init}
  (loop $turn
    ${body}
    (br_if $turn (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
  (f32x4.extract_lane 0 ${all})))`;
}

/**
 * Samples the peak: one timed run per `sample()`. main.ts takes samples at the start and between
 * the workloads' repetitions, so the ceiling is measured through the same quiet and busy phases of
 * a shared machine as the rows read against it.
 */
export class PeakMeter {
  private readonly gflops: number[] = [];
  private constructor(private readonly run: (n: number) => number) {}

  static async create(): Promise<PeakMeter> {
    const wabt = await wabtInit();
    const bytes = wabt.parseWat('peak.wat', peakWat(), { simd: true }).toBinary({}).buffer;
    const { run } = new wasm.Instance(new wasm.Module(bytes)).exports as { run(n: number): number };
    // V8 first runs a wasm function in its baseline tier (about 6 GFLOP/s here) and swaps in the
    // optimized code, compiled on a background thread, at a later call: warm up across several
    // calls, yielding to let that compile finish.
    for (let i = 0; i < 20; i++) {
      run(TURNS / 10);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return new PeakMeter(run);
  }

  sample(): void {
    const t0 = performance.now();
    this.run(TURNS);
    this.gflops.push((TURNS * CHAINS * 2 * 4) / (performance.now() - t0) / 1e6); // a mul and an add of 4 lanes per chain pair and turn
  }

  result(): PeakResult {
    const r1 = (x: number): number => Math.round(x * 10) / 10;
    return { best_gflops: r1(Math.max(...this.gflops)), median_gflops: r1(median(this.gflops)), runs: this.gflops.length };
  }
}

/** One line: the peak, for the console. */
export function describePeak(p: PeakResult): string {
  return `f32x4 mul + add peak (1 thread, no memory traffic): best ${p.best_gflops} GFLOP/s, median ${p.median_gflops} over ${p.runs} samples`;
}
