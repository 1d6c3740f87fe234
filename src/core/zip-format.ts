/**
 * The structure of a .zip file (PKWARE APPNOTE 6.3), read from its end: the end-of-central-
 * directory record (and its Zip64 form for archives over 4 GB or 65,535 entries), the central
 * directory (one record per entry), and each entry's local header. Pure parsing of byte ranges:
 * the caller reads only the ranges it needs (a 3 GB archive is never held in memory) and inflates
 * one entry at a time.
 */
import { AppError } from './errors';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate; anything else is refused when read. */
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  /** Offset of the entry's local header. */
  localOffset: number;
  encrypted: boolean;
  isDirectory: boolean;
}

export interface ZipDirectory {
  entries: number;
  cdOffset: number;
  cdSize: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32_MAX = 0xffffffff;

/** How many bytes from the end hold the end record (22 bytes + a comment of up to 65,535). */
export const TAIL_BYTES = 22 + 0xffff + 20;

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function u64(v: DataView, at: number): number {
  const n = v.getBigUint64(at, true);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new AppError('file-corrupt', 'The .zip file has a size or offset too large to be real: it is damaged.');
  return Number(n);
}

/** UTF-8 bytes to text (an invalid sequence becomes U+FFFD). */
export function utf8(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    if (c < 0x80) {
      s += String.fromCharCode(c);
      i++;
      continue;
    }
    const need = c >> 5 === 6 ? 1 : c >> 4 === 14 ? 2 : c >> 3 === 30 ? 3 : 0;
    let cp = c & (0x3f >> need);
    let ok = need > 0 && i + need < b.length;
    for (let k = 1; ok && k <= need; k++) {
      const d = b[i + k];
      if (d >> 6 !== 2) ok = false;
      else cp = (cp << 6) | (d & 0x3f);
    }
    if (!ok) {
      s += '\ufffd';
      i++;
      continue;
    }
    s += String.fromCodePoint(cp);
    i += need + 1;
  }
  return s;
}

/**
 * The end-of-central-directory record in the file's last bytes (`tail` starts at `tailOffset`).
 * Returns the directory, or where the Zip64 end record is when the archive needs it.
 */
export function readEndRecord(tail: Uint8Array, tailOffset: number, fileName: string): ZipDirectory | { zip64At: number } {
  const v = view(tail);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (v.getUint32(i, true) !== EOCD) continue;
    const commentLength = v.getUint16(i + 20, true);
    if (i + 22 + commentLength !== tail.length) continue;
    const entries = v.getUint16(i + 10, true);
    const cdSize = v.getUint32(i + 12, true);
    const cdOffset = v.getUint32(i + 16, true);
    const needs64 = entries === 0xffff || cdSize === U32_MAX || cdOffset === U32_MAX;
    if (i >= 20 && v.getUint32(i - 20, true) === ZIP64_LOCATOR) return { zip64At: u64(v, i - 20 + 8) };
    if (needs64) throw new AppError('file-corrupt', `"${fileName}" is a Zip64 archive whose Zip64 record is missing: it is damaged.`);
    if (cdOffset + cdSize > tailOffset + i) throw new AppError('file-corrupt', `"${fileName}" is cut short: its table of contents points past the end of the file.`, 'Download or copy the .zip again.');
    return { entries, cdOffset, cdSize };
  }
  throw new AppError('file-corrupt', `"${fileName}" is not a .zip archive (no end-of-archive record), or it was cut short.`, 'Download or copy the .zip again.');
}

/** The Zip64 end record (56 bytes or more at the offset the locator gives). */
export function readZip64EndRecord(b: Uint8Array, fileName: string): ZipDirectory {
  const v = view(b);
  if (b.length < 56 || v.getUint32(0, true) !== ZIP64_EOCD) throw new AppError('file-corrupt', `"${fileName}": its Zip64 end record is missing or damaged.`);
  return { entries: u64(v, 32), cdSize: u64(v, 40), cdOffset: u64(v, 48) };
}

/** Every entry of the central directory. */
export function readCentralDirectory(cd: Uint8Array, dir: ZipDirectory, fileName: string): ZipEntry[] {
  const v = view(cd);
  const out: ZipEntry[] = [];
  let p = 0;
  for (let k = 0; k < dir.entries; k++) {
    if (p + 46 > cd.length || v.getUint32(p, true) !== CENTRAL) throw new AppError('file-corrupt', `"${fileName}": entry ${k + 1} of its table of contents is damaged.`);
    const flags = v.getUint16(p + 8, true);
    const method = v.getUint16(p + 10, true);
    const crc32 = v.getUint32(p + 16, true);
    let compressedSize = v.getUint32(p + 20, true);
    let size = v.getUint32(p + 24, true);
    const nameLength = v.getUint16(p + 28, true);
    const extraLength = v.getUint16(p + 30, true);
    const commentLength = v.getUint16(p + 32, true);
    let localOffset = v.getUint32(p + 42, true);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > cd.length) throw new AppError('file-corrupt', `"${fileName}": entry ${k + 1} of its table of contents runs past its end.`);
    const name = utf8(cd.subarray(p + 46, p + 46 + nameLength));
    // Zip64 extended information: the 64-bit values, in this order, for the fields that say 0xffffffff.
    for (let e = p + 46 + nameLength; e + 4 <= p + 46 + nameLength + extraLength; ) {
      const id = v.getUint16(e, true);
      const len = v.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === U32_MAX) (size = u64(v, q)), (q += 8);
        if (compressedSize === U32_MAX) (compressedSize = u64(v, q)), (q += 8);
        if (localOffset === U32_MAX) localOffset = u64(v, q);
      }
      e += 4 + len;
    }
    out.push({ name, method, compressedSize, size, crc32, localOffset, encrypted: (flags & 1) === 1, isDirectory: name.endsWith('/') });
    p = end;
  }
  return out;
}

/** Where an entry's data starts, from the first 30 bytes of its local header. */
export function localDataOffset(header: Uint8Array, entry: ZipEntry, fileName: string): number {
  const v = view(header);
  if (header.length < 30 || v.getUint32(0, true) !== LOCAL) throw new AppError('file-corrupt', `"${fileName}": the entry "${entry.name}" is damaged (no local header where the table of contents says).`);
  return entry.localOffset + 30 + v.getUint16(26, true) + v.getUint16(28, true);
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (the zip/PNG polynomial) of `b`, continuing from `crc` for data read in pieces. */
export function crc32(b: Uint8Array, crc = 0): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = ~crc >>> 0;
  for (let i = 0; i < b.length; i++) c = crcTable[(c ^ b[i]) & 255] ^ (c >>> 8);
  return ~c >>> 0;
}
