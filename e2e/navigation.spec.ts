import { expect, test } from '@playwright/test';
import { differential, goTo, openApp, PHOTO_A, serviceWorkerReady, upload } from './app';

test('each screen has its own URL; back and forward move between them and keep the work', async ({ page }) => {
  await openApp(page);
  await upload(page, PHOTO_A);
  const before = await differential(page);
  await goTo(page, 'Settings');
  expect(new URL(page.url()).pathname).toBe('/settings');
  await expect(page.getByTestId('model-picker')).toBeVisible();
  await goTo(page, 'Storage');
  expect(new URL(page.url()).pathname).toBe('/storage');
  await expect(page.getByTestId('storage-panel')).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId('model-picker')).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId('case-caption')).toContainText('ISIC_0012221.jpg');
  expect(await differential(page)).toEqual(before);
  await page.goForward();
  await expect(page.getByTestId('model-picker')).toBeVisible();
  // The model stayed loaded across screens: no second image run.
  expect(await page.evaluate(() => window.dermlip.stats())).toEqual({ image: 1, text: 0 });
});

test('a screen opens from its URL, also offline; an unknown URL says so', async ({ page, context }) => {
  await openApp(page);
  await serviceWorkerReady(page);
  await page.goto('/storage');
  await expect(page.getByTestId('storage-panel')).toBeVisible();
  await context.setOffline(true);
  await page.goto('/settings');
  await expect(page.getByTestId('model-picker')).toBeVisible();
  await page.goto('/no-such-screen');
  await expect(page.getByTestId('not-found')).toContainText('/no-such-screen');
  await page.getByRole('link', { name: 'Go to Diagnose' }).click();
  await expect(page.getByTestId('dropzone')).toBeVisible();
});
