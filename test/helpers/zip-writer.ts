/**
 * Writes .zip files for tests, honest or hostile: any entry name, sizes that lie, zip64 sizes,
 * and zip bombs (a few MB of DEFLATE that inflate to GB) made without ever holding the output:
 * one sync-flushed DEFLATE block of 1 MiB of zeros, repeated, then an empty final block.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipItem {
  name: string;
  /** The content (deflated unless `store`). */
  data?: Buffer;
  /** A ready raw DEFLATE stream instead of `data` (e.g. a bomb); give `size`. */
  deflated?: Buffer;
  store?: boolean;
  /** Uncompressed size to declare (default: the real one). */
  size?: number;
}

const MiB = 1024 * 1024;

/** Raw DEFLATE that inflates to `bytes` zeros (a multiple of 1 MiB), about bytes/1000 long. */
export function zeroBomb(bytes: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(MiB), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const n = Math.ceil(bytes / MiB);
  const out = Buffer.alloc(block.length * n + 2);
  for (let i = 0; i < n; i++) block.copy(out, i * block.length);
  // An empty final block (BFINAL=1, fixed Huffman, end-of-block).
  out[block.length * n] = 0x03;
  out[block.length * n + 1] = 0x00;
  return out;
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}
function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

/** A .zip of `items` (zip64 sizes where a size does not fit 32 bits). */
export function makeZip(items: ZipItem[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const it of items) {
    const name = Buffer.from(it.name, 'utf8');
    const raw = it.data ?? Buffer.alloc(0);
    const body = it.deflated ?? (it.store ? raw : deflateRawSync(raw));
    const method = it.store ? 0 : 8;
    const size = it.size ?? raw.length;
    const crc = it.data ? crc32(raw) : 0;
    const big = size >= 0xffffffff || body.length >= 0xffffffff;
    const extra = big ? Buffer.concat([u16(1), u16(16), u64(size), u64(body.length)]) : Buffer.alloc(0);
    const sz = big ? 0xffffffff : size;
    const csz = big ? 0xffffffff : body.length;
    const flags = 0x0800; // UTF-8 names
    const local = Buffer.concat([u32(0x04034b50), u16(45), u16(flags), u16(method), u16(0), u16(0x21), u32(crc), u32(csz), u32(sz), u16(name.length), u16(extra.length), name, extra]);
    central.push(Buffer.concat([u32(0x02014b50), u16(45), u16(45), u16(flags), u16(method), u16(0), u16(0x21), u32(crc), u32(csz), u32(sz), u16(name.length), u16(extra.length), u16(0), u16(0), u16(0), u32(0), u32(offset), name, extra]));
    locals.push(local, body);
    offset += local.length + body.length;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(Math.min(items.length, 0xffff)), u16(Math.min(items.length, 0xffff)), u32(cd.length), u32(offset), u16(0)]);
  return Buffer.concat([...locals, cd, eocd]);
}
