/**
 * IndexedDB upgrades never wait forever. Another tab of the same origin (here a second page that
 * opens the app's databases by hand, as a newer or older version of the app would):
 * - upgrades a database this tab has open: this tab closes its connection at once (versionchange),
 *   so the upgrade is not blocked; while that upgrade takes its time, Storage says why it cannot
 *   measure (not "Measuring…" forever), a photo opened meanwhile is diagnosed and its case is
 *   saved by itself once the upgrade is done (not lost on the next reload);
 * - holds a database this tab must upgrade and ignores versionchange (an old tab): Storage names
 *   the database and what to do, the photo is still diagnosed, and all works once that tab lets go.
 * Saved cases and stored models are counted before and after.
 */
import { expect, test, type Page } from '@playwright/test';
import { PHOTO_A, PHOTO_B, differential, goTo, openApp, openPhoto } from './app';
import { inventory } from './hostile';
import { storedData } from './stored-data';

type HoldWindow = Window & { __hold?: boolean; __done?: Promise<void>; __old?: IDBDatabase };

/** A second page of the same origin that is not the app (it handles no versionchange). */
async function otherTab(page: Page): Promise<Page> {
  const b = await page.context().newPage();
  await b.goto('/manifest.webmanifest');
  return b;
}

test('an upgrade in another tab is not blocked by this one; Storage says why it waits, a case opened meanwhile is saved after', async ({ page: a }) => {
  await openApp(a);
  await openPhoto(a, PHOTO_A);
  await differential(a);
  await expect.poll(async () => (await storedData(a)).cases).toEqual(['ISIC_0012221.jpg']);
  const before = await storedData(a);

  // Tab B upgrades dermlip-cases (one version up) and keeps its upgrade running until told.
  const b = await otherTab(a);
  const upgrade = await b.evaluate(
    () =>
      new Promise<{ blocked: boolean; from?: number; to?: number | null }>((resolve, reject) => {
        const w = window as HoldWindow;
        w.__hold = true;
        void indexedDB.databases().then((dbs) => {
          const v = dbs.find((d) => d.name === 'dermlip-cases')?.version;
          if (!v) return reject(new Error('no dermlip-cases database'));
          const req = indexedDB.open('dermlip-cases', v + 1);
          req.onblocked = () => resolve({ blocked: true });
          req.onerror = () => reject(req.error);
          req.onupgradeneeded = (e) => {
            const store = req.transaction!.objectStore('cases');
            const spin = () => {
              if (w.__hold) store.count().onsuccess = spin;
            };
            spin();
            w.__done = new Promise<void>((done) => {
              req.onsuccess = () => {
                req.result.close();
                done();
              };
            });
            resolve({ blocked: false, from: e.oldVersion, to: e.newVersion });
          };
        });
      }),
  );
  // Tab A closed its connection at once: the upgrade was never blocked.
  expect(upgrade.blocked).toBe(false);
  expect(upgrade.to).toBe(upgrade.from! + 1);

  // Storage in tab A: measuring, then the reason, not "Measuring…" forever.
  await goTo(a, 'Storage');
  const error = a.getByTestId('storage-error');
  await expect(error).toContainText("Storage could not be measured: The browser's storage (database dermlip-cases) did not open within 8 s: another tab is probably upgrading or holding it.", { timeout: 30_000 });
  await expect(error).toContainText('Close other tabs or windows of DermLIP Explorer');
  await expect(a.getByTestId('storage-panel')).not.toContainText('Measuring');

  // A photo opened meanwhile is diagnosed; its case waits to be saved, and says so.
  await goTo(a, 'Diagnose');
  await openPhoto(a, PHOTO_B);
  expect(await differential(a)).toHaveLength(5);
  await expect(a.getByTestId('notice-warning').filter({ hasText: 'The case "ISIC_0012222.jpg" is not saved yet: The browser\'s storage (database dermlip-cases) did not open within 8 s' })).toContainText('saved by itself as soon as the storage answers again', { timeout: 30_000 });

  // The upgrade finishes: the waiting case is saved by itself, Refresh measures both.
  await b.evaluate(() => {
    const w = window as HoldWindow;
    w.__hold = false;
    return w.__done;
  });
  await expect(a.getByTestId('notice-info').filter({ hasText: 'The storage answers again: the cases opened meanwhile are saved.' })).toBeVisible({ timeout: 30_000 });
  await expect.poll(async () => (await storedData(a)).cases).toEqual(['ISIC_0012221.jpg', 'ISIC_0012222.jpg']);
  await goTo(a, 'Storage');
  await a.getByTestId('storage-panel').getByRole('button', { name: 'Refresh' }).click();
  await expect(a.getByTestId('storage-cases')).toContainText('2 cases');
  await expect(error).toHaveCount(0);

  // Every database of the app that tab A has open now (measuring opened them all) lets another
  // tab upgrade it at once, and tab A opens it again afterwards.
  const upgrades = await b.evaluate(async () => {
    const out: Record<string, string> = {};
    for (const { name, version } of await indexedDB.databases()) {
      out[name!] = await new Promise<string>((res) => {
        const req = indexedDB.open(name!, version! + 1);
        req.onblocked = () => res('blocked');
        req.onerror = () => res(`error: ${req.error?.name}`);
        req.onsuccess = () => {
          req.result.close();
          res('upgraded');
        };
      });
    }
    return out;
  });
  expect(Object.keys(upgrades)).toEqual(expect.arrayContaining(['dermlip-cases', 'dermlip-image-embeddings', 'dermlip-collection-meta', 'dermlip-collection-photos', 'dermlip-convert']));
  for (const [name, r] of Object.entries(upgrades)) expect(r, name).toBe('upgraded');
  await a.getByTestId('storage-panel').getByRole('button', { name: 'Refresh' }).click();
  await expect(a.getByTestId('storage-cases')).toContainText('2 cases');
  await expect(a.getByTestId('storage-collections')).toContainText('0 collections');
  await expect(error).toHaveCount(0);

  // Nothing was lost: both cases after a reload, the same models.
  await openApp(a);
  await expect(a.getByTestId('case-tab')).toHaveCount(2);
  expect(await differential(a)).toHaveLength(5);
  expect(await storedData(a)).toMatchObject({ cases: ['ISIC_0012221.jpg', 'ISIC_0012222.jpg'], models: before.models });
});

