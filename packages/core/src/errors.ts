/**
 * Error classes named after the Python exceptions PyTorch raises. Each message starts with
 * PyTorch's own first line, so ported code and tests can match on it.
 */

/** PyTorch's RuntimeError. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

/** PyTorch's IndexError (bad index or dimension). */
export class IndexError extends Error {
  override name = 'IndexError';
}

/** PyTorch's ValueError. */
export class ValueError extends Error {
  override name = 'ValueError';
}

/** PyTorch's TypeError (wrong argument types). */
export class TypeError extends Error {
  override name = 'TypeError';
}

/** A feature PyTorch has that Kindling does not support yet; the message names it. */
export class NotSupportedError extends Error {
  override name = 'NotSupportedError';
}
