/**
 * Saved cases in IndexedDB (idb-keyval): the original photo as the user gave it, a thumbnail, the
 * crop, and the last result with its image embedding, so a reload shows the case at once and can
 * re-rank it against any label set without running the model.
 */
import { del, entries } from 'idb-keyval';
import { AppError } from '../core/errors';
import type { CropRegion } from '../core/preprocess';
import { clearKeepingMarker, guardedWrite, withoutMarker } from './epoch';
import { requestPersistence } from './persistence';
import { casesStore } from './stores';
import { isQuotaError } from './weights';

export interface CaseResult {
  bundleId: string;
  /** The bundle's identity (sha256 of its manifest); results saved before it was recorded have none and are computed again. */
  identity?: string;
  variant: string;
  backend: string;
  tensorSha256: string;
  /** L2-normalised image embedding of the crop. */
  embedding: Float32Array;
}

export interface SavedCase {
  id: string;
  name: string;
  createdAt: number;
  /** The file exactly as the user gave it. */
  photo: Blob;
  photoSha256: string;
  /** Size + sha256 of the first and last 64 KiB (media/quick-key): finds a repeat at once. */
  photoQuickKey?: string;
  thumbnail: Blob;
  /** Downscaled, oriented display copy of a large photo (the crop editor shows it); absent: show `photo`. */
  preview?: Blob;
  /** Oriented size of the original photo. */
  width: number;
  height: number;
  /** Square region the model sees, in original (oriented) pixels; undefined: centre crop. */
  crop?: CropRegion;
  result?: CaseResult;
}

/**
 * Save a case made in wipe epoch `epoch` (storage/epoch.ts): refused ('data-deleted') when all
 * data was deleted since. The first save asks the browser to keep the data (persistent storage).
 */
export async function saveCase(c: SavedCase, epoch: number | null): Promise<void> {
  try {
    await guardedWrite(casesStore, epoch, (s) => s.put(c, c.id));
    void requestPersistence();
  } catch (e) {
    if (isQuotaError(e)) throw new AppError('quota', `The case "${c.name}" could not be saved: the browser's storage is full.`, 'Free space in Settings > Storage (cached embeddings can go first); the case stays open until you close the page.');
    throw e;
  }
}

export async function listCases(): Promise<SavedCase[]> {
  const all = withoutMarker(await entries<string, SavedCase>(casesStore));
  return all.map(([, c]) => c).sort((a, b) => a.createdAt - b.createdAt);
}

export async function deleteCase(id: string): Promise<void> {
  await del(id, casesStore);
}

export async function deleteAllCases(): Promise<void> {
  await clearKeepingMarker(casesStore);
}

export async function casesSize(): Promise<{ count: number; bytes: number }> {
  const all = await listCases();
  return { count: all.length, bytes: all.reduce((n, c) => n + c.photo.size + c.thumbnail.size + (c.preview?.size ?? 0) + (c.result?.embedding.byteLength ?? 0), 0) };
}
