/**
 * Importing a collection: labels from a CSV or the folder layout, then every photo read once,
 * one at a time (checked by its content, hashed, stored with its label and metadata columns).
 * Bad files are listed with their reason and skipped; the import goes on. Indexing starts when
 * the photos are in. An interrupted import (a reload) can be completed by picking the same files
 * again: photos already in are skipped by path.
 */
import { create } from 'zustand';
import { folderLabels, joinCsv, labelCounts, recogniseColumns, bestIdColumn, type PhotoLabel } from '../core/collections/label-source';
import { MAX_LISTED_SKIPPED, type CollectionEntry, type CollectionMeta, type LabelSourceInfo, type MappingChoice } from '../core/collections/types';
import { sha256Hex } from '../core/cachekeys';
import { toAppError } from '../core/errors';
import { checkPhotoBytes } from '../media/decode';
import { addPhoto, saveFolderHandle } from '../storage/collections';
import { appendEntry, bumpEntries, collectionById, entriesOf, useCollections } from './collections';
import { scanFiles, type ScannedSource } from './collection-sources';
import { startIndexing } from './indexer';
import { notify } from './notices';

export type LabelChoice = { kind: 'csv'; csvPath: string; idColumn: string; labelColumn: string } | { kind: 'folders' } | { kind: 'none' };

export interface LabelPlan {
  info: LabelSourceInfo;
  byPath: Map<string, PhotoLabel>;
  metadataColumns: string[];
  labels: { label: string; count: number }[];
  notes: string[];
}

/** The labels a source offers without asking: a recognised CSV, else any CSV that names the photos, else the folders. */
export function defaultLabelChoice(src: ScannedSource): LabelChoice {
  const photos = src.plan.photos.map((p) => p.path);
  for (const c of src.csvs) {
    if (!c.table) continue;
    const known = recogniseColumns(c.table.columns);
    if (known) return { kind: 'csv', csvPath: c.path, idColumn: known.idColumn, labelColumn: known.labelColumn };
  }
  for (const c of src.csvs) {
    if (!c.table) continue;
    const id = bestIdColumn(c.table, photos);
    const label = c.table.columns.find((x) => x !== id?.column);
    if (id && label) return { kind: 'csv', csvPath: c.path, idColumn: id.column, labelColumn: label };
  }
  return folderLabels(photos) ? { kind: 'folders' } : { kind: 'none' };
}

export function labelPlan(src: ScannedSource, choice: LabelChoice): LabelPlan {
  const photos = src.plan.photos.map((p) => p.path);
  if (choice.kind === 'csv') {
    const csv = src.csvs.find((c) => c.path === choice.csvPath)?.table;
    if (!csv) return { info: { kind: 'none' }, byPath: new Map(), metadataColumns: [], labels: [], notes: [`${choice.csvPath} could not be read.`] };
    const j = joinCsv(csv, choice, photos);
    const notes: string[] = [];
    if (j.unmatchedRows) notes.push(`${j.unmatchedRows} row(s) of ${choice.csvPath} name no photo among the files.`);
    if (j.unlabelled.length) notes.push(`${j.unlabelled.length} photo(s) have no row in ${choice.csvPath} (first: ${j.unlabelled[0]}); they are imported without a label.`);
    if (j.duplicateIds.length) notes.push(`${j.duplicateIds.length} photo id(s) appear on several rows (first: ${j.duplicateIds[0]}); the first row is used.`);
    const dataset = recogniseColumns(csv.columns);
    const info: LabelSourceInfo = { kind: 'csv', file: choice.csvPath, idColumn: choice.idColumn, labelColumn: choice.labelColumn };
    if (dataset && dataset.idColumn === choice.idColumn && dataset.labelColumn === choice.labelColumn && dataset.dataset) info.dataset = dataset.dataset;
    return { info, byPath: j.byPath, metadataColumns: j.metadataColumns, labels: labelCounts([...j.byPath.values()].map((l) => l.label)), notes };
  }
  if (choice.kind === 'folders') {
    const folders = folderLabels(photos) ?? new Map<string, string>();
    const byPath = new Map([...folders].map(([p, label]): [string, PhotoLabel] => [p, { label, metadata: {} }]));
    return { info: { kind: 'folders' }, byPath, metadataColumns: [], labels: labelCounts(folders.values()), notes: [] };
  }
  return { info: { kind: 'none' }, byPath: new Map(), metadataColumns: [], labels: [], notes: [] };
}

