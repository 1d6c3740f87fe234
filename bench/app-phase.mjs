// The app's phase of `npm run bench` (bench/run.mjs): the built app in headless Chromium, through
// its real worker and its UI: loads (cold, from cache, with their breakdown), the image and text
// encoders per variant and thread count, the whole path of a dropped 12 MP photo, repeats,
// re-ranks, one session's memory and a WebGPU correctness check. See BENCHMARKS.md for each row.
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { launch, WORK } from './browser.mjs';
import { cosine, stats } from './stats.mjs';

const r1 = (x) => (x == null ? null : Math.round(x * 10) / 10);

async function putPhoto(page, photo) {
  const b64 = readFileSync(photo).toString('base64');
  await page.evaluate((b64) => {
    window.__benchPhoto = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  }, b64);
}

/** Drop the photo (as a new file name) on the drop zone; ms until its differential is in the DOM. */
function dropTimed(page, name) {
  return page.evaluate(async (name) => {
    const file = new File([window.__benchPhoto], name, { type: 'image/jpeg' });
    const dt = new DataTransfer();
    dt.items.add(file);
    const zone = document.querySelector('[data-testid=dropzone]');
    const done = () => {
      const cap = document.querySelector('[data-testid=case-caption]')?.textContent ?? '';
      return cap.includes(name) && /embedding from cache|encoded now/.test(cap) && document.querySelector('[data-testid=diff-item]') ? cap : null;
    };
    let tCase = null;
    const t0 = performance.now();
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    const caption = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no differential after 120 s')), 120_000);
      const mo = new MutationObserver(() => {
        if (tCase == null && (document.querySelector('[data-testid=case-caption]')?.textContent ?? '').includes(name)) tCase = performance.now() - t0;
        const c = done();
        if (c) (mo.disconnect(), clearTimeout(timer), resolve(c));
      });
      mo.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    const dom = performance.now() - t0;
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return { domMs: dom, caseMs: tCase, frameMs: performance.now() - t0, caption, items: document.querySelectorAll('[data-testid=diff-item]').length };
  }, name);
}

/**
 * Pick a file on disk through the file input (a File backed by the disk, like a real drop from the
 * file manager; a File built in the page first waits ~20 ms for its blob to be registered).
 * ms from the input's change event until the case's differential is in the DOM.
 */
async function inputTimed(page, path, name) {
  await page.evaluate((name) => {
    const input = document.querySelector('[data-testid=file-input]');
    window.__benchInput = new Promise((resolve) => {
      input.addEventListener(
        'change',
        () => {
          const t0 = performance.now();
          const done = () => {
            const cap = document.querySelector('[data-testid=case-caption]')?.textContent ?? '';
            return cap.includes(name) && /embedding from cache|encoded now/.test(cap) && document.querySelector('[data-testid=diff-item]');
          };
          const mo = new MutationObserver(() => done() && (mo.disconnect(), resolve({ domMs: performance.now() - t0 })));
          mo.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        },
        { once: true, capture: true },
      );
    });
  }, name);
  await page.getByTestId('file-input').setInputFiles(path);
  return page.evaluate(() => window.__benchInput);
}

