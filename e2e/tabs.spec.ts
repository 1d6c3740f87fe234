/**
 * Two tabs of the app in one browser (two pages of one Playwright context), and "Delete all data"
 * racing a save: what was deleted stays deleted, the other tab recovers, nothing else is lost.
 */
import { expect, test, type Page } from '@playwright/test';
import { PHOTO_A, PHOTO_B, differential, goTo, openApp, openPhoto, upload } from './app';
import { renamedCopy, storedData } from './stored-data';

async function deleteAll(page: Page) {
  page.once('dialog', (d) => void d.accept());
  await goTo(page, 'Storage');
  await page.getByTestId('delete-all-data').click();
  await expect(page.getByTestId('wiped')).toBeVisible();
}

test('delete all in one tab: the other tab closes its cases, still diagnoses, and nothing deleted comes back', async ({ page: a, context }) => {
  await openApp(a);
  await openPhoto(a, PHOTO_A);
  await differential(a);
  const b = await context.newPage();
  await openApp(b);
  await expect(b.getByTestId('case-tab')).toHaveCount(1);
  expect((await storedData(a)).cases).toEqual(['ISIC_0012221.jpg']);

  await deleteAll(b);
  // Tab A hears of it at once: its case is closed, and it says why.
  await expect(a.getByTestId('case-tab')).toHaveCount(0);
  await expect(a.getByTestId('notice-info').filter({ hasText: 'deleted in another tab' })).toBeVisible();
  expect(await storedData(a)).toMatchObject({ cases: [], imageEmbeddings: 0, models: [] });

  // Both tabs keep working: A diagnoses a new photo, which is saved; B sees it after a reload.
  await openPhoto(a, PHOTO_B);
  expect(await differential(a)).toHaveLength(5);
  await expect.poll(async () => (await storedData(a)).cases).toEqual(['ISIC_0012222.jpg']);
  await b.reload();
  await expect(b.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await goTo(b, 'Diagnose');
  await expect(b.getByTestId('case-tab')).toHaveCount(1);
  await expect(b.getByTestId('case-caption')).toContainText('ISIC_0012222.jpg');
  expect(await differential(b)).toHaveLength(5);
});

test('a tab that missed the news cannot write its old case back: touching it is refused and the tab recovers', async ({ page: a, context }) => {
  // Tab A never hears the other tabs (a sleeping tab, or a browser without BroadcastChannel).
  await a.addInitScript(() => {
    class Deaf extends EventTarget {
      postMessage() {}
      close() {}
    }
    (window as unknown as { BroadcastChannel: unknown }).BroadcastChannel = Deaf;
  });
  await openApp(a);
  await openPhoto(a, PHOTO_A);
  await differential(a);
  const b = await context.newPage();
  await openApp(b);
  await deleteAll(b);
  expect((await storedData(b)).cases).toEqual([]);

  // A still shows the case; a crop key press saves it back... and is refused.
  await expect(a.getByTestId('case-tab')).toHaveCount(1);
  const frame = a.getByTestId('crop-frame');
  await frame.focus();
  await a.keyboard.press('+');
  await expect(a.getByTestId('case-tab')).toHaveCount(0);
  await expect(a.getByTestId('notice-info').filter({ hasText: 'deleted in another tab' })).toBeVisible();
  // Let any embedding or save still on its way land (or not), then look at what is stored.
  await a.waitForTimeout(1500);
  expect(await storedData(a)).toMatchObject({ cases: [], imageEmbeddings: 0 });
  await a.reload();
  await expect(a.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await expect(a.getByTestId('dropzone')).toBeVisible();
  await expect(a.getByTestId('case-tab')).toHaveCount(0);
  // And A works on: a new photo is saved under the new epoch.
  await openPhoto(a, PHOTO_B);
  await differential(a);
  await expect.poll(async () => (await storedData(a)).cases).toEqual(['ISIC_0012222.jpg']);
});

test('delete all right after adding a photo: the photo still being read is not saved afterwards', async ({ page }) => {
  // Hold the decode of the next photo until the test lets it go: its save is "in flight".
  await page.addInitScript(() => {
    const w = window as unknown as { holdDecode: boolean };
    w.holdDecode = false;
    const original = window.createImageBitmap.bind(window) as (...a: unknown[]) => Promise<ImageBitmap>;
    (window as unknown as { createImageBitmap: unknown }).createImageBitmap = async (...args: unknown[]) => {
      while (w.holdDecode) await new Promise((r) => setTimeout(r, 50));
      return original(...args);
    };
  });
  await openApp(page);
  await openPhoto(page, PHOTO_A);
  await differential(page);
  await page.evaluate(() => ((window as unknown as { holdDecode: boolean }).holdDecode = true));
  await upload(page, PHOTO_B);
  await deleteAll(page);
  await page.evaluate(() => ((window as unknown as { holdDecode: boolean }).holdDecode = false));
  await goTo(page, 'Diagnose');
  await page.waitForTimeout(2000);
  await expect(page.getByTestId('case-tab')).toHaveCount(0);
  expect(await storedData(page)).toMatchObject({ cases: [], imageEmbeddings: 0 });
  await page.reload();
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('dropzone')).toBeVisible();
  await expect(page.getByTestId('case-tab')).toHaveCount(0);
  expect((await storedData(page)).cases).toEqual([]);
});

test('two tabs diagnose side by side; a model imported in one appears in the other, and its deletion follows', async ({ page: a, context }) => {
  const b = await context.newPage();
  await openApp(a);
  await openApp(b);
  await openPhoto(a, PHOTO_A);
  await openPhoto(b, PHOTO_B);
  expect(await differential(a)).toHaveLength(5);
  expect(await differential(b)).toHaveLength(5);
  await expect.poll(async () => (await storedData(a)).cases.sort()).toEqual(['ISIC_0012221.jpg', 'ISIC_0012222.jpg']);
  const before = await storedData(a);

  await goTo(a, 'Settings');
  const option = (p: Page, url: string) => p.locator(`[data-testid=model-option][data-url="${url}"]`);
  await expect(option(a, '/models/demo-tiny')).toBeVisible();
  await expect(option(a, 'imported:tab-copy')).toHaveCount(0);
  await goTo(b, 'Settings');
  await b.getByTestId('import-folder').setInputFiles(renamedCopy('tab-copy', 'Copy made in tab B'));
  await expect(b.getByTestId('import-ok')).toBeVisible({ timeout: 60_000 });
  // Tab A lists it without a reload.
  await expect(option(a, 'imported:tab-copy')).toContainText('Copy made in tab B');
  expect((await storedData(a)).models).toEqual([...before.models, 'tab-copy'].sort());

  // A uses it; B deletes it; A goes back to the default model, as B does, and still diagnoses.
  await option(a, 'imported:tab-copy').locator('input').check();
  await expect(a.getByTestId('model-chip')).toHaveText('Copy made in tab B', { timeout: 120_000 });
  await goTo(b, 'Storage');
  await b.getByTestId('storage-bundle').filter({ hasText: 'tab-copy' }).getByTestId('storage-bundle-delete').click();
  await expect(option(a, 'imported:tab-copy')).toHaveCount(0);
  await expect(a.getByTestId('notice-info').filter({ hasText: 'was deleted in another tab' })).toBeVisible();
  await expect(option(a, '/models/demo-tiny').locator('input')).toBeChecked();
  await expect(a.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await goTo(a, 'Diagnose');
  expect(await differential(a)).toHaveLength(5);
  // Nothing the user made was lost: the same cases, the same models as before the import.
  const after = await storedData(a);
  expect(after.cases.sort()).toEqual(before.cases.sort());
  expect(after.models).toEqual(before.models);
});
