// The two node:fs functions the Node entry uses. Core compiles without Node's types so that no
// other file can reach for Node APIs by accident; this declares just what node.ts needs.
declare module 'node:fs' {
  export function readFileSync(path: string): Uint8Array;
  export function writeFileSync(path: string, data: Uint8Array): void;
}
