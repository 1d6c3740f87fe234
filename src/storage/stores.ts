/**
 * The IndexedDB stores that hold what the user made (saved cases) and what the app derived from it
 * (cached embeddings). "Delete all data" empties every one of them; every write to them checks the
 * wipe marker (storage/epoch.ts).
 */
import { idbStore } from './idb';

export type EmbeddingKind = 'image' | 'text';

export const casesStore = idbStore('dermlip-cases', 'cases');

export const embeddingStores: Record<EmbeddingKind, ReturnType<typeof idbStore>> = {
  image: idbStore('dermlip-image-embeddings', 'embeddings'),
  text: idbStore('dermlip-text-embeddings', 'embeddings'),
};

export const DATA_STORES = [casesStore, embeddingStores.image, embeddingStores.text];
