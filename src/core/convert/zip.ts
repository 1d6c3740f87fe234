/**
 * The central directory of a zip file (torch.save's format is a zip of stored, uncompressed
 * entries), read from the end of the file; zip64 records included. Entries are located by range
 * reads, never by reading the archive whole.
 */
import { AppError } from '../errors';
import { readRange, type ByteSource } from './source';

export interface ZipEntry {
  name: string;
  /** 0: stored (the only method torch writes). */
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const LOCATOR64 = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function corrupt(src: ByteSource, why: string): never {
  throw new AppError('file-corrupt', `${src.name} is not a readable PyTorch checkpoint: ${why}.`, 'Download open_clip_pytorch_model.bin again from the model page (a truncated download loses the end of the file, where the zip directory is).');
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const u64 = (d: DataView, at: number) => d.getUint32(at, true) + d.getUint32(at + 4, true) * 2 ** 32;

export async function readZipDirectory(src: ByteSource): Promise<Map<string, ZipEntry>> {
  const tailLen = Math.min(src.size, 22 + 65535);
  const tail = await readRange(src, src.size - tailLen, tailLen, 'the zip directory');
  const t = view(tail);
  let at = -1;
  for (let k = tailLen - 22; k >= 0; k--) {
    if (t.getUint32(k, true) === EOCD) {
      at = k;
      break;
    }
  }
  if (at < 0) corrupt(src, 'the end of its zip directory is missing (truncated file?)');
  let count = t.getUint16(at + 10, true);
  let cdSize = t.getUint32(at + 12, true);
  let cdOffset = t.getUint32(at + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locAt = src.size - tailLen + at - 20;
    const loc = view(await readRange(src, locAt, 20, 'the zip64 locator'));
    if (loc.getUint32(0, true) !== LOCATOR64) corrupt(src, 'its zip64 locator is missing');
    const e64 = view(await readRange(src, u64(loc, 8), 56, 'the zip64 directory end'));
    if (e64.getUint32(0, true) !== EOCD64) corrupt(src, 'its zip64 directory end is damaged');
    [count, cdSize, cdOffset] = [u64(e64, 32), u64(e64, 40), u64(e64, 48)];
  }
  const cd = await readRange(src, cdOffset, cdSize, 'the zip central directory');
  const d = view(cd);
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || d.getUint32(p, true) !== CENTRAL) corrupt(src, 'its zip central directory is damaged');
    const nameLen = d.getUint16(p + 28, true);
    const extraLen = d.getUint16(p + 30, true);
    const commentLen = d.getUint16(p + 32, true);
    if (p + 46 + nameLen + extraLen > cd.length) corrupt(src, 'its zip central directory is damaged');
    const name = String.fromCharCode(...cd.subarray(p + 46, p + 46 + nameLen));
    const e: ZipEntry = { name, method: d.getUint16(p + 10, true), compressedSize: d.getUint32(p + 20, true), size: d.getUint32(p + 24, true), localHeaderOffset: d.getUint32(p + 42, true) };
    // zip64 extra field: the 64-bit values of those fields that are 0xffffffff, in this order.
    for (let x = p + 46 + nameLen; x + 4 <= p + 46 + nameLen + extraLen; ) {
      const id = d.getUint16(x, true);
      const len = d.getUint16(x + 2, true);
      if (id === 0x0001) {
        let y = x + 4;
        for (const f of ['size', 'compressedSize', 'localHeaderOffset'] as const) {
          if (e[f] === 0xffffffff && y + 8 <= x + 4 + len) {
            e[f] = u64(d, y);
            y += 8;
          }
        }
      }
      x += 4 + len;
    }
    entries.set(name, e);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Where an entry's bytes start (after its local header), checked to lie inside the file. */
export async function entryDataOffset(src: ByteSource, e: ZipEntry): Promise<number> {
  const h = view(await readRange(src, e.localHeaderOffset, 30, `the zip header of ${e.name}`));
  if (h.getUint32(0, true) !== LOCAL) corrupt(src, `the zip header of ${e.name} is damaged`);
  const start = e.localHeaderOffset + 30 + h.getUint16(26, true) + h.getUint16(28, true);
  if (start + e.compressedSize > src.size) corrupt(src, `${e.name} runs past the end of the file (truncated?)`);
  return start;
}
