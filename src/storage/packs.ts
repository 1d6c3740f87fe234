/**
 * Teaching packs on this device (IndexedDB, idb-keyval) and as files: one zip holding pack.json
 * and the photos. Reading a pack file checks sizes and names before inflating anything.
 */
import { clear, del, entries, get, set, type UseStore } from 'idb-keyval';
import { idbStore } from './idb';
import { AppError } from '../core/errors';
import { MAX_PACK_CASES, parsePack, type Pack } from '../core/teach/pack';
import { isQuotaError } from './weights';

export interface StoredPack {
  pack: Pack;
  /** Photo bytes by their path in the pack (photos/<name>). */
  photos: Record<string, Blob>;
  importedAt: number;
}

/** Caps checked against the zip's directory before anything is inflated. */
export const PACK_LIMITS = { files: MAX_PACK_CASES + 1, packJsonBytes: 2 * 1024 * 1024, photoBytes: 64 * 1024 * 1024, totalBytes: 1024 * 1024 * 1024 };

let store: UseStore | null = null;
const packsStore = () => (store ??= idbStore('dermlip-packs', 'packs'));

export async function listPacks(): Promise<StoredPack[]> {
  const all = await entries<string, StoredPack>(packsStore());
  return all.map(([, p]) => p).sort((a, b) => a.importedAt - b.importedAt);
}

export function getPack(id: string): Promise<StoredPack | undefined> {
  return get<StoredPack>(id, packsStore());
}

export async function savePack(p: StoredPack): Promise<void> {
  try {
    await set(p.pack.id, p, packsStore());
  } catch (e) {
    if (isQuotaError(e)) throw new AppError('quota', `The teaching pack "${p.pack.title}" could not be stored: the browser's storage is full.`, 'Free space in Storage (cached embeddings can go first).');
    throw e;
  }
}

export function deletePack(id: string): Promise<void> {
  return del(id, packsStore());
}

export function deleteAllPacks(): Promise<void> {
  return clear(packsStore());
}

/** Quiz progress per pack: the answers given so far (kept across visits). */
export interface QuizProgress {
  packId: string;
  answers: { caseId: string; chosen: string; truth: string }[];
  updatedAt: number;
}

let progressStore: UseStore | null = null;
const quizStore = () => (progressStore ??= idbStore('dermlip-quiz', 'progress'));

export function getQuizProgress(packId: string): Promise<QuizProgress | undefined> {
  return get<QuizProgress>(packId, quizStore());
}

export function saveQuizProgress(p: QuizProgress): Promise<void> {
  return set(p.packId, p, quizStore());
}

export function deleteAllQuizProgress(): Promise<void> {
  return clear(quizStore());
}

const TYPES: Record<string, string> = { png: 'image/png', webp: 'image/webp', heic: 'image/heic', heif: 'image/heif', avif: 'image/avif', bmp: 'image/bmp', gif: 'image/gif' };

/** A pack photo's type from its name (JPEG unless the extension says otherwise). */
const photoType = (path: string) => TYPES[path.split('.').pop()!.toLowerCase()] ?? 'image/jpeg';

function refuse(file: string, why: string): never {
  throw new AppError('input-invalid', `"${file}" is not a teaching pack this app can open: ${why}.`, 'Choose a .zip exported by DermLIP Explorer (Teach > Export).');
}

/** Read a pack file (zip): caps and names checked first, then every photo and answer validated. */
export async function readPackFile(file: Blob & { name?: string }, knownLabels: ReadonlySet<string>): Promise<StoredPack> {
  const name = file.name ?? 'pack';
  if (file.size === 0) refuse(name, 'the file is empty');
  if (file.size > PACK_LIMITS.totalBytes) refuse(name, `it is larger than ${PACK_LIMITS.totalBytes / 1024 ** 2} MB`);
  const { unzip } = await import('fflate');
  const bytes = new Uint8Array(await file.arrayBuffer());
  let files = 0;
  let total = 0;
  const entriesOut = await new Promise<Record<string, Uint8Array>>((resolve, reject) => {
    try {
      unzip(
        bytes,
        {
          filter: (f) => {
            if (f.name.endsWith('/')) return false;
            files++;
            total += f.originalSize;
            if (files > PACK_LIMITS.files) refuse(name, `it holds more than ${PACK_LIMITS.files} files`);
            if (f.name !== 'pack.json' && !/^photos\/[A-Za-z0-9._-]+$/.test(f.name)) refuse(name, `it holds an unexpected entry "${f.name}"`);
            const cap = f.name === 'pack.json' ? PACK_LIMITS.packJsonBytes : PACK_LIMITS.photoBytes;
            if (f.originalSize > cap) refuse(name, `${f.name} would inflate to ${f.originalSize} bytes (at most ${cap})`);
            if (total > PACK_LIMITS.totalBytes) refuse(name, `it would inflate to more than ${PACK_LIMITS.totalBytes / 1024 ** 2} MB`);
            return true;
          },
        },
        (err, data) => (err ? reject(err) : resolve(data)),
      );
    } catch (e) {
      reject(e);
    }
  }).catch((e: unknown) => {
    if (e instanceof AppError) throw e;
    refuse(name, `it is not a readable zip file (${(e as Error).message})`);
  });
  for (const [path, data] of Object.entries(entriesOut)) {
    const cap = path === 'pack.json' ? PACK_LIMITS.packJsonBytes : PACK_LIMITS.photoBytes;
    if (data.byteLength > cap) refuse(name, `${path} inflates beyond its declared size`);
  }
  const json = entriesOut['pack.json'];
  if (!json) refuse(name, 'it has no pack.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(json));
  } catch {
    refuse(name, 'its pack.json is not valid JSON');
  }
  const photoNames = new Set(Object.keys(entriesOut).filter((p) => p.startsWith('photos/')));
  const pack = parsePack(parsed, photoNames, knownLabels);
  const photos: Record<string, Blob> = {};
  for (const c of pack.cases) photos[c.photo] = new Blob([entriesOut[c.photo] as Uint8Array<ArrayBuffer>], { type: photoType(c.photo) });
  return { pack, photos, importedAt: Date.now() };
}

/** One file for a pack: pack.json and its photos, zipped (photos are stored, not recompressed). */
export async function packFile(p: StoredPack): Promise<Blob> {
  const { zipSync, strToU8 } = await import('fflate');
  const files: Record<string, Uint8Array | [Uint8Array, { level: 0 }]> = { 'pack.json': strToU8(JSON.stringify(p.pack, null, 2)) };
  for (const c of p.pack.cases) files[c.photo] = [new Uint8Array(await p.photos[c.photo].arrayBuffer()), { level: 0 }];
  return new Blob([zipSync(files) as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
}
