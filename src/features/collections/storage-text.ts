import type { PhotoStorage } from '../../core/collections/types';

/** Where a collection keeps its photos, in words (shown wherever the collection is). */
export function storageText(s: PhotoStorage): string {
  return s === 'blob' ? 'photos copied into this browser' : s === 'handle' ? 'photos linked on disk (handles)' : 'thumbnails and embeddings only (photos not kept)';
}
