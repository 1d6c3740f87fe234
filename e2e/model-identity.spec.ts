/**
 * Stored models are never damaged by another import, and a bundle id is not an identity:
 * - a damaged re-import (same id) is refused and removes only what it added; the bundle already
 *   stored (imported, or the served demo) keeps every file and still runs, offline too;
 * - a different bundle under a stored id is refused; where two bundles with one id do meet (one
 *   imported before the other was ever loaded), they never share cached embeddings or saved
 *   results, show as two rows in Storage and are deleted one at a time.
 * Saved cases and stored models are counted before and after.
 */
import { expect, test } from '@playwright/test';
import { differential, goTo, openApp, openPhoto, PHOTO_A, serviceWorkerReady, stats } from './app';
import { bundleCopy, bundleItems, expectImported, expectImportError, importFrom, inventory, keysOf, reopen, runtimeNames, zipFile } from './hostile';

const caption = (page: import('@playwright/test').Page) => page.getByTestId('case-caption');

test('a damaged re-import of an imported bundle is refused; the stored one keeps all its files and runs', async ({ page }) => {
  await openApp(page);
  await openPhoto(page, PHOTO_A);
  await differential(page);
  await goTo(page, 'Settings');
  const good = bundleCopy({ id: 'good-tiny', name: 'Good copy' });
  await importFrom(page, good.dir);
  await expectImported(page, 'Good copy');
  const before = await inventory(page);
  expect(keysOf(before, 'good-tiny')).toHaveLength(runtimeNames(good.manifest).length);
  expect(before.manifests).toContain('imported:good-tiny');
  expect(before.cases).toBe(1);

  // The same bundle with its last file damaged: every file before it is checked first.
  const last = runtimeNames(good.manifest).at(-1)!;
  for (const path of [bundleCopy({ id: 'good-tiny', name: 'Good copy', damage: last }).dir, zipFile('good-tiny.zip', bundleItems(bundleCopy({ id: 'good-tiny', name: 'Good copy', damage: last })))]) {
    await importFrom(page, path);
    const msg = await expectImportError(page, `Model file ${last} is corrupt or was tampered with (sha256 mismatch). Nothing was imported.`);
    expect(msg).not.toContain('Reload to download it again');
    expect(await inventory(page)).toEqual(before);
  }

  // Another bundle under the same id: refused before anything is read.
  await importFrom(page, bundleCopy({ from: 'demo-tiny-gelu', id: 'good-tiny', name: 'Other weights' }).dir);
  await expectImportError(page, 'Another model with the id "good-tiny" is already on this device ("Good copy", imported earlier), with other files or settings.');
  expect(await inventory(page)).toEqual(before);

  // The stored bundle still runs after a reload, and the saved case is there.
  await reopen(page);
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('model-chip')).toHaveText('Good copy');
  await goTo(page, 'Diagnose');
  await expect(caption(page)).toContainText('ISIC_0012221.jpg');
  expect(await differential(page)).toHaveLength(5);
  expect(await inventory(page)).toEqual(before);
});

test('a damaged copy with the id demo-tiny leaves the served demo whole: it still starts offline', async ({ page, context }) => {
  await openApp(page);
  await serviceWorkerReady(page);
  await openPhoto(page, PHOTO_A);
  const online = await differential(page);
  const before = await inventory(page);
  const demoNames = keysOf(before, 'demo-tiny').map((k) => decodeURIComponent(k.split('/').slice(4).join('/')));
  const order = runtimeNames(bundleCopy().manifest);
  // The damaged file is one the demo already stored; files the demo never stored come before it, so
  // the import adds some files, then fails: it must remove those, and only those.
  const damaged = order.filter((n) => demoNames.includes(n)).at(-1)!;
  expect(order.slice(0, order.indexOf(damaged)).some((n) => !demoNames.includes(n))).toBe(true);

  await goTo(page, 'Settings');
  await importFrom(page, bundleCopy({ damage: damaged }).dir);
  const msg = await expectImportError(page, `Model file ${damaged} is corrupt or was tampered with`);
  expect(msg).not.toContain('Reload to download it again');
  expect(await inventory(page)).toEqual(before);
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready');

  await context.setOffline(true);
  await reopen(page);
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await goTo(page, 'Diagnose');
  await expect(caption(page)).toContainText('ISIC_0012221.jpg');
  expect(await differential(page)).toEqual(online);
  expect(await inventory(page)).toEqual(before);
});

