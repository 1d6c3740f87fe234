/** What this app stores in the browser, measured, for the storage screen; and deleting it. */
import { useQuery } from '@tanstack/react-query';
import { casesSize } from '../storage/cases';
import { collectionsSize } from '../storage/collections';
import { clearEmbeddings, embeddingStats } from '../storage/embeddings';
import { deleteAllData } from '../storage/wipe';
import { listStored } from '../storage/weights';
import { useCases } from './cases';
import { forgetCollections } from './collections';
import { useLoadedModel } from './model';

export interface StorageReport {
  bundles: { bundleId: string; files: number; bytes: number }[];
  embeddings: { image: { count: number; bytes: number }; text: { count: number; bytes: number } };
  cases: { count: number; bytes: number };
  collections: { collections: number; photos: number; bytes: number };
  estimate: { usage: number; quota: number } | null;
  persisted: boolean | null;
}

export async function storageReport(): Promise<StorageReport> {
  const files = await listStored();
  const byBundle = new Map<string, { bundleId: string; files: number; bytes: number }>();
  for (const f of files) {
    const b = byBundle.get(f.bundleId) ?? { bundleId: f.bundleId, files: 0, bytes: 0 };
    b.files++;
    b.bytes += f.bytes;
    byBundle.set(f.bundleId, b);
  }
  const [image, text, cases, collections, est, persisted] = await Promise.all([
    embeddingStats('image'),
    embeddingStats('text'),
    casesSize(),
    collectionsSize(),
    navigator.storage?.estimate?.().catch(() => null) ?? null,
    navigator.storage?.persisted?.().catch(() => null) ?? null,
  ]);
  return {
    bundles: [...byBundle.values()],
    embeddings: { image, text },
    cases,
    collections,
    estimate: est ? { usage: est.usage ?? 0, quota: est.quota ?? 0 } : null,
    persisted,
  };
}

/** The report, measured again whenever a model finishes loading (its files were just stored). */
export function useStorageReport() {
  const loaded = useLoadedModel((s) => (s.slots.main.phase === 'ready' ? s.slots.main.key : null));
  return useQuery({ queryKey: ['storage-report', loaded], queryFn: storageReport, staleTime: 0 });
}

/** Forget every cached image and text embedding (models and cases stay). */
export function clearEmbeddingCache(): Promise<void> {
  return clearEmbeddings();
}

/** Models, cached embeddings, saved cases and settings: all of it, from this device. */
export async function deleteEverything(): Promise<void> {
  await deleteAllData();
  await useCases.getState().removeAll();
  forgetCollections();
}
