// The two sides of the indexing bench (bench/index.mjs), each in a fresh Chromium profile (no
// cached weights, no cached embeddings): the app importing a folder as a collection through its UI
// and indexing it with its real indexer, and a plain transformers.js loop over the same photos.
import { readdirSync, rmSync } from 'node:fs';
import { launch, waitModelReady } from './browser.mjs';

const r1 = (x) => (x == null ? null : Math.round(x * 10) / 10);

/**
 * Open the app on `bundle` (WASM int8, 2 threads), import `folder` as a new collection and wait
 * until every photo is indexed. Times on the page clock from the Import click: the copy into the
 * collection done (indexing starts) and the last photo indexed.
 */
export async function appIndex({ port, bundle, folder, log, sampler, phase, timeoutMs = 900_000 }) {
  const n = readdirSync(folder).filter((f) => f.endsWith('.jpg')).length;
  const { ctx, dir, page } = await launch(log);
  // the phase covers the whole session: model load, folder pick, import, indexing
  if (sampler && phase) sampler.phase(phase);
  try {
    // INDEX_APP_QUERY: extra URL parameters (the indexer's debug overrides indexBatch, indexOverlap)
    const extra = process.env.INDEX_APP_QUERY ? `&${process.env.INDEX_APP_QUERY}` : '';
    await page.goto(`http://127.0.0.1:${port}/?debug=1&bundle=/models/${bundle}&backend=wasm&variant=int8&threads=2${extra}`);
    await waitModelReady(page);
    const choice = await page.evaluate(() => window.dermlip.info().then((i) => i.choice));
    await page.getByTestId('screens-nav').getByRole('link', { name: 'Collections', exact: true }).click();
    const tPick = Date.now();
    await page.getByTestId('collection-folder-input').setInputFiles(folder);
    await page.waitForURL(/\/collections\/new$/, { timeout: 300_000 });
    await page.getByTestId('draft-summary').waitFor({ timeout: 300_000 });
    const pickMs = Date.now() - tPick;
    await page.getByTestId('draft-name').fill(`bench ${n}`);
    // A recorder in the page (the app is a single-page app: it survives the route change).
    await page.evaluate(() => {
      const rec = { t0: performance.now(), copied: null, done: null, samples: [] };
      window.__benchIndex = rec;
      const timer = setInterval(() => {
        const bar = document.querySelector('[data-testid=indexing]');
        if (!bar) return;
        const state = bar.getAttribute('data-state');
        const done = Number(bar.getAttribute('data-done'));
        const total = Number(bar.getAttribute('data-total'));
        const copying = !!document.querySelector('[data-testid=import-progress]');
        const t = performance.now() - rec.t0;
        if (rec.copied == null && !copying && (state === 'running' || state === 'done')) rec.copied = t;
        if (rec.copied != null && !copying && state === 'done' && total > 0 && done === total) (rec.done = t), (rec.total = total), clearInterval(timer);
        if (rec.samples.length === 0 || t - rec.samples.at(-1)[0] > 5000) rec.samples.push([Math.round(t), done, total, state]);
      }, 25);
    });
    await page.getByTestId('draft-import').click();
    if (sampler && phase) {
      // memory peaks apart: the session up to the end of the copy, then the indexing
      await page.waitForFunction(() => window.__benchIndex.copied != null, null, { timeout: timeoutMs, polling: 250 });
      sampler.phase(`${phase}:indexing`);
    }
    await page.waitForFunction(() => window.__benchIndex.done != null || document.querySelector('[data-testid=indexing]')?.getAttribute('data-state') === 'error', null, { timeout: timeoutMs, polling: 500 });
    const rec = await page.evaluate(() => window.__benchIndex);
    if (rec.done == null) throw new Error(`indexing stopped: ${await page.getByTestId('indexing').innerText()}`);
    const encoded = await page.evaluate(() => window.dermlip.encodedRows());
    // the indexer's own split of its time per batch stage (debug console hook)
    const stages = await page.evaluate(() => window.dermlip.indexTimings?.() ?? null);
    if (stages) log(`app stages (ms: count, mean, total): ${Object.entries(stages).map(([k, s]) => `${k} ${s.count}x ${s.meanMs.toFixed(1)} = ${Math.round(s.totalMs)}`).join('; ')}`);
    const text = await page.getByTestId('indexing-text').innerText();
    if (rec.total !== n) throw new Error(`the collection has ${rec.total} photos indexed, the folder ${n}: ${text}`);
    const indexMs = rec.done - rec.copied;
    const peaks = sampler && phase ? { upToCopy: sampler.peak(phase), indexing: sampler.peak(`${phase}:indexing`) } : null;
    return {
      photos: n,
      choice,
      pickMs,
      copyMs: r1(rec.copied),
      indexMs: r1(indexMs),
      totalMs: r1(rec.done),
      indexRate: +(n / (indexMs / 1000)).toFixed(3),
      importAndIndexRate: +(n / (rec.done / 1000)).toFixed(3),
      imageRowsEncoded: encoded.image,
      progress: rec.samples,
      stages,
      peaks,
      text,
    };
  } finally {
    await ctx.close();
    if (sampler && phase) sampler.phase('idle');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** transformers.js (bench/tjs page, its own onnxruntime-web, WASM q8, 2 threads): load, one warm-up photo, then the loop over `names` served under /photos/. */
export async function tjsIndex({ port, names, log }) {
  const { ctx, dir, page } = await launch(log);
  try {
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => window.tjsReady === true, null, { timeout: 60_000 });
    const version = await page.evaluate(() => window.tjs.version);
    const loadMs = await page.evaluate(() => window.tjs.loadVision('q8'));
    await page.evaluate(() => window.tjs.photoPath('/small.jpg'));
    const loop = await page.evaluate((urls) => window.tjs.indexLoop(urls), names.map((f) => `/photos/${f}`));
    return { version, photos: loop.n, dim: loop.dim, loadMs: r1(loadMs), loopMs: r1(loop.ms), rate: +(loop.n / (loop.ms / 1000)).toFixed(3) };
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
