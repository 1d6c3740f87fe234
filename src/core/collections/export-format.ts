/**
 * The collection export: one .zip holding `collection.json` (this schema), the thumbnails, the
 * embeddings of every model the collection was indexed with (float32 little-endian, one row per
 * listed entry), and optionally the photos. Imported on another machine with no network, it gives
 * back the gallery, search and evaluation without running the model again.
 */
import { z } from 'zod';
import { AppError } from '../errors';

export const EXPORT_FORMAT = 'dermlip-collection';
export const EXPORT_VERSION = 1;
export const EXPORT_INDEX = 'collection.json';

const SHA = z.string().regex(/^[0-9a-f]{64}$/);
/** Paths inside the archive: relative, no '..'. */
const INNER = z.string().min(1).refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'must be a relative path inside the archive');

const skipped = z.object({ path: z.string(), reason: z.string() });

const entrySchema = z.object({
  seq: z.number().int().nonnegative(),
  path: z.string(),
  name: z.string(),
  bytes: z.number().int().nonnegative(),
  photoSha256: SHA,
  label: z.string().optional(),
  metadata: z.record(z.string(), z.string()),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  thumbnail: INNER.optional(),
  photo: INNER.optional(),
  tensors: z.record(z.string(), SHA),
  problem: z.string().optional(),
});

const embeddingsSchema = z.object({
  bundleId: z.string().min(1),
  variant: z.string().min(1),
  dim: z.number().int().positive(),
  file: INNER,
  /** Entry seq of each row, in file order. */
  seqs: z.array(z.number().int().nonnegative()),
});

export const exportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: z.string(),
  collection: z.object({
    name: z.string().min(1),
    createdAt: z.number(),
    source: z.enum(['folder', 'zip', 'files', 'linked-folder', 'export']),
    labelSource: z.union([
      z.object({ kind: z.literal('csv'), file: z.string(), idColumn: z.string(), labelColumn: z.string(), dataset: z.string().optional() }),
      z.object({ kind: z.literal('folders') }),
      z.object({ kind: z.literal('none') }),
    ]),
    metadataColumns: z.array(z.string()),
    labels: z.array(z.object({ label: z.string(), count: z.number().int().nonnegative() })),
    mapping: z.object({ labelSetId: z.string(), customText: z.string().optional(), overrides: z.record(z.string(), z.record(z.string(), z.string().nullable())) }),
    skipped: z.array(skipped),
    skippedCount: z.number().int().nonnegative(),
    labelNotes: z.array(z.string()),
  }),
  entries: z.array(entrySchema),
  embeddings: z.array(embeddingsSchema),
});

export type CollectionExport = z.infer<typeof exportSchema>;
export type ExportEntry = z.infer<typeof entrySchema>;

/** Validate collection.json; the error names the first bad field. */
export function parseCollectionExport(json: unknown, fileName: string): CollectionExport {
  const r = exportSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue.path.length ? issue.path.join('.') : 'the file';
    if (issue.path[0] === 'format' || issue.path[0] === 'version') {
      throw new AppError('input-invalid', `"${fileName}" is not a DermLIP collection export of a version this app reads (${where}: ${issue.message}).`);
    }
    throw new AppError('file-corrupt', `"${fileName}": ${EXPORT_INDEX} is invalid at ${where}: ${issue.message}.`);
  }
  const x = r.data;
  const seqs = new Set<number>();
  for (const e of x.entries) {
    if (seqs.has(e.seq)) throw new AppError('file-corrupt', `"${fileName}": two entries share the number ${e.seq}.`);
    seqs.add(e.seq);
  }
  for (const m of x.embeddings) {
    const bad = m.seqs.find((s) => !seqs.has(s));
    if (bad !== undefined) throw new AppError('file-corrupt', `"${fileName}": the embeddings of ${m.bundleId}/${m.variant} name entry ${bad}, which is not in the collection.`);
  }
  return x;
}

/** Bytes of the embeddings file of `m` (float32 rows). */
export function embeddingsBytes(m: { dim: number; seqs: readonly number[] }): number {
  return m.dim * m.seqs.length * 4;
}

/** A file name safe in the archive and on any disk. */
export function safeFileName(name: string): string {
  const s = name.replace(/[^\w.\- ]+/g, '_').replace(/^\.+/, '').slice(0, 100);
  return s || 'photo';
}
