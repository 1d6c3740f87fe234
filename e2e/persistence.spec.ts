/**
 * Storage that lasts: persistent storage is asked of the browser when the user keeps something (a
 * model stored for offline use, a case saved), not on a page load that stores nothing, and at most
 * once per page; Storage shows the browser's answer and what eviction would cost. The browser's
 * answer is set by the test (navigator.storage.persist/persisted replaced before the app loads,
 * counting the calls): a real browser decides by itself (engagement, bookmarks, installs).
 */
import { expect, test, type Page } from '@playwright/test';
import { PHOTO_A, differential, goTo, openApp, openPhoto } from './app';
import { storedData } from './stored-data';

/** The browser answers persist() with `grant`; persisted() says whether it was granted before. */
async function browserAnswers(page: Page, grant: boolean) {
  await page.addInitScript((grant) => {
    const w = window as unknown as { __persistCalls: number };
    w.__persistCalls = 0;
    const granted = () => sessionStorage.getItem('test-persisted') === '1';
    navigator.storage.persisted = async () => granted();
    navigator.storage.persist = async () => {
      w.__persistCalls++;
      if (grant) sessionStorage.setItem('test-persisted', '1');
      return grant;
    };
  }, grant);
}
const calls = (page: Page) => page.evaluate(() => (window as unknown as { __persistCalls: number }).__persistCalls);
const persistence = (page: Page) => page.getByTestId('storage-persistence');

test('not granted: asked once when a model is stored, not on a load that stores nothing, asked again when a case is saved; Storage says what eviction costs', async ({ page }) => {
  await browserAnswers(page, false);
  // First visit: the model is downloaded and stored, so the browser is asked, once.
  await openApp(page);
  await expect.poll(() => calls(page)).toBe(1);
  await goTo(page, 'Storage');
  await expect(persistence(page)).toHaveAttribute('data-granted', 'false');
  await expect(persistence(page)).toContainText('Persistent storage: not granted. The browser decides by itself');
  await expect(persistence(page)).toContainText('may evict this app’s data when the disk runs low');
  await expect(page.getByTestId('storage-eviction')).toContainText('saved cases cannot be recovered, so keep your original photos and export the results you need');
  await expect(page.getByTestId('storage-eviction')).toContainText('imported models must be imported again from their files');

  // A reload: the model comes from storage, nothing new is kept, nothing is asked.
  await openApp(page);
  await goTo(page, 'Storage');
  await expect(persistence(page)).toContainText('Persistent storage: not requested yet. It is requested when you first keep a model or save a case');
  expect(await calls(page)).toBe(0);

  // A saved case: asked (once, however many cases follow).
  await goTo(page, 'Diagnose');
  await openPhoto(page, PHOTO_A);
  await differential(page);
  await expect.poll(async () => (await storedData(page)).cases).toEqual(['ISIC_0012221.jpg']);
  await expect.poll(() => calls(page)).toBe(1);
  await goTo(page, 'Storage');
  await expect(persistence(page)).toContainText('Persistent storage: not granted.');
  await expect(page.getByTestId('storage-cases')).toContainText('1 cases');
});

test('granted: Storage says the browser will not evict the data, also after a reload without asking again', async ({ page }) => {
  await browserAnswers(page, true);
  await openApp(page);
  await expect.poll(() => calls(page)).toBe(1);
  await goTo(page, 'Storage');
  await expect(persistence(page)).toHaveAttribute('data-granted', 'true');
  await expect(persistence(page)).toContainText('Persistent storage: granted. The browser will not evict this app’s data to make room');

  await openApp(page);
  await openPhoto(page, PHOTO_A);
  await differential(page);
  await expect.poll(async () => (await storedData(page)).cases).toHaveLength(1);
  await goTo(page, 'Storage');
  await expect(persistence(page)).toHaveAttribute('data-granted', 'true');
  // Already granted: the case save did not ask again.
  expect(await calls(page)).toBe(0);
});
