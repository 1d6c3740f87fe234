import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { goTo, openApp } from './app';
import { BUNDLE_DIR } from './bundle';

/** The demo bundle under another id and name (its files and their sha256 are unchanged). */
function renamedCopy(id: string, name: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'bundle-copy-')), id);
  cpSync(BUNDLE_DIR, dir, { recursive: true });
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...m, id, name }, null, 2));
  return dir;
}

const storageRows = (page: Page) => page.getByTestId('storage-bundle');
const pickerOption = (page: Page, url: string) => page.locator(`[data-testid=model-option][data-url="${url}"]`);

test('Storage > Delete removes a model from every list; the app goes back to the default model', async ({ page }) => {
  await openApp(page);
  await goTo(page, 'Settings');
  await expect(pickerOption(page, '/models/demo-tiny')).toContainText('demo, random weights');

  await page.getByTestId('import-folder').setInputFiles(renamedCopy('copy-tiny', 'Copy of the demo'));
  await expect(page.getByTestId('import-ok')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('model-chip')).toHaveText('Copy of the demo');
  await expect(pickerOption(page, 'imported:copy-tiny')).toContainText('imported');
  await expect(pickerOption(page, 'imported:copy-tiny').locator('input')).toBeChecked();
  await goTo(page, 'Storage');
  await expect(storageRows(page).filter({ hasText: 'copy-tiny' })).toHaveCount(1);

  await storageRows(page).filter({ hasText: 'copy-tiny' }).getByTestId('storage-bundle-delete').click();
  await expect(storageRows(page).filter({ hasText: 'copy-tiny' })).toHaveCount(0);
  await goTo(page, 'Settings');
  await expect(pickerOption(page, 'imported:copy-tiny')).toHaveCount(0);
  // The deleted model was the active one: the default model is back.
  await expect(pickerOption(page, '/models/demo-tiny').locator('input')).toBeChecked();
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('model-chip')).not.toHaveText('Copy of the demo');

  // Nothing of it is left in storage, and a reload does not bring it back.
  const keys = await page.evaluate(async () => (await (await caches.open('dermlip-weights-v1')).keys()).map((r) => decodeURIComponent(new URL(r.url).pathname)));
  expect(keys.filter((k) => k.includes('copy-tiny'))).toEqual([]);
  await page.reload();
  await expect(pickerOption(page, '/models/demo-tiny')).toBeVisible();
  await expect(pickerOption(page, 'imported:copy-tiny')).toHaveCount(0);
});

test('deleting the served model frees its files; the picker offers it for download again', async ({ page }) => {
  await openApp(page);
  await goTo(page, 'Settings');
  await expect(pickerOption(page, '/models/demo-tiny')).toContainText('stored on this device');
  await goTo(page, 'Storage');
  await storageRows(page).filter({ hasText: 'demo-tiny' }).getByTestId('storage-bundle-delete').click();
  await expect(storageRows(page)).toHaveCount(0);
  await goTo(page, 'Settings');
  await expect(pickerOption(page, '/models/demo-tiny')).toContainText('not stored yet');
});

test('a bundle whose config resizes the longest side shows the whole photo as what the model sees', async ({ page }) => {
  await openApp(page, 'backend=wasm&bundle=/models/demo-tiny-gelu');
  await page.getByTestId('file-input').setInputFiles('fixtures/photos/ISIC_0012221.jpg');
  await expect(page.getByTestId('diff-item').first()).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('crop-text')).toHaveText(/whole photo, padded to a square/);
  await page.getByTestId('crop-frame').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('crop-text')).toHaveText(/Model sees 2000×2000 px at \(\d+, 0\)/);
  await page.keyboard.press('0');
  await expect(page.getByTestId('crop-text')).toHaveText(/whole photo, padded to a square/);
});
