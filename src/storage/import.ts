/**
 * "Load a model from files": a bundle folder (or a .zip of one) picked from disk is checked before
 * anything is read or written (manifest size and schema, every listed file present with its
 * size, no id clash with another stored model, room on the disk; a zip's directory, names and
 * sizes in the unzip worker), then each file is verified (size, sha256) and stored, and the
 * manifest is written last. Files the manifest does not list are ignored. A failed import
 * removes only the files it added; files that were already stored (the served demo's, an earlier
 * import's) stay, so the models already stored keep working. An import cut short by a reload is
 * cleaned up at the next start (storage/import-journal.ts).
 */
import { bundleIdentity } from '../core/bundle-identity';
import { planImport } from '../core/bundle-import';
import { AppError, toAppError } from '../core/errors';
import { MAX_MANIFEST_BYTES, readManifest, type Manifest } from '../core/manifest';
import { findManifestPath, formatBytes } from '../core/zip';
import { closeJournal, openJournal, withImportLock } from './import-journal';
import { IMPORTED, removeImportedFiles, storedBundles, storeManifest } from './manifests';
import { unzipCall } from './unzip-client';
import { isStored, store, verifyPicked, weightKey } from './weights';

export interface ImportProgress {
  /** Unpacking the .zip (in its worker), or checking and storing each file. */
  stage: 'unpack' | 'store';
  file: string;
  done: number;
  total: number;
}

/** What the user picked: every path with its size, the manifest, and a way to read files. */
export interface PickedBundle {
  /** The .zip's name, or the folder's. */
  label: string;
  sizes: Map<string, number>;
  manifestPath: string;
  manifestText: string;
  read(paths: string[], onProgress?: (p: ImportProgress) => void): Promise<Map<string, Blob>>;
}

export interface ImportResult {
  baseUrl: string;
  manifest: Manifest;
  /** Picked files the manifest does not list (not read, not stored). */
  ignored: string[];
  /** Files stored by this import (0: the same bundle was already here). */
  added: number;
}

