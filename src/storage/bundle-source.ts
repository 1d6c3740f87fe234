/**
 * Opens a served bundle: fetches and validates its manifest (falling back to the last validated
 * copy when offline), and serves its files from the weight cache or a verified download.
 */
import { bundleIdentity } from '../core/bundle-identity';
import { AppError } from '../core/errors';
import { readManifest, type Manifest } from '../core/manifest';
import type { FileProgress, ModelSource } from '../engine/protocol';
import { IMPORTED, readManifestText, storeManifest } from './manifests';
import { requestPersistence } from './persistence';
import { download, readCached, store } from './weights';

export interface BundleSource extends ModelSource {
  baseUrl: string;
  /** sha256 of the manifest's canonical JSON: with the id, what caches and saved results are keyed by. */
  identity: string;
  /** Non-fatal problems, e.g. a file that could not be kept for offline use. */
  warnings: string[];
  getJson<T>(name: string): Promise<T>;
}

/** Where a bundle's manifest can be read: the server, else the copy kept from an earlier visit (or import). */
async function manifestText(baseUrl: string, url: string): Promise<{ text: string; fresh: boolean }> {
  let status: number | null = null;
  if (!baseUrl.startsWith(IMPORTED)) {
    try {
      const res = await fetch(url, { cache: 'no-store' });
      if (res.ok) return { text: await res.text(), fresh: true };
      status = res.status;
    } catch {
      status = null; // no connection: the kept copy, if any
    }
  }
  const kept = await readManifestText(baseUrl);
  if (kept !== null) return { text: kept, fresh: false };
  if (baseUrl.startsWith(IMPORTED)) {
    throw new AppError('manifest-invalid', `No imported model "${baseUrl.slice(IMPORTED.length)}" is stored on this device.`, 'Choose another model in Settings, or import the bundle again (Settings > Load a model from files).');
  }
  if (status === 404) throw new AppError('manifest-invalid', `There is no model bundle at ${baseUrl} on this server (${url} was not found).`, 'Choose one of the models this site offers in Settings, or load a model from files.');
  if (status !== null) throw new AppError('network', `The server answered ${status} for the model manifest ${url}.`, 'Try again later, or choose another model in Settings.');
  throw new AppError('network', `Could not load the model manifest from ${url}.`, 'Check the connection (once a model has been loaded it also works offline), or load a model from files in Settings.');
}

export async function fetchManifest(baseUrl: string): Promise<{ manifest: Manifest; identity: string }> {
  const url = `${baseUrl.replace(/\/$/, '')}/manifest.json`;
  const { text, fresh } = await manifestText(baseUrl, url);
  const { json, manifest } = readManifest(text, url);
  if (fresh && typeof caches !== 'undefined') await storeManifest(baseUrl, text).catch(() => undefined);
  return { manifest, identity: await bundleIdentity(json) };
}

/** A file's URL under a served bundle: each path segment percent-encoded (names may hold "?", "#" or "%"). */
function fileUrl(baseUrl: string, name: string): string {
  return `${baseUrl.replace(/\/$/, '')}/${name.split('/').map(encodeURIComponent).join('/')}`;
}

/** Bundle files being read right now, with when each read began (diagnostics: what a load waits for). */
const IN_FLIGHT = new Map<string, number>();

export function filesInFlight(): { file: string; sinceMs: number }[] {
  const now = performance.now();
  return [...IN_FLIGHT].map(([file, t]) => ({ file, sinceMs: Math.round(now - t) }));
}

export async function openBundle(baseUrl: string): Promise<BundleSource> {
  const { manifest, identity } = await fetchManifest(baseUrl);
  const warnings: string[] = [];
  const inflight = new Map<string, Promise<ArrayBuffer>>();

  const load = async (name: string, onProgress?: (p: FileProgress) => void): Promise<ArrayBuffer> => {
    const entry = manifest.files[name];
    if (!entry) throw new AppError('manifest-invalid', `manifest.json does not list the file ${name}.`);
    const cached = await readCached(manifest.id, name, entry).catch((e: unknown) => {
      warnings.push((e as Error).message);
      return null;
    });
    if (cached) {
      onProgress?.({ file: name, loaded: entry.bytes, total: entry.bytes, fromCache: true });
      return cached;
    }
    if (baseUrl.startsWith(IMPORTED)) throw new AppError('file-corrupt', `Model file ${name} of the imported bundle "${manifest.id}" is no longer stored on this device.`, 'Import the bundle again (Settings > Load a model from files).');
    const data = await download(fileUrl(baseUrl, name), name, entry, (p) => onProgress?.({ file: name, ...p }));
    try {
      await store(manifest.id, name, entry, data);
      // A model kept for offline use: the moment to ask the browser not to evict it.
      void requestPersistence();
    } catch (e) {
      warnings.push((e as Error).message);
    }
    return data;
  };

  // One download per file even when asked twice at once; a failure is not remembered.
  const getFile = (name: string, onProgress?: (p: FileProgress) => void): Promise<ArrayBuffer> => {
    const shared = inflight.get(name);
    // A concurrent caller gets its own copy: the engine transfers (and so detaches) what it is given.
    if (shared) return shared.then((b) => b.slice(0));
    const key = `${manifest.id}/${name}`;
    IN_FLIGHT.set(key, performance.now());
    const p = load(name, onProgress).finally(() => {
      inflight.delete(name);
      IN_FLIGHT.delete(key);
    });
    inflight.set(name, p);
    return p;
  };

  const getJson = async <T,>(name: string): Promise<T> => {
    const buf = await getFile(name);
    try {
      return JSON.parse(new TextDecoder().decode(buf)) as T;
    } catch {
      throw new AppError('manifest-invalid', `Bundle file ${name} is not valid JSON.`);
    }
  };

  return { baseUrl, manifest, identity, warnings, getFile, getJson };
}
