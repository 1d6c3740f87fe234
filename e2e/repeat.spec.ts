import { expect, test } from '@playwright/test';
import { PHOTO_A, differential, drop, openApp, stats, upload } from './app';

test('the same photo again reuses the first case (no decode, no model run) and gives the same ranking', async ({ page }) => {
  await openApp(page);
  await upload(page, PHOTO_A);
  const first = await differential(page);
  const runs = await stats(page);
  await drop(page, PHOTO_A, 'again.jpg', 'image/jpeg');
  await expect(page.getByTestId('case-tab')).toHaveCount(2);
  await expect(page.getByTestId('case-caption')).toContainText('again.jpg');
  await expect(page.getByTestId('case-caption')).toContainText('embedding from cache');
  expect(await differential(page)).toEqual(first);
  expect(await stats(page)).toEqual(runs);
  // A crop on the copy is its own: the model runs for it, the first case keeps its result.
  const frame = page.getByTestId('crop-frame');
  await frame.focus();
  await page.keyboard.press('+');
  await expect.poll(async () => (await stats(page)).image).toBeGreaterThan(runs.image);
});
