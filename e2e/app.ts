/** Helpers that drive the app the way a user does. */
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';

export const PHOTOS = 'fixtures/photos';
export const PHOTO_A = `${PHOTOS}/ISIC_0012221.jpg`;
export const PHOTO_B = `${PHOTOS}/ISIC_0012222.jpg`;

export async function openApp(page: Page, query = 'backend=wasm') {
  await page.goto(`/?${query}`);
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
}

/**
 * Wait until the service worker has installed and activated (the app shell is precached, so the
 * app opens offline). Polled from here: waitForFunction would take an async predicate's promise
 * as a truthy answer and not wait at all.
 */
export async function serviceWorkerReady(page: Page) {
  await expect
    .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state ?? 'none'), { timeout: 60_000 })
    .toBe('activated');
}

/** Reload the screen on screen, with the link's settings again (they hold for one page load). */
export async function reopen(page: Page, query = 'backend=wasm') {
  await page.goto(`${new URL(page.url()).pathname}?${query}`);
}

export async function upload(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[] | string) {
  await page.getByTestId('file-input').setInputFiles(files);
}

/** Upload a photo and wait until its own case is the one on screen. */
export async function openPhoto(page: Page, path: string) {
  const name = path.split('/').pop()!;
  const before = await page.getByTestId('case-tab').count();
  await upload(page, path);
  await expect(page.getByTestId('case-tab')).toHaveCount(before + 1);
  await expect(page.getByTestId('case-caption')).toContainText(name);
}

/** Drop a file on the drop zone, as a drag from the desktop does. */
export async function drop(page: Page, path: string, name: string, mime: string) {
  const b64 = readFileSync(path).toString('base64');
  const dt = await page.evaluateHandle(
    ({ b64, name, mime }) => {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bin], name, { type: mime }));
      return dt;
    },
    { b64, name, mime },
  );
  await page.dispatchEvent('[data-testid=dropzone]', 'drop', { dataTransfer: dt });
}

export async function differential(page: Page): Promise<{ name: string; prob: number }[]> {
  await expect(page.getByTestId('diff-item').first()).toBeVisible({ timeout: 120_000 });
  return page.getByTestId('diff-item').evaluateAll((els) =>
    els.map((e) => ({ name: e.querySelector('.ranked-name')!.textContent!, prob: Number((e as HTMLElement).dataset.prob) })),
  );
}

export async function stats(page: Page): Promise<{ image: number; text: number }> {
  return page.evaluate(() => window.dermlip.stats());
}

export { grayPng } from './png';

/** Move to another screen by its link in the header, as a user does. */
export async function goTo(page: Page, screen: 'Diagnose' | 'Compare' | 'Collections' | 'Teach' | 'Kiosk' | 'Settings' | 'Real model' | 'Storage') {
  await page.getByTestId('screens-nav').getByRole('link', { name: screen, exact: true }).click();
  await expect(page.getByTestId('screens-nav').getByRole('link', { name: screen, exact: true })).toHaveAttribute('aria-current', 'page');
}
