import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { differential, goTo, openApp, openPhoto, PHOTO_A, PHOTO_B, serviceWorkerReady, stats, upload } from './app';
import { BUNDLE_DIR, manifest } from './bundle';

test('after one visit the app and its model work with the network off', async ({ page, context }) => {
  await openApp(page);
  await serviceWorkerReady(page);
  await openPhoto(page, PHOTO_A);
  const onlineA = await differential(page);
  await openPhoto(page, PHOTO_B);
  const onlineB = await differential(page);
  // Forget B entirely (case and embedding), so offline it must really run the model again.
  await page.getByTestId('case-delete').last().click();
  await goTo(page, 'Storage');
  await page.getByTestId('storage-embeddings').getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByTestId('storage-embeddings')).toContainText('0 images');
  await goTo(page, 'Diagnose');

  await context.setOffline(true);
  // The link's ?backend=wasm holds for one page load: open the app again with it (the address lost it when moving between screens).
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('case-caption')).toContainText('ISIC_0012221.jpg');
  expect(await differential(page)).toEqual(onlineA);
  await openPhoto(page, PHOTO_B);
  const offlineB = await differential(page);
  expect((await stats(page)).image).toBe(1);
  expect(offlineB.map((d) => d.name)).toEqual(onlineB.map((d) => d.name));
  offlineB.forEach((d, i) => expect(Math.abs(d.prob - onlineB[i].prob)).toBeLessThan(1e-4));
});

test('a bundle folder imported from disk runs with no served bundle; an altered one is refused', async ({ page }) => {
  // No bundle on the server at all.
  await page.route('**/models/**', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'error');
  await goTo(page, 'Settings');

  // A copy with one byte of one weight file changed.
  const bad = mkdtempSync(join(tmpdir(), 'bundle-bad-'));
  cpSync(BUNDLE_DIR, join(bad, 'demo-tiny'), { recursive: true });
  const target = join(bad, 'demo-tiny', manifest.variants.int8.image);
  const bytes = readFileSync(target);
  bytes[bytes.length >> 1] ^= 0x01;
  writeFileSync(target, bytes);
  await page.getByTestId('import-folder').setInputFiles(join(bad, 'demo-tiny'));
  await expect(page.getByTestId('import-error')).toContainText(`Model file ${manifest.variants.int8.image} is corrupt or was tampered with`);
  const stored = await page.evaluate(async () => (await (await caches.open('dermlip-weights-v1')).keys()).map((r) => new URL(r.url).pathname));
  expect(stored.filter((p) => p.includes('manifests/imported'))).toEqual([]);

  await page.getByTestId('import-folder').setInputFiles(BUNDLE_DIR);
  await expect(page.getByTestId('import-ok')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await goTo(page, 'Diagnose');
  await upload(page, PHOTO_A);
  expect(await differential(page)).toHaveLength(5);
});

test('a whole session makes no request outside the app origin', async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const foreign: string[] = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:')) foreign.push(u);
  });
  await openApp(page);
  await upload(page, PHOTO_A);
  await differential(page);
  await page.getByText('My own labels').click();
  await page.getByTestId('custom-labels').fill('mole\nfreckle\nwart');
  await page.getByTestId('custom-apply').click();
  await expect(page.getByTestId('diff-item')).toHaveCount(3);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  expect(await download.path()).toBeTruthy();
  expect(foreign).toEqual([]);
  // The policy itself is in the page.
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("default-src 'self'");
  expect(csp).not.toMatch(/https?:/);
});

test('the storage screen shows what was stored, and delete all leaves nothing behind', async ({ page }) => {
  await openApp(page);
  await upload(page, PHOTO_A);
  await differential(page);
  await goTo(page, 'Storage');
  await page.getByTestId('storage-panel').getByRole('button', { name: 'Refresh' }).click();

  const stored = await page.evaluate(async () => {
    const keys = await (await caches.open('dermlip-weights-v1')).keys();
    return keys.map((r) => new URL(r.url).pathname).filter((p) => p.startsWith('/__dermlip-weights/demo-tiny/')).map((p) => p.split('/').slice(4).join('/'));
  });
  const expectedBytes = stored.reduce((n, f) => n + manifest.files[f].bytes, 0);
  expect(stored).toEqual(expect.arrayContaining([manifest.tokenizer.file, manifest.variants.int8.image]));
  await expect(page.getByTestId('storage-bundle')).toHaveAttribute('data-bytes', String(expectedBytes));
  await expect(page.getByTestId('storage-embeddings')).toContainText('1 images');
  await expect(page.getByTestId('storage-cases')).toContainText('1 cases');

  page.on('dialog', (d) => void d.accept());
  await page.getByTestId('delete-all-data').click();
  await expect(page.getByTestId('wiped')).toBeVisible();
  const left = await page.evaluate(async () => {
    const caches_: string[] = [];
    // The service worker's precache holds the app itself, not data: it stays so the app opens offline.
    for (const k of await caches.keys()) if (!k.startsWith('workbox-precache') && (await (await caches.open(k)).keys()).length) caches_.push(k);
    const rows: Record<string, number> = {};
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      let n = 0;
      for (const store of Array.from(db.objectStoreNames)) {
        // Data rows: a store's wipe-epoch marker (storage/epoch.ts) is what keeps it deleted, not data.
        n += await new Promise<number>((res) => {
          const c = db.transaction(store).objectStore(store).getAllKeys();
          c.onsuccess = () => res(c.result.filter((k) => k !== 'dermlip-wipe-epoch').length);
        });
      }
      db.close();
      rows[name] = n;
    }
    const opfs: string[] = [];
    for await (const name of (await navigator.storage.getDirectory() as unknown as { keys(): AsyncIterable<string> }).keys()) opfs.push(name);
    return { caches: caches_, rows, opfs, local: localStorage.length };
  });
  expect(left.caches).toEqual([]);
  expect(Object.values(left.rows).every((n) => n === 0), JSON.stringify(left.rows)).toBe(true);
  expect(left.opfs).toEqual([]);
  expect(left.local).toBe(0);
  await goTo(page, 'Diagnose');
  await expect(page.getByTestId('dropzone')).toBeVisible();
  await expect(page.getByTestId('case-tab')).toHaveCount(0);
});
