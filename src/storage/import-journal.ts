/**
 * Imports in progress, so that one cut short (the page reloaded or closed mid-import) leaves
 * nothing behind: before writing, an import records the files it is about to add (only those not
 * stored yet) in a journal entry, and removes the entry when it is done. At the next start, a
 * journal entry whose import is no longer running means an interrupted import: its files are
 * deleted unless a stored imported bundle lists them (its own manifest is written last, so a
 * half-written bundle was never listed or used).
 *
 * One import at a time across tabs: the import holds the Web Lock `dermlip-import`; the start-up
 * clean-up runs only if it can take that lock at once (no other tab is importing right now).
 */
import { removeImportedFiles } from './manifests';
import { WEIGHT_CACHE } from './weights';

const JOURNAL = '/__dermlip-imports/';
const LOCK = 'dermlip-import';

interface JournalEntry {
  bundleId: string;
  keys: string[];
  startedAt: number;
}

/** Web Locks, where the browser has them (every current one; without them imports are not serialised across tabs). */
const locks = (): LockManager | null => (typeof navigator !== 'undefined' && navigator.locks) || null;

/** Run `fn` holding the import lock (waits for an import in another tab to finish). */
export function withImportLock<T>(fn: () => Promise<T>): Promise<T> {
  const l = locks();
  return l ? (l.request(LOCK, {}, fn) as Promise<T>) : fn();
}

/** Record that an import of `bundleId` is about to add `keys`; returns the journal entry to close. */
export async function openJournal(bundleId: string, keys: string[]): Promise<string> {
  const key = `${JOURNAL}${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const entry: JournalEntry = { bundleId, keys, startedAt: Date.now() };
  await (await caches.open(WEIGHT_CACHE)).put(key, new Response(JSON.stringify(entry), { headers: { 'Content-Type': 'application/json' } }));
  return key;
}

export async function closeJournal(key: string): Promise<void> {
  await (await caches.open(WEIGHT_CACHE)).delete(key);
}

/**
 * Clean up after imports that were cut short: their files that no kept manifest lists are
 * deleted. Returns each interrupted import's bundle id and the files removed.
 */
export async function recoverInterruptedImports(): Promise<{ bundleId: string; removed: number }[]> {
  if (typeof caches === 'undefined' || !(await caches.has(WEIGHT_CACHE))) return [];
  const l = locks();
  const run = async () => {
    const cache = await caches.open(WEIGHT_CACHE);
    const out: { bundleId: string; removed: number }[] = [];
    for (const req of await cache.keys()) {
      if (!new URL(req.url).pathname.startsWith(JOURNAL)) continue;
      let entry: JournalEntry | null = null;
      try {
        entry = (await (await cache.match(req))!.json()) as JournalEntry;
      } catch {
        entry = null;
      }
      const keys = Array.isArray(entry?.keys) ? entry.keys.filter((k): k is string => typeof k === 'string' && k.startsWith('/__dermlip-weights/')) : [];
      out.push({ bundleId: String(entry?.bundleId ?? '?'), removed: await removeImportedFiles(keys) });
      await cache.delete(req);
    }
    return out;
  };
  // Only when no import runs in another tab (its journal is live, not interrupted).
  return l ? l.request(LOCK, { ifAvailable: true }, (lock) => (lock ? run() : Promise.resolve([]))) : run();
}
