/**
 * "Delete all data": every cache, store and file this app keeps in the browser: weights, cached
 * embeddings, saved cases, settings. The IndexedDB stores are emptied rather than deleted: the page
 * holds them open, and a database with open connections stays "pending deletion" (blocking every
 * later open) until the page closes. Cache Storage (but the app shell) and OPFS are emptied.
 */
import { clearEmbeddings } from './embeddings';
import { deleteAllCases } from './cases';
import { clearConversions } from './convert-store';

export async function deleteAllData(): Promise<void> {
  await clearEmbeddings();
  await deleteAllCases();
  await clearConversions();
  // Every cache but the service worker's copy of the app itself (it holds no data, and without
  // it the app could not open offline until the next online visit).
  if (typeof caches !== 'undefined') for (const k of await caches.keys()) if (!k.startsWith('workbox-precache')) await caches.delete(k);
  const root = await navigator.storage?.getDirectory?.().catch(() => null);
  if (root) for await (const name of (root as FileSystemDirectoryHandle & { keys(): AsyncIterable<string> }).keys()) await root.removeEntry(name, { recursive: true });
  localStorage.clear();
}
