import { expect, test, type Page } from '@playwright/test';
import { openApp, PHOTO_A, PHOTO_B, serviceWorkerReady, stats } from './app';
import { chooseFile, expectAxeClean, keyTo, press, typeInto } from './keys';
import { countWrites, resetWrites, storageSnapshot, writes, type StorageSnapshot } from './storage-snapshot';

const PIN = '2468';

/** A visitor takes a photo in from the keyboard and waits for the model's answer. */
async function visitor(page: Page, photo: string): Promise<string> {
  await chooseFile(page.getByRole('button', { name: 'choose a file' }), photo);
  await expect(page.getByTestId('kiosk-result')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('model-diff-item')).toHaveCount(5);
  await expect(page.getByTestId('kiosk-notice')).toContainText('Not a medical device.');
  return (await page.getByTestId('kiosk-photo').getAttribute('src'))!;
}

/** The visitor's photo is gone: the attract screen is back, its object URL no longer resolves. */
async function expectWiped(page: Page, url: string) {
  await expect(page.getByTestId('kiosk-attract')).toBeVisible();
  await expect(page.getByTestId('kiosk-result')).toHaveCount(0);
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-visitor', 'none');
  const stillThere = await page.evaluate((u) => fetch(u).then(() => true, () => false), url);
  expect(stillThere, 'the photo’s object URL was revoked').toBe(false);
}

/**
 * Nothing was written since the last reset, and storage lists exactly as before. Opening a
 * database that was already there reads it (a connection closed for another tab is opened again).
 */
async function expectNoTrace(page: Page, before: StorageSnapshot) {
  const existing = new Set(Object.keys(before.idb).map((k) => `indexedDB.open(${k})`));
  expect((await writes(page)).filter((w) => !existing.has(w))).toEqual([]);
  expect(await storageSnapshot(page)).toEqual(before);
  await resetWrites(page);
}

async function unlockStaff(page: Page) {
  await press(page.getByTestId('staff-open'));
  await expect(page.getByTestId('staff-pin')).toBeFocused();
  await page.keyboard.type(PIN);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('staff-settings')).toBeVisible();
}

test('kiosk: a visitor’s photo is wiped on Done and on the idle timeout, leaving no trace in IndexedDB, Cache Storage or OPFS; settings and exit need the PIN', async ({ page }) => {
  await countWrites(page);
  await openApp(page);
  await serviceWorkerReady(page);
  await keyTo(page, 'Kiosk');
  await expectAxeClean(page, 'the kiosk setup');
  // A PIN that is too short is refused with the reason.
  await typeInto(page.getByTestId('kiosk-pin'), '12');
  await typeInto(page.getByTestId('kiosk-pin-confirm'), '12');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('kiosk-setup-error')).toHaveText('The PIN must have 4 to 8 digits.');
  await typeInto(page.getByTestId('kiosk-pin'), PIN);
  await typeInto(page.getByTestId('kiosk-pin-confirm'), PIN);
  await typeInto(page.getByTestId('kiosk-cycle'), '2');
  await expect(page.getByTestId('kiosk-idle')).toHaveValue('60');
  await page.keyboard.press('Enter');

  // The booth owns the page: no menus; a reload keeps it a kiosk.
  await expect(page.getByTestId('kiosk-attract')).toBeVisible();
  await expect(page.getByTestId('screens-nav')).toHaveCount(0);
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/kiosk$/);
  await expect(page.getByTestId('kiosk-attract')).toBeVisible();
  await expect(page.getByTestId('screens-nav')).toHaveCount(0);
  // The attract screen cycles the sample pack's cases.
  const slide = page.getByTestId('kiosk-slide');
  const first = await slide.getAttribute('data-case');
  await expect(slide).not.toHaveAttribute('data-case', first!, { timeout: 10_000 });
  await expect(page.getByRole('button', { name: 'choose a file' })).toBeVisible({ timeout: 120_000 });
  await expectAxeClean(page, 'the kiosk attract screen');

  const before = await storageSnapshot(page);
  await resetWrites(page);
  const runs = (await stats(page)).image;

  // Visitor 1 presses Done.
  const urlA = await visitor(page, PHOTO_A);
  expect((await stats(page)).image).toBe(runs + 1);
  await expectAxeClean(page, 'a kiosk visitor’s result');
  await expectNoTrace(page, before);
  await expect(page.getByTestId('kiosk-done')).toBeFocused();
  await page.keyboard.press('Enter');
  await expectWiped(page, urlA);
  await expectNoTrace(page, before);

  // The same photo again runs the model again: nothing of the first visit was cached.
  const urlA2 = await visitor(page, PHOTO_A);
  expect((await stats(page)).image).toBe(runs + 2);
  await press(page.getByTestId('kiosk-done'));
  await expectWiped(page, urlA2);

  // Staff settings need the PIN; a wrong one is refused.
  await press(page.getByTestId('staff-open'));
  await page.keyboard.type('1357');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('staff-pin-error')).toHaveText('Wrong PIN.');
  await expect(page.getByTestId('staff-settings')).toHaveCount(0);
  await page.keyboard.type(PIN);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('staff-idle')).toBeFocused();
  await expectAxeClean(page, 'the kiosk staff settings');
  await typeInto(page.getByTestId('staff-idle'), '5');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('staff-settings')).toHaveCount(0);
  const afterSettings = await storageSnapshot(page);
  expect(afterSettings.idb).toEqual(before.idb);
  await resetWrites(page);

  // Visitor 2 walks away: after 5 s without input the photo is wiped.
  const urlB = await visitor(page, PHOTO_B);
  await expect(page.getByTestId('kiosk-countdown')).toBeVisible();
  await expectWiped(page, urlB);
  await expectNoTrace(page, afterSettings);

  // Leaving kiosk mode needs the PIN too; then the menus are back.
  await unlockStaff(page);
  await press(page.getByTestId('staff-exit'));
  await expect(page).toHaveURL(/\/teach$/);
  await expect(page.getByTestId('screens-nav')).toBeVisible();
  expect(await page.evaluate(() => JSON.parse(localStorage.getItem('dermlip-kiosk')!).state.active)).toBe(false);
});
