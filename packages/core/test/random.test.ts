import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_SEED,
  Generator,
  defaultGenerator,
  fillBernoulli,
  fillNormal,
  fillRandint,
  fillUniform,
  initialSeed,
  manualSeed,
  randpermValues,
} from "../src/random/index.js";

interface TensorOut {
  shape: number[];
  dtype: "float32" | "float64" | "int64";
  data: number[];
}
interface Step {
  call: "rand" | "randn" | "randint" | "randperm" | "normal_" | "uniform_" | "bernoulli";
  args: unknown[];
  out: TensorOut;
}
interface Case {
  id: string;
  seed: number;
  steps: Step[];
}

const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/torch-random.json", import.meta.url), "utf8"),
) as { cases: Case[] };

const numel = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

function floatOut(out: TensorOut): Float32Array | Float64Array {
  const n = numel(out.shape);
  return out.dtype === "float64" ? new Float64Array(n) : new Float32Array(n);
}

/** Runs one recorded call on the default generator. */
function run(step: Step): ArrayLike<number> {
  const { call, args, out } = step;
  const n = numel(out.shape);
  switch (call) {
    case "rand": {
      const a = floatOut(out);
      fillUniform(a, 0, 1);
      return a;
    }
    case "randn": {
      const a = floatOut(out);
      fillNormal(a, 0, 1);
      return a;
    }
    case "normal_": {
      const a = floatOut(out);
      fillNormal(a, args[1] as number, args[2] as number);
      return a;
    }
    case "uniform_": {
      const a = floatOut(out);
      fillUniform(a, args[1] as number, args[2] as number);
      return a;
    }
    case "randint": {
      const a = new Float64Array(n);
      fillRandint(a, args[0] as number, args[1] as number);
      return a;
    }
    case "randperm":
      return randpermValues(args[0] as number);
    case "bernoulli": {
      // torch.bernoulli(torch.full(shape, p)): p is a float32 tensor
      const a = floatOut(out);
      fillBernoulli(a, new Float32Array(n).fill(args[1] as number));
      return a;
    }
  }
}

describe("torch-random fixture (PyTorch 1.13 CPU generator)", () => {
  for (const c of fixture.cases) {
    it(c.id, () => {
      manualSeed(c.seed);
      c.steps.forEach((step, k) => {
        const got = Array.from(run(step));
        expect(got.length, `step ${k} (${step.call}) length`).toBe(numel(step.out.shape));
        // toEqual uses Object.is on numbers: exact, bit-for-bit values
        expect(got, `step ${k} (${step.call})`).toEqual(step.out.data);
      });
    });
  }
});

describe("Generator", () => {
  it("defaults to PyTorch's default seed", () => {
    expect(new Generator().initialSeed()).toBe(67280421310721n);
    expect(DEFAULT_SEED).toBe(67280421310721n);
  });

  it("produces the std::mt19937 stream", () => {
    // 10000th output of std::mt19937 with the default seed 5489
    const g = new Generator(5489);
    let v = 0;
    for (let i = 0; i < 10000; i++) v = g.random();
    expect(v).toBe(4123659995);
  });

  it("combines two 32-bit draws into random64 (first draw high)", () => {
    const a = new Generator(7);
    const b = new Generator(7);
    const hi = BigInt(b.random());
    const lo = BigInt(b.random());
    expect(a.random64()).toBe((hi << 32n) | lo);
  });

  it("manualSeed resets the stream and the cached normal", () => {
    const g = new Generator(3);
    const first = new Float64Array(3);
    fillNormal(first, 0, 1, g); // leaves a cached Box-Muller sample
    g.manualSeed(3);
    const again = new Float64Array(3);
    fillNormal(again, 0, 1, g);
    expect(Array.from(again)).toEqual(Array.from(first));
  });

  it("wraps negative seeds like PyTorch (two's complement uint64)", () => {
    expect(new Generator(-1).initialSeed()).toBe((1n << 64n) - 1n);
  });

  it("round-trips its state", () => {
    const g = new Generator(11);
    g.random();
    const st = g.getState();
    const x = [g.random(), g.random()];
    g.setState(st);
    expect([g.random(), g.random()]).toEqual(x);
  });

  it("module-level manualSeed reseeds the default generator", () => {
    expect(manualSeed(123)).toBe(defaultGenerator);
    expect(initialSeed()).toBe(123n);
  });
});

describe("distributions", () => {
  it("randint uses random64 for ranges >= 2^32", () => {
    const g = new Generator(5);
    const ref = new Generator(5);
    const out = new Float64Array(4);
    const range = 2 ** 40;
    fillRandint(out, -5, range - 5, g);
    const want = Array.from({ length: 4 }, () => Number(ref.random64() % BigInt(range)) - 5);
    expect(Array.from(out)).toEqual(want);
  });

  it("randperm is a permutation", () => {
    const p = Array.from(randpermValues(1000, new Generator(9))).sort((a, b) => a - b);
    expect(p).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it("normal_ moments are sane for large float32 and float64 outputs", () => {
    for (const a of [new Float32Array(100003), new Float64Array(100003)]) {
      fillNormal(a, 2, 3, new Generator(1));
      let s = 0;
      let s2 = 0;
      for (const v of a) {
        s += v;
        s2 += v * v;
      }
      const mean = s / a.length;
      const sd = Math.sqrt(s2 / a.length - mean * mean);
      expect(Math.abs(mean - 2)).toBeLessThan(0.05);
      expect(Math.abs(sd - 3)).toBeLessThan(0.05);
    }
  });
});
