/**
 * Where a collection's labels come from: a CSV that names each photo (HAM10000's image_id + dx,
 * ISIC's isic_id + diagnosis, PAD-UFES-20's img_id + diagnostic, or any two columns the user
 * picks; every other column is kept as metadata), or a folder-per-class layout (the folder a
 * photo sits in is its label). Paths are '/'-separated, relative to what the user picked.
 */
import { AppError } from '../errors';
import type { CsvTable } from './csv';

export interface KnownLayout {
  dataset: string;
  idColumn: string;
  labelColumn: string;
}

/** Column pairs of public datasets, recognised without asking (case-insensitive). */
export const KNOWN_LAYOUTS: readonly KnownLayout[] = [
  { dataset: 'HAM10000', idColumn: 'image_id', labelColumn: 'dx' },
  { dataset: 'ISIC archive', idColumn: 'isic_id', labelColumn: 'diagnosis' },
  { dataset: 'PAD-UFES-20', idColumn: 'img_id', labelColumn: 'diagnostic' },
  { dataset: 'Fitzpatrick17k', idColumn: 'md5hash', labelColumn: 'label' },
];

export interface ColumnChoice {
  idColumn: string;
  labelColumn: string;
  /** The dataset whose layout was recognised, if any. */
  dataset?: string;
}

/** A known dataset layout among the columns, with the columns' own spelling. */
export function recogniseColumns(columns: readonly string[]): ColumnChoice | null {
  const byLower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  for (const k of KNOWN_LAYOUTS) {
    const id = byLower.get(k.idColumn);
    const label = byLower.get(k.labelColumn);
    if (id && label) return { idColumn: id, labelColumn: label, dataset: k.dataset };
  }
  return null;
}

const IMAGE_EXT = /\.(jpe?g|png|webp|gif|bmp|avif|heic|heif|tiff?)$/i;

/** The key a photo is found by: its file name without folder and image extension, lower case. */
export function photoKey(pathOrId: string): string {
  const base = pathOrId.trim().split(/[\\/]/).pop() ?? '';
  return base.replace(IMAGE_EXT, '').toLowerCase();
}

/** The column whose values name the most photos (for a CSV whose layout is not known). */
export function bestIdColumn(table: CsvTable, photoPaths: readonly string[]): { column: string; matches: number } | null {
  const keys = new Set(photoPaths.map(photoKey));
  let best: { column: string; matches: number } | null = null;
  table.columns.forEach((column, ci) => {
    let matches = 0;
    for (const r of table.rows) if (keys.has(photoKey(r[ci]))) matches++;
    if (matches > 0 && (!best || matches > best.matches)) best = { column, matches };
  });
  return best;
}

export interface PhotoLabel {
  label?: string;
  metadata: Record<string, string>;
}

export interface CsvJoin {
  /** Per photo path: its label (absent when the cell is empty) and the other columns. */
  byPath: Map<string, PhotoLabel>;
  /** Rows that name no photo among the files (their photos were not picked, or are misnamed). */
  unmatchedRows: number;
  /** Photos no row names. */
  unlabelled: string[];
  /** Ids named by more than one row (the first row wins). */
  duplicateIds: string[];
  metadataColumns: string[];
}

/** Join CSV rows to photos by `idColumn` (file name without extension, case-insensitive). */
export function joinCsv(table: CsvTable, choice: Pick<ColumnChoice, 'idColumn' | 'labelColumn'>, photoPaths: readonly string[]): CsvJoin {
  const ci = table.columns.indexOf(choice.idColumn);
  const li = table.columns.indexOf(choice.labelColumn);
  if (ci < 0) throw new AppError('input-invalid', `The CSV has no column "${choice.idColumn}".`);
  if (li < 0) throw new AppError('input-invalid', `The CSV has no column "${choice.labelColumn}".`);
  if (ci === li) throw new AppError('input-invalid', 'The photo column and the label column must differ.');
  const metadataColumns = table.columns.filter((_, i) => i !== ci && i !== li);
  const rowByKey = new Map<string, string[]>();
  const duplicates = new Set<string>();
  for (const r of table.rows) {
    const k = photoKey(r[ci]);
    if (!k) continue;
    if (rowByKey.has(k)) duplicates.add(r[ci]);
    else rowByKey.set(k, r);
  }
  const byPath = new Map<string, PhotoLabel>();
  const used = new Set<string>();
  const unlabelled: string[] = [];
  for (const p of photoPaths) {
    const k = photoKey(p);
    const r = rowByKey.get(k);
    if (!r) {
      unlabelled.push(p);
      continue;
    }
    used.add(k);
    const metadata: Record<string, string> = {};
    table.columns.forEach((c, i) => {
      if (i !== ci && i !== li) metadata[c] = r[i];
    });
    const label = r[li].trim();
    byPath.set(p, label ? { label, metadata } : { metadata });
  }
  return { byPath, unmatchedRows: rowByKey.size - used.size, unlabelled, duplicateIds: [...duplicates], metadataColumns };
}

/**
 * Folder-per-class: each photo's label is the folder it sits in, below the folders all photos
 * share. Null when that does not describe the photos (a photo at the top, or fewer than two
 * classes).
 */
export function folderLabels(photoPaths: readonly string[]): Map<string, string> | null {
  if (photoPaths.length === 0) return null;
  const dirs = photoPaths.map((p) => p.split('/').slice(0, -1));
  let common = dirs[0].length;
  for (const d of dirs) {
    let i = 0;
    while (i < common && i < d.length && d[i] === dirs[0][i]) i++;
    common = i;
  }
  const out = new Map<string, string>();
  for (let k = 0; k < photoPaths.length; k++) {
    const d = dirs[k];
    if (d.length <= common) return null;
    out.set(photoPaths[k], d[d.length - 1]);
  }
  return new Set(out.values()).size >= 2 ? out : null;
}

/** Distinct labels with their photo counts, most frequent first (ties: alphabetical). */
export function labelCounts(labels: Iterable<string | undefined>): { label: string; count: number }[] {
  const m = new Map<string, number>();
  for (const l of labels) if (l) m.set(l, (m.get(l) ?? 0) + 1);
  return [...m].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}
