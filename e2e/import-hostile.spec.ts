/**
 * Hostile model files and imports (made on the fly by e2e/hostile.ts): each is refused with a
 * message that names the file and the reason, nothing it wrote stays (saved cases, kept manifests,
 * weight files and import journals are counted before and after), and a good import and a photo
 * work right after.
 */
import { expect, test, type Page } from '@playwright/test';
import { zeroBomb } from '../test/helpers/zip-writer';
import { PHOTO_A, differential, goTo, openApp, openPhoto } from './app';
import { bundleCopy, bundleItems, expectImported, expectImportError, importFrom, inventory, keysOf, runtimeNames, zipFile, type Inventory } from './hostile';

const GB4 = 4 * 1024 ** 3;

/** A good import and a photo, right after refusals. */
async function goodImportAndPhoto(page: Page, before: Inventory, id: string, asZip = false) {
  const copy = bundleCopy({ id, name: `Good ${id}` });
  await importFrom(page, asZip ? zipFile(`${id}.zip`, bundleItems(copy)) : copy.dir);
  await expectImported(page, `Good ${id}`);
  const after = await inventory(page);
  expect(keysOf(after, id)).toHaveLength(runtimeNames(copy.manifest).length);
  expect(after.manifests).toEqual([...before.manifests, `imported:${id}`].sort());
  expect(after.cases).toBe(before.cases);
  expect(after.journals).toBe(0);
  await goTo(page, 'Diagnose');
  await openPhoto(page, PHOTO_A);
  expect(await differential(page)).toHaveLength(5);
  await goTo(page, 'Settings');
}

/** Import `path`, expect `message`, and return how long the refusal took (from the pick to the message). */
async function refused(page: Page, path: string, message: string | RegExp, before: Inventory): Promise<number> {
  await importFrom(page, path);
  const t0 = Date.now();
  await expectImportError(page, message);
  const ms = Date.now() - t0;
  await expect(page.getByTestId('import-progress')).toHaveCount(0);
  expect(await inventory(page)).toEqual(before);
  return ms;
}

test.beforeEach(async ({ page }) => {
  page.on('dialog', (d) => {
    throw new Error(`a dialog opened: ${d.message()}`);
  });
  await openApp(page);
  await openPhoto(page, PHOTO_A);
  await differential(page);
  await goTo(page, 'Settings');
});

test('zip bombs are refused in well under a second, naming the entry', async ({ page }) => {
  const before = await inventory(page);
  const bomb = zeroBomb(GB4);
  expect(bomb.length).toBeLessThan(5e6);
  // Honest sizes: refused from the directory, nothing inflated.
  const honest = zipFile('bomb.zip', [{ name: 'bomb/big.bin', deflated: bomb, size: GB4 }, { name: 'bomb/manifest.json', data: Buffer.from('{}') }]);
  const t1 = await refused(page, honest, '"bomb.zip" was refused: entry "bomb/big.bin" declares 4.3 GB when unpacked; one file of a bundle may be at most 2.1 GB.', before);
  // A manifest.json that declares 9 KB and inflates to 4 GB: stopped right after 9 KB.
  const lying = zipFile('lying.zip', [{ name: 'lying/manifest.json', deflated: bomb, size: 9025 }]);
  const t2 = await refused(page, lying, '"lying.zip" was refused: entry "lying/manifest.json" unpacks to more than the 9,025 bytes its directory declares (a zip bomb, or a damaged file).', before);
  // A valid bundle whose first model file is a bomb declaring the manifest's size.
  const copy = bundleCopy({ id: 'bomb-tiny' });
  const first = runtimeNames(copy.manifest)[0];
  const items = bundleItems(copy).map((it) => (it.name === `bomb-tiny/${first}` ? { name: it.name, deflated: bomb, size: copy.manifest.files[first].bytes } : it));
  const t3 = await refused(page, zipFile('bomb-tiny.zip', items), `"bomb-tiny.zip" was refused: entry "bomb-tiny/${first}" unpacks to more than the ${copy.manifest.files[first].bytes.toLocaleString('en')} bytes its directory declares`, before);
  for (const ms of [t1, t2, t3]) expect(ms).toBeLessThan(1000);
  test.info().annotations.push({ type: 'refusal ms', description: `${t1} / ${t2} / ${t3}` });
  await goodImportAndPhoto(page, before, 'zip-tiny', true);
});

