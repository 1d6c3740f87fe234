/**
 * iPhone photos (HEIC/HEIF), decoded by libheif-js (WASM) in a worker that is loaded only when a
 * HEIC file arrives and precached for offline use. Test files: written by heif-enc (Debian's
 * libheif-examples) at test time, with an irot rotation added as an iPhone stores a photo taken
 * sideways (tools/photos/make_corpus.py); references decoded by heif-convert (libheif's C build).
 */
import { expect, test } from '@playwright/test';
import { differential, openApp, PHOTO_A, serviceWorkerReady, upload } from './app';
import { cosine, manifest } from './bundle';
import { corpus, corpusPath, corpusUrl, maxAbsNormalised, refCrop, serveCorpus, type CorpusEntry } from './photo-corpus';
import { savedCaseCount } from './photo-files';

let heic: CorpusEntry[] = [];
test.beforeAll(() => {
  test.setTimeout(300_000);
  heic = corpus('heic');
});
const entry = (name: string) => heic.find((e) => e.name === name)!;
const HEIC_CODE = /heic-decode-[\w-]+\.js$|libheif-[\w-]+\.wasm$/;

test('the HEIC decoder is not in the first page load; it is precached and loaded when a HEIC photo arrives', async ({ page }) => {
  const requested: string[] = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await openApp(page);
  expect(requested.filter((p) => HEIC_CODE.test(p))).toEqual([]);
  // Nor when another photo opens: only a HEIC file loads it.
  await upload(page, PHOTO_A);
  expect(await differential(page)).toHaveLength(5);
  expect(requested.filter((p) => HEIC_CODE.test(p))).toEqual([]);
  // The service worker's precache holds both, so HEIC opens offline after one visit.
  await serviceWorkerReady(page);
  const precached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
    return urls;
  });
  expect(precached.filter((p) => /heic-decode-[\w-]+\.js$/.test(p)).length).toBeGreaterThanOrEqual(1);
  expect(precached.filter((p) => /libheif-[\w-]+\.wasm$/.test(p))).toHaveLength(1);

  await upload(page, corpusPath(entry('heic-plain.heic')));
  await expect(page.getByTestId('case-caption')).toContainText('heic-plain.heic: 1200 × 900 px');
  expect(requested.filter((p) => /heic-decode-[\w-]+\.js$/.test(p))).toHaveLength(1);
  expect(requested.filter((p) => /libheif-[\w-]+\.wasm$/.test(p))).toHaveLength(1);
});

test('HEIC photos are oriented by irot (and by EXIF only without irot) and equal their libheif reference', async ({ page, context }) => {
  await serveCorpus(context, heic);
  await openApp(page, 'backend=wasm&variant=fp32&debug=1');
  const std: number[] = manifest.image.std;
  const rows: string[] = [];
  for (const e of heic.filter((x) => x.expect === 'open')) {
    const d = await page.evaluate((url) => window.dermlip.decodeInfo!(url), corpusUrl(e));
    expect(d.method, e.name).toBe('heic');
    expect([d.width, d.height], `${e.name}: oriented size`).toEqual([e.width, e.height]);
    const maxAbs = maxAbsNormalised(d.crop, refCrop(e), std);
    const c = cosine(d.embedding, e.embedding!);
    rows.push(`${e.name.padEnd(30)} ${e.width}x${e.height} -> ${d.workingWidth}x${d.workingHeight}  decode ${d.ms.toFixed(0)} ms  max abs ${maxAbs.toFixed(4)}  cosine ${c.toFixed(6)}`);
    // libheif 1.23 (WASM) and 1.15 (C) convert YCbCr to RGB alike to a level or two; large photos
    // are also downscaled by the browser before the crop (as every other format).
    expect(maxAbs, `${e.name}: max abs error (normalised units)`).toBeLessThanOrEqual(e.width! > 1344 ? 0.2 : 0.05);
    expect(c, `${e.name}: cosine to the heif-convert + PIL + PyTorch reference`).toBeGreaterThanOrEqual(0.999);
  }
  console.log(`HEIC vs libheif (C) reference:\n${rows.join('\n')}`);
  // Turned by irot, by EXIF alone, or by irot with a matching EXIF (iPhone): upright, and turned once.
  expect(entry('heic-irot90.heic')).toMatchObject({ width: 900, height: 1200 });
  expect(entry('heic-exif6-only.heic')).toMatchObject({ width: 1200, height: 900 });
  expect(entry('heic-iphone-irot-exif6.heic')).toMatchObject({ width: 1200, height: 900 });
});

test('a 12 MP HEIC from the file picker opens as a case with a display copy and is diagnosed', async ({ page }) => {
  await openApp(page);
  const before = await savedCaseCount(page);
  await upload(page, corpusPath(entry('heic-12mp.heic')));
  await expect(page.getByTestId('case-caption')).toContainText('heic-12mp.heic: 4032 × 3024 px');
  expect(await differential(page)).toHaveLength(5);
  // The crop editor shows a JPEG display copy (no browser shows HEIC in an <img>).
  const shown = page.locator('.crop-editor img').first();
  await expect(shown).toBeVisible();
  expect(await shown.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1600);
  await expect.poll(() => savedCaseCount(page)).toBe(before + 1);
});

test('HEIC variants it cannot decode get a clear message naming the file; a good HEIC works right after', async ({ page }) => {
  await openApp(page);
  const before = await savedCaseCount(page);
  await upload(page, corpusPath(entry('heic-vvc.heic')));
  await expect(page.getByTestId('notice-error').filter({ hasText: '"heic-vvc.heic" is a HEIF image coded with VVC (H.266), a HEIC/HEIF variant this app cannot decode' })).toBeVisible();
  await upload(page, corpusPath(entry('heic-truncated.heic')));
  await expect(page.getByTestId('notice-error').filter({ hasText: /"heic-truncated\.heic" (is incomplete|could not be decoded)/ })).toBeVisible();
  await expect(page.getByTestId('case-tab')).toHaveCount(0);
  await upload(page, corpusPath(entry('heic-irot90.heic')));
  await expect(page.getByTestId('case-caption')).toContainText('heic-irot90.heic: 900 × 1200 px');
  expect(await differential(page)).toHaveLength(5);
  await expect.poll(() => savedCaseCount(page)).toBe(before + 1);
});

test('after one visit a HEIC photo opens with the network off', async ({ page, context }) => {
  await openApp(page);
  await serviceWorkerReady(page);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await upload(page, corpusPath(entry('heic-exif6-only.heic')));
  await expect(page.getByTestId('case-caption')).toContainText('heic-exif6-only.heic: 1200 × 900 px');
  expect(await differential(page)).toHaveLength(5);
});
