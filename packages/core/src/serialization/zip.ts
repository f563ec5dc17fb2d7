/**
 * The zip container of PyTorch's checkpoint format: uncompressed ("stored") entries whose data
 * starts on a 64-byte boundary, which is what PyTorch writes and what its memory-mapped loader
 * expects. General zip libraries neither align data nor need to, so this small reader/writer
 * covers exactly that subset (plus zip64 records on read) and stays dependency-free.
 */
import { RuntimeError } from '../errors.js';
import { fromUtf8, utf8 } from './text.js';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const END64 = 0x06064b50;
const END64_LOCATOR = 0x07064b50;
const ALIGN = 64;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 as zip computes it. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function corrupt(why: string): RuntimeError {
  return new RuntimeError(`PytorchStreamReader failed reading zip archive: ${why}`);
}

/** The entries of a zip archive by name. Only stored (uncompressed) entries are supported. */
export function readZip(bytes: Uint8Array): Map<string, Uint8Array> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number): number => {
    if (at + 4 > bytes.length) throw corrupt('truncated file');
    return dv.getUint32(at, true);
  };
  const u16 = (at: number): number => {
    if (at + 2 > bytes.length) throw corrupt('truncated file');
    return dv.getUint16(at, true);
  };
  const u64 = (at: number): number => {
    if (at + 8 > bytes.length) throw corrupt('truncated file');
    return Number(dv.getBigUint64(at, true));
  };
  // The end-of-central-directory record sits in the last 65,557 bytes (22 + a comment).
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (dv.getUint32(at, true) === END) { end = at; break; }
  }
  if (end < 0) throw corrupt('failed finding central directory (not a zip file, or truncated)');
  let count = u16(end + 10);
  let dirOffset = u32(end + 16);
  if (end >= 20 && u32(end - 20) === END64_LOCATOR) {
    const end64 = u64(end - 20 + 8);
    if (u32(end64) !== END64) throw corrupt('bad zip64 end record');
    count = u64(end64 + 32);
    dirOffset = u64(end64 + 48);
  }
  const entries = new Map<string, Uint8Array>();
  let at = dirOffset;
  for (let i = 0; i < count; i++) {
    if (u32(at) !== CENTRAL) throw corrupt('bad central directory entry');
    const method = u16(at + 10);
    let compressedSize = u32(at + 20);
    let size = u32(at + 24);
    const nameLen = u16(at + 28), extraLen = u16(at + 30), commentLen = u16(at + 32);
    let localOffset = u32(at + 42);
    if (at + 46 + nameLen > bytes.length) throw corrupt('truncated file');
    const name = fromUtf8(bytes.subarray(at + 46, at + 46 + nameLen));
    // zip64 extra field: the 0xffffffff fields follow in order (size, compressed size, offset).
    for (let e = at + 46 + nameLen; e < at + 46 + nameLen + extraLen; e += 4 + u16(e + 2)) {
      if (u16(e) !== 1) continue;
      let p = e + 4;
      if (size === 0xffffffff) { size = u64(p); p += 8; }
      if (compressedSize === 0xffffffff) { compressedSize = u64(p); p += 8; }
      if (localOffset === 0xffffffff) localOffset = u64(p);
    }
    if (method !== 0) throw new RuntimeError(`zip entry '${name}' is compressed (method ${method}); PyTorch checkpoints store entries uncompressed`);
    if (u32(localOffset) !== LOCAL) throw corrupt(`bad local header for '${name}'`);
    const dataStart = localOffset + 30 + u16(localOffset + 26) + u16(localOffset + 28);
    if (dataStart + size > bytes.length) throw corrupt(`entry '${name}' runs past the end of the file (truncated)`);
    entries.set(name, bytes.subarray(dataStart, dataStart + size));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/**
 * A zip archive of stored entries, each entry's data aligned to 64 bytes (by padding the local
 * header's extra field, as PyTorch does). Archives up to 4 GiB (no zip64 on write).
 */
export function writeZip(entries: readonly (readonly [string, Uint8Array])[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = utf8(name);
    const crc = crc32(data);
    // Extra field: id 'FB' (PyTorch's padding id) holding zeros up to the alignment.
    const pad = (ALIGN - ((offset + 30 + nameBytes.length + 4) % ALIGN)) % ALIGN;
    const extraLen = 4 + pad;
    const local = new Uint8Array(30 + nameBytes.length + extraLen);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, LOCAL, true);
    lv.setUint16(4, 20, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, nameBytes.length, true);
    lv.setUint16(28, extraLen, true);
    local.set(nameBytes, 30);
    lv.setUint16(30 + nameBytes.length, 0x4246, true);
    lv.setUint16(32 + nameBytes.length, pad, true);
    const dir = new Uint8Array(46 + nameBytes.length);
    const dv = new DataView(dir.buffer);
    dv.setUint32(0, CENTRAL, true);
    dv.setUint16(4, 20, true);
    dv.setUint16(6, 20, true);
    dv.setUint32(16, crc, true);
    dv.setUint32(20, data.length, true);
    dv.setUint32(24, data.length, true);
    dv.setUint16(28, nameBytes.length, true);
    dv.setUint32(42, offset, true);
    dir.set(nameBytes, 46);
    parts.push(local, data);
    central.push(dir);
    offset += local.length + data.length;
  }
  const dirSize = central.reduce((n, c) => n + c.length, 0);
  if (offset + dirSize > 0xffffffff || entries.length > 0xffff) throw new RuntimeError('torch.save: archives over 4 GiB are not supported yet');
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, END, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, dirSize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + dirSize + 22);
  let at = 0;
  for (const p of [...parts, ...central, end]) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
