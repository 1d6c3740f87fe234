/**
 * Collections end to end, on a generated labelled collection (e2e/collection-fixture.ts): import a
 * folder with a CSV, unmappable labels and bad files; index it, reload in the middle and resume;
 * gallery filters; search by words and by photo; evaluate (checked against the downloaded
 * per-photo CSV and metrics JSON); stratify; probe; accessibility of every new screen.
 */
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { goTo, openApp } from './app';
import { makeCollection, type GeneratedCollection } from './collection-fixture';

const PER_CLASS = 40;
let col: GeneratedCollection;
test.beforeAll(() => {
  col = makeCollection(PER_CLASS);
});
test.afterAll(() => col.cleanup());

async function axe(page: Page, what: string) {
  const r = await new AxeBuilder({ page }).include('main').analyze();
  expect(r.violations.map((v) => `${what}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function indexed(page: Page): Promise<{ done: number; total: number; state: string }> {
  const bar = page.getByTestId('indexing');
  return { done: Number(await bar.getAttribute('data-done')), total: Number(await bar.getAttribute('data-total')), state: (await bar.getAttribute('data-state')) ?? '' };
}

async function waitIndexed(page: Page, total: number) {
  await expect(page.getByTestId('indexing')).toHaveAttribute('data-done', String(total), { timeout: 170_000 });
}

test('import a labelled folder, index with a reload in the middle, gallery, search both ways, evaluate, probe', async ({ page }) => {
  test.setTimeout(600_000);
  const good = col.photos.length; // every generated photo decodes
  await openApp(page, 'backend=wasm&debug=1&indexDelay=400');
  await goTo(page, 'Collections');
  await axe(page, 'collections');
  await page.getByTestId('collection-folder-input').setInputFiles(col.folder);
  await expect(page).toHaveURL(/\/collections\/new$/);
  // What was found: the photos with an image extension; the rest listed with its reason.
  await expect(page.getByTestId('draft-summary')).toContainText(`${good + 3} photos`); // + fake.jpg, truncated.png, corrupt.png
  const skipped = page.getByTestId('skipped-file');
  for (const r of col.refusedAtImport.filter((x) => !/fake|truncated/.test(x.name))) await expect(skipped.filter({ hasText: r.name })).toContainText(r.reason);
  // HAM10000 columns recognised; the codes map onto the HAM class list but for the two unknown labels.
  await expect(page.getByTestId('label-id-column')).toHaveValue('image_id');
  await expect(page.getByTestId('label-column')).toHaveValue('dx');
  await expect(page.getByTestId('mapping-class-list')).toHaveValue('preset:ham');
  await expect(page.getByTestId('mapping-unmapped')).toHaveText('blob, unknown_xyz');
  await expect(page.getByTestId('label-note').first()).toContainText('2 row(s) of derm-test/HAM_metadata.csv name no photo');
  await axe(page, 'new collection');
  await page.getByTestId('draft-name').fill('Test derm set');
  await page.getByTestId('draft-import').click();
  await expect(page).toHaveURL(/\/collections\/[0-9a-f-]{36}$/);
  const url = page.url();
  await expect(page.getByTestId('collection-title')).toHaveText('Test derm set');

  // Indexing runs (slowed by the debug delay); reload in the middle.
  await expect.poll(async () => (await indexed(page)).done, { timeout: 120_000 }).toBeGreaterThanOrEqual(24);
  const before = await indexed(page);
  expect(before.done).toBeLessThan(before.total);
  expect(before.total).toBe(good);
  await page.goto(`${url}?backend=wasm`); // a reload without the debug delay (the link's backend again: it holds for one page load)
  await expect(page.getByTestId('collection-title')).toHaveText('Test derm set');
  // What was indexed before the reload is still indexed (once the model is back, the count starts there).
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await expect.poll(async () => (await indexed(page)).done).toBeGreaterThanOrEqual(before.done);
  await waitIndexed(page, good);
  await expect(page.getByTestId('indexing-text')).toContainText('(1 could not be read)');
  // Bad files: refused at import (by content) and at indexing (cannot be decoded), each with its reason.
  await page.getByTestId('skipped-files').locator('summary').click();
  await expect(page.getByTestId('skipped-file').filter({ hasText: 'fake.jpg' })).toContainText('is not an image this app can read');
  await expect(page.getByTestId('skipped-file').filter({ hasText: 'truncated.png' })).toContainText('cut short');
  // No photo indexed before the reload was encoded again after it.
  const encodedAfterReload = (await page.evaluate(() => window.dermlip.encodedRows())).image;
  expect(encodedAfterReload).toBeGreaterThan(0);
  expect(encodedAfterReload).toBeLessThanOrEqual(good - before.done);

  // Gallery: every photo, filters by true class and by result.
  await expect(page.getByTestId('gallery-count')).toHaveText(`${good + 1} photos`);
  await page.getByTestId('filter-truth').selectOption({ label: 'melanoma' });
  await expect(page.getByTestId('gallery-count')).toHaveText(`${PER_CLASS} of ${good + 1} photos`);
  await page.getByTestId('filter-truth').selectOption('none');
  await expect(page.getByTestId('gallery-count')).toHaveText(`7 of ${good + 1} photos`); // 6 unmapped + 1 unreadable
  await page.getByTestId('filter-truth').selectOption('all');
  await page.getByTestId('filter-result').selectOption('wrong');
  const wrongText = await page.getByTestId('gallery-count').textContent();
  const wrong = Number(/^(\d+) of/.exec(wrongText ?? '')?.[1] ?? (wrongText?.startsWith('0') ? 0 : NaN));
  await page.getByTestId('filter-result').selectOption('all');
  await axe(page, 'gallery');

  // Evaluate: the displayed metrics equal what the per-photo CSV says.
  await page.getByRole('link', { name: 'Evaluate', exact: true }).click();
  await expect(page).toHaveURL(/\/evaluate$/);
  const report = page.getByTestId('zeroshot-report');
  await expect(report).toBeVisible();
  const n = Number(await report.getAttribute('data-n'));
  const accuracy = Number(await report.getAttribute('data-accuracy'));
  expect(n).toBe(4 * PER_CLASS);
  expect(Math.round((1 - accuracy) * n)).toBe(wrong);
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  const csv = readFileSync(await csvDownload.path(), 'utf8').trim().split('\n');
  const head = csv[0].split(',');
  const rows = csv.slice(1).map((l) => l.split(','));
  expect(rows).toHaveLength(good);
  const correct = rows.filter((r) => r[head.indexOf('correct')] === 'true').length;
  const evaluated = rows.filter((r) => r[head.indexOf('true_class')] !== '').length;
  expect(evaluated).toBe(n);
  expect(correct / evaluated).toBeCloseTo(accuracy, 10);
  expect(head).toEqual(expect.arrayContaining(['path', 'dataset_label', 'predicted', 'p_predicted', 'top1', 'fitzpatrick', 'site']));
  const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
  const metrics = JSON.parse(readFileSync(await jsonDownload.path(), 'utf8'));
  expect(metrics.model.bundleId).toBe('demo-tiny');
  expect(metrics.model.variant).toBe('int8');
  expect(metrics.model.weights.length).toBeGreaterThan(0);
  for (const w of metrics.model.weights) expect(w.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(metrics.zeroShot.report.accuracy).toBeCloseTo(accuracy, 12);
  expect(metrics.classList.id).toBe('preset:ham');
  expect(metrics.mapping).toMatchObject({ mel: 'melanoma', nv: 'nevus', blob: null, unknown_xyz: null });
  expect(Date.now() - Date.parse(metrics.date)).toBeLessThan(600_000);

  // Stratified by a metadata column: the strata add up to the whole.
  await page.getByTestId('eval-stratify').selectOption('fitzpatrick');
  const strata = page.getByTestId('stratum');
  await expect(strata.first()).toBeVisible();
  const ns = await strata.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.n)));
  expect(ns.reduce((a, b) => a + b, 0)).toBe(n);
  expect(ns.length).toBeGreaterThanOrEqual(5);

  // Another class list re-evaluates from cached embeddings: no image model run.
  const runs = (await page.evaluate(() => window.dermlip.stats())).image;
  await page.getByTestId('eval-class-list').selectOption('dataset');
  await expect(page.getByTestId('eval-summary')).toContainText('(6 classes)');
  await expect(page.getByTestId('zeroshot-report')).toHaveAttribute('data-n', String(good));
  expect((await page.evaluate(() => window.dermlip.stats())).image).toBe(runs);
  await page.getByTestId('eval-class-list').selectOption('preset:ham');
  await expect(page.getByTestId('eval-summary')).toContainText('(7 classes)');
  await expect(page.getByTestId('confusion')).toBeVisible();

  // Few-shot probe beside zero-shot on the same test split; the same seed gives the same result.
  await page.getByTestId('probe-shots').fill('8');
  await page.getByTestId('probe-seed').fill('3');
  await page.getByTestId('probe-train').click();
  await expect(page.getByTestId('probe-split')).toContainText('32 training photos (0 / 8 / 8 / 0 / 8 / 8 / 0 per class)');
  const probeAcc = await page.getByTestId('probe-report').getAttribute('data-accuracy');
  expect(await page.getByTestId('probe-report').getAttribute('data-n')).toBe(String(n - 32));
  expect(await page.getByTestId('probe-zeroshot-report').getAttribute('data-n')).toBe(String(n - 32));
  // Class-coloured photos: the probe learns them, far above chance (4 classes).
  expect(Number(probeAcc)).toBeGreaterThan(0.6);
  await page.getByTestId('probe-train').click();
  await expect(page.getByTestId('probe-report')).toHaveAttribute('data-accuracy', probeAcc!);
  await axe(page, 'evaluate');

  // Words to photos: ranked by cosine; the top score is the text and photo embeddings' dot product.
  await page.getByRole('link', { name: 'Search', exact: true }).click();
  await page.getByTestId('search-text').fill('blue-white veil');
  await page.getByTestId('search-go').click();
  const hits = page.getByTestId('search-results').getByTestId('hit');
  await expect(hits).toHaveCount(24);
  const scores = await hits.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.score)));
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  const topName = await hits.first().locator('.hit-name').textContent();
  const top = col.photos.find((p) => `${p.name}.png` === topName)!;
  const b64 = readFileSync(`${col.folder}/images/${top.name}.png`).toString('base64');
  const check = await page.evaluate(async ({ b64 }) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
    const img = await window.dermlip.embedImageUrl(url);
    const [text] = await window.dermlip.embedPromptsFresh(['blue-white veil']);
    return { fromCache: img.fromCache, dot: img.embedding.reduce((s, v, i) => s + v * text[i], 0) };
  }, { b64 });
  expect(check.fromCache).toBe(true); // the indexer and the diagnose path give the same cache key
  expect(check.dot).toBeCloseTo(scores[0], 4);
  await expect(page.getByTestId('retrieval-table')).toBeVisible();
  const r1 = await page.getByTestId('retrieval-row').first().locator('td[data-k="1"]').getAttribute('data-value');
  expect(Number(r1)).toBeGreaterThanOrEqual(0);
  await axe(page, 'search');

  // Photo to photos: a gallery photo opened as a case finds itself first among similar cases.
  await page.getByRole('link', { name: 'Gallery', exact: true }).click();
  const cell = page.getByTestId('gallery-cell').nth(5);
  const seq = await cell.getAttribute('data-seq');
  await cell.click();
  await expect(page.getByTestId('photo-similar').getByTestId('hit')).toHaveCount(8);
  await page.getByTestId('open-as-case').click();
  await expect(page).toHaveURL(/\/$/);
  const similar = page.getByTestId('similar-list').getByTestId('hit');
  await expect(similar.first()).toBeVisible({ timeout: 60_000 });
  await expect(similar.first()).toHaveAttribute('data-seq', seq!);
  expect(Number(await similar.first().getAttribute('data-score'))).toBeGreaterThan(0.9999);

  // Every good photo was encoded once and is cached once (the case reused its embedding).
  await goTo(page, 'Storage');
  await expect(page.getByTestId('storage-embeddings')).toContainText(`${good} images`);
  await expect(page.getByTestId('storage-collections')).toContainText('1 collections');
});

test('a .zip collection exports to one file and imports on another machine, offline, without running the model', async ({ page, browser }) => {
  test.setTimeout(400_000);
  const small = makeCollection(10, 11);
  try {
    const good = small.photos.length;
    await openApp(page);
    await goTo(page, 'Collections');
    await page.getByTestId('collection-files-input').setInputFiles({ name: 'derm-test.zip', mimeType: 'application/zip', buffer: small.zip });
    await expect(page.getByTestId('draft-summary')).toContainText(`${good + 3} photos`);
    await page.getByTestId('draft-import').click();
    await expect(page).toHaveURL(/\/collections\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('collection-facts')).toContainText('photos copied into this browser');
    await waitIndexed(page, good);
    await page.getByRole('link', { name: 'Evaluate', exact: true }).click();
    const accuracy = await page.getByTestId('zeroshot-report').getAttribute('data-accuracy');
    await page.getByTestId('export-collection').locator('xpath=..').locator('summary').click();
    await page.getByTestId('export-photos').check();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-collection').click()]);
    expect(download.suggestedFilename()).toBe('derm-test.dermlip-collection.zip');
    const archive = readFileSync(await download.path());
    if (process.env.KEEP_ARCHIVE) (await import('node:fs')).writeFileSync(process.env.KEEP_ARCHIVE, archive);

    // Another machine: a fresh browser profile, the model loaded once, then no network at all.
    const other = await browser.newContext();
    const p2 = await other.newPage();
    try {
      await openApp(p2);
      await other.setOffline(true);
      await goTo(p2, 'Collections');
      await p2.getByTestId('collection-archive-input').setInputFiles({ name: 'derm-test.dermlip-collection.zip', mimeType: 'application/zip', buffer: archive });
      await expect(p2).toHaveURL(/\/collections\/[0-9a-f-]{36}$/, { timeout: 60_000 });
      await expect(p2.getByTestId('collection-title')).toHaveText('derm-test');
      await expect(p2.getByTestId('collection-facts')).toContainText('photos copied into this browser');
      // Indexed already: the embeddings came with it.
      await expect(p2.getByTestId('indexing')).toHaveAttribute('data-done', String(good));
      await expect(p2.getByTestId('gallery-count')).toHaveText(`${good + 1} photos`);
      await expect(p2.getByTestId('gallery').locator('img').first()).toBeVisible();
      await p2.getByRole('link', { name: 'Evaluate', exact: true }).click();
      await expect(p2.getByTestId('zeroshot-report')).toHaveAttribute('data-accuracy', accuracy!);
      await p2.getByRole('link', { name: 'Labels', exact: true }).click();
      await expect(p2.getByTestId('mapping-unmapped')).toHaveText('blob, unknown_xyz');
      await axe(p2, 'labels');
      expect((await p2.evaluate(() => window.dermlip.stats())).image).toBe(0);
      // The photos came too: one opens as a case, from the cache.
      await p2.getByRole('link', { name: 'Gallery', exact: true }).click();
      await p2.getByTestId('gallery-cell').nth(3).click();
      await p2.getByTestId('open-as-case').click();
      await expect(p2.getByTestId('case-caption')).toContainText('embedding from cache');
      expect((await p2.evaluate(() => window.dermlip.stats())).image).toBe(0);
    } finally {
      await other.close();
    }
  } finally {
    small.cleanup();
  }
});

test('a linked folder keeps file handles: the photos stay on disk and are read through them', async ({ page }) => {
  test.setTimeout(300_000);
  const small = makeCollection(4, 5);
  try {
    const files = [...small.photos.map((p) => `images/${p.name}.png`), 'HAM_metadata.csv'].map((path) => ({ path, b64: readFileSync(`${small.folder}/${path}`).toString('base64') }));
    // The folder picker answers with a folder in the origin-private file system (same handle API as a real disk folder).
    await page.addInitScript(() => {
      (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () => (await navigator.storage.getDirectory()).getDirectoryHandle('linked-derm', { create: true });
    });
    await openApp(page);
    await page.evaluate(async (files) => {
      const root = await (await navigator.storage.getDirectory()).getDirectoryHandle('linked-derm', { create: true });
      for (const f of files) {
        const parts = f.path.split('/');
        let dir = root;
        for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, { create: true });
        const w = await (await dir.getFileHandle(parts.at(-1)!, { create: true })).createWritable();
        await w.write(Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0)));
        await w.close();
      }
    }, files);
    await goTo(page, 'Collections');
    await page.getByRole('button', { name: 'Link a folder (photos stay on disk)' }).click();
    await expect(page.getByTestId('draft-summary')).toContainText(`${small.photos.length} photos`);
    await expect(page.getByTestId('draft-summary')).toContainText('photos linked on disk (handles)');
    await page.getByTestId('draft-import').click();
    await expect(page.getByTestId('collection-facts')).toContainText('photos linked on disk (handles)');
    await waitIndexed(page, small.photos.length);
    await page.getByTestId('gallery-cell').first().click();
    await page.getByTestId('open-as-case').click();
    await expect(page.getByTestId('case-caption')).toContainText('embedding from cache');
    // Nothing was copied: the collection keeps handles and thumbnails only.
    await goTo(page, 'Storage');
    await expect(page.getByTestId('storage-collections')).toContainText('1 collections, 0 photos copied');
  } finally {
    small.cleanup();
  }
});
