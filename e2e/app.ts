/** Helpers that drive the app the way a user does. */
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
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

function crc32(buf: Buffer): number {
  let c = ~0;
  for (let i = 0; i < buf.length; i++) {
    c ^= buf[i];
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A valid grayscale PNG of any size (mostly zeros, so it compresses to little). */
export function grayPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  const raw = Buffer.alloc((width + 1) * height);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Move to another screen by its link in the header, as a user does. */
export async function goTo(page: Page, screen: 'Diagnose' | 'Compare' | 'Collections' | 'Teach' | 'Kiosk' | 'Settings' | 'Real model' | 'Storage') {
  await page.getByTestId('screens-nav').getByRole('link', { name: screen, exact: true }).click();
  await expect(page.getByTestId('screens-nav').getByRole('link', { name: screen, exact: true })).toHaveAttribute('aria-current', 'page');
}