test('two bundles with one id never share cached embeddings or saved results; Storage shows and deletes them apart', async ({ page }) => {
  // An imported "demo-tiny" with other weights, before the served demo was ever loaded here.
  await page.route('**/models/demo-tiny/**', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/?backend=wasm');
  await goTo(page, 'Settings');
  // Other weights (the GELU twin), the demo's preprocessing: the same photo gives the very same
  // tensor, so only the bundle identity keeps the two models' cached embeddings apart.
  const demoImage = bundleCopy().manifest.image;
  const other = bundleCopy({ from: 'demo-tiny-gelu', id: 'demo-tiny', name: 'Same id, other weights', changes: (m) => (m.image = demoImage) });
  await importFrom(page, other.dir);
  await expectImported(page, 'Same id, other weights');
  await goTo(page, 'Diagnose');
  await openPhoto(page, PHOTO_A);
  const imported = await differential(page);
  await expect(caption(page)).toContainText('encoded now');
  expect((await stats(page)).image).toBe(1);

  // Now the served demo-tiny (same id): the same photo is encoded again, not served from the cache.
  await page.unroute('**/models/demo-tiny/**');
  await goTo(page, 'Settings');
  await page.locator('[data-testid=model-option][data-url="/models/demo-tiny"] input').check();
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await goTo(page, 'Diagnose');
  const served = await differential(page);
  await expect(caption(page)).toContainText('encoded now');
  expect((await stats(page)).image).toBe(1); // a new engine: its one run is this photo
  expect(served).not.toEqual(imported);

  // Now that the served demo is stored here too, another bundle under its id is refused.
  await goTo(page, 'Settings');
  const stored = await inventory(page);
  await importFrom(page, bundleCopy({ from: 'demo-tiny-gelu', id: 'demo-tiny', name: 'A third demo-tiny' }).dir);
  const clash = await expectImportError(page, 'Another model with the id "demo-tiny" is already on this device (');
  expect(clash).toContain('"Same id, other weights", imported earlier');
  expect(clash).toContain(`"${bundleCopy().manifest.name}", served by this site`);
  expect(clash).toContain('Give this bundle another id in its manifest.json');
  expect(await inventory(page)).toEqual(stored);

  // Back to the imported one: its own cached embedding and saved result, not the served model's.
  await page.locator('[data-testid="model-option"][data-url="imported:demo-tiny"] input').check();
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await goTo(page, 'Diagnose');
  expect(await differential(page)).toEqual(imported);

  // Storage: two rows, deleted one at a time; the other keeps its files and runs.
  await goTo(page, 'Storage');
  const rows = page.getByTestId('storage-bundle');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'imported' })).toContainText('Model demo-tiny');
  await expect(rows.filter({ hasText: 'served' })).toContainText('Model demo-tiny');
  const before = await inventory(page);
  const servedFiles = await rows.filter({ hasText: 'served' }).getAttribute('data-files');
  await expect(rows.filter({ hasText: 'imported' })).toContainText('shared with another stored bundle');
  await rows.filter({ hasText: 'imported' }).getByTestId('storage-bundle-delete').click();
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('served');
  await expect(rows).toHaveAttribute('data-files', servedFiles!);
  const after = await inventory(page);
  expect(after.manifests).toEqual(before.manifests.filter((m) => m !== 'imported:demo-tiny'));
  expect(after.cases).toBe(before.cases);
  // Every file the served demo lists is still stored (both demos list some equal files: kept).
  const served0 = keysOf(before, 'demo-tiny').filter((k) => !after.weights.includes(k));
  expect(served0.length).toBeGreaterThan(0); // the imported one's own files went
  await reopen(page);
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('model-chip')).not.toHaveText('Same id, other weights');
  await goTo(page, 'Diagnose');
  expect(await differential(page)).toEqual(served);
  expect(await inventory(page)).toEqual(after);
});