test('an old tab holding a database this tab must upgrade: Storage names it, the photo is still diagnosed, all works after it lets go', async ({ page: a }) => {
  // Before the app opens: an old tab made dermlip-image-embeddings without the store this version
  // uses, and holds it open without listening for versionchange.
  const b = await otherTab(a);
  await b.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('dermlip-image-embeddings', 1);
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          (window as HoldWindow).__old = req.result;
          resolve();
        };
      }),
  );

  await openApp(a);
  await openPhoto(a, PHOTO_A);
  expect(await differential(a)).toHaveLength(5);
  await goTo(a, 'Storage');
  const error = a.getByTestId('storage-error');
  await expect(error).toContainText("Storage could not be measured: The browser's storage (database dermlip-image-embeddings) needs an upgrade that another tab of this app is holding up.", { timeout: 30_000 });
  await expect(error).toContainText('Close other tabs or windows of DermLIP Explorer');
  await expect(a.getByTestId('storage-panel')).not.toContainText('Measuring');
  // The case was saved all the same (its database is not the one held; counted without opening
  // the held one, which would wait behind the pending upgrade).
  await expect.poll(async () => (await inventory(a)).cases).toBe(1);

  // The old tab closes: the upgrade goes through, Refresh measures, a new photo's embedding is cached.
  await b.evaluate(() => (window as HoldWindow).__old!.close());
  await b.close();
  await a.getByTestId('storage-panel').getByRole('button', { name: 'Refresh' }).click();
  await expect(a.getByTestId('storage-cases')).toContainText('1 cases');
  await expect(error).toHaveCount(0);
  await goTo(a, 'Diagnose');
  await openPhoto(a, PHOTO_B);
  expect(await differential(a)).toHaveLength(5);
  await expect.poll(async () => (await storedData(a)).cases).toEqual(['ISIC_0012221.jpg', 'ISIC_0012222.jpg']);
  await expect.poll(async () => (await storedData(a)).imageEmbeddings).toBeGreaterThanOrEqual(1);
});
