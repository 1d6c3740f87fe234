/**
 * A collection as one .zip file (format: core/collections/export-format.ts) and back. Writing
 * streams entry after entry (fflate's Zip), folding the output into a Blob every few MB so the
 * archive does not pile up in JavaScript memory; reading opens the archive's table of contents
 * and reads one entry at a time (storage/zip-reader.ts).
 */
import { refForBundle } from './manifests';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { imageKey } from '../core/cachekeys';
import { EXPORT_FORMAT, EXPORT_INDEX, EXPORT_VERSION, embeddingsBytes, parseCollectionExport, safeFileName, type CollectionExport, type ExportEntry } from '../core/collections/export-format';
import type { CollectionEntry, CollectionMeta } from '../core/collections/types';
import { AppError } from '../core/errors';
import { getPhoto, getThumbnail } from './collections';
import { getEmbeddings } from './embeddings';
import { openZip, type ZipFileEntry } from './zip-reader';

/** fflate writes no Zip64: an archive must stay under 4 GiB. */
const ZIP_LIMIT = 0xffffffff - 64 * 1024 * 1024;

export interface ArchiveProgress {
  done: number;
  total: number;
}

/** Collects the archive's bytes, handing them to Blobs every 8 MB (the browser may keep big blobs on disk). */
class BlobSink {
  private parts: BlobPart[] = [];
  private pending: Uint8Array<ArrayBuffer>[] = [];
  private pendingBytes = 0;
  size = 0;
  push(chunk: Uint8Array) {
    this.pending.push(chunk as Uint8Array<ArrayBuffer>);
    this.pendingBytes += chunk.length;
    this.size += chunk.length;
    if (this.pendingBytes > 8 << 20) this.flush();
  }
  flush() {
    if (this.pending.length) this.parts.push(new Blob(this.pending));
    this.pending = [];
    this.pendingBytes = 0;
  }
  blob(): Blob {
    this.flush();
    return new Blob(this.parts, { type: 'application/zip' });
  }
}

