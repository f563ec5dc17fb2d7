/**
 * `@kindling/core/node`: torch.save / torch.load with file paths, for Node. Browsers resolve this
 * entry to `browser.ts` (an export condition), which explains the bytes API instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { load as loadBytes, save as saveBytes, type LoadOptions, type SaveOptions } from './index.js';

/** torch.save(obj, path): writes PyTorch's format (or safetensors) to a file. */
export function save(obj: unknown, path: string, options: SaveOptions = {}): void {
  writeFileSync(path, saveBytes(obj, options));
}

/** torch.load(path): reads a file PyTorch's torch.save (or safetensors) wrote. */
export function load(path: string, options: LoadOptions = {}): any {
  return loadBytes(readFileSync(path), options);
}
