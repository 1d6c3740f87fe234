/**
 * "Delete all data": every cache, store and file this app keeps in the browser: weights, cached
 * embeddings, saved cases, collections, teaching packs and quiz progress, settings. The IndexedDB stores are emptied under a new wipe epoch
 * (storage/epoch.ts), so a save still on its way, or one from another tab that still shows the old
 * cases, is refused instead of bringing them back. (They are emptied rather than deleted: a wipe
 * marker must stay, and a database that another tab holds open cannot be deleted until it lets go.)
 * Cache Storage (but the app shell) and OPFS are emptied.
 */
import { deleteAllCollections } from './collections';
import { wipeDataStores } from './epoch';
import { clearConversions } from './convert-store';
import { deleteAllPacks, deleteAllQuizProgress } from './packs';

export async function deleteAllData(): Promise<void> {
  await wipeDataStores();
  await deleteAllCollections();
  await deleteAllPacks();
  await deleteAllQuizProgress();
  await clearConversions();
  // Every cache but the service worker's copy of the app itself (it holds no data, and without
  // it the app could not open offline until the next online visit).
  if (typeof caches !== 'undefined') for (const k of await caches.keys()) if (!k.startsWith('workbox-precache')) await caches.delete(k);
  const root = await navigator.storage?.getDirectory?.().catch(() => null);
  if (root) for await (const name of (root as FileSystemDirectoryHandle & { keys(): AsyncIterable<string> }).keys()) await root.removeEntry(name, { recursive: true });
  localStorage.clear();
}
