/**
 * The models stored on this device as the Storage screen lists them: one row per kept manifest
 * (base URL), so two bundles never show as one row even when they share an id, plus one row per
 * bundle id for stored files that no kept manifest lists (an older version of a served bundle).
 */
import { shortIdentity } from '../core/bundle-identity';
import { IMPORTED, keysOf, storedBundles, unlistedFiles } from './manifests';
import { listStored, weightKey } from './weights';

export interface StoredModel {
  /** Row key: the bundle's base URL. */
  baseUrl: string;
  bundleId: string;
  name: string;
  imported: boolean;
  /** First 12 hex digits of the bundle identity (tells two bundles with one id apart). */
  identity: string;
  files: number;
  bytes: number;
  /** Of those files, how many another kept bundle lists too (they stay when this one is deleted). */
  shared: number;
}

export interface UnlistedFiles {
  bundleId: string;
  keys: string[];
  bytes: number;
}

export async function modelInventory(): Promise<{ models: StoredModel[]; unlisted: UnlistedFiles[] }> {
  const [bundles, files, unlisted] = await Promise.all([storedBundles(), listStored(), unlistedFiles()]);
  const sizes = new Map(files.map((f) => [weightKey(f.bundleId, f.file, f.sha256), f.bytes]));
  const owners = new Map<string, number>();
  for (const b of bundles) for (const k of new Set(keysOf(b.manifest))) owners.set(k, (owners.get(k) ?? 0) + 1);
  const models = bundles
    .map((b): StoredModel => {
      const stored = [...new Set(keysOf(b.manifest))].filter((k) => sizes.has(k));
      return {
        baseUrl: b.baseUrl,
        bundleId: b.manifest.id,
        name: b.manifest.name,
        imported: b.baseUrl.startsWith(IMPORTED),
        identity: shortIdentity(b.identity),
        files: stored.length,
        bytes: stored.reduce((n, k) => n + sizes.get(k)!, 0),
        shared: stored.filter((k) => owners.get(k)! > 1).length,
      };
    })
    .filter((m) => m.files > 0 || m.imported)
    .sort((a, b) => a.bundleId.localeCompare(b.bundleId) || a.baseUrl.localeCompare(b.baseUrl));
  const byId = new Map<string, UnlistedFiles>();
  for (const f of unlisted) {
    const row = byId.get(f.bundleId) ?? { bundleId: f.bundleId, keys: [], bytes: 0 };
    row.keys.push(f.key);
    row.bytes += f.bytes;
    byId.set(f.bundleId, row);
  }
  return { models, unlisted: [...byId.values()] };
}
