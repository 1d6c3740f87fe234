/**
 * "Delete all data": every cache, store and file this app keeps in the browser. Cases, embeddings
 * and weights go; settings in localStorage go too. Nothing is left behind in IndexedDB, Cache
 * Storage or OPFS.
 */
export async function deleteAllData(): Promise<void> {
  if (typeof caches !== 'undefined') for (const k of await caches.keys()) await caches.delete(k);
  const dbs = (await indexedDB.databases?.()) ?? [];
  for (const db of dbs) {
    if (!db.name) continue;
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.deleteDatabase(db.name!);
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error);
      req.onblocked = () => resolve();
    });
  }
  const root = await navigator.storage?.getDirectory?.().catch(() => null);
  if (root) for await (const name of (root as FileSystemDirectoryHandle & { keys(): AsyncIterable<string> }).keys()) await root.removeEntry(name, { recursive: true });
  localStorage.clear();
}
