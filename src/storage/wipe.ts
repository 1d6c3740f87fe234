/**
 * "Delete all data": every cache, store and file this app keeps in the browser: weights, cached
 * embeddings, saved cases, settings. Open IndexedDB stores are emptied at once (a database with
 * open connections can only be deleted once the page closes them), then every database is
 * deleted; Cache Storage and OPFS are emptied.
 */
import { clearEmbeddings } from './embeddings';
import { deleteAllCases } from './cases';

export async function deleteAllData(): Promise<void> {
  await clearEmbeddings();
  await deleteAllCases();
  if (typeof caches !== 'undefined') for (const k of await caches.keys()) await caches.delete(k);
  const root = await navigator.storage?.getDirectory?.().catch(() => null);
  if (root) for await (const name of (root as FileSystemDirectoryHandle & { keys(): AsyncIterable<string> }).keys()) await root.removeEntry(name, { recursive: true });
  localStorage.clear();
  const dbs = (await indexedDB.databases?.()) ?? [];
  for (const db of dbs) if (db.name) indexedDB.deleteDatabase(db.name);
}
