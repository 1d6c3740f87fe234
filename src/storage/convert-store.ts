/**
 * Storage of a conversion in progress: the converter's shipped assets (public/convert/, gzipped,
 * in the service worker's precache so they work offline), output files written as they are
 * produced (OPFS, hashed on the way) and then kept in the weight cache like an imported bundle's,
 * the record that lets a reload resume, and the prompt table's finished batches (IndexedDB).
 * `discardConversion` removes every trace of one: nothing half-written stays behind.
 */
import { createSHA256 } from 'hash-wasm';
import { clear, get, set, type UseStore } from 'idb-keyval';
import { idbStore } from './idb';
import { sha256Hex } from '../core/cachekeys';
import { AppError } from '../core/errors';
import type { WordPieceIds } from '../core/convert/hub-tokenizer';
import type { FileEntry } from '../core/manifest';
import { deleteKeys, isQuotaError, listStored, store, WEIGHT_CACHE, weightKey } from './weights';

const TMP_DIR = 'dermlip-convert-tmp';
const RECORD = 'pending';

let db: UseStore | null = null;
const convertStore = () => (db ??= idbStore('dermlip-convert', 'state'));

/** A shipped converter asset (`/convert/<path>`, stored gzipped), as bytes. */
export async function fetchConvertAsset(path: string): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(`/convert/${path}.gz`);
  } catch (e) {
    throw new AppError('network', `Could not read the converter's file ${path} (${(e as Error).message}).`, 'Open the app once while online so it keeps its files for offline use, then try again.');
  }
  if (!res.ok) throw new AppError('network', `Could not read the converter's file ${path}: the server answered ${res.status}.`, 'Reload the app; if this repeats, the app is incomplete on this server.');
  const raw = new Uint8Array(await res.arrayBuffer());
  // A server may already have undone the gzip (Content-Encoding): then the bytes are plain.
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  const stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function tmpDir(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage?.getDirectory?.();
  if (!root) throw new AppError('quota', 'This browser gives pages no file storage (OPFS), which the conversion writes its files to.', 'Use a current Chrome, Edge or Firefox, or the Python toolchain (README).');
  return root.getDirectoryHandle(TMP_DIR, { create: true });
}

export interface WrittenFile {
  name: string;
  entry: FileEntry;
}

/**
 * Write one output file as its chunks come (OPFS), hashing them on the way; then keep it in the
 * weight cache under its sha256 (a disk-to-disk copy) and drop the temporary file.
 */
export async function writeBundleFile(bundleId: string, name: string, chunks: AsyncIterable<Uint8Array>, onBytes?: (n: number) => void): Promise<WrittenFile> {
  const dir = await tmpDir();
  const tmpName = `${bundleId}--${name}`;
  const handle = await dir.getFileHandle(tmpName, { create: true });
  const hasher = await createSHA256();
  hasher.init();
  let bytes = 0;
  try {
    const out = await handle.createWritable();
    try {
      for await (const c of chunks) {
        hasher.update(c);
        await out.write(c as Uint8Array<ArrayBuffer>);
        bytes += c.byteLength;
        onBytes?.(bytes);
      }
      await out.close();
    } catch (e) {
      await out.abort().catch(() => undefined);
      throw e;
    }
    const entry = { bytes, sha256: hasher.digest('hex') };
    const file = await handle.getFile();
    const cache = await caches.open(WEIGHT_CACHE);
    const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes), 'X-Sha256': entry.sha256 };
    await cache.put(weightKey(bundleId, name, entry.sha256), new Response(file, { headers }));
    return { name, entry };
  } catch (e) {
    if (isQuotaError(e)) throw new AppError('quota', `There is not enough storage space for the converted model (${name}).`, 'Free space in Settings > Storage (delete other models), then convert again.');
    throw e;
  } finally {
    await dir.removeEntry(tmpName).catch(() => undefined);
  }
}

/** A small file (config, tokenizer, prompts, prompt table) kept in the weight cache. */
export async function writeSmallFile(bundleId: string, name: string, data: Uint8Array): Promise<WrittenFile> {
  const entry = { bytes: data.byteLength, sha256: await sha256Hex(data) };
  await store(bundleId, name, entry, data.slice().buffer);
  return { name, entry };
}

/** Everything a reload needs to resume a conversion (and to clean up after one). */
export interface ConversionRecord {
  bundleId: string;
  checkpoint: { file: string; sha256: string; bytes: number };
  configText: string;
  /** DermLIP-PanDerm: the text model's config.json and the ids of the tokenizer made from its files (else null). */
  textConfigText: string | null;
  wordpiece: WordPieceIds | null;
  /** The shipped architecture's id (public/convert/<id>). */
  architecture: string;
  /** open_clip's name of it (layout.json: ViT-B-16, ViT-B-16-quickgelu), the manifest's `architecture`. */
  layoutArchitecture: string;
  modelLogitScale: number;
  /** Files written and kept so far. */
  files: Record<string, FileEntry>;
  stage: 'weights' | 'prompts';
  /** Prompt-table batches finished (stored apart, see putBatch). */
  batchesDone: number[];
  batchSize: number;
  startedAt: number;
}

export const readRecord = () => get<ConversionRecord>(RECORD, convertStore());
export const writeRecord = (r: ConversionRecord) => set(RECORD, r, convertStore());

export const putBatch = (bundleId: string, k: number, rows: Uint8Array) => set(`rows:${bundleId}:${k}`, rows, convertStore());
export const getBatch = (bundleId: string, k: number) => get<Uint8Array>(`rows:${bundleId}:${k}`, convertStore());

/** Remove a conversion entirely: its kept files, temporary files, record and batches. */
export async function discardConversion(bundleId: string | null): Promise<void> {
  if (bundleId) await deleteKeys((await listStored()).filter((f) => f.bundleId === bundleId).map((f) => weightKey(f.bundleId, f.file, f.sha256)));
  await clear(convertStore());
  const root = await navigator.storage?.getDirectory?.().catch(() => null);
  await root?.removeEntry(TMP_DIR, { recursive: true }).catch(() => undefined);
}

/** The conversion is complete: forget its record and batches (its files stay, now a bundle). */
export async function finishConversion(): Promise<void> {
  await clear(convertStore());
}

/** "Delete all data": forget any conversion in progress (its files go with the weight cache). */
export const clearConversions = () => clear(convertStore());