const relPath = (f: File) => (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;

/** Files from <input webkitdirectory>, or one .zip (checked and read in the unzip worker). */
export async function pickedBundle(files: File[]): Promise<PickedBundle> {
  if (files.length === 1 && /\.zip$/i.test(files[0].name)) {
    const zip = files[0];
    const listing = await unzipCall('open', { zip });
    return {
      label: zip.name,
      sizes: new Map(listing.entries.map((e) => [e.path, e.size])),
      manifestPath: listing.manifest.path,
      manifestText: listing.manifest.text,
      read: async (paths, onProgress) => {
        const r = await unzipCall('extract', { zip, paths }, (p) => onProgress?.({ stage: 'unpack', file: p.path, done: p.done, total: p.total }));
        return new Map(r.files.map((f) => [f.path, f.data]));
      },
    };
  }
  const byPath = new Map(files.map((f) => [relPath(f), f as Blob]));
  const manifestPath = findManifestPath([...byPath.keys()]);
  const label = relPath(files[0] ?? new File([], '?')).split('/')[0];
  if (!manifestPath) throw new AppError('manifest-invalid', 'The chosen files contain no manifest.json, so they are not a model bundle.', 'Choose the bundle folder itself (the one with manifest.json), or a .zip of it.');
  const m = byPath.get(manifestPath)!;
  if (m.size > MAX_MANIFEST_BYTES) throw new AppError('manifest-invalid', `${manifestPath} is ${formatBytes(m.size)}; a bundle manifest is at most ${formatBytes(MAX_MANIFEST_BYTES)}, so this is not one. Nothing was read.`);
  return {
    label,
    sizes: new Map([...byPath].map(([p, f]) => [p, f.size])),
    manifestPath,
    manifestText: await m.text(),
    read: async (paths) => new Map(paths.map((p) => [p, byPath.get(p)!])),
  };
}

/** Another model kept under this id with another identity: refused (see the README, "Importing a model"). */
async function refuseIdClash(manifest: Manifest, identity: string): Promise<void> {
  const other = (await storedBundles()).find((b) => b.manifest.id === manifest.id && b.identity !== identity);
  if (!other) return;
  const where = other.baseUrl.startsWith(IMPORTED) ? 'imported earlier' : 'served by this site';
  throw new AppError(
    'input-invalid',
    `Another model with the id "${manifest.id}" is already on this device ("${other.manifest.name}", ${where}), with other files or settings. Two models under one id would mix up cached results and saved cases, so this bundle was not imported.`,
    other.baseUrl.startsWith(IMPORTED) ? `Give this bundle another id in its manifest.json, or delete "${manifest.id}" in Storage first.` : 'Give this bundle another id in its manifest.json.',
  );
}

/** Refuse before writing when the browser's storage cannot take `bytes` more. */
async function checkSpace(manifest: Manifest, bytes: number): Promise<void> {
  if (bytes === 0) return;
  const est = await navigator.storage?.estimate?.().catch(() => null);
  if (!est?.quota) return;
  const free = Math.max(0, est.quota - (est.usage ?? 0));
  if (bytes > free) {
    throw new AppError('quota', `The bundle "${manifest.id}" needs ${formatBytes(bytes)} of storage, but this browser lets this site store only ${formatBytes(free)} more. Nothing was written.`, 'Free space in Storage (other models, cached embeddings) or on the disk, then import again.');
  }
}

/** Validate and store a picked bundle. `beforeFile` is a test seam (debug builds slow an import down with it). */
export async function importBundle(picked: PickedBundle, onProgress?: (p: ImportProgress) => void, beforeFile?: () => Promise<void>): Promise<ImportResult> {
  const { json, manifest } = readManifest(picked.manifestText, picked.manifestPath);
  const plan = planImport(manifest, picked.manifestPath, picked.sizes);
  const identity = await bundleIdentity(json);
  await refuseIdClash(manifest, identity);
  const keyOf = (name: string) => weightKey(manifest.id, name, manifest.files[name].sha256);
  const present = await Promise.all(plan.files.map((f) => isStored(keyOf(f.name))));
  const toAdd = plan.files.filter((_, i) => !present[i]);
  await checkSpace(manifest, toAdd.reduce((n, f) => n + f.entry.bytes, 0));

  return withImportLock(async () => {
    const added = new Set<string>();
    // Only files this import adds are journaled (and ever deleted by it); those already stored belong to other bundles too.
    const journal = await openJournal(manifest.id, toAdd.map((f) => keyOf(f.name)));
    try {
      const data = await picked.read(plan.files.map((f) => f.path), onProgress);
      for (const [i, f] of plan.files.entries()) {
        onProgress?.({ stage: 'store', file: f.name, done: i, total: plan.files.length });
        await beforeFile?.();
        await verifyPicked(f.name, data.get(f.path)!, f.entry);
        const key = keyOf(f.name);
        if (await isStored(key)) continue;
        await store(manifest.id, f.name, f.entry, data.get(f.path)!);
        added.add(key);
      }
      const gone = (await Promise.all(plan.files.map((f) => isStored(keyOf(f.name))))).filter((ok) => !ok).length;
      if (gone) throw new AppError('internal', `${gone} file(s) of "${manifest.id}" were deleted while it was being imported (in another tab?).`, 'Import the bundle again.');
      const baseUrl = IMPORTED + manifest.id;
      await storeManifest(baseUrl, picked.manifestText);
      onProgress?.({ stage: 'store', file: 'manifest.json', done: plan.files.length, total: plan.files.length });
      return { baseUrl, manifest, ignored: plan.ignored, added: added.size };
    } catch (e) {
      // Only the files this import wrote: those already stored belong to other bundles and stay.
      await removeImportedFiles(added).catch(() => undefined);
      throw toAppError(e);
    } finally {
      await closeJournal(journal).catch(() => undefined);
    }
  });
}
