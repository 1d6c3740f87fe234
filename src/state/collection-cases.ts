/** Opening a collection photo as a case on the diagnose screen (its embedding is already cached). */
import type { CollectionEntry } from '../core/collections/types';
import { AppError } from '../core/errors';
import { getPhoto } from '../storage/collections';
import { useCases } from './cases';

export async function openEntryAsCase(e: CollectionEntry): Promise<void> {
  const p = await getPhoto(e.collectionId, e.seq);
  if (!p) throw new AppError('input-invalid', `"${e.name}" cannot be opened as a case: this collection keeps thumbnails only (it was exported without photos).`);
  const blob = p instanceof Blob ? p : await p.getFile();
  await useCases.getState().addFiles([new File([blob], e.name, { type: blob.type })]);
}
