/** The WebAssembly global, typed for tests (core's test build has neither DOM nor wasm lib types). */
export interface TestMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}
export const WebAssemblyApi = (globalThis as unknown as {
  WebAssembly: {
    Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => TestMemory;
    Instance: new (module: object, imports: object) => object;
  };
}).WebAssembly;
