/**
 * Odd-but-valid photos (CMYK, grayscale, all 8 EXIF orientations, transparency, progressive JPEG,
 * a JPEG named .png, 1 px, extreme aspect ratios, 4:4:4 chroma) equal an independent reference:
 * PIL decodes each at full resolution, open_clip's transform crops it, PyTorch embeds it
 * (tools/photos/make_corpus.py). Here the app decodes it in Chromium and embeds it with the same
 * weights (fp32 WASM).
 */
import { expect, test } from '@playwright/test';
import { differential, openApp } from './app';
import { cosine, manifest } from './bundle';
import { corpus, corpusPath, corpusUrl, maxAbsNormalised, refCrop, serveCorpus, type CorpusEntry } from './photo-corpus';

let odd: CorpusEntry[] = [];
test.beforeAll(() => {
  test.setTimeout(300_000);
  odd = corpus('odd');
});

// JPEG decoders (libjpeg-turbo in PIL vs Chromium's) may differ by a level or two after the
// resize; lossless files must agree almost exactly. The embeddings: fp32, as the other parity tests.
const MAX_ABS = (e: CorpusEntry) => (e.mime === 'image/jpeg' || e.name.endsWith('.jpg') || e.name === 'really-a-jpeg.png' ? 0.05 : 0.02);
const MIN_COSINE = 0.9999;

test('odd-but-valid photos equal the PIL reference (pixels the model sees and fp32 embedding)', async ({ page, context }) => {
  await serveCorpus(context, odd);
  await openApp(page, 'backend=wasm&variant=fp32');
  const std: number[] = manifest.image.std;
  const rows: string[] = [];
  for (const e of odd) {
    const crop = await page.evaluate((url) => window.dermlip.cropOf(url), corpusUrl(e));
    const maxAbs = maxAbsNormalised(crop, refCrop(e), std);
    const r = await page.evaluate((url) => window.dermlip.embedImageUrl(url), corpusUrl(e));
    const c = cosine(r.embedding, e.embedding!);
    rows.push(`${e.name.padEnd(20)} ${e.width}x${e.height}  max abs ${maxAbs.toFixed(4)}  cosine ${c.toFixed(6)}`);
    expect(maxAbs, `${e.name}: max abs error (normalised units)`).toBeLessThanOrEqual(MAX_ABS(e));
    expect(c, `${e.name}: cosine to the PIL + PyTorch reference`).toBeGreaterThanOrEqual(MIN_COSINE);
  }
  console.log(`odd photos vs PIL reference:\n${rows.join('\n')}`);
});

test('the eight EXIF orientations of one photo all show it upright', async ({ page, context }) => {
  const exif = odd.filter((e) => /^exif-\d\.jpg$/.test(e.name));
  expect(exif).toHaveLength(8);
  await serveCorpus(context, exif);
  await openApp(page, 'backend=wasm&variant=fp32');
  const upright = await page.evaluate((url) => window.dermlip.embedImageUrl(url), corpusUrl(exif[0]));
  for (const e of exif.slice(1)) {
    const r = await page.evaluate((url) => window.dermlip.embedImageUrl(url), corpusUrl(e));
    // The same picture stored 8 ways (JPEG re-encoding of a turned image differs slightly).
    expect(cosine(r.embedding, upright.embedding), e.name).toBeGreaterThan(0.999);
  }
});

test('a JPEG named .png, a 1-pixel photo and a 3000 x 40 strip open as cases through the file picker', async ({ page }) => {
  await openApp(page);
  const pick = ['really-a-jpeg.png', 'one-pixel.png', 'wide-strip.png'].map((n) => odd.find((e) => e.name === n)!);
  await page.getByTestId('file-input').setInputFiles(pick.map(corpusPath));
  await expect(page.getByTestId('case-tab')).toHaveCount(3);
  for (const e of pick) {
    await page.getByTestId('case-tab').filter({ hasText: e.name }).click();
    await expect(page.getByTestId('case-caption')).toContainText(e.name);
    expect(await differential(page)).toHaveLength(5);
  }
  await expect(page.getByTestId('notice-error')).toHaveCount(0);
});
