/**
 * Validated manifests kept in the weight cache, so a bundle opens offline (and an imported one at
 * all): one entry per base URL (`/models/<id>` served, `imported:<id>` from disk). Deleting a
 * model removes its files and every manifest that names it, so no list shows it afterwards.
 */
import { parseManifest, type Manifest } from '../core/manifest';
import { deleteBundleFiles, WEIGHT_CACHE } from './weights';

const MANIFESTS = '/__dermlip-manifests/';
const manifestKey = (baseUrl: string) => `${MANIFESTS}${encodeURIComponent(baseUrl)}`;

/** Bundles imported from disk have no server: their base URL is `imported:<id>`. */
export const IMPORTED = 'imported:';

export async function storeManifest(baseUrl: string, text: string): Promise<void> {
  const cache = await caches.open(WEIGHT_CACHE);
  await cache.put(manifestKey(baseUrl), new Response(text, { headers: { 'Content-Type': 'application/json' } }));
}

/** The kept manifest's text for a base URL, or null. */
export async function readManifestText(baseUrl: string): Promise<string | null> {
  if (typeof caches === 'undefined') return null;
  return (await (await (await caches.open(WEIGHT_CACHE)).match(manifestKey(baseUrl)))?.text()) ?? null;
}

export interface StoredBundle {
  baseUrl: string;
  manifest: Manifest;
}

/** Every bundle whose manifest is kept (served ones seen before, imported ones); unreadable ones are skipped. */
export async function storedBundles(): Promise<StoredBundle[]> {
  if (typeof caches === 'undefined' || !(await caches.has(WEIGHT_CACHE))) return [];
  const cache = await caches.open(WEIGHT_CACHE);
  const out: StoredBundle[] = [];
  for (const req of await cache.keys()) {
    const path = new URL(req.url).pathname;
    if (!path.startsWith(MANIFESTS)) continue;
    try {
      const manifest = parseManifest(JSON.parse(await (await cache.match(req))!.text()));
      out.push({ baseUrl: decodeURIComponent(path.slice(MANIFESTS.length)), manifest });
    } catch {
      // A manifest this version cannot read is not offered.
    }
  }
  return out;
}

/** Delete a model: its weight files and every kept manifest of that bundle id. Returns the files deleted. */
export async function deleteBundle(bundleId: string): Promise<number> {
  const n = await deleteBundleFiles(bundleId);
  if (typeof caches === 'undefined') return n;
  const cache = await caches.open(WEIGHT_CACHE);
  for (const b of await storedBundles()) if (b.manifest.id === bundleId) await cache.delete(manifestKey(b.baseUrl));
  return n;
}
