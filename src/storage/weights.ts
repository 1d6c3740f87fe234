/**
 * The weight cache: model files in Cache Storage, keyed by bundle id, sha256 and file name, stored
 * only after the whole file was downloaded and its sha256 matched the manifest. A file is verified
 * again when read back (size, then sha256 of the bytes read), so a corrupt or tampered copy is never
 * run: it is deleted and reported.
 */
import { AppError } from '../core/errors';
import type { FileEntry } from '../core/manifest';
import { hashBlob, hashBytes, hashStream, readHashed, StreamTooLong, type HashedBytes } from './stream-hash';

export const WEIGHT_CACHE = 'dermlip-weights-v1';

export interface ByteProgress {
  loaded: number;
  total: number;
  fromCache: boolean;
}

const WEIGHTS_PREFIX = '/__dermlip-weights/';

/** Each path segment percent-encoded: a file named `a?b`, `a#b` or `a%41` keeps its own key. */
const encodePath = (file: string) => file.split('/').map(encodeURIComponent).join('/');

/** The cache key of a stored file: bundle id, sha256 and file name (shared by bundles of that id listing the same file). */
export function weightKey(bundleId: string, file: string, sha256: string): string {
  return `${WEIGHTS_PREFIX}${encodeURIComponent(bundleId)}/${sha256}/${encodePath(file)}`;
}

function corrupt(file: string, why: string): AppError {
  return new AppError('file-corrupt', `Model file ${file} is corrupt or was tampered with (${why}). It was discarded and not run.`, 'Reload to download it again; if this repeats, the bundle on the server is damaged.');
}

/** A picked file (import from disk) that is not what its manifest says: nothing to download again. */
function importCorrupt(file: string, why: string): AppError {
  return new AppError('file-corrupt', `Model file ${file} is corrupt or was tampered with (${why}). Nothing was imported.`, 'The copy on disk differs from what its manifest.json says: copy the bundle folder again from its source.');
}

/** Check a picked file's size and sha256 against its manifest entry, hashing it as it streams (no copy kept). */
export async function verifyPicked(file: string, data: Blob, expected: FileEntry): Promise<void> {
  if (data.size !== expected.bytes) throw importCorrupt(file, `${data.size} bytes, expected ${expected.bytes}`);
  const got = await hashStream(data.stream(), expected.bytes).catch((e: unknown) => {
    throw e instanceof StreamTooLong ? importCorrupt(file, e.message) : new AppError('file-corrupt', `Model file ${file} could not be read from disk (${(e as Error).message}).`, 'Choose the files again.');
  });
  if (got !== expected.sha256) throw importCorrupt(file, 'sha256 mismatch');
}

function checkHashed(file: string, got: HashedBytes, expected: FileEntry): ArrayBuffer {
  if (got.loaded !== expected.bytes) throw corrupt(file, `${got.loaded} bytes, expected ${expected.bytes}`);
  if (got.sha256 !== expected.sha256) throw corrupt(file, 'sha256 mismatch');
  return got.data.buffer;
}

/**
 * A stored file, verified: its body as a Blob (Cache Storage keeps it on disk: nothing is read
 * yet), checked for size, then `read` gives what is returned and the sha256 it computed. Null when
 * absent; a bad copy is deleted and throws.
 */
async function readVerified<T>(bundleId: string, file: string, expected: FileEntry, read: (blob: Blob) => Promise<{ value: T; sha256: string }>): Promise<T | null> {
  if (typeof caches === 'undefined') return null;
  const cache = await caches.open(WEIGHT_CACHE);
  const key = weightKey(bundleId, file, expected.sha256);
  const hit = await cache.match(key);
  if (!hit) return null;
  try {
    const blob = await hit.blob();
    if (blob.size !== expected.bytes) throw corrupt(file, `${blob.size} bytes, expected ${expected.bytes}`);
    const { value, sha256 } = await read(blob);
    if (sha256 !== expected.sha256) throw corrupt(file, 'sha256 mismatch');
    return value;
  } catch (e) {
    await cache.delete(key);
    throw e;
  }
}

/**
 * A verified file from the cache, read whole into one buffer and hashed; null when absent. Not
 * streamed: a stream's chunks (~90 MB for the image tower) stay in memory as garbage until some
 * later GC, which an idle page may not run for minutes (BENCHMARKS.md, session memory).
 */