/** Change the label set; ms until the differential shows the new set. */
function relabelTimed(page, value) {
  return page.evaluate(async (value) => {
    const sel = document.querySelector('[data-testid=label-set]');
    const muted = () => document.querySelector('[data-testid=differential] p.muted')?.textContent;
    const before = muted();
    const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set;
    const t0 = performance.now();
    setter.call(sel, value);
    sel.dispatchEvent(new Event('change', { bubbles: true }));
    const check = () => muted() && muted() !== before;
    if (!check())
      await new Promise((resolve) => {
        const mo = new MutationObserver(() => check() && (mo.disconnect(), resolve()));
        mo.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
    const dom = performance.now() - t0;
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return { domMs: dom, frameMs: performance.now() - t0, shown: muted() };
  }, value);
}

async function allLabelNames(page) {
  const btn = page.getByRole('button', { name: /^Show all/ });
  if (await btn.count()) await btn.click();
  const names = await page.getByTestId('diff-item').evaluateAll((els) => els.map((e) => e.querySelector('.ranked-name').textContent));
  const less = page.getByRole('button', { name: /^Show top/ });
  if (await less.count()) await less.click();
  return names;
}


/** Medians of the load breakdowns (`dermlip.loadTimings()`) of several loads. */
function readyParts(list) {
  const med = (xs) => stats(xs.filter((x) => typeof x === 'number')).median;
  const pick = (f) => med(list.map(f));
  return {
    manifestMs: pick((p) => p.manifestMs),
    tablesMs: pick((p) => p.tablesMs),
    runtimeInitMs: pick((p) => p.runtimeInitMs),
    imageFileMs: pick((p) => p.towers?.image?.fileMs),
    imageCreateMs: pick((p) => p.towers?.image?.createMs),
    imageWarmupMs: pick((p) => p.towers?.image?.warmupMs),
    imageTotalMs: pick((p) => p.towers?.image?.totalMs),
    loadTotalMs: pick((p) => p.totalMs),
  };
}

export async function appBench({ sampler, manifest, openReady, runs, skip, photo, photo2, log }) {
  const res = { ready: {}, image: {}, text: {}, e2e: {}, download: {} };
  let names = [];
  const first = await launch(log);
  let { ctx, page } = first;
  const { dir } = first;
  res.chromium = ctx.browser()?.version() ?? null;
  try {
    // --- WASM int8, 2 threads (the default on this machine): cold load, ready from cache, encoders
    sampler.phase('browser-blank'); // Chromium itself, about:blank: the floor under every figure
    await new Promise((r) => setTimeout(r, 2000));
    sampler.phase('app-wasm-int8');
    log('app: int8 x2 threads, first load (download)');
    res.ready['int8-cold'] = r1(await openReady(page, 'backend=wasm&variant=int8&threads=2'));
    const readies = [];
    const parts = [];
    for (let i = 0; i < 5; i++) {
      readies.push(await openReady(page, 'backend=wasm&variant=int8&threads=2'));
      parts.push(await page.evaluate(() => window.dermlip.loadTimings()));
    }
    res.ready['int8-cached'] = stats(readies);
    res.ready['int8-cached-parts'] = readyParts(parts);
    log('app: ready from cache', JSON.stringify(res.ready['int8-cached']), JSON.stringify(res.ready['int8-cached-parts']));
    if (process.env.BENCH_READY_ONLY) return { res, labels: names };
    const info = await page.evaluate(() => window.dermlip.info());
    res.device = { ...info.device, choice: info.choice };
    log('app: image encoder int8 x2', JSON.stringify(info.choice));
    const i8 = await page.evaluate((n) => window.dermlip.timeImageEncoder(n, 2), skip.has('image') ? 1 : runs);
    res.image['int8-t2'] = stats(i8.ms);
    const ref8 = i8.embedding;

    // --- end to end on the 12 MP photo, whole ontology, weights cached
    log('app: end to end, 12 MP photo');
    await page.evaluate(() => window.dermlip.clearEmbeddingCache());
    await openReady(page, 'backend=wasm&variant=int8&threads=2');
    await page.getByTestId('label-set').selectOption('ontology:leaves').catch(() => undefined);
    await putPhoto(page, photo);
    res.e2e.first = await dropTimed(page, 'bench-first.jpg').catch(async (e) => {
      await page.screenshot({ path: join(WORK, 'drop-failure.png') });
      const text = await page.evaluate(async () => {
        const t = await Promise.race([window.dermlip.loadTimings().then((x) => JSON.stringify(x)), new Promise((r) => setTimeout(() => r('model load still pending after 5 s'), 5000))]);
        return `${document.body.innerText.slice(0, 2000)}\nload: ${t}`;
      });
      throw new Error(`${e.message}\npage text: ${text}`);
    });
    // the first photo must have run the model (its caption says so), or the figure means nothing
    if (!/encoded now/.test(res.e2e.first.caption)) throw new Error(`the first photo did not run the image model: "${res.e2e.first.caption}"`);
    const repeats = [];
    for (let i = 0; i < 5; i++) repeats.push(await dropTimed(page, `bench-repeat-${i}.jpg`));
    res.e2e.repeatRuns = repeats.map((r) => ({ caseMs: r1(r.caseMs), domMs: r1(r.domMs) }));
    res.e2e.repeatDrop = { ...stats(repeats.map((r) => r.domMs)), frame: stats(repeats.map((r) => r.frameMs)), caption: repeats[0].caption };
    const picked = [];
    for (let i = 0; i < 5; i++) {
      const path = join(WORK, `repeat-${i}.jpg`);
      copyFileSync(photo, path);
      picked.push((await inputTimed(page, path, `repeat-${i}.jpg`)).domMs);
    }
    res.e2e.repeat = stats(picked);
    log('app: repeat (file input / drop)', JSON.stringify(res.e2e.repeat), JSON.stringify(res.e2e.repeatDrop));
    names = await allLabelNames(page);
    res.e2e.labels = names.length;
    const rr = [];
    const cold = await relabelTimed(page, 'preset:ham');
    rr.push(await relabelTimed(page, 'ontology:leaves'));
    for (let i = 0; i < 4; i++) {
      rr.push(await relabelTimed(page, 'preset:ham'));
      rr.push(await relabelTimed(page, 'ontology:leaves'));
    }
    res.e2e.rerankFirst = cold;
    res.e2e.rerank = { ...stats(rr.map((r) => r.domMs)), frame: stats(rr.map((r) => r.frameMs)) };
    // decode + preprocess + encode of the 12 MP photo, cache cleared each time (console API path)
    const paths = [];
    for (let i = 0; i < 3; i++) {
      paths.push(
        await page.evaluate(async () => {
          await window.dermlip.clearEmbeddingCache();
          const url = URL.createObjectURL(new Blob([window.__benchPhoto], { type: 'image/jpeg' }));
          const t0 = performance.now();
          const r = await window.dermlip.embedImageUrl(url);
          return { totalMs: performance.now() - t0, ...r.ms, fromCache: r.fromCache };
        }),
      );
    }
    res.e2e.photoPath = { ...stats(paths.map((p) => p.totalMs)), preprocess: stats(paths.map((p) => p.preprocess)), encode: stats(paths.map((p) => p.encode)) };

    // --- memory of one user session alone in the browser: Chromium closed and started again on the
    // same profile (weights cached; nothing the earlier phases left in memory), 3 s on about:blank,
    // then open the app, pick a new 12 MP photo from disk, wait for its differential.
    await ctx.close();
    ({ ctx, page } = await launch(log, { dir }));
    await page.goto('about:blank');
    await new Promise((r) => setTimeout(r, 3000));
    sampler.phase('app-session-int8');
    await openReady(page, 'backend=wasm&variant=int8&threads=2');
    res.e2e.sessionPhoto = r1((await inputTimed(page, photo2, 'photo2-12mp.jpg')).domMs);
    await new Promise((r) => setTimeout(r, 1000));
    sampler.phase('app-after-session');

    // --- text encoder: batches of 8, and 400 new labels trimmed vs padded to 77
    if (!skip.has('text')) {
    sampler.phase('app-wasm-int8-text');
    log('app: text encoder');
    const prefixes = ['a dermatoscopic photo of', 'a clinical image showing', 'close-up of skin with', 'a patient photo of'];
    const prompts = Array.from({ length: 400 }, (_, i) => `${prefixes[i % 4]} ${names[i % names.length]}`);
    const t8 = await page.evaluate((p) => window.dermlip.timeTextEncoder(p, { batch: 8 }), prompts.slice(0, 8 * (runs + 1)));
    res.text['int8-b8-trim'] = stats(t8.ms.slice(1));
    const t8p = await page.evaluate((p) => window.dermlip.timeTextEncoder(p, { batch: 8, pad: true }), prompts.slice(0, 8 * (Math.min(runs, 5) + 1)));
    res.text['int8-b8-pad77'] = stats(t8p.ms.slice(1));
    if (!skip.has('text400')) {
      // trimmed: the app's own path (embedTexts, shipped table and cache bypassed)
      const trim = await page.evaluate(async (p) => {
        const t0 = performance.now();
        await window.dermlip.embedPromptsFresh(p);
        return { totalMs: performance.now() - t0 };
      }, prompts);
      const pad = await page.evaluate((p) => window.dermlip.timeTextEncoder(p, { pad: true }), prompts);
      res.text['400-trim'] = r1(trim.totalMs);
      res.text['400-pad77'] = r1(pad.totalMs);
    }
    }

    // --- other variants and threads
    const variant = async (key, q, phase) => {
      if (skip.has(phase)) return null;
      sampler.phase(`app-${key}`);
      log(`app: ${key}`);
      res.ready[`${key}-cold`] = r1(await openReady(page, q));
      const r = await page.evaluate((n) => window.dermlip.timeImageEncoder(n, 2), runs);
      res.image[key] = stats(r.ms);
      return r;
    };
    await variant('int8-t1', 'backend=wasm&variant=int8&threads=1', 'threads1');
    const f32 = await variant('fp32-t2', 'backend=wasm&variant=fp32&threads=2', 'fp32');
    const q4 = await variant('q4-t2', 'backend=wasm&variant=q4&threads=2', 'q4');
    if (f32) res.image.cosine = { int8VsFp32: cosine(ref8, f32.embedding), ...(q4 ? { q4VsFp32: cosine(q4.embedding, f32.embedding) } : {}) };

    if (!skip.has('webgpu')) {
      sampler.phase('app-webgpu');
      log('app: WebGPU (software adapter) correctness');
      try {
        await openReady(page, 'backend=webgpu&variant=fp32', 300_000);
        const gi = await page.evaluate(() => window.dermlip.info());
        const g = await page.evaluate(() => window.dermlip.timeImageEncoder(1, 0));
        res.webgpu = { choice: gi.choice, adapter: gi.device?.adapter ?? null, msOneRun: r1(g.ms[0]), cosineVsWasmFp32: f32 ? cosine(g.embedding, f32.embedding) : null };
      } catch (e) {
        res.webgpu = { error: String(e.message ?? e).slice(0, 300) };
      }
    }
  } finally {
    await ctx.close();
    sampler.phase('idle');
    rmSync(dir, { recursive: true, force: true });
  }
  // download bytes per variant: every file the variant needs (both towers + shared files)
  const shared = [manifest.tokenizer.file, manifest.textEmbeddings.file, manifest.textEmbeddings.prompts].reduce((s, f) => s + manifest.files[f].bytes, 0);
  for (const [v, spec] of Object.entries(manifest.variants)) {
    const bytesOf = (...files) => files.filter(Boolean).reduce((n, f) => n + manifest.files[f].bytes, 0);
    const image = bytesOf(spec.image, spec.imageData);
    const text = bytesOf(spec.text, spec.textData);
    res.download[v] = { image, text, shared, total: image + text + shared };
  }
  return { res, labels: names };
}
