/**
 * Reading a .zip without trusting it: the central directory is read from the end of the file and
 * checked before anything is inflated (entry count, every name, declared sizes), and an entry is
 * inflated in small steps that stop as soon as its real output passes what it declared. A zip
 * bomb (4 MB that inflates to 4 GB) is refused from its directory or after a few MB of output,
 * never after 4 GB. Pure (fflate for DEFLATE); the bytes come through `ReadAt`, so a worker reads a
 * File slice by slice and tests read a Buffer.
 */
import { Inflate, strFromU8 } from 'fflate';
import { AppError } from './errors';
import { isSafePath } from './manifest';

/** Bytes [offset, offset + length) of the zip. */
export type ReadAt = (offset: number, length: number) => Promise<Uint8Array>;

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  flags: number;
  compressedSize: number;
  /** Uncompressed size as the central directory declares it. */
  size: number;
  localHeaderOffset: number;
}

export interface ZipLimits {
  /** Entries in the whole zip (a bundle has a few dozen files). */
  maxEntries: number;
  /** Declared uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Declared uncompressed size of all entries together. */
  maxTotalBytes: number;
}

const GiB = 1024 ** 3;
export const ZIP_LIMITS: ZipLimits = { maxEntries: 1000, maxEntryBytes: 2 * GiB, maxTotalBytes: 6 * GiB };

/**
 * Compressed bytes given to the inflater at a time. DEFLATE expands at most ~1032x, so one step of
 * n bytes outputs at most ~1032n: steps are sized to the entry (a 9 KB manifest is fed 512 bytes at
 * a time, so a bomb posing as one stops after ~0.5 MB of output), at most 16 KiB (16 MB out).
 */
const MAX_RATIO = 1032;
const stepFor = (cap: number) => Math.min(16 * 1024, Math.max(512, Math.ceil(cap / MAX_RATIO)));
const READ_BLOCK = 1024 * 1024;
const MAX_CENTRAL_DIRECTORY = 4 * 1024 * 1024;

