/**
 * What the user made and kept, read straight from the browser's storage (not through the app):
 * saved cases, cached embeddings and stored models, so a test can count them before and after.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { BUNDLE_DIR } from './bundle';

export interface StoredData {
  /** Names of the saved cases' photos, oldest first. */
  cases: string[];
  imageEmbeddings: number;
  /** Bundle ids with weight files in Cache Storage. */
  models: string[];
  /** Base URLs of the kept manifests (served ones seen before, imported ones). */
  manifests: string[];
}

/** Entries of one IndexedDB store, but the wipe marker ('dermlip-wipe-epoch', a number). */
export async function storedData(page: Page): Promise<StoredData> {
  return page.evaluate(async () => {
    const rows = async (dbName: string, store: string): Promise<unknown[]> => {
      const names = (await indexedDB.databases()).map((d) => d.name);
      if (!names.includes(dbName)) return [];
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open(dbName);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      try {
        if (!db.objectStoreNames.contains(store)) return [];
        return await new Promise<unknown[]>((res, rej) => {
          const out: unknown[] = [];
          const c = db.transaction(store).objectStore(store).openCursor();
          c.onsuccess = () => {
            const cur = c.result;
            if (!cur) return res(out);
            if (cur.key !== 'dermlip-wipe-epoch') out.push(cur.value);
            else if (typeof cur.value !== 'number') rej(new Error('the wipe marker holds something else than a number'));
            cur.continue();
          };
          c.onerror = () => rej(c.error);
        });
      } finally {
        db.close();
      }
    };
    const cases = ((await rows('dermlip-cases', 'cases')) as { name: string; createdAt: number }[]).sort((a, b) => a.createdAt - b.createdAt).map((c) => c.name);
    const imageEmbeddings = (await rows('dermlip-image-embeddings', 'embeddings')).length;
    const keys = (await caches.has('dermlip-weights-v1')) ? (await (await caches.open('dermlip-weights-v1')).keys()).map((r) => decodeURIComponent(new URL(r.url).pathname)) : [];
    const models = [...new Set(keys.filter((k) => k.startsWith('/__dermlip-weights/')).map((k) => k.split('/')[2]))].sort();
    const manifests = keys.filter((k) => k.startsWith('/__dermlip-manifests/')).map((k) => k.slice('/__dermlip-manifests/'.length)).sort();
    return { cases, imageEmbeddings, models, manifests };
  });
}

/** The demo bundle under another id and name (its files and their sha256 are unchanged). */
export function renamedCopy(id: string, name: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'bundle-copy-')), id);
  cpSync(BUNDLE_DIR, dir, { recursive: true });
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...m, id, name }, null, 2));
  return dir;
}
