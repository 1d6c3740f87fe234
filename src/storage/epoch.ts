/**
 * Wipe epochs: "Delete all data" must stay deleted, even when a save was still on its way (this
 * tab) or another tab still holds the old cases and writes one back (a crop change, a result).
 *
 * Every data store keeps a marker under WIPE_KEY: the epoch (a time stamp) of the last wipe that
 * emptied it. A wipe empties a store and sets its marker in one transaction. Every write says which
 * epoch its data belongs to (the one its tab knew when the data was made) and checks the marker in
 * the same transaction: data from before the last wipe is refused (and the tab is told, so it drops
 * what it still shows); a store whose marker is behind the writer's epoch missed a wipe (a wipe cut
 * short, a database deleted by hand) and is emptied first. IndexedDB runs read-write transactions
 * on one store one after the other, so no write can slip between a wipe's check and its clear.
 */
import { get, type UseStore } from 'idb-keyval';
import { AppError } from '../core/errors';
import { DATA_STORES } from './stores';

/** The marker's key: a string no case id (a UUID) or embedding key (an array) can be. */
export const WIPE_KEY = 'dermlip-wipe-epoch';

let current = 0;
let loaded: Promise<number> | null = null;
const listeners = new Set<(epoch: number) => void>();

function markOf(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

async function load(): Promise<number> {
  // A store that does not answer (another tab holds it) is left out: its first write checks it.
  const read = await Promise.allSettled(DATA_STORES.map(async (s) => markOf(await get(WIPE_KEY, s))));
  const marks = read.map((r) => (r.status === 'fulfilled' ? r.value : null));
  if (marks.every((m) => m === null)) throw (read[0] as PromiseRejectedResult).reason;
  const newest = Math.max(current, ...marks.map((m) => m ?? 0));
  // A store behind the newest marker missed (part of) that wipe: finish it.
  await Promise.all(DATA_STORES.map((s, i) => (marks[i] !== null && marks[i] < newest ? emptyStore(s, newest) : undefined)));
  current = newest;
  return newest;
}

/** This tab's epoch: the last wipe it knows of (read from storage once; again after refreshEpoch). */
export function tabEpoch(): Promise<number> {
  loaded ??= load().catch((e: unknown) => {
    loaded = null;
    throw e;
  });
  return loaded;
}

/** Read the epoch again (another tab announced a wipe). */
export function refreshEpoch(): Promise<number> {
  loaded = null;
  return tabEpoch();
}

/** True while no wipe happened (in this tab's knowledge) since `epoch` was taken. */
export function isCurrentEpoch(epoch: number): boolean {
  return epoch === current;
}

/** Called when a write finds that another tab wiped the data since this tab last looked. */
export function onWipeElsewhere(f: (epoch: number) => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

function dataDeleted(): AppError {
  return new AppError('data-deleted', 'This was not saved: all data of this app was deleted (here or in another tab) after it was made.');
}

/** Empty a store and set its marker, in one transaction. */
function emptyStore(store: UseStore, epoch: number): Promise<void> {
  return store('readwrite', (s) => {
    s.clear();
    s.put(epoch, WIPE_KEY);
    return done(s.transaction);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error ?? new DOMException('The transaction was aborted.', 'AbortError'));
  });
}

/** "Delete all data" for the stores: a new epoch, every store emptied under it. */
export async function wipeDataStores(): Promise<void> {
  const known = await tabEpoch().catch(() => current);
  const epoch = Math.max(Date.now(), known + 1);
  current = epoch;
  loaded = Promise.resolve(epoch);
  for (const s of DATA_STORES) await emptyStore(s, epoch);
}

/** Empty one store (the user cleared the embedding cache, or closed every case), keeping its marker. */
export function clearKeepingMarker(store: UseStore): Promise<void> {
  return store('readwrite', (s) => {
    const r = s.get(WIPE_KEY);
    r.onsuccess = () => {
      s.clear();
      if (r.result !== undefined) s.put(r.result, WIPE_KEY);
    };
    return done(s.transaction);
  });
}

/** This tab's epoch now, or null when storage cannot say (a write then takes the epoch of its moment). */
export function epochNow(): Promise<number | null> {
  return tabEpoch().catch(() => null);
}

/**
 * Run `write` in a read-write transaction on `store` if no wipe happened since `epoch` (null: the
 * tab's epoch when the write runs): refused with a 'data-deleted' AppError otherwise (nothing
 * written). Errors thrown by `write` (a full quota) reject as they are.
 */
export async function guardedWrite(store: UseStore, epochOrNull: number | null, write: (s: IDBObjectStore) => void): Promise<void> {
  const epoch = epochOrNull ?? (await tabEpoch());
  return store('readwrite', (s) => {
    const tx = s.transaction;
    let failure: unknown = null;
    const r = s.get(WIPE_KEY);
    r.onsuccess = () => {
      const mark = markOf(r.result);
      if (mark > epoch) {
        failure = dataDeleted();
        tx.abort();
        if (mark > current) for (const f of listeners) f(mark);
        return;
      }
      try {
        if (mark < epoch) {
          s.clear();
          s.put(epoch, WIPE_KEY);
        }
        write(s);
      } catch (e) {
        failure = e;
        tx.abort();
      }
    };
    return done(tx).catch((e: unknown) => {
      throw failure ?? e;
    });
  });
}

/** Every entry but the marker. */
export function withoutMarker<K, V>(rows: [K, V][]): [K, V][] {
  return rows.filter(([k]) => k !== WIPE_KEY);
}