export function readCached(bundleId: string, file: string, expected: FileEntry): Promise<ArrayBuffer | null> {
  return readVerified(bundleId, file, expected, async (blob) => {
    const data = await blob.arrayBuffer();
    return { value: data, sha256: await hashBytes(new Uint8Array(data)) };
  });
}

/**
 * A verified file from the cache left as a Blob on disk, hashed slice by slice with nothing kept;
 * null when absent. The engine reads the weights from it tensor by tensor (engine/blob-bytes.ts).
 */
export function readCachedBlob(bundleId: string, file: string, expected: FileEntry): Promise<Blob | null> {
  return readVerified(bundleId, file, expected, async (blob) => ({ value: blob, sha256: await hashBlob(blob) }));
}

/** Download a file completely, verify it (hashed as it arrives), then (and only then) store it. */
export async function download(url: string, file: string, expected: FileEntry, onProgress?: (p: ByteProgress) => void, signal?: AbortSignal): Promise<ArrayBuffer> {
  let res: Response;
  try {
    res = await fetch(url, { signal, cache: 'no-store' });
  } catch (e) {
    throw new AppError('network', `Could not download model file ${file}: ${(e as Error).message}.`, 'Check the connection and try again.');
  }
  if (!res.ok) throw new AppError('network', `Could not download model file ${file}: the server answered ${res.status}.`, 'Check that the bundle is complete on the server.');
  if (!res.body) throw new AppError('network', `Could not read model file ${file}.`);
  let loaded = 0;
  let got: HashedBytes;
  try {
    got = await readHashed(res.body, expected.bytes, (n) => {
      loaded = n;
      onProgress?.({ loaded: n, total: expected.bytes, fromCache: false });
    });
  } catch (e) {
    if (e instanceof StreamTooLong) throw corrupt(file, e.message);
    throw new AppError('network', `The download of model file ${file} was interrupted after ${loaded} of ${expected.bytes} bytes.`, 'Nothing partial was kept. Try again when the connection is back.');
  }
  return checkHashed(file, got, expected);
}

/** Store a verified file. Throws a 'quota' AppError when the browser refuses for lack of space. */
export async function store(bundleId: string, file: string, expected: FileEntry, data: ArrayBuffer | Blob): Promise<void> {
  if (typeof caches === 'undefined') return;
  const cache = await caches.open(WEIGHT_CACHE);
  const bytes = data instanceof Blob ? data.size : data.byteLength;
  const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes), 'X-Sha256': expected.sha256 };
  try {
    await cache.put(weightKey(bundleId, file, expected.sha256), new Response(data, { headers }));
  } catch (e) {
    if (isQuotaError(e)) throw new AppError('quota', `There is not enough storage space to keep model file ${file} for offline use.`, 'Free space in Settings > Storage (delete other bundles or cached embeddings).');
    throw e;
  }
}

export function isQuotaError(e: unknown): boolean {
  return e instanceof DOMException && (e.name === 'QuotaExceededError' || e.code === 22);
}

export interface StoredFile {
  bundleId: string;
  file: string;
  sha256: string;
  bytes: number;
}

/** Every stored weight file, with its size. */
export async function listStored(): Promise<StoredFile[]> {
  if (typeof caches === 'undefined' || !(await caches.has(WEIGHT_CACHE))) return [];
  const cache = await caches.open(WEIGHT_CACHE);
  const out: StoredFile[] = [];
  for (const req of await cache.keys()) {
    const m = /^\/__dermlip-weights\/([^/]+)\/([0-9a-f]{64})\/(.+)$/.exec(new URL(req.url).pathname);
    if (!m) continue;
    const res = await cache.match(req);
    try {
      out.push({ bundleId: decodeURIComponent(m[1]), sha256: m[2], file: m[3].split('/').map(decodeURIComponent).join('/'), bytes: Number(res?.headers.get('Content-Length') ?? 0) });
    } catch {
      // A key this version did not write (undecodable): not listed.
    }
  }
  return out;
}

/** Whether a file is stored under this key. */
export async function isStored(key: string): Promise<boolean> {
  if (typeof caches === 'undefined') return false;
  return Boolean(await (await caches.open(WEIGHT_CACHE)).match(key));
}

/** Delete stored files by key; returns how many were there. */
export async function deleteKeys(keys: Iterable<string>): Promise<number> {
  if (typeof caches === 'undefined') return 0;
  const cache = await caches.open(WEIGHT_CACHE);
  let n = 0;
  for (const key of keys) if (await cache.delete(key)) n++;
  return n;
}
