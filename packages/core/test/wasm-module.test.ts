/** The committed wasm module is what the generator produces now (run `pnpm gen:wasm` after editing it). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderModule } from '../src/kernels/wasm/generate.mjs';
import { WebAssemblyApi as WA, type TestMemory } from './wasm-global.js';

describe('wasm kernels module', () => {
  it('module.ts matches a fresh generation (else run pnpm gen:wasm)', async () => {
    const committed = readFileSync(new URL('../src/kernels/wasm/module.ts', import.meta.url), 'utf8');
    expect(committed === (await renderModule())).toBe(true);
  });

  it('both variants compile and link: shared to a shared memory, unshared to an unshared one', async () => {
    const { compileWasmKernels } = await import('../src/kernels/wasm/runtime.js');
    const imports = (memory: TestMemory) => ({ env: { memory, exp: Math.exp, log: Math.log } });
    const shared = new WA.Memory({ initial: 1, maximum: 65536, shared: true });
    const plain = new WA.Memory({ initial: 1 });
    expect(() => new WA.Instance(compileWasmKernels(true), imports(shared))).not.toThrow();
    expect(() => new WA.Instance(compileWasmKernels(false), imports(plain))).not.toThrow();
    expect(() => new WA.Instance(compileWasmKernels(true), imports(plain))).toThrow();
  });
});