export interface ImportProgress {
  done: number;
  total: number;
  skipped: number;
  current?: string;
}

export const useImportProgress = create<{ jobs: Record<string, ImportProgress | undefined> }>(() => ({ jobs: {} }));

function setProgress(id: string, p: ImportProgress | undefined): void {
  useImportProgress.setState((s) => ({ jobs: { ...s.jobs, [id]: p } }));
}

/** Create the collection and copy its photos in, in the background; returns its id at once. */
export async function importCollection(src: ScannedSource, labels: LabelPlan, name: string, mapping: MappingChoice): Promise<string> {
  const meta: CollectionMeta = {
    id: crypto.randomUUID(),
    name,
    createdAt: Date.now(),
    source: src.kind,
    photoStorage: src.photoStorage,
    labelSource: labels.info,
    metadataColumns: labels.metadataColumns,
    labels: labels.labels,
    mapping,
    skipped: src.plan.skipped.slice(0, MAX_LISTED_SKIPPED),
    skippedCount: src.plan.skipped.length,
    labelNotes: labels.notes,
    count: 0,
    imported: false,
    indexing: 'running',
  };
  await useCollections.getState().save(meta);
  if (src.folderHandle) await saveFolderHandle(meta.id, src.folderHandle);
  void copyPhotos(meta.id, src, labels);
  return meta.id;
}

/**
 * Complete an interrupted import: the same folder, zip or files picked again; photos already in
 * (same path) are skipped, the rest are labelled the way the collection was.
 */
export async function resumeImport(collectionId: string, files: File[]): Promise<void> {
  const meta = collectionById(collectionId);
  if (!meta) return;
  const src = await scanFiles(files);
  const ls = meta.labelSource;
  const choice: LabelChoice = ls.kind === 'csv' ? { kind: 'csv', csvPath: ls.file, idColumn: ls.idColumn, labelColumn: ls.labelColumn } : ls;
  await copyPhotos(collectionId, src, labelPlan(src, choice));
}

async function copyPhotos(id: string, src: ScannedSource, labels: LabelPlan): Promise<void> {
  const entries = await entriesOf(id);
  const have = new Set(entries.map((e) => e.path));
  const todo = src.plan.photos.filter((p) => !have.has(p.path));
  let seq = entries.reduce((m, e) => Math.max(m, e.seq + 1), 0);
  const skipped: { path: string; reason: string }[] = [];
  const progress: ImportProgress = { done: 0, total: todo.length, skipped: 0 };
  setProgress(id, { ...progress });
  let lastSave = performance.now();
  const save = async (final: boolean) => {
    const c = collectionById(id);
    if (!c) return;
    const listed = [...c.skipped, ...skipped].slice(0, MAX_LISTED_SKIPPED);
    await useCollections.getState().save({ ...c, count: entries.length, skipped: listed, skippedCount: c.skippedCount + skipped.length, imported: final || c.imported });
    skipped.length = 0;
  };
  try {
    for (const p of todo) {
      if (!collectionById(id)) return; // deleted meanwhile
      const item = src.items.get(p.path)!;
      const name = p.path.split('/').pop()!;
      setProgress(id, { ...progress, current: p.path });
      try {
        const bytes = await item.read();
        const info = checkPhotoBytes(bytes, name);
        const label = labels.byPath.get(p.path);
        const entry: CollectionEntry = {
          collectionId: id,
          seq: seq++,
          path: p.path,
          name,
          bytes: bytes.length,
          photoSha256: await sha256Hex(bytes),
          ...(label?.label ? { label: label.label } : {}),
          metadata: label?.metadata ?? {},
          hasThumbnail: false,
          tensors: {},
          embedded: [],
        };
        await addPhoto(entry, item.keep(bytes, `image/${info.kind}`));
        await appendEntry(entry);
        bumpEntries(id);
      } catch (e) {
        const err = toAppError(e);
        if (err.code === 'quota') throw err;
        skipped.push({ path: p.path, reason: err.message });
        progress.skipped++;
      }
      progress.done++;
      if (performance.now() - lastSave > 2000) {
        lastSave = performance.now();
        await save(false);
      }
    }
    await save(true);
    const c = collectionById(id);
    if (c?.indexing === 'running') void startIndexing(id);
  } catch (e) {
    await save(false).catch(() => undefined);
    notify({ level: 'error', message: `The import stopped after ${progress.done} of ${progress.total} photos: ${toAppError(e).message}`, hint: toAppError(e).hint });
  } finally {
    setProgress(id, undefined);
  }
}
