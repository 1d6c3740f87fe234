/**
 * Embedding caches in IndexedDB (idb-keyval), one database per kind so image and text embeddings
 * can be listed and cleared separately. Keys always start with the bundle id and variant, so two
 * models never mix. Each entry remembers when it was last used, for least-recently-used eviction.
 */
import { del, entries, get, getMany, type UseStore } from 'idb-keyval';
import type { CacheKey } from '../core/cachekeys';
import { clearKeepingMarker, guardedWrite, withoutMarker } from './epoch';
import { embeddingStores, type EmbeddingKind } from './stores';
import { isQuotaError } from './weights';

type EmbeddingKey = CacheKey;

interface Entry {
  v: Float32Array;
  usedAt: number;
}

function storeFor(kind: EmbeddingKind): UseStore {
  return embeddingStores[kind];
}

/** Mark an entry as used now, if it is still there (a wipe in between must not bring it back). */
function touch(kind: EmbeddingKind, key: EmbeddingKey): Promise<void> {
  return storeFor(kind)('readwrite', (s) => {
    const r = s.get(key);
    r.onsuccess = () => {
      if (r.result) s.put({ ...(r.result as Entry), usedAt: Date.now() }, key);
    };
    return new Promise<void>((resolve, reject) => {
      s.transaction.oncomplete = () => resolve();
      s.transaction.onabort = () => reject(s.transaction.error);
    });
  });
}

/** One embedding; a hit counts as a use for least-recently-used eviction. */
export async function getEmbedding(kind: EmbeddingKind, key: EmbeddingKey): Promise<Float32Array | undefined> {
  const e = await get<Entry>(key, storeFor(kind));
  if (e) void touch(kind, key).catch(() => undefined);
  return e?.v;
}

export async function getEmbeddings(kind: EmbeddingKind, keys: EmbeddingKey[]): Promise<(Float32Array | undefined)[]> {
  const found = await getMany<Entry | undefined>(keys, storeFor(kind));
  return found.map((e) => e?.v);
}

/**
 * Store embeddings computed in wipe epoch `epoch` (storage/epoch.ts: refused when all data was
 * deleted since). When the quota is exhausted, evict the least recently used entries of both
 * kinds and try once more; returns how many were evicted (the caller tells the user).
 */
export async function putEmbeddings(kind: EmbeddingKind, items: [EmbeddingKey, Float32Array][], epoch: number | null): Promise<{ evicted: number }> {
  const now = Date.now();
  const rows: [IDBValidKey, Entry][] = items.map(([k, v]) => [k, { v, usedAt: now }]);
  const write = () => guardedWrite(storeFor(kind), epoch, (s) => rows.forEach(([k, v]) => s.put(v, k)));
  try {
    await write();
    return { evicted: 0 };
  } catch (e) {
    if (!isQuotaError(e) && !(e instanceof DOMException && e.name === 'UnknownError')) throw e;
    const evicted = await evictLeastRecentlyUsed(Math.max(64, rows.length * 2));
    await write();
    return { evicted };
  }
}

export async function putEmbedding(kind: EmbeddingKind, key: EmbeddingKey, v: Float32Array, epoch: number | null): Promise<{ evicted: number }> {
  return putEmbeddings(kind, [[key, v]], epoch);
}

/** Delete the `count` least recently used embeddings across both kinds. */
export async function evictLeastRecentlyUsed(count: number): Promise<number> {
  const all: { kind: EmbeddingKind; key: IDBValidKey; usedAt: number }[] = [];
  for (const kind of ['image', 'text'] as EmbeddingKind[]) {
    for (const [key, e] of withoutMarker(await entries<IDBValidKey, Entry>(storeFor(kind)))) all.push({ kind, key, usedAt: e.usedAt });
  }
  all.sort((a, b) => a.usedAt - b.usedAt);
  const victims = all.slice(0, count);
  for (const v of victims) await del(v.key, storeFor(v.kind));
  return victims.length;
}

export async function embeddingStats(kind: EmbeddingKind): Promise<{ count: number; bytes: number }> {
  let count = 0;
  let bytes = 0;
  for (const [, e] of withoutMarker(await entries<IDBValidKey, Entry>(storeFor(kind)))) {
    count++;
    bytes += e.v.byteLength;
  }
  return { count, bytes };
}

export async function clearEmbeddings(kind?: EmbeddingKind): Promise<void> {
  for (const k of kind ? [kind] : (['image', 'text'] as EmbeddingKind[])) await clearKeepingMarker(storeFor(k));
}
