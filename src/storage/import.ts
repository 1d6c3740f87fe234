/**
 * "Load a model from files": a bundle folder (or a .zip of one) picked from disk is validated
 * against its manifest (every listed file present, right size, right sha256), stored in the weight
 * cache, and then selectable like a served bundle (base URL `imported:<id>`). The manifest is
 * written last: a failed import removes what it wrote and leaves no half bundle behind.
 */
import { AppError, toAppError } from '../core/errors';
import { parseManifest, type Manifest } from '../core/manifest';
import { IMPORTED, storeManifest } from './manifests';
import { store, verify, weightKey, WEIGHT_CACHE } from './weights';

export interface PickedFile {
  /** Path inside the picked folder or zip, '/'-separated. */
  path: string;
  data: Blob;
}

export interface ImportProgress {
  file: string;
  done: number;
  total: number;
}

/** Files from <input webkitdirectory> or a .zip, as paths and blobs. */
export async function pickedFiles(files: File[]): Promise<PickedFile[]> {
  if (files.length === 1 && /\.zip$/i.test(files[0].name)) return unzipToFiles(files[0]);
  return files.map((f) => ({ path: (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name, data: f }));
}

async function unzipToFiles(zip: File): Promise<PickedFile[]> {
  const { unzip } = await import('fflate');
  const bytes = new Uint8Array(await zip.arrayBuffer());
  const entries = await new Promise<Record<string, Uint8Array>>((resolve, reject) =>
    unzip(bytes, (err, data) => (err ? reject(new AppError('file-corrupt', `"${zip.name}" is not a readable .zip file (${err.message}).`)) : resolve(data))),
  );
  return Object.entries(entries)
    .filter(([p]) => !p.endsWith('/'))
    .map(([path, data]) => ({ path, data: new Blob([data as Uint8Array<ArrayBuffer>]) }));
}

/** The folder holding manifest.json (the shallowest one), and the manifest. */
export async function findManifest(files: PickedFile[]): Promise<{ prefix: string; manifest: Manifest; text: string }> {
  const candidates = files.filter((f) => f.path === 'manifest.json' || f.path.endsWith('/manifest.json'));
  candidates.sort((a, b) => a.path.split('/').length - b.path.split('/').length);
  const m = candidates[0];
  if (!m) throw new AppError('manifest-invalid', 'The chosen files contain no manifest.json, so they are not a model bundle.', 'Choose the bundle folder itself (the one with manifest.json), or a .zip of it.');
  const text = await m.data.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('manifest-invalid', `${m.path} is not valid JSON.`);
  }
  return { prefix: m.path.slice(0, m.path.length - 'manifest.json'.length), manifest: parseManifest(json), text };
}

/** Validate and store a picked bundle. Returns its base URL for the settings. */
export async function importBundle(files: PickedFile[], onProgress?: (p: ImportProgress) => void): Promise<{ baseUrl: string; manifest: Manifest }> {
  const { prefix, manifest, text } = await findManifest(files);
  const byPath = new Map(files.map((f) => [f.path, f.data]));
  const names = Object.keys(manifest.files).filter((n) => !n.startsWith('references/'));
  const missing = names.filter((n) => !byPath.has(prefix + n));
  if (missing.length) throw new AppError('manifest-invalid', `The bundle "${manifest.id}" is incomplete: ${missing.length} file(s) listed in manifest.json are missing (first: ${missing[0]}).`, 'Copy the whole bundle folder again.');
  const written: string[] = [];
  try {
    for (const [i, name] of names.entries()) {
      onProgress?.({ file: name, done: i, total: names.length });
      const entry = manifest.files[name];
      const data = await byPath.get(prefix + name)!.arrayBuffer();
      await verify(name, data, entry);
      await store(manifest.id, name, entry, data);
      written.push(weightKey(manifest.id, name, entry.sha256));
    }
    const baseUrl = IMPORTED + manifest.id;
    await storeManifest(baseUrl, text);
    onProgress?.({ file: 'manifest.json', done: names.length, total: names.length });
    return { baseUrl, manifest };
  } catch (e) {
    const cache = await caches.open(WEIGHT_CACHE);
    for (const key of written) await cache.delete(key);
    throw toAppError(e);
  }
}