/** Write a collection, its thumbnails, its embeddings for every model, and optionally its photos. */
export async function writeCollectionArchive(meta: CollectionMeta, entries: readonly CollectionEntry[], opts: { photos: boolean; onProgress?: (p: ArchiveProgress) => void }): Promise<Blob> {
  const sink = new BlobSink();
  let failed: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failed = err;
    else sink.push(chunk);
  });
  const add = (name: string, data: Uint8Array, compress: boolean) => {
    const f = compress ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name);
    zip.add(f);
    f.push(data, true);
    if (failed) throw new AppError('internal', `The archive could not be written: ${(failed as Error).message}`);
    if (sink.size > ZIP_LIMIT) throw new AppError('input-invalid', 'The export would be larger than 4 GB, which a .zip written here cannot hold.', 'Export without the photos (thumbnails and embeddings stay), or split the collection.');
  };
  const total = entries.length * (opts.photos ? 2 : 1);
  let done = 0;
  const out: ExportEntry[] = [];
  for (const e of entries) {
    const x: ExportEntry = { seq: e.seq, path: e.path, name: e.name, bytes: e.bytes, photoSha256: e.photoSha256, metadata: e.metadata, tensors: e.tensors };
    if (e.label !== undefined) x.label = e.label;
    if (e.width) (x.width = e.width), (x.height = e.height);
    if (e.problem) x.problem = e.problem;
    const thumb = e.hasThumbnail ? await getThumbnail(e.collectionId, e.seq) : undefined;
    if (thumb) {
      x.thumbnail = `thumbnails/${e.seq}.jpg`;
      add(x.thumbnail, new Uint8Array(await thumb.arrayBuffer()), false);
    }
    opts.onProgress?.({ done: ++done, total });
    if (opts.photos) {
      const p = await getPhoto(e.collectionId, e.seq);
      const blob = p instanceof Blob ? p : p ? await p.getFile() : undefined;
      if (blob) {
        x.photo = `photos/${e.seq}-${safeFileName(e.name)}`;
        add(x.photo, new Uint8Array(await blob.arrayBuffer()), false);
      }
      opts.onProgress?.({ done: ++done, total });
    }
    out.push(x);
  }
  // Embeddings of every model the collection was indexed with, one float32 file per model.
  const models = new Set(entries.flatMap((e) => e.embedded));
  const embeddings: CollectionExport['embeddings'] = [];
  for (const mk of [...models].sort()) {
    const [bundleId, variant] = mk.split('/');
    const ref = await refForBundle(bundleId);
    const rows = entries.filter((e) => e.embedded.includes(mk) && e.tensors[bundleId]);
    const vecs: Float32Array[] = [];
    const seqs: number[] = [];
    for (let i = 0; i < rows.length; i += 1000) {
      const part = rows.slice(i, i + 1000);
      const found = await getEmbeddings('image', part.map((e) => imageKey(ref, variant, e.tensors[bundleId])));
      part.forEach((e, k) => {
        const v = found[k];
        if (v) (vecs.push(v), seqs.push(e.seq));
      });
    }
    if (!vecs.length) continue;
    const dim = vecs[0].length;
    const data = new Float32Array(vecs.length * dim);
    vecs.forEach((v, i) => data.set(v, i * dim));
    const file = `embeddings/${embeddings.length}.f32`;
    add(file, new Uint8Array(data.buffer), true);
    embeddings.push({ bundleId, variant, dim, file, seqs });
  }
  const index: CollectionExport = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date().toISOString(),
    collection: {
      name: meta.name,
      createdAt: meta.createdAt,
      source: meta.source,
      labelSource: meta.labelSource,
      metadataColumns: meta.metadataColumns,
      labels: meta.labels,
      mapping: meta.mapping,
      skipped: meta.skipped,
      skippedCount: meta.skippedCount,
      labelNotes: meta.labelNotes,
    },
    entries: out,
    embeddings,
  };
  add(EXPORT_INDEX, new TextEncoder().encode(JSON.stringify(index)), true);
  zip.end();
  if (failed) throw new AppError('internal', `The archive could not be written: ${(failed as Error).message}`);
  return sink.blob();
}

export interface OpenedArchive {
  index: CollectionExport;
  read(path: string): Promise<Uint8Array<ArrayBuffer>>;
  /** The embeddings file of one model, checked for size. */
  embeddings(m: CollectionExport['embeddings'][number]): Promise<Float32Array>;
}

/** Open an exported collection: its index now, the rest on demand. */
export async function openCollectionArchive(file: Blob, name: string): Promise<OpenedArchive> {
  const files = new Map<string, ZipFileEntry>((await openZip(file, name)).map((e) => [e.path, e]));
  const indexEntry = files.get(EXPORT_INDEX);
  if (!indexEntry) throw new AppError('input-invalid', `"${name}" is a .zip but not a collection export: it has no ${EXPORT_INDEX}.`, 'To import photos, use "New collection" instead.');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(await indexEntry.read()));
  } catch {
    throw new AppError('file-corrupt', `"${name}": ${EXPORT_INDEX} is not valid JSON.`);
  }
  const index = parseCollectionExport(json, name);
  const read = (path: string) => {
    const f = files.get(path);
    if (!f) throw new AppError('file-corrupt', `"${name}" lacks ${path}, which ${EXPORT_INDEX} lists.`);
    return f.read();
  };
  return {
    index,
    read,
    async embeddings(m) {
      const bytes = await read(m.file);
      if (bytes.length !== embeddingsBytes(m)) throw new AppError('file-corrupt', `"${name}": ${m.file} has ${bytes.length} bytes; ${m.seqs.length} embeddings of ${m.dim} values need ${embeddingsBytes(m)}.`);
      return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    },
  };
}
