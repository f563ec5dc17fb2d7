/**
 * `@kindling/core/node` as browsers see it: there is no file system, so the path forms explain
 * the bytes API (`torch.save(obj)` returns a Uint8Array, `torch.load(bytes)` reads one).
 */
import { RuntimeError } from '../errors.js';

const WHY = 'file paths need Node; in a browser, torch.save(obj) returns the bytes and torch.load(bytes) reads them';

/** Not available in browsers (see the module comment). */
export function save(_obj: unknown, _path: string): never {
  throw new RuntimeError(`save(obj, path): ${WHY}`);
}

/** Not available in browsers (see the module comment). */
export function load(_path: string): never {
  throw new RuntimeError(`load(path): ${WHY}`);
}
