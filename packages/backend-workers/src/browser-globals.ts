/**
 * The few browser globals the browser build uses, typed here: the package compiles against
 * Node's types, and pulling in the DOM library beside them would clash.
 */

/** A module Web Worker, as far as the pool uses it. */
export interface WebWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: { data?: unknown; message?: string }) => void): void;
}

/** The global scope of a page or a worker. */
export interface BrowserScope {
  Worker?: new (url: string | URL, options: { type: 'module'; name?: string }) => WebWorker;
  navigator?: { hardwareConcurrency?: number };
  crossOriginIsolated?: boolean;
  SharedArrayBuffer?: unknown;
  document?: unknown;
  postMessage?(message: unknown): void;
  close?(): void;
}

export const scope = globalThis as unknown as BrowserScope;
