/**
 * An import cut short by a reload leaves nothing half-written: the files it had stored are removed
 * at the next start (its journal says which), it is never listed, and importing again works.
 * And the model messages: an unknown bundle is "not found on this server", not a connection
 * problem, and Settings does not list it (only bundles served here or stored on this device);
 * custom labels offline say plainly that the text model is not stored yet, without turning the
 * model status red, and work offline once used online; a file name with "?", "#" or "%" is stored
 * under its own key and deleted with its bundle.
 */
import { expect, test } from '@playwright/test';
import { differential, goTo, openApp, openPhoto, PHOTO_A, serviceWorkerReady } from './app';
import { bundleCopy, expectImported, importFrom, inventory, keysOf, reopen, runtimeNames } from './hostile';

test('a reload in the middle of an import: nothing half-written stays, and importing again works', async ({ page }) => {
  await openApp(page, 'backend=wasm&debug=1');
  await openPhoto(page, PHOTO_A);
  await differential(page);
  await goTo(page, 'Settings');
  const before = await inventory(page);
  await page.evaluate(() => window.dermlip.slowImports!(1000));
  const copy = bundleCopy({ id: 'reload-tiny', name: 'Reloaded' });
  await importFrom(page, copy.dir);
  await expect(page.getByTestId('import-progress')).toContainText(/\(4 of \d+\)/, { timeout: 60_000 });
  const mid = await inventory(page);
  expect(mid.journals).toBe(1);
  expect(keysOf(mid, 'reload-tiny').length).toBeGreaterThanOrEqual(2);
  expect(mid.manifests).toEqual(before.manifests);

  await reopen(page, 'backend=wasm&debug=1');
  await expect(page.getByTestId('notice-info')).toContainText('An import of "reload-tiny" was cut short (the page was closed or reloaded before it finished): the');
  await expect.poll(async () => inventory(page), { timeout: 30_000 }).toEqual(before);
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await goTo(page, 'Settings');
  await expect(page.locator('[data-testid=model-option][data-url="/models/demo-tiny"]')).toBeVisible();
  await expect(page.locator('[data-testid=model-option][data-url="imported:reload-tiny"]')).toHaveCount(0);

  await importFrom(page, copy.dir);
  await expectImported(page, 'Reloaded');
  const after = await inventory(page);
  expect(keysOf(after, 'reload-tiny')).toHaveLength(runtimeNames(copy.manifest).length);
  expect(after.cases).toBe(before.cases);
  expect(after.journals).toBe(0);
});

test('an unknown bundle is not found on this server (not a connection problem)', async ({ page }) => {
  await page.goto('/?backend=wasm&bundle=/models/nope');
  const status = page.getByTestId('model-status');
  await expect(status).toHaveAttribute('data-phase', 'error', { timeout: 60_000 });
  await expect(status).toContainText('There is no model bundle at /models/nope on this server (/models/nope/manifest.json was not found).');
  await expect(status).not.toContainText('connection');
  await page.goto('/?backend=wasm&bundle=imported:nope');
  await expect(status).toContainText('No imported model "nope" is stored on this device.');
  await expect(status).not.toContainText('connection');
  // Settings lists only what is served here or stored on this device: not the unknown one.
  await goTo(page, 'Settings');
  await expect(page.getByTestId('model-unlisted')).toHaveText('Active: imported:nope (not served here and not stored on this device).');
  const served: string[] = (await (await page.request.get('/models/index.json')).json()).bundles.map((b: { baseUrl: string }) => b.baseUrl);
  expect(served).toContain('/models/demo-tiny');
  await expect(page.getByTestId('model-option')).toHaveCount(served.length);
  expect((await page.getByTestId('model-option').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.url!))).sort()).toEqual([...served].sort());
  for (const o of await page.getByTestId('model-option').all()) await expect(o).toContainText('not stored yet (downloads when chosen)');
});

test('custom labels offline: a plain message, the model stays ready; after one online use they work offline', async ({ page, context }) => {
  await openApp(page);
  await serviceWorkerReady(page);
  await openPhoto(page, PHOTO_A);
  await differential(page);
  const text = (await inventory(page)).weights.filter((k) => /\/text\.int8\.onnx/.test(k));
  expect(text).toEqual([]); // the text model is loaded lazily: not stored yet

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await page.getByText('My own labels').click();
  await page.getByTestId('custom-labels').fill('zebra stripes\npurple dots\nglitter rash');
  await page.getByTestId('custom-apply').click();
  await expect(page.getByTestId('diagnosis-error')).toContainText('Your own labels need the text model, which is not stored on this device yet and could not be downloaded now');
  await expect(page.getByTestId('diagnosis-error')).toContainText('The built-in label sets work offline.');
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready');
  await expect(page.getByTestId('model-status')).not.toContainText('Could not download');

  // Back online: the labels are ranked (the text model is fetched and kept) without another click.
  await context.setOffline(false);
  await expect(page.getByTestId('diff-item')).toHaveCount(3, { timeout: 120_000 });
  const online = await differential(page);
  expect((await inventory(page)).weights.filter((k) => /\/text\.int8\.onnx/.test(k))).toHaveLength(2); // graph and weights

  // Offline again: the same labels rank from the stored text model.
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  const offline = await differential(page);
  expect(offline.map((d) => d.name)).toEqual(online.map((d) => d.name));
});

test('a model file named with "?", "#" and "%" is stored under its own key and deleted with its bundle', async ({ page }) => {
  await openApp(page);
  await goTo(page, 'Settings');
  const before = await inventory(page);
  const odd = { 'notes?v=1#top%41.txt': Buffer.from('a'), 'notes?v=1#end%42.txt': Buffer.from('b') };
  const copy = bundleCopy({ id: 'odd-tiny', name: 'Odd names', extra: odd, listExtra: true });
  await importFrom(page, copy.dir);
  await expectImported(page, 'Odd names');
  const n = runtimeNames(copy.manifest).length;
  expect(keysOf(await inventory(page), 'odd-tiny')).toHaveLength(n);
  await goTo(page, 'Storage');
  const row = page.getByTestId('storage-bundle').filter({ hasText: 'odd-tiny' });
  await expect(row).toHaveAttribute('data-files', String(n));
  await row.getByTestId('storage-bundle-delete').click();
  await expect(row).toHaveCount(0);
  await expect(page.getByTestId('storage-unlisted')).toHaveCount(0);
  const after = await inventory(page);
  expect(keysOf(after, 'odd-tiny')).toEqual([]);
  expect(after.manifests).toEqual(before.manifests);
});