export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} KB`;
  return `${n} bytes`;
}

function refuse(zipName: string, why: string, hint = 'Make the .zip again from the bundle folder (or choose the folder itself).'): never {
  throw new AppError('input-invalid', `"${zipName}" was refused: ${why}.`, hint);
}

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
function u64(b: Uint8Array, o: number, zipName: string): number {
  const hi = u32(b, o + 4);
  if (hi >= 0x200000) refuse(zipName, 'it declares a size or offset beyond 2^53 bytes');
  return hi * 0x100000000 + u32(b, o);
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Where the central directory is, and how many entries it says it has. */
async function findDirectory(readAt: ReadAt, fileSize: number, zipName: string): Promise<{ offset: number; size: number; count: number }> {
  if (fileSize < 22) refuse(zipName, 'it is too short to be a .zip file');
  const tailLen = Math.min(fileSize, 22 + 0xffff + 20);
  const tail = await readAt(fileSize - tailLen, tailLen);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (u32(tail, i) === EOCD && i + 22 + u16(tail, i + 20) <= tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) refuse(zipName, 'it is not a .zip file (no end-of-directory record)');
  let count = u16(tail, at + 10);
  let size = u32(tail, at + 12);
  let offset = u32(tail, at + 16);
  if (at >= 20 && u32(tail, at - 20) === ZIP64_LOCATOR) {
    const recOffset = u64(tail, at - 12, zipName);
    if (recOffset + 56 > fileSize) refuse(zipName, 'its zip64 directory record lies outside the file');
    const rec = await readAt(recOffset, 56);
    if (u32(rec, 0) !== ZIP64_EOCD) refuse(zipName, 'its zip64 directory record is damaged');
    count = u64(rec, 32, zipName);
    size = u64(rec, 40, zipName);
    offset = u64(rec, 48, zipName);
  }
  return { offset, size, count };
}

/** The zip64 extra field's values for the header fields that are 0xFFFFFFFF. */
function zip64Extra(extra: Uint8Array, want: { size: boolean; compressed: boolean; offset: boolean }, zipName: string, name: string) {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = u16(extra, i);
    const len = u16(extra, i + 2);
    if (id === 0x0001) {
      let o = i + 4;
      const out: { size?: number; compressed?: number; offset?: number } = {};
      const take = () => {
        if (o + 8 > i + 4 + len) refuse(zipName, `the zip64 sizes of entry "${name}" are damaged`);
        const v = u64(extra, o, zipName);
        o += 8;
        return v;
      };
      if (want.size) out.size = take();
      if (want.compressed) out.compressed = take();
      if (want.offset) out.offset = take();
      return out;
    }
    i += 4 + len;
  }
  return refuse(zipName, `entry "${name}" declares zip64 sizes but has none`);
}

/** Why an entry name is refused, or null. Directories end with '/'. */
export function unsafeEntryName(name: string): string | null {
  const path = name.endsWith('/') ? name.slice(0, -1) : name;
  if (name.includes('\\')) return 'it contains a backslash';
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return 'it is an absolute path';
  if (name.split('/').includes('..')) return 'it points outside the folder ("..")';
  if (!isSafePath(path)) return 'it is not a plain relative path (empty, ".", control characters, or over 255 characters)';
  return null;
}

/**
 * Every entry of the zip, from its central directory, after checking: the entry count, every name
 * (no "..", no absolute path, no backslash, no duplicates), each declared size and their total.
 * Nothing is inflated here.
 */
export async function listZip(readAt: ReadAt, fileSize: number, zipName: string, limits: ZipLimits = ZIP_LIMITS): Promise<ZipEntry[]> {
  const dir = await findDirectory(readAt, fileSize, zipName);
  if (dir.count > limits.maxEntries) refuse(zipName, `it has ${dir.count.toLocaleString('en')} entries; a model bundle has a few dozen files, and at most ${limits.maxEntries.toLocaleString('en')} are accepted`);
  if (dir.size > MAX_CENTRAL_DIRECTORY) refuse(zipName, `its directory is ${formatBytes(dir.size)}, far more than ${limits.maxEntries} entries need`);
  if (dir.offset + dir.size > fileSize) refuse(zipName, 'its directory lies outside the file (the file is truncated or damaged)');
  const cd = await readAt(dir.offset, dir.size);
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (let o = 0; entries.length < dir.count; ) {
    if (o + 46 > cd.length || u32(cd, o) !== CENTRAL) refuse(zipName, 'its directory is damaged');
    const flags = u16(cd, o + 8);
    const method = u16(cd, o + 10);
    let compressedSize = u32(cd, o + 20);
    let size = u32(cd, o + 24);
    const nameLen = u16(cd, o + 28);
    const extraLen = u16(cd, o + 30);
    const commentLen = u16(cd, o + 32);
    let localHeaderOffset = u32(cd, o + 42);
    if (o + 46 + nameLen + extraLen + commentLen > cd.length) refuse(zipName, 'its directory is damaged');
    const name = strFromU8(cd.subarray(o + 46, o + 46 + nameLen));
    const extra = cd.subarray(o + 46 + nameLen, o + 46 + nameLen + extraLen);
    const want = { size: size === 0xffffffff, compressed: compressedSize === 0xffffffff, offset: localHeaderOffset === 0xffffffff };
    if (want.size || want.compressed || want.offset) {
      const z = zip64Extra(extra, want, zipName, name);
      size = z.size ?? size;
      compressedSize = z.compressed ?? compressedSize;
      localHeaderOffset = z.offset ?? localHeaderOffset;
    }
    o += 46 + nameLen + extraLen + commentLen;
    const bad = unsafeEntryName(name);
    if (bad) refuse(zipName, `entry "${name}" is refused: ${bad}`);
    if (seen.has(name)) refuse(zipName, `entry "${name}" appears twice`);
    seen.add(name);
    if (size > limits.maxEntryBytes) refuse(zipName, `entry "${name}" declares ${formatBytes(size)} when unpacked; one file of a bundle may be at most ${formatBytes(limits.maxEntryBytes)}`);
    total += size;
    if (total > limits.maxTotalBytes) refuse(zipName, `its entries declare more than ${formatBytes(limits.maxTotalBytes)} when unpacked (a zip bomb, or not a model bundle)`);
    if (localHeaderOffset + 30 > fileSize || localHeaderOffset + compressedSize > fileSize) refuse(zipName, `entry "${name}" lies outside the file (truncated or damaged)`);
    entries.push({ name, method, flags, compressedSize, size, localHeaderOffset });
  }
  return entries;
}

/**
 * Inflate one entry, handing its bytes to `onChunk` as they come. Stops (throws) as soon as the
 * output passes `limit` (default: the size the entry declares) or the entry's declared size, and
 * when it ends short of it. Memory: one read block plus one inflate step's output.
 */
export async function inflateEntry(readAt: ReadAt, fileSize: number, entry: ZipEntry, zipName: string, onChunk: (chunk: Uint8Array) => void, limit = entry.size): Promise<number> {
  const name = entry.name;
  if (entry.flags & 1) refuse(zipName, `entry "${name}" is encrypted`, 'Make the .zip without a password.');
  if (entry.method !== 0 && entry.method !== 8) refuse(zipName, `entry "${name}" uses compression method ${entry.method}; only stored and deflate (the usual ones) are read`);
  const cap = Math.min(limit, entry.size);
  const local = await readAt(entry.localHeaderOffset, 30);
  if (u32(local, 0) !== LOCAL) refuse(zipName, `entry "${name}" is damaged (no local header)`);
  const start = entry.localHeaderOffset + 30 + u16(local, 26) + u16(local, 28);
  if (start + entry.compressedSize > fileSize) refuse(zipName, `entry "${name}" lies outside the file (truncated or damaged)`);
  let out = 0;
  const emit = (chunk: Uint8Array) => {
    if (chunk.length === 0) return;
    out += chunk.length;
    if (out > cap) {
      refuse(zipName, cap < entry.size ? `entry "${name}" unpacks to more than ${formatBytes(cap)}, the most allowed for it` : `entry "${name}" unpacks to more than the ${entry.size.toLocaleString('en')} bytes its directory declares (a zip bomb, or a damaged file)`);
    }
    onChunk(chunk);
  };
  if (entry.method === 0 && entry.compressedSize !== entry.size) refuse(zipName, `entry "${name}" is stored uncompressed but its two sizes differ`);
  const inflater = entry.method === 8 ? new Inflate((chunk) => emit(chunk)) : null;
  const step = stepFor(cap);
  for (let pos = 0; pos < entry.compressedSize; ) {
    const block = await readAt(start + pos, Math.min(READ_BLOCK, entry.compressedSize - pos));
    if (block.length === 0) refuse(zipName, `entry "${name}" is truncated`);
    pos += block.length;
    if (!inflater) {
      emit(block);
      continue;
    }
    for (let i = 0; i < block.length; i += step) {
      const last = pos === entry.compressedSize && i + step >= block.length;
      try {
        inflater.push(block.subarray(i, i + step), last);
      } catch (e) {
        if (e instanceof AppError) throw e;
        refuse(zipName, `entry "${name}" is damaged (${(e as Error).message})`);
      }
    }
  }
  if (inflater && entry.compressedSize === 0) refuse(zipName, `entry "${name}" is damaged (no data)`);
  if (out !== entry.size) refuse(zipName, `entry "${name}" unpacks to ${out.toLocaleString('en')} bytes, not the ${entry.size.toLocaleString('en')} its directory declares (the file is damaged)`);
  return out;
}

/** The manifest.json of the bundle among paths: the shallowest one (null when there is none). */
export function findManifestPath(paths: readonly string[]): string | null {
  const candidates = paths.filter((p) => p === 'manifest.json' || p.endsWith('/manifest.json'));
  candidates.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  return candidates[0] ?? null;
}
