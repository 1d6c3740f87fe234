/**
 * The models this app can open: bundles the server offers (`/models/index.json`) and bundles kept
 * on this device (seen before, or imported from files), merged by base URL; plus importing one.
 * Screens reach model storage only through here.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { importBundle, pickedBundle, type ImportProgress } from '../storage/import';
import { recoverInterruptedImports } from '../storage/import-journal';
import { deleteBundle, IMPORTED, keysOf, storedBundles } from '../storage/manifests';
import { requestPersistence } from '../storage/persistence';
import { listStored, weightKey } from '../storage/weights';
import { useLoadedModel } from './model';
import { notify } from './notices';
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
  const sizes = new Map(files.map((f) => [weightKey(f.bundleId, f.file, f.sha256), f.bytes]));
  // Bytes of the files its kept manifest lists (a bundle whose manifest is not kept is not stored).
  const storedBytes = (baseUrl: string) => {
    const kept = stored.find((b) => b.baseUrl === baseUrl);
    return kept ? [...new Set(keysOf(kept.manifest))].reduce((n, k) => n + (sizes.get(k) ?? 0), 0) : 0;
  };
  const out = new Map<string, AvailableBundle>();
  for (const s of served) out.set(s.baseUrl, { ...s, storedBytes: storedBytes(s.baseUrl), served: true, imported: false });
  for (const { baseUrl, manifest: m } of stored) {
    if (out.has(baseUrl)) continue;
    const bytes = Object.values(m.files).reduce((n, f) => n + f.bytes, 0);
    out.set(baseUrl, { baseUrl, id: m.id, name: m.name, demo: m.demo, bytes, storedBytes: storedBytes(baseUrl), served: false, imported: baseUrl.startsWith(IMPORTED) });
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

/** Debug hook (`?debug=1`, console-api): wait this long before each file of an import (tests cut one short). */
let importDelayMs = 0;
export function slowImports(ms: number): void {
  importDelayMs = ms;
}

/** Validate and store a bundle picked from disk (folder or .zip); it becomes the active model. */
export async function importBundleFiles(files: File[], onProgress?: (p: ImportProgress) => void) {
  const picked = await pickedBundle(files);
  const delay = importDelayMs;
  const r = await importBundle(picked, onProgress, delay ? () => new Promise((res) => setTimeout(res, delay)) : undefined);
  useSettings.getState().update({ bundleUrl: r.baseUrl, variant: 'auto' });
  // The user stored a model: ask the browser to keep it; other tabs list it.
  void requestPersistence();
  announceBundlesChanged();
  return r;
}

/**
 * Delete a model from this device (by base URL): its manifest, and its files that no other kept
 * bundle lists. When it was the active imported model, the app goes back to the default one (an
 * imported model cannot be fetched again).
 */
export async function deleteModel(baseUrl: string): Promise<void> {
  await deleteBundle(baseUrl);
  announceBundleDeleted(baseUrl);
  const url = useSettings.getState().bundleUrl;
  if (url === baseUrl && baseUrl.startsWith(IMPORTED)) useSettings.getState().update({ bundleUrl: DEFAULT_BUNDLE_URL, variant: 'auto' });
}

/** At start: remove what imports cut short by a reload or a closed tab had stored, and say so. */
export async function cleanUpInterruptedImports(): Promise<void> {
  const done = await recoverInterruptedImports().catch(() => []);
  for (const r of done) {
    notify({ level: 'info', message: `An import of "${r.bundleId}" was cut short (the page was closed or reloaded before it finished): the ${r.removed} file(s) it had stored were removed. Import it again to use it.` });
  }
}
