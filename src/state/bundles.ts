/**
 * The models this app can open: bundles the server offers (`/models/index.json`) and bundles kept
 * on this device (seen before, or imported from files), merged by base URL; plus importing one.
 * Screens reach model storage only through here.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { importBundle, pickedFiles, type ImportProgress } from '../storage/import';
import { deleteBundle, IMPORTED, storedBundles } from '../storage/manifests';
import { requestPersistence } from '../storage/persistence';
import { listStored } from '../storage/weights';
import { useLoadedModel } from './model';
import { DEFAULT_BUNDLE_URL, useSettings } from './settings';
import { announceBundleDeleted, announceBundlesChanged } from './tabs';

export type { ImportProgress };

export interface AvailableBundle {
  baseUrl: string;
  id: string;
  name: string;
  demo: boolean;
  /** All files of the bundle (every variant). */
  bytes: number;
  /** Bytes of its files kept on this device. */
  storedBytes: number;
  served: boolean;
  imported: boolean;
}

interface ServedIndex {
  bundles: { baseUrl: string; id: string; name: string; demo: boolean; bytes: number }[];
}

async function servedBundles(): Promise<ServedIndex['bundles']> {
  try {
    const res = await fetch('/models/index.json', { cache: 'no-store' });
    if (!res.ok) return [];
    const json = (await res.json()) as ServedIndex;
    return Array.isArray(json.bundles) ? json.bundles : [];
  } catch {
    return []; // offline: the kept bundles are still listed
  }
}

export async function availableBundles(): Promise<AvailableBundle[]> {
  const [served, stored, files] = await Promise.all([servedBundles(), storedBundles(), listStored()]);
  const storedBytes = (id: string) => files.filter((f) => f.bundleId === id).reduce((n, f) => n + f.bytes, 0);
  const out = new Map<string, AvailableBundle>();
  for (const s of served) out.set(s.baseUrl, { ...s, storedBytes: storedBytes(s.id), served: true, imported: false });
  for (const { baseUrl, manifest: m } of stored) {
    if (out.has(baseUrl)) continue;
    const bytes = Object.values(m.files).reduce((n, f) => n + f.bytes, 0);
    out.set(baseUrl, { baseUrl, id: m.id, name: m.name, demo: m.demo, bytes, storedBytes: storedBytes(m.id), served: false, imported: baseUrl.startsWith(IMPORTED) });
  }
  return [...out.values()];
}

/** The list, measured again whenever a model finishes loading (its files were just stored). */
export function useAvailableBundles() {
  const loaded = useLoadedModel((s) => (s.slots.main.phase === 'ready' ? s.slots.main.key : null));
  return useQuery({ queryKey: ['available-bundles', loaded], queryFn: availableBundles, staleTime: 0 });
}

/** Refresh every list of models and stored data (after an import or a deletion). */
export function useRefreshBundles() {
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: ['available-bundles'] }), qc.invalidateQueries({ queryKey: ['storage-report'] })]);
}

/** Validate and store a bundle picked from disk (folder or .zip); it becomes the active model. */
export async function importBundleFiles(files: File[], onProgress?: (p: ImportProgress) => void) {
  const picked = await pickedFiles(files);
  const r = await importBundle(picked, onProgress);
  useSettings.getState().update({ bundleUrl: r.baseUrl, variant: 'auto' });
  // The user stored a model: ask the browser to keep it; other tabs list it.
  void requestPersistence();
  announceBundlesChanged();
  return r;
}

/**
 * Delete a model from this device: files and kept manifests. When it was the active imported
 * model, the app goes back to the default one (an imported model cannot be fetched again).
 */
export async function deleteModel(bundleId: string): Promise<void> {
  await deleteBundle(bundleId);
  announceBundleDeleted(bundleId);
  const url = useSettings.getState().bundleUrl;
  if (url === IMPORTED + bundleId) useSettings.getState().update({ bundleUrl: DEFAULT_BUNDLE_URL, variant: 'auto' });
}
