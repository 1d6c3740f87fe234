/**
 * Collections in IndexedDB: one database per kind of record so the small ones can be listed fast
 * and the big ones are read one at a time. `collections` holds each collection's description;
 * `entries` one small record per photo, keyed [collectionId, seq]; `thumbnails` and `photos` the
 * blobs (or File System Access handles) under the same keys. Embeddings are not here: they are
 * in the embedding cache (storage/embeddings.ts), keyed by bundle, variant and tensor sha256.
 */
import { del, get, promisifyRequest, set, type UseStore } from 'idb-keyval';
import { idbStore } from './idb';
import type { CollectionEntry, CollectionMeta } from '../core/collections/types';
import { AppError } from '../core/errors';
import { isQuotaError } from './weights';

export type StoredPhoto = Blob | FileSystemFileHandle;
type EntryKey = [string, number];

const made = new Map<string, UseStore>();
function db(name: string): UseStore {
  let s = made.get(name);
  if (!s) made.set(name, (s = idbStore(`dermlip-collection-${name}`, name)));
  return s;
}
const metas = () => db('meta');
const entriesDb = () => db('entries');
const thumbsDb = () => db('thumbnails');
const photosDb = () => db('photos');

/** Every key of one collection in a [collectionId, seq] store. */
const range = (collectionId: string) => IDBKeyRange.bound([collectionId, -Infinity], [collectionId, Infinity]);

function quota(e: unknown, what: string): never {
  if (isQuotaError(e)) throw new AppError('quota', `${what}: the browser's storage is full.`, 'Free space in Storage (cached embeddings or other collections can go), or keep photos as links to the files instead of copies.');
  throw e;
}

export async function listCollections(): Promise<CollectionMeta[]> {
  const all = await metas()('readonly', (s) => promisifyRequest(s.getAll() as IDBRequest<CollectionMeta[]>));
  return all.sort((a, b) => a.createdAt - b.createdAt);
}

export async function saveCollection(meta: CollectionMeta): Promise<void> {
  await set(meta.id, meta, metas()).catch((e: unknown) => quota(e, `The collection "${meta.name}" could not be saved`));
}

/** All entries of a collection, in seq order (small records: no photos, no thumbnails). */
export function listEntries(collectionId: string): Promise<CollectionEntry[]> {
  return entriesDb()('readonly', (s) => promisifyRequest(s.getAll(range(collectionId)) as IDBRequest<CollectionEntry[]>));
}

/** Write entries (new or updated) in one transaction. */
export async function putEntries(entries: readonly CollectionEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await entriesDb()('readwrite', (s) => {
    for (const e of entries) s.put(e, [e.collectionId, e.seq] satisfies EntryKey);
    return promisifyRequest(s.transaction);
  }).catch((e: unknown) => quota(e, 'Photos could not be added to the collection'));
}

/** A new photo: its entry and the photo (blob or handle) in one go. */
export async function addPhoto(entry: CollectionEntry, photo: StoredPhoto | null): Promise<void> {
  if (photo) await set([entry.collectionId, entry.seq] satisfies EntryKey, photo, photosDb()).catch((e: unknown) => quota(e, `"${entry.name}" could not be stored`));
  await putEntries([entry]);
}

/** The linked folder of a collection that keeps handles (its permission is asked for again after a reload). */
export async function saveFolderHandle(collectionId: string, dir: FileSystemDirectoryHandle): Promise<void> {
  await set([collectionId, -1] satisfies EntryKey, dir, photosDb());
}

export function getFolderHandle(collectionId: string): Promise<FileSystemDirectoryHandle | undefined> {
  return get<FileSystemDirectoryHandle>([collectionId, -1], photosDb());
}

export function getPhoto(collectionId: string, seq: number): Promise<StoredPhoto | undefined> {
  return get<StoredPhoto>([collectionId, seq], photosDb());
}

export async function putThumbnails(items: readonly { collectionId: string; seq: number; blob: Blob }[]): Promise<void> {
  if (items.length === 0) return;
  await thumbsDb()('readwrite', (s) => {
    for (const t of items) s.put(t.blob, [t.collectionId, t.seq] satisfies EntryKey);
    return promisifyRequest(s.transaction);
  }).catch((e: unknown) => quota(e, 'Thumbnails could not be stored'));
}

export function getThumbnail(collectionId: string, seq: number): Promise<Blob | undefined> {
  return get<Blob>([collectionId, seq], thumbsDb());
}

/** A collection with all its entries, thumbnails and photos (cached embeddings stay: other collections may share them). */
export async function deleteCollection(id: string): Promise<void> {
  for (const store of [entriesDb(), thumbsDb(), photosDb()]) {
    await store('readwrite', (s) => {
      s.delete(range(id));
      return promisifyRequest(s.transaction);
    });
  }
  await del(id, metas());
}

export async function deleteAllCollections(): Promise<void> {
  for (const store of [metas(), entriesDb(), thumbsDb(), photosDb()]) {
    await store('readwrite', (s) => {
      s.clear();
      return promisifyRequest(s.transaction);
    });
  }
}

/** Collections, photos copied in (handles are not copies), and the bytes of thumbnails and copies, for the storage screen. */
export async function collectionsSize(): Promise<{ collections: number; photos: number; bytes: number }> {
  const collections = (await listCollections()).length;
  let photos = 0;
  let bytes = 0;
  for (const store of [thumbsDb(), photosDb()]) {
    await store('readonly', (s) => {
      const req = s.openCursor();
      return new Promise<void>((resolve, reject) => {
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const c = req.result;
          if (!c) return resolve();
          const v = c.value as StoredPhoto | FileSystemDirectoryHandle;
          if (v instanceof Blob) {
            bytes += v.size;
            if (store === photosDb()) photos++;
          }
          c.continue();
        };
      });
    });
  }
  return { collections, photos, bytes };
}
