/**
 * torch.save / torch.load against real PyTorch: files PyTorch 1.13 wrote (fixtures/serialization,
 * from gen.py) load with the values, dtypes, sharing and strides PyTorch reports; files Kindling
 * writes are read back by Python's torch.load (when a python3 with torch is present; CI installs
 * Debian's python3-torch, so there a missing one fails).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as torch from '../src/index.js';
import { load as loadFile, save as saveFile } from '../src/serialization/node.js';
import * as browser from '../src/serialization/browser.js';

const dir = new URL('./fixtures/serialization/', import.meta.url);
const fixture = (name: string): Uint8Array => readFileSync(new URL(name, dir));
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8')) as Record<string, unknown>;

/** The JSON form gen.py writes: tensors with storage numbers in order of first appearance. */
function toJson(v: unknown, storages: Map<unknown, number>): unknown {
  if (v instanceof torch.Tensor) {
    if (!storages.has(v.storage)) storages.set(v.storage, storages.size);
    const data = [...v.dataSync()].map((x) => (v.dtype === 'bool' ? x !== 0 : Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : x));
    return { tensor: { shape: [...v.shape], dtype: v.dtype, data, storage: storages.get(v.storage), offset: v.offset, stride: [...v.strides], requires_grad: v.requiresGrad } };
  }
  if (Array.isArray(v)) return { list: v.map((x) => toJson(x, storages)) };
  if (v instanceof Map) return { dict: [...v].map(([k, x]) => [k, toJson(x, storages)]) };
  if (v !== null && typeof v === 'object') {
    return { dict: Object.entries(v).map(([k, x]) => [/^\d+$/.test(k) ? Number(k) : k, toJson(x, storages)]) };
  }
  return Number.isNaN(v) ? 'nan' : v;
}

/** Python's JSON gives Python dicts with mixed keys; Kindling returns those as Maps. */
describe('torch.load reads what PyTorch 1.13 wrote', () => {
  for (const name of ['state-dict', 'shared-views', 'optimizer', 'parameter']) {
    it(name, () => {
      expect(toJson(torch.load(fixture(`${name}.pt`)), new Map())).toEqual(expected[name]);
    });
  }

  it('dtypes: float16 and bfloat16 widen to float32, uint8 to int32, and it says so once', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const got = torch.load(fixture('dtypes.pt'));
      expect(toJson(got, new Map())).toEqual(expected['dtypes']);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/float16 -> float32.*bfloat16 -> float32.*uint8 -> int32/);
    } finally {
      warn.mockRestore();
    }
  });

  it('views share their storage: an in-place write through one shows in the other', () => {
    const [numbers, evens] = torch.load(fixture('shared-views.pt')) as torch.Tensor[];
    evens!.mul_(2);
    expect(numbers!.tolist()).toEqual([1, 4, 3, 8, 5, 12, 7, 16, 9]);
  });

  it('a state dict loads as a plain object with PyTorch keys, num_batches_tracked as int64', () => {
    const sd = torch.load(fixture('state-dict.pt')) as Record<string, torch.Tensor>;
    expect(Object.keys(sd)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked', '3.weight', '3.bias']);
    expect(sd['1.num_batches_tracked']!.dtype).toBe('int64');
    expect(sd['1.num_batches_tracked']!.item()).toBe(1);
  });

  it('loads onto another device with { device }', () => {
    const sd = torch.load(fixture('state-dict.pt'), { device: 'cpu' }) as Record<string, torch.Tensor>;
    expect(sd['0.weight']!.device).toBe('cpu');
  });

  it('never runs code from a file: an arbitrary class is refused by name', () => {
    const log = vi.spyOn(console, 'log');
    expect(() => torch.load(fixture('evil.pt'))).toThrow(/unsupported pickle content: global '(__builtin__|builtins)\.print'/);
    expect(log).not.toHaveBeenCalled();
    log.mockRestore();
  });

  it('every truncation of a file is a clear error', () => {
    const bytes = fixture('state-dict.pt');
    for (let cut = 0; cut < bytes.length; cut += 7) {
      expect(() => torch.load(bytes.subarray(0, cut)), `cut at ${cut}`).toThrow(torch.RuntimeError);
    }
  });

  it('corrupt bytes give Kindling errors, never a V8 internal error', () => {
    const bytes = fixture('state-dict.pt');
    for (let at = 0; at < bytes.length; at += 13) {
      const bad = bytes.slice();
      bad[at] = bad[at]! ^ 0xff;
      try {
        torch.load(bad);
      } catch (e) {
        // A flipped byte inside tensor data is not detectable (no checksum check); anything else
        // must be one of Kindling's own errors.
        expect(e, `byte ${at}`).toBeInstanceOf(torch.RuntimeError);
      }
    }
  });

  it('the legacy format and TorchScript archives are named, not misread', () => {
    expect(() => torch.load(new Uint8Array([0x80, 0x02, 0x8a, 0x0a]))).toThrow(/legacy \(pre-1\.6\) torch\.save format/);
    expect(() => torch.load(new Uint8Array([1, 2, 3]), { format: 'torch' })).toThrow(/not a zip file/);
  });
});