test('hostile entry names, thousands of entries, huge manifests and impossible sizes are refused before anything is written', async ({ page }) => {
  const before = await inventory(page);
  const copy = bundleCopy({ id: 'names-tiny' });
  const good = bundleItems(copy);
  const x = Buffer.from('x');
  await refused(page, zipFile('dots.zip', [...good, { name: 'names-tiny/../../evil.txt', data: x }]), '"dots.zip" was refused: entry "names-tiny/../../evil.txt" is refused: it points outside the folder ("..").', before);
  await refused(page, zipFile('abs.zip', [...good, { name: '/etc/evil.txt', data: x }]), '"abs.zip" was refused: entry "/etc/evil.txt" is refused: it is an absolute path.', before);
  await refused(page, zipFile('drive.zip', [...good, { name: 'C:/evil.txt', data: x }]), 'entry "C:/evil.txt" is refused: it is an absolute path.', before);
  await refused(page, zipFile('slash.zip', [...good, { name: 'names-tiny\\evil.txt', data: x }]), '"slash.zip" was refused: entry "names-tiny\\evil.txt" is refused: it contains a backslash.', before);
  const many = Array.from({ length: 5000 }, (_, i) => ({ name: `many/${i}.txt`, data: x, store: true }));
  await refused(page, zipFile('many.zip', [...good, ...many]), /"many.zip" was refused: it has 5,0\d\d entries; a model bundle has a few dozen files, and at most 1,000 are accepted./, before);

  // A manifest of tens of MB: in a zip (refused from its declared size), in a folder (before reading it).
  const huge = bundleCopy({ id: 'huge-tiny', changes: (m) => (m.padding = 'x'.repeat(20e6)) });
  await refused(page, zipFile('huge.zip', bundleItems(huge)), /"huge.zip" was refused: its huge-tiny\/manifest.json declares 20.0 MB; a bundle manifest is at most 1.0 MB, so this is not one./, before);
  await refused(page, huge.dir, 'huge-tiny/manifest.json is 20.0 MB; a bundle manifest is at most 1.0 MB, so this is not one. Nothing was read.', before);

  // Byte counts beyond anything this app stores, and sizes that do not match the files.
  const first = runtimeNames(copy.manifest)[0];
  await refused(page, bundleCopy({ id: 'claims-tiny', changes: (m) => (m.files[first].bytes = 50e9) }).dir, `Model file ${first} is 50.0 GB by its manifest; one file of an imported bundle may be at most 2.1 GB.`, before);
  await refused(page, bundleCopy({ id: 'claims-tiny', changes: (m) => (m.files[first].bytes += 1) }).dir, `Model file ${first} is ${copy.manifest.files[first].bytes.toLocaleString('en')} bytes, but manifest.json says ${(copy.manifest.files[first].bytes + 1).toLocaleString('en')}. Nothing was imported.`, before);
  // Paths in the manifest that leave the bundle.
  await refused(page, bundleCopy({ id: 'path-tiny', changes: (m) => (m.files['../outside.bin'] = m.files[first]) }).dir, 'manifest.json: files["../outside.bin"] must be a relative path inside the bundle', before);
  await goodImportAndPhoto(page, before, 'after-tiny');
});

test('markup in names is shown as text, files the manifest does not list are ignored, and the same bundle twice is one bundle', async ({ page }) => {
  const before = await inventory(page);
  const name = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const copy = bundleCopy({ id: 'markup-tiny', name, extra: { 'notes.txt': Buffer.from('not part of the bundle') } });
  const items = [...bundleItems(copy), { name: 'markup-tiny/<img src=y onerror="window.__pwned=3">.txt', data: Buffer.from('x') }];
  const zip = zipFile('markup.zip', items);
  await importFrom(page, zip);
  await expect(page.getByTestId('import-ok')).toContainText('2 file(s) that manifest.json does not list were ignored (not read, not stored; first: markup-tiny/<img src=y onerror="window.__pwned=3">.txt).');
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('model-chip')).toHaveText(name);
  await expect(page.locator('[data-testid=model-option][data-url="imported:markup-tiny"] strong')).toHaveText(name);
  expect(await page.locator('img[src="x"], img[src="y"]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  const once = await inventory(page);
  expect(keysOf(once, 'markup-tiny')).toHaveLength(runtimeNames(copy.manifest).length); // notes.txt was not stored
  expect(once.manifests).toEqual([...before.manifests, 'imported:markup-tiny'].sort());
  expect(once.cases).toBe(before.cases);

  // The same zip again, and the same bundle as a folder: one bundle, nothing new written, nothing lost.
  await importFrom(page, zip);
  await expect(page.getByTestId('import-ok')).toContainText('It was already stored on this device: nothing new was written.');
  await importFrom(page, copy.dir);
  await expect(page.getByTestId('import-ok')).toContainText('It was already stored on this device: nothing new was written. 1 file(s) that manifest.json does not list were ignored (not read, not stored; first: markup-tiny/notes.txt).');
  expect(await inventory(page)).toEqual(once);
  await expect(page.locator('[data-testid=model-option][data-url="imported:markup-tiny"]')).toHaveCount(1);
  await goTo(page, 'Storage');
  await expect(page.getByTestId('storage-bundle').filter({ hasText: 'markup-tiny' })).toHaveCount(1);
  await goTo(page, 'Settings');

  // An id with markup or path characters is refused (ids are [a-z0-9._-]); the message is text.
  for (const id of ['<b>x</b>', '../x', 'a/b']) {
    await refused(page, bundleCopy({ id: 'id-tiny', changes: (m) => (m.id = id) }).dir, 'manifest.json: id must match [a-z0-9][a-z0-9._-]*', once);
  }
  expect(await page.locator('b', { hasText: 'x' }).count()).toBe(0);
  await goodImportAndPhoto(page, once, 'after-markup');
});

test('a bundle larger than the space left is refused before anything is written', async ({ page }) => {
  const before = await inventory(page);
  // The browser says 5 MB are left (the bundle needs about 20).
  await page.evaluate(() => {
    const real = navigator.storage.estimate.bind(navigator.storage);
    (window as unknown as { __realEstimate: typeof real }).__realEstimate = real;
    navigator.storage.estimate = async () => ({ quota: 30e6, usage: 25e6 });
  });
  const copy = bundleCopy({ id: 'space-tiny' });
  const need = runtimeNames(copy.manifest).reduce((n, f) => n + copy.manifest.files[f].bytes, 0);
  await refused(page, copy.dir, `The bundle "space-tiny" needs ${(need / 1e6).toFixed(1)} MB of storage, but this browser lets this site store only 5.0 MB more. Nothing was written.`, before);
  await page.evaluate(() => (navigator.storage.estimate = (window as unknown as { __realEstimate: StorageManager['estimate'] }).__realEstimate));
  await goodImportAndPhoto(page, before, 'space-tiny');
});
