/**
 * Photos straight from a phone: JPEGs of 12, 50 (EXIF 6), 108 (progressive) and 200 MP open and
 * are diagnosed, decoded at n/8 scale so the full frame never exists in memory, and their
 * embedding stays within cosine 0.999 of PIL's full-resolution decode. Formats that can only be
 * decoded in full open up to the stated budget (100 MP); above it, and for a GIF whose frame is
 * far larger than its header says, the refusal names the file, the size and the budget, and a
 * good photo works right after. Saved cases are counted before and after: nothing is lost.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { PHOTO_B, differential, grayPng, openApp, upload } from './app';
import { cosine } from './bundle';
import { corpus, corpusPath, corpusUrl, serveCorpus, type CorpusEntry } from './photo-corpus';
import { savedCaseCount } from './photo-files';

let large: CorpusEntry[] = [];
test.beforeAll(() => {
  test.setTimeout(300_000);
  large = corpus('large');
});

test('phone JPEGs up to 200 MP decode at n/8 scale and stay within cosine 0.999 of PIL at full resolution', async ({ page, context }) => {
  await serveCorpus(context, large);
  await openApp(page, 'backend=wasm&variant=fp32&debug=1');
  const rows: string[] = [];
  for (const e of large.filter((x) => x.expect === 'open')) {
    const d = await page.evaluate((url) => window.dermlip.decodeInfo!(url), corpusUrl(e));
    expect([d.width, d.height], `${e.name}: oriented size`).toEqual([e.width, e.height]);
    expect(d.method, e.name).toBe('jpeg-scaled');
    // The working copy: at least 1344 px on its shortest side, at most 1/4 of the pixels of the original.
    expect(Math.min(d.workingWidth, d.workingHeight), e.name).toBeGreaterThanOrEqual(1344);
    expect(d.workingWidth * d.workingHeight, e.name).toBeLessThanOrEqual((e.width! * e.height!) / 4);
    const c = cosine(d.embedding, e.embedding!);
    rows.push(`${e.name.padEnd(28)} ${e.width}x${e.height} -> ${d.workingWidth}x${d.workingHeight}  decode ${d.ms.toFixed(0)} ms  cosine ${c.toFixed(5)}`);
    expect(c, `${e.name}: cosine to PIL's full-resolution decode`).toBeGreaterThanOrEqual(0.999);
  }
  console.log(`phone JPEGs (decode at size):\n${rows.join('\n')}`);
});

test('a 200 MP phone photo chosen with the file picker opens as a case and is diagnosed', async ({ page }) => {
  const e = large.find((x) => x.name === 'phone-200mp.jpg')!;
  await openApp(page);
  const before = await savedCaseCount(page);
  await upload(page, corpusPath(e));
  await expect(page.getByTestId('case-caption')).toContainText('phone-200mp.jpg');
  await expect(page.getByTestId('case-caption')).toContainText('16320');
  expect(await differential(page)).toHaveLength(5);
  await expect(page.getByTestId('notice-error')).toHaveCount(0);
  await expect.poll(() => savedCaseCount(page)).toBe(before + 1);
});

async function expectRefused(page: Page, file: { name: string; mimeType: string; buffer: Buffer }, message: RegExp) {
  await upload(page, [file]);
  await expect(page.getByTestId('notice-error').filter({ hasText: message })).toBeVisible();
}

test('full-decode formats open up to the 100 MP budget; above it, and a GIF hiding a huge frame, are refused by name and the next photo works', async ({ page }) => {
  test.setTimeout(240_000);
  await openApp(page);
  const before = await savedCaseCount(page);
  // 90 MP: over the old 64 MP limit, under the budget: opens.
  await upload(page, [{ name: 'scan-90mp.png', mimeType: 'image/png', buffer: grayPng(10000, 9000) }]);
  await expect(page.getByTestId('case-caption')).toContainText('scan-90mp.png', { timeout: 120_000 });
  await expect.poll(() => savedCaseCount(page), { timeout: 60_000 }).toBe(before + 1);

  await expectRefused(page, { name: 'scan-144mp.png', mimeType: 'image/png', buffer: grayPng(12000, 12000) }, /"scan-144mp\.png" is 12000 × 12000 pixels \(144 MP\)\. A PNG image is decoded in full, and the largest this app decodes in full is 100 MP \(400 MB of memory\)/);
  await expect(page.getByTestId('notice-error').filter({ hasText: 'scan-144mp.png' })).toContainText('Save it as a JPEG (a JPEG of any size opens)');
  const bomb = large.find((x) => x.name === 'gif-1x1-header-12000-frame.gif')!;
  await expectRefused(page, { name: 'tiny.gif', mimeType: 'image/gif', buffer: readFileSync(corpusPath(bomb)) }, /"tiny\.gif" holds a frame of 12000 × 12000 pixels \(144 MP\) although its header says 1 × 1/);
  await expect(page.getByTestId('case-tab')).toHaveCount(1);

  await upload(page, PHOTO_B);
  await expect(page.getByTestId('case-caption')).toContainText('ISIC_0012222.jpg');
  expect(await differential(page)).toHaveLength(5);
  await expect.poll(() => savedCaseCount(page)).toBe(before + 2);
});