describe('torch.save writes what Kindling and PyTorch read back', () => {
  const a = torch.arange(10, { dtype: 'float32' });
  const obj = {
    a, evens: a.index([0, 10, 2]), t: a.view(2, 5).t(), i: torch.arange(4), b: torch.tensor([true, false]), d: torch.ones(3, { dtype: 'float64' }),
    i32: torch.tensor([-3, 4], { dtype: 'int32' }), scalar: torch.tensor(1.5), w: torch.randn(2, 2).requiresGrad_(),
    n: 3, f: 0.25, s: 'héllo', l: [1, null, true, 'x'], state: { 0: { step: 5 }, 1: { step: 6 } },
  };

  it('round-trips through Kindling with sharing, views, dtypes and requiresGrad', () => {
    const back = torch.load(torch.save(obj));
    expect(toJson(back, new Map())).toEqual(toJson(obj, new Map()));
    expect(back.evens.storage).toBe(back.a.storage);
  });

  it('pads every record to 64 bytes, as PyTorch does', () => {
    const bytes = torch.save({ x: torch.ones(3) });
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    for (let at = 0; at + 30 < bytes.length; at++) {
      if (view.getUint32(at, true) !== 0x04034b50) continue;
      const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
      expect(start % 64).toBe(0);
    }
  });

  it("Python's torch.load reads it (Debian's PyTorch)", () => {
    const python = findTorchPython();
    if (python === null) {
      if (process.env['CI'] === 'true') throw new Error('CI must have a python3 with torch (apt-get install python3-torch)');
      console.warn('skipped by name: "Python reads Kindling files" (no python3 with torch here)');
      return;
    }
    const file = join(tmp, 'kindling.pt');
    saveFile(obj, file);
    const out = execFileSync(python, [new URL('verify.py', dir).pathname, file], { cwd: new URL('.', dir).pathname, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(toJson(obj, new Map()));
  }, 120_000); // importing torch takes seconds, more on a loaded machine

  it('refuses what it cannot write, with a clear error', () => {
    expect(() => torch.save({ f: () => 1 })).toThrow(/cannot save a value of type function/);
    expect(() => torch.save(new Date())).toThrow(/cannot save a Date/);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => torch.save(cyclic)).toThrow(/contains itself/);
    expect(() => torch.save(obj, 'model.pt' as never)).toThrow(/@kindling\/core\/node/);
    expect(() => torch.load('model.pt' as never)).toThrow(/@kindling\/core\/node/);
  });
});

describe('safetensors', () => {
  it('reads a file written independently from PyTorch tensors', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const got = torch.load(fixture('tensors.safetensors'), { format: 'safetensors' }) as Record<string, torch.Tensor>;
    warn.mockRestore();
    const want = expected['safetensors'] as Record<string, { tensor: unknown }>;
    for (const [name, t] of Object.entries(got)) {
      expect({ ...(toJson(t, new Map()) as { tensor: object }).tensor, storage: 0 }).toEqual(want[name]);
    }
  });

  it('round-trips a flat map, and the format is told from the bytes', () => {
    const m = { w: torch.randn(3, 4).t(), i: torch.arange(5), b: torch.tensor([true]) };
    const back = torch.load(torch.save(m, { format: 'safetensors', metadata: { by: 'kindling' } }));
    for (const k of Object.keys(m) as (keyof typeof m)[]) expect(back[k].tolist()).toEqual(m[k].tolist());
  });

  it('refuses nested values and corrupt headers clearly', () => {
    expect(() => torch.save({ a: { b: torch.ones(1) } }, { format: 'safetensors' })).toThrow(/not a Tensor/);
    const bytes = torch.save({ w: torch.ones(2) }, { format: 'safetensors' });
    expect(() => torch.load(bytes.subarray(0, 12), { format: 'safetensors' })).toThrow(/truncated/);
    const bad = bytes.slice();
    bad[9] = 0x7b;
    bad[10] = 0x7b;
    expect(() => torch.load(bad, { format: 'safetensors' })).toThrow(torch.RuntimeError);
  });
});

describe('@kindling/core/node', () => {
  it('saves to and loads from a path', () => {
    const file = join(tmp, 'x.pt');
    saveFile({ x: torch.arange(3) }, file);
    expect((loadFile(file) as { x: torch.Tensor }).x.tolist()).toEqual([0, 1, 2]);
  });

  it('its browser build explains the bytes API', () => {
    expect(() => browser.save({}, 'x.pt')).toThrow(/torch\.save\(obj\) returns the bytes/);
  });
});

const tmp = mkdtempSync(join(tmpdir(), 'kindling-ser-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function findTorchPython(): string | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
      return python;
    } catch {
      // try the next one
    }
  }
  return null;
}
