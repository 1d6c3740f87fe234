/**
 * Sorting what the user picked (a folder, a .zip, many files) before anything is read: photos,
 * label files (CSV), and the rest, each skipped file with its reason. System clutter (macOS
 * resource forks, .DS_Store, Thumbs.db) is dropped without a word. Photos are checked by their
 * content later (a .jpg that is not a JPEG is caught then); here only names count.
 */

export interface PickedName {
  /** '/'-separated path inside the folder or zip. */
  path: string;
  size: number;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface ImportPlan {
  photos: PickedName[];
  csvs: PickedName[];
  skipped: SkippedFile[];
}

const PHOTO_EXT = /\.(jpe?g|jfif|png|webp|gif|bmp|avif)$/i;
const CSV_EXT = /\.(csv|tsv)$/i;
const UNSUPPORTED: readonly [RegExp, string][] = [
  [/\.(heic|heif)$/i, 'HEIC/HEIF photos cannot be read by this browser; export them as JPEG first'],
  [/\.(tiff?)$/i, 'TIFF images cannot be read by this browser; save them as PNG or JPEG first'],
  [/\.(dcm|dicom)$/i, 'DICOM files are not supported; export the images as PNG or JPEG first'],
  [/\.(xlsx?|ods)$/i, 'spreadsheets cannot be read; save the sheet as CSV to use its labels'],
  [/\.(zip|tar|gz|7z|rar)$/i, 'archives inside the selection are not opened; add them on their own'],
];

/** Files every OS sprinkles into folders and zips; never photos. */
export function isSystemClutter(path: string): boolean {
  const parts = path.split('/');
  const base = parts[parts.length - 1];
  return parts.includes('__MACOSX') || base.startsWith('._') || base === '.DS_Store' || base === 'Thumbs.db' || base === 'desktop.ini' || base === '';
}

export function planImport(files: readonly PickedName[]): ImportPlan {
  const plan: ImportPlan = { photos: [], csvs: [], skipped: [] };
  const seen = new Set<string>();
  for (const f of files) {
    if (isSystemClutter(f.path)) continue;
    if (seen.has(f.path)) {
      plan.skipped.push({ path: f.path, reason: 'the same path was picked twice' });
      continue;
    }
    seen.add(f.path);
    if (PHOTO_EXT.test(f.path)) {
      if (f.size === 0) plan.skipped.push({ path: f.path, reason: 'empty file (0 bytes)' });
      else plan.photos.push(f);
      continue;
    }
    if (CSV_EXT.test(f.path)) {
      plan.csvs.push(f);
      continue;
    }
    const known = UNSUPPORTED.find(([re]) => re.test(f.path));
    const ext = /\.([^./]+)$/.exec(f.path)?.[1];
    plan.skipped.push({ path: f.path, reason: known ? known[1] : ext ? `not a photo (.${ext.toLowerCase()})` : 'not a photo (no file extension)' });
  }
  plan.photos.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
  return plan;
}

/** The collection's default name: the picked folder or zip, else "Collection <date>". */
export function defaultCollectionName(sourceName: string | undefined, now: Date): string {
  const n = sourceName?.replace(/\.zip$/i, '').trim();
  return n || `Collection ${now.toISOString().slice(0, 10)}`;
}
