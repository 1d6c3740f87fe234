/**
 * Validated manifests kept in the weight cache, so a bundle opens offline (and an imported one at
 * all): one entry per base URL (`/models/<id>` served, `imported:<id>` from disk). A stored file
 * may be listed by several kept manifests (the served demo and an identical imported copy share
 * their files): deleting one bundle removes its manifest and only the files no other kept
 * manifest lists.
 */
import { AppError } from '../core/errors';
import { bundleIdentity } from '../core/bundle-identity';
import { readManifest, type Manifest } from '../core/manifest';
import { deleteKeys, listStored, weightKey, WEIGHT_CACHE } from './weights';

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
  /** sha256 of the manifest's canonical JSON (core/bundle-identity.ts). */
  identity: string;
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
      const { json, manifest } = readManifest(await (await cache.match(req))!.text());
      out.push({ baseUrl: decodeURIComponent(path.slice(MANIFESTS.length)), manifest, identity: await bundleIdentity(json) });
    } catch {
      // A manifest this version cannot read is not offered.
    }
  }
  return out;
}

/** The weight-cache keys of every file a manifest lists. */
export function keysOf(m: Manifest): string[] {
  return Object.entries(m.files).map(([name, f]) => weightKey(m.id, name, f.sha256));
}

/** Keys of the files some kept manifest lists (only imported bundles' with `importedOnly`). */
async function listedKeys(importedOnly = false): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const b of await storedBundles()) if (!importedOnly || b.baseUrl.startsWith(IMPORTED)) for (const k of keysOf(b.manifest)) keys.add(k);
  return keys;
}

/** Delete those of `keys` that no kept manifest lists; returns how many files went. */
export async function deleteUnlisted(keys: Iterable<string>): Promise<number> {
  const listed = await listedKeys();
  return deleteKeys([...keys].filter((k) => !listed.has(k)));
}

/**
 * Remove files an import added (a failed or interrupted one), unless a stored imported bundle
 * lists them: those cannot be downloaded again. A served bundle's copy of the same file may go
 * (it is downloaded again when needed): the import removes what it wrote.
 */
export async function removeImportedFiles(keys: Iterable<string>): Promise<number> {
  const listed = await listedKeys(true);
  return deleteKeys([...keys].filter((k) => !listed.has(k)));
}

/**
 * Delete a model kept under `baseUrl`: its manifest, and its files unless another kept manifest
 * lists them too (the other bundle keeps working). Returns the files deleted.
 */
export async function deleteBundle(baseUrl: string): Promise<number> {
  if (typeof caches === 'undefined') return 0;
  const text = await readManifestText(baseUrl);
  await (await caches.open(WEIGHT_CACHE)).delete(manifestKey(baseUrl));
  if (text === null) return 0;
  let manifest: Manifest;
  try {
    manifest = readManifest(text).manifest;
  } catch {
    return 0;
  }
  return deleteUnlisted(keysOf(manifest));
}

/** Stored files of a bundle id that no kept manifest lists (left by an older version of a served bundle). */
export async function unlistedFiles(): Promise<{ bundleId: string; key: string; bytes: number }[]> {
  const listed = await listedKeys();
  return (await listStored()).map((f) => ({ bundleId: f.bundleId, key: weightKey(f.bundleId, f.file, f.sha256), bytes: f.bytes })).filter((f) => !listed.has(f.key));
}

/**
 * The cache identity of a bundle known only by its id (a collection records the id of the model
 * it was indexed with): the kept manifest with that id. Refused when none is kept any more.
 */
export async function refForBundle(bundleId: string): Promise<{ id: string; identity: string }> {
  const found = (await storedBundles()).find((b) => b.manifest.id === bundleId);
  if (!found) throw new AppError('manifest-invalid', `The model "${bundleId}" is no longer stored on this device, so its embeddings cannot be read.`, 'Open that model once (Settings), then try again.');
  return { id: bundleId, identity: found.identity };
}
