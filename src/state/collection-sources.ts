/**
 * What the user picked, before import: a folder (<input webkitdirectory>), many files, a .zip
 * (read entry by entry), or a folder linked through the File System Access API (the photos stay
 * on disk; the collection keeps handles). Names are sorted into photos, label files and the rest
 * (core/collections/import-plan.ts); label files are parsed here, photos are read only on import.
 */
import { parseCsv, type CsvTable } from '../core/collections/csv';
import { planImport, type ImportPlan } from '../core/collections/import-plan';
import type { CollectionSource, PhotoStorage } from '../core/collections/types';
import { toAppError } from '../core/errors';
import type { StoredPhoto } from '../storage/collections';
import { openZip } from '../storage/zip-reader';

export interface SourceItem {
  path: string;
  size: number;
  read(): Promise<Uint8Array<ArrayBuffer>>;
  /** What the collection keeps of this photo, given its bytes (a copy, or the file handle). */
  keep(bytes: Uint8Array<ArrayBuffer>, type: string): StoredPhoto;
}

export interface CsvCandidate {
  path: string;
  table?: CsvTable;
  error?: string;
}

export interface ScannedSource {
  name: string;
  kind: CollectionSource;
  photoStorage: PhotoStorage;
  items: Map<string, SourceItem>;
  plan: ImportPlan;
  csvs: CsvCandidate[];
  folderHandle?: FileSystemDirectoryHandle;
}

const relPath = (f: File) => (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;

async function finish(name: string, kind: CollectionSource, photoStorage: PhotoStorage, items: SourceItem[], folderHandle?: FileSystemDirectoryHandle): Promise<ScannedSource> {
  const byPath = new Map(items.map((i) => [i.path, i]));
  const plan = planImport(items.map((i) => ({ path: i.path, size: i.size })));
  const csvs: CsvCandidate[] = [];
  for (const c of plan.csvs) {
    try {
      const text = new TextDecoder().decode(await byPath.get(c.path)!.read());
      csvs.push({ path: c.path, table: parseCsv(text, c.path) });
    } catch (e) {
      csvs.push({ path: c.path, error: toAppError(e).message });
    }
  }
  return { name, kind, photoStorage, items: byPath, plan, csvs, folderHandle };
}

/** A folder from <input webkitdirectory>, or many files; one .zip alone is opened as an archive. */
export async function scanFiles(files: readonly File[]): Promise<ScannedSource> {
  if (files.length === 1 && /\.zip$/i.test(files[0].name)) return scanZip(files[0]);
  const folder = files.length > 0 && relPath(files[0]).includes('/') ? relPath(files[0]).split('/')[0] : undefined;
  const items = files.map(
    (f): SourceItem => ({
      path: relPath(f),
      size: f.size,
      read: async () => new Uint8Array(await f.arrayBuffer()),
      // The File itself: IndexedDB copies it from disk without it passing through memory here.
      keep: () => f,
    }),
  );
  return finish(folder ?? `${files.length} photos`, folder ? 'folder' : 'files', 'blob', items);
}

/** A .zip: the table of contents now, each photo when it is imported (one at a time). */
export async function scanZip(file: File): Promise<ScannedSource> {
  const entries = await openZip(file, file.name);
  const items = entries.map(
    (e): SourceItem => ({
      path: e.path,
      size: e.size,
      read: () => e.read(),
      keep: (bytes, type) => new Blob([bytes], { type }),
    }),
  );
  return finish(file.name, 'zip', 'blob', items);
}

/** A folder linked through the File System Access API (Chromium): the collection keeps handles. */
export async function scanDirectoryHandle(dir: FileSystemDirectoryHandle): Promise<ScannedSource> {
  const items: SourceItem[] = [];
  const walk = async (d: FileSystemDirectoryHandle, prefix: string) => {
    for await (const h of (d as FileSystemDirectoryHandle & { values(): AsyncIterable<FileSystemHandle> }).values()) {
      const path = `${prefix}${h.name}`;
      if (h.kind === 'directory') await walk(h as FileSystemDirectoryHandle, `${path}/`);
      else {
        const fh = h as FileSystemFileHandle;
        const size = (await fh.getFile()).size;
        items.push({ path, size, read: async () => new Uint8Array(await (await fh.getFile()).arrayBuffer()), keep: () => fh });
      }
    }
  };
  await walk(dir, `${dir.name}/`);
  return finish(dir.name, 'linked-folder', 'handle', items, dir);
}

/** Whether this browser can link a folder (File System Access API). */
export function canLinkFolders(): boolean {
  return typeof window !== 'undefined' && 'showDirectoryPicker' in window;
}

/** Ask the user for a folder to link (must run in a click handler). */
export async function pickFolderToLink(): Promise<ScannedSource | null> {
  const picker = (window as Window & { showDirectoryPicker?: (o?: { mode?: 'read' }) => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker;
  if (!picker) return null;
  try {
    return await scanDirectoryHandle(await picker({ mode: 'read' }));
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') return null;
    throw e;
  }
}
