/** What this app stores in the browser, measured, for the storage screen; and deleting it. */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { casesSize } from '../storage/cases';
import { collectionsSize } from '../storage/collections';
import { clearEmbeddings, embeddingStats } from '../storage/embeddings';
import { onPersistenceChange, persistenceState, type PersistenceState } from '../storage/persistence';
import { deleteAllData } from '../storage/wipe';
import { deleteUnlisted } from '../storage/manifests';
import { modelInventory, type StoredModel, type UnlistedFiles } from '../storage/model-inventory';
import { forgetCollections } from './collections';
import { useLoadedModel } from './model';
import { announceWiped } from './tabs';

export type { PersistenceState };

export interface StorageReport {
  /** One row per stored bundle (base URL), and one per bundle id for files no kept manifest lists. */
  models: StoredModel[];
  unlisted: UnlistedFiles[];
  embeddings: { image: { count: number; bytes: number }; text: { count: number; bytes: number } };
  cases: { count: number; bytes: number };
  collections: { collections: number; photos: number; bytes: number };
  estimate: { usage: number; quota: number } | null;
  persisted: boolean | null;
}

export type { StoredModel, UnlistedFiles };

export async function storageReport(): Promise<StorageReport> {
  const [inventory, image, text, cases, collections, est, persisted] = await Promise.all([
    modelInventory(),
    embeddingStats('image'),
    embeddingStats('text'),
    casesSize(),
    collectionsSize(),
    navigator.storage?.estimate?.().catch(() => null) ?? null,
    navigator.storage?.persisted?.().catch(() => null) ?? null,
  ]);
  return {
    ...inventory,
    embeddings: { image, text },
    cases,
    collections,
    estimate: est ? { usage: est.usage ?? 0, quota: est.quota ?? 0 } : null,
    persisted,
  };
}

/** Delete stored files that no kept bundle lists (an older version of a served bundle). */
export async function deleteUnlistedFiles(row: UnlistedFiles): Promise<void> {
  await deleteUnlisted(row.keys);
}

/**
 * The report, measured again whenever a model finishes loading (its files were just stored). A
 * storage that does not answer (another tab holds it) fails within seconds with its reason, not retried.
 */
export function useStorageReport() {
  const loaded = useLoadedModel((s) => (s.slots.main.phase === 'ready' ? s.slots.main.key : null));
  return useQuery({ queryKey: ['storage-report', loaded], queryFn: storageReport, staleTime: 0, retry: false });
}

/** Whether this page asked the browser for persistent storage, and its answer. */
export function usePersistence(): PersistenceState {
  const [s, set] = useState(persistenceState);
  useEffect(() => onPersistenceChange(set), []);
  return s;
}

/** Forget every cached image and text embedding (models and cases stay). */
export function clearEmbeddingCache(): Promise<void> {
  return clearEmbeddings();
}

/** Models, cached embeddings, saved cases and settings: all of it, from this device. */
export async function deleteEverything(): Promise<void> {
  await deleteAllData();
  // Other tabs drop their cases and settings too; this one as well.
  await announceWiped();
  forgetCollections();
}
