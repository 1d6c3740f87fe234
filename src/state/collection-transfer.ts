/**
 * Moving a collection to another machine: export it (thumbnails, labels, metadata, embeddings of
 * every model it was indexed with, photos optional) as one .zip, and import such a file with no
 * network. Imported embeddings go straight into the embedding cache under their original keys,
 * so the gallery, search and evaluation work at once, without running the model.
 */
import { epochNow } from '../storage/epoch';
import { refForBundle } from '../storage/manifests';
import { imageKey } from '../core/cachekeys';
import { embeddingModelKey, type CollectionEntry, type CollectionMeta } from '../core/collections/types';
import { sniffImage } from '../core/image-sniff';
import { writeCollectionArchive, openCollectionArchive, type ArchiveProgress } from '../storage/collection-archive';
import { addPhoto, putEntries, putThumbnails } from '../storage/collections';
import { putEmbeddings } from '../storage/embeddings';
import { appendEntry, bumpEntries, entriesOf, useCollections } from './collections';

export type { ArchiveProgress };

/** The collection as a .zip Blob. */
export async function exportCollection(meta: CollectionMeta, opts: { photos: boolean; onProgress?: (p: ArchiveProgress) => void }): Promise<Blob> {
  return writeCollectionArchive(meta, await entriesOf(meta.id), opts);
}

export function exportFileName(meta: CollectionMeta): string {
  return `${meta.name.replace(/[^\w.\- ]+/g, '_').trim() || 'collection'}.dermlip-collection.zip`;
}

/** Import an exported collection as a new one; returns its id. */
export async function importCollectionArchive(file: File, onProgress?: (p: ArchiveProgress) => void): Promise<string> {
  const archive = await openCollectionArchive(file, file.name);
  const x = archive.index;
  const hasPhotos = x.entries.some((e) => e.photo);
  const meta: CollectionMeta = {
    ...x.collection,
    id: crypto.randomUUID(),
    name: x.collection.name,
    source: 'export',
    photoStorage: hasPhotos ? 'blob' : 'none',
    count: 0,
    imported: false,
    // Nothing to compute unless the user asks for another model: indexing waits for a click.
    indexing: 'paused',
  };
  await useCollections.getState().save(meta);
  try {
    await fill(meta, archive, onProgress);
  } catch (e) {
    // No half collection: what was written goes.
    await useCollections.getState().remove(meta.id).catch(() => undefined);
    throw e;
  }
  return meta.id;
}

async function fill(meta: CollectionMeta, archive: Awaited<ReturnType<typeof openCollectionArchive>>, onProgress?: (p: ArchiveProgress) => void): Promise<void> {
  const x = archive.index;
  // Read the (empty) entry list before writing, so the entries added below are not listed twice.
  await entriesOf(meta.id);
  const bySeq = new Map<number, CollectionEntry>();
  const total = x.entries.length + x.embeddings.length;
  let done = 0;
  for (const e of x.entries) {
    const entry: CollectionEntry = {
      collectionId: meta.id,
      seq: e.seq,
      path: e.path,
      name: e.name,
      bytes: e.bytes,
      photoSha256: e.photoSha256,
      ...(e.label !== undefined ? { label: e.label } : {}),
      metadata: e.metadata,
      ...(e.width && e.height ? { width: e.width, height: e.height } : {}),
      hasThumbnail: false,
      tensors: e.tensors,
      embedded: [],
      ...(e.problem ? { problem: e.problem } : {}),
    };
    if (e.thumbnail) {
      await putThumbnails([{ collectionId: meta.id, seq: e.seq, blob: new Blob([await archive.read(e.thumbnail)], { type: 'image/jpeg' }) }]);
      entry.hasThumbnail = true;
    }
    let photo: Blob | null = null;
    if (e.photo) {
      const bytes = await archive.read(e.photo);
      photo = new Blob([bytes], { type: `image/${sniffImage(bytes).kind}` });
    }
    await addPhoto(entry, photo);
    await appendEntry(entry);
    bySeq.set(e.seq, entry);
    onProgress?.({ done: ++done, total });
  }
  for (const m of x.embeddings) {
    const data = await archive.embeddings(m);
    const mk = embeddingModelKey(m.bundleId, m.variant);
    const ref = await refForBundle(m.bundleId);
    const items: [ReturnType<typeof imageKey>, Float32Array][] = [];
    const changed: CollectionEntry[] = [];
    m.seqs.forEach((seq, i) => {
      const entry = bySeq.get(seq)!;
      const sha = entry.tensors[m.bundleId];
      if (!sha) return;
      items.push([imageKey(ref, m.variant, sha), data.slice(i * m.dim, (i + 1) * m.dim)]);
      entry.embedded = [...entry.embedded, mk];
      changed.push(entry);
    });
    const epoch = await epochNow();
    for (let i = 0; i < items.length; i += 1000) await putEmbeddings('image', items.slice(i, i + 1000), epoch);
    onProgress?.({ done: ++done, total });
  }
  await putEntries([...bySeq.values()]);
  bumpEntries(meta.id);
  await useCollections.getState().save({ ...meta, count: bySeq.size, imported: true });
}
