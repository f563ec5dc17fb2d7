/**
 * UTF-8 through the TextEncoder / TextDecoder every runtime has (Node, browsers, workers); core
 * compiles without DOM or Node types, so they are reached through globalThis here.
 */
interface TextCodecs {
  TextEncoder: new () => { encode(s: string): Uint8Array };
  TextDecoder: new (label?: string, options?: { fatal?: boolean }) => { decode(b: Uint8Array): string };
}

const codecs = globalThis as unknown as TextCodecs;
const encoder = new codecs.TextEncoder();
const lenient = new codecs.TextDecoder();
const strict = new codecs.TextDecoder('utf-8', { fatal: true });

/** The UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** A string from UTF-8 bytes; `fatal` throws on invalid bytes instead of replacing them. */
export function fromUtf8(b: Uint8Array, fatal = false): string {
  return (fatal ? strict : lenient).decode(b);
}
