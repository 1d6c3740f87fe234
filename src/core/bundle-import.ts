/**
 * What importing a bundle from disk will read and store, decided before anything is read or
 * written: every file the manifest lists (but its references, which only the tests use) must be
 * there with the size the manifest gives, none may be larger than one file may be; files the
 * manifest does not list are ignored (never read, never stored) and reported. Pure: the storage
 * layer gives the picked paths with their sizes (a folder's files, or a zip's directory).
 */
import { AppError } from './errors';
import type { FileEntry, Manifest } from './manifest';
import { formatBytes, ZIP_LIMITS } from './zip';

/** The largest single file an import accepts (a model file is read into memory whole). */
export const MAX_IMPORT_FILE_BYTES = ZIP_LIMITS.maxEntryBytes;

export interface ImportFile {
  /** Name in the manifest. */
  name: string;
  /** Path among the picked files (prefix + name). */
  path: string;
  entry: FileEntry;
}

export interface ImportPlan {
  files: ImportFile[];
  /** Picked paths the manifest does not list: not read, not stored. */
  ignored: string[];
  /** Bytes of all files to store. */
  bytes: number;
}

/** Files the app needs at run time: all listed files but the test references. */
export function runtimeFiles(manifest: Manifest): string[] {
  const refs = manifest.references ? manifest.references.slice(0, manifest.references.lastIndexOf('/') + 1) : null;
  return Object.keys(manifest.files).filter((n) => !n.startsWith('references/') && !(refs && n.startsWith(refs)));
}

/**
 * The plan for importing `manifest` found at `manifestPath` among `sizes` (every picked path and
 * its size in bytes). Throws an AppError that names the file and the reason.
 */
export function planImport(manifest: Manifest, manifestPath: string, sizes: ReadonlyMap<string, number>): ImportPlan {
  const prefix = manifestPath.slice(0, manifestPath.length - 'manifest.json'.length);
  const names = runtimeFiles(manifest);
  const missing = names.filter((n) => !sizes.has(prefix + n));
  if (missing.length) throw new AppError('manifest-invalid', `The bundle "${manifest.id}" is incomplete: ${missing.length} file(s) listed in manifest.json are missing (first: ${missing[0]}).`, 'Copy the whole bundle folder again.');
  const files: ImportFile[] = [];
  let bytes = 0;
  for (const name of names) {
    const entry = manifest.files[name];
    const path = prefix + name;
    const size = sizes.get(path)!;
    if (entry.bytes > MAX_IMPORT_FILE_BYTES) throw new AppError('input-invalid', `Model file ${name} is ${formatBytes(entry.bytes)} by its manifest; one file of an imported bundle may be at most ${formatBytes(MAX_IMPORT_FILE_BYTES)}.`, 'This is not a bundle this app can run.');
    if (size !== entry.bytes) throw new AppError('file-corrupt', `Model file ${name} is ${size.toLocaleString('en')} bytes, but manifest.json says ${entry.bytes.toLocaleString('en')}. Nothing was imported.`, 'The file on disk is not the one the manifest describes: copy the bundle folder again.');
    files.push({ name, path, entry });
    bytes += entry.bytes;
  }
  const listed = new Set(Object.keys(manifest.files).map((n) => prefix + n));
  const ignored = [...sizes.keys()].filter((p) => p !== manifestPath && !listed.has(p)).sort();
  return { files, ignored, bytes };
}

/** One sentence about ignored files, or ''. */
export function ignoredNote(ignored: readonly string[]): string {
  if (ignored.length === 0) return '';
  return `${ignored.length} file(s) that manifest.json does not list were ignored (not read, not stored; first: ${ignored[0]}).`;
}
