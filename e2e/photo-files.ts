/** Small helpers for the photo specs: counting saved cases in IndexedDB without touching the app's DBs. */
import type { Page } from '@playwright/test';

/** Saved cases in the app's IndexedDB (0 when the database does not exist yet; it is never created here). */
export function savedCaseCount(page: Page): Promise<number> {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'dermlip-cases')) return 0;
    return new Promise<number>((resolve, reject) => {
      const req = indexedDB.open('dermlip-cases');
      req.onupgradeneeded = () => req.transaction!.abort();
      req.onerror = () => resolve(0);
      req.onsuccess = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains('cases')) {
          db.close();
          return resolve(0);
        }
        const count = db.transaction('cases').objectStore('cases').count();
        count.onsuccess = () => {
          db.close();
          resolve(count.result);
        };
        count.onerror = () => reject(count.error);
      };
    });
  });
}
