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

/** A 24-bit BMP, 600 x 400; `variant` changes only the middle rows (not the first or last 64 KiB). */
function bmp(variant: number): Buffer {
  const w = 600, h = 400, row = w * 3;
  const buf = Buffer.alloc(54 + row * h);
  buf.write('BM', 0, 'ascii');
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(54, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(w, 18);
  buf.writeInt32LE(h, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(24, 28);
  buf.writeUInt32LE(row * h, 34);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = 54 + y * row + x * 3;
      const middle = y >= 120 && y < 280 && variant === 1;
      buf[o] = middle ? 40 : (x * 255) / w;
      buf[o + 1] = middle ? (x * 7) % 256 : (y * 255) / h;
      buf[o + 2] = middle ? 220 : 128;
    }
  return buf;
}

test('a photo that only looks like a repeat (same size, head and tail) is checked and diagnosed as itself', async ({ page }) => {
  const a = bmp(0);
  const b = bmp(1);
  expect(a.length).toBe(b.length);
  expect(a.subarray(0, 65536).equals(b.subarray(0, 65536)) && a.subarray(-65536).equals(b.subarray(-65536))).toBe(true);
  expect(a.equals(b)).toBe(false);
  await openApp(page);
  await upload(page, [{ name: 'a.bmp', mimeType: 'image/bmp', buffer: a }]);
  const first = await differential(page);
  const runs = await stats(page);
  await upload(page, [{ name: 'b.bmp', mimeType: 'image/bmp', buffer: b }]);
  await expect(page.getByTestId('case-caption')).toContainText('b.bmp');
  await expect(page.getByTestId('case-caption')).toContainText('encoded now');
  await expect.poll(async () => (await stats(page)).image).toBe(runs.image + 1);
  expect(await differential(page)).not.toEqual(first);
  // The real repeat of a.bmp is recognised and reuses the first result.
  await upload(page, [{ name: 'a-again.bmp', mimeType: 'image/bmp', buffer: a }]);
  await expect(page.getByTestId('case-caption')).toContainText('a-again.bmp');
  await expect(page.getByTestId('case-caption')).toContainText('embedding from cache');
  expect(await differential(page)).toEqual(first);
  expect((await stats(page)).image).toBe(runs.image + 1);
  // After a reload the two lookalikes are still two different cases.
  await page.reload();
  await expect(page.getByTestId('case-tab')).toHaveCount(3);
});
