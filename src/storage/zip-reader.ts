/**
 * A .zip on disk read like a folder, one entry at a time: the table of contents comes from the
 * file's end (core/zip.ts), and each entry's bytes are sliced out of the File and inflated only
 * when asked for, so a 3 GB archive of photos never sits in memory. Every entry is checked
 * against its CRC-32 and size.
 */
import { inflateSync } from 'fflate';
import { AppError } from '../core/errors';
import { crc32, localDataOffset, readCentralDirectory, readEndRecord, readZip64EndRecord, TAIL_BYTES, type ZipEntry } from '../core/zip-format';

export interface ZipFileEntry {
  path: string;
  size: number;
  /** The entry's bytes, checked. */
  read(): Promise<Uint8Array<ArrayBuffer>>;
}

async function bytes(b: Blob, from: number, to: number): Promise<Uint8Array> {
  return new Uint8Array(await b.slice(from, to).arrayBuffer());
}

/** The files (not folders) of a .zip, in archive order. */
export async function openZip(file: Blob, name: string): Promise<ZipFileEntry[]> {
  const tailOffset = Math.max(0, file.size - TAIL_BYTES);
  let dir = readEndRecord(await bytes(file, tailOffset, file.size), tailOffset, name);
  if ('zip64At' in dir) dir = readZip64EndRecord(await bytes(file, dir.zip64At, dir.zip64At + 56), name);
  if (dir.cdOffset + dir.cdSize > file.size) throw new AppError('file-corrupt', `"${name}" is cut short: its table of contents points past the end of the file.`, 'Download or copy the .zip again.');
  const entries = readCentralDirectory(await bytes(file, dir.cdOffset, dir.cdOffset + dir.cdSize), dir, name);
  return entries.filter((e) => !e.isDirectory).map((e) => ({ path: e.name, size: e.size, read: () => readEntry(file, name, e) }));
}

async function readEntry(file: Blob, name: string, e: ZipEntry): Promise<Uint8Array<ArrayBuffer>> {
  if (e.encrypted) throw new AppError('input-invalid', `"${e.name}" in "${name}" is encrypted; this app cannot read password-protected archives.`);
  if (e.method !== 0 && e.method !== 8) throw new AppError('input-invalid', `"${e.name}" in "${name}" uses compression method ${e.method}; only stored and deflated entries can be read.`, 'Re-create the .zip with a standard tool.');
  const start = localDataOffset(await bytes(file, e.localOffset, e.localOffset + 30), e, name);
  if (start + e.compressedSize > file.size) throw new AppError('file-corrupt', `"${e.name}" in "${name}" is cut short (the archive ends inside it).`);
  const raw = await bytes(file, start, start + e.compressedSize);
  let out: Uint8Array;
  try {
    out = e.method === 8 ? inflateSync(raw, { out: new Uint8Array(e.size) }) : raw;
  } catch {
    throw new AppError('file-corrupt', `"${e.name}" in "${name}" is damaged: its compressed data cannot be unpacked.`);
  }
  if (out.length !== e.size || crc32(out) !== e.crc32) throw new AppError('file-corrupt', `"${e.name}" in "${name}" is damaged: its contents do not match the archive's checksum.`);
  return out as Uint8Array<ArrayBuffer>;
}
