/**
 * Everything the page's origin keeps in the browser, listed: every IndexedDB database's records
 * (key and a digest of the value), every Cache Storage cache's request URLs, every OPFS entry
 * (recursively) and localStorage. Two listings that are equal mean nothing was written between.
 * Also an init script counting every write call made in the page (IndexedDB, Cache Storage, OPFS,
 * localStorage), for "nothing is ever written", not only "nothing is left".
 */
import type { Page } from '@playwright/test';

export interface StorageSnapshot {
  idb: Record<string, string[]>;
  caches: Record<string, string[]>;
  opfs: string[];
  local: Record<string, string>;
}

export function storageSnapshot(page: Page): Promise<StorageSnapshot> {
  return page.evaluate(async () => {
    const digest = (v: unknown): string => {
      if (v instanceof Blob) return `blob:${v.type}:${v.size}`;
      if (ArrayBuffer.isView(v)) return `${v.constructor.name}:${(v as Uint8Array).byteLength}:${Array.from(new Uint8Array(v.buffer, v.byteOffset, Math.min(v.byteLength, 16))).join(',')}`;
      if (Array.isArray(v)) return `[${v.map(digest).join(',')}]`;
      if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${k}:${digest(x)}`).join(',')}}`;
      return JSON.stringify(v) ?? 'undefined';
    };
    const idb: Record<string, string[]> = {};
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      const rows: string[] = [];
      for (const store of Array.from(db.objectStoreNames)) {
        const [keys, values] = await new Promise<[IDBValidKey[], unknown[]]>((res, rej) => {
          const tx = db.transaction(store);
          const k = tx.objectStore(store).getAllKeys();
          const v = tx.objectStore(store).getAll();
          tx.oncomplete = () => res([k.result, v.result]);
          tx.onerror = () => rej(tx.error);
        });
        keys.forEach((key, i) => rows.push(`${store} ${JSON.stringify(key)} = ${digest(values[i]).replace(/usedAt:\d+/g, 'usedAt')}`));
      }
      db.close();
      idb[name] = rows.sort();
    }
    const caches_: Record<string, string[]> = {};
    for (const name of await caches.keys()) caches_[name] = (await (await caches.open(name)).keys()).map((r) => r.url).sort();
    const opfs: string[] = [];
    const walk = async (dir: FileSystemDirectoryHandle, prefix: string) => {
      for await (const [name, h] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
        opfs.push(`${prefix}${name}`);
        if (h.kind === 'directory') await walk(h as FileSystemDirectoryHandle, `${prefix}${name}/`);
      }
    };
    await walk(await navigator.storage.getDirectory(), '');
    const local: Record<string, string> = {};
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i)!;
      local[k] = localStorage.getItem(k)!;
    }
    return { idb, caches: caches_, opfs: opfs.sort(), local };
  });
}

/** Install before the page loads: `window.__writes` lists every storage write call made since `__writes.length = 0`. */
export async function countWrites(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w: string[] = [];
    (window as unknown as { __writes: string[] }).__writes = w;
    const wrap = (proto: object | undefined, names: string[], label: string) => {
      if (!proto) return;
      for (const n of names) {
        const p = proto as Record<string, unknown>;
        const orig = p[n];
        if (typeof orig !== 'function') continue;
        p[n] = function (this: unknown, ...args: unknown[]) {
          // An open names its database: opening one that exists reads, it writes nothing.
          w.push(label === 'indexedDB' && n === 'open' ? `${label}.${n}(${String(args[0])})` : `${label}.${n}`);
          return (orig as (...a: unknown[]) => unknown).apply(this, args);
        };
      }
    };
    wrap(globalThis.IDBObjectStore?.prototype, ['put', 'add', 'delete', 'clear', 'createIndex'], 'idb');
    wrap(globalThis.IDBFactory?.prototype, ['open', 'deleteDatabase'], 'indexedDB');
    wrap(globalThis.Cache?.prototype, ['put', 'add', 'addAll', 'delete'], 'cache');
    wrap(globalThis.CacheStorage?.prototype, ['open', 'delete'], 'caches');
    wrap(globalThis.FileSystemDirectoryHandle?.prototype, ['getFileHandle', 'getDirectoryHandle', 'removeEntry'], 'opfs');
    wrap(globalThis.StorageManager?.prototype, ['getDirectory'], 'opfs');
    wrap(globalThis.Storage?.prototype, ['setItem', 'removeItem', 'clear'], 'localStorage');
  });
}

export function writes(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window as unknown as { __writes: string[] }).__writes]);
}

export function resetWrites(page: Page): Promise<void> {
  return page.evaluate(() => void ((window as unknown as { __writes: string[] }).__writes.length = 0));
}
