// `npm run bench`: the app (built, served by vite preview, headless Chromium, its real worker)
// against onnxruntime-node and transformers.js, in one run. Writes bench/results/<date>-<host>.json
// and the latest table in BENCHMARKS.md. See BENCHMARKS.md for what each row measures.
//
// env: BENCH_PORT (4310; transformers.js page on +1), BENCH_RUNS (10), BENCH_SKIP (comma list of
// node,app,image,text,threads1,fp32,q4,webgpu,text400,tjs,convert,toolchain,panderm,panderm-node), BENCH_NO_BUILD=1, BENCH_NO_WRITE=1 (dev runs),
// BENCH_READY_ONLY=1 (stop after the ready-from-cache loads), BENCH_BUNDLE_NAME (another bundle under
// public/models, for A/B of bundle layouts; default demo-full).
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSampler } from './memory.mjs';
import { ensureTjsLayout, launch, tjsServer, waitHttp, waitModelReady, WORK } from './browser.mjs';
import { cosine, stats } from './stats.mjs';
import { writeReport, writeSection } from './report.mjs';
import { convertBench, renderConvert } from './convert.mjs';
import { BUNDLE, ensureFullBundle, ensurePandermBundle } from './bundle.mjs';
import { pandermBench, renderPanderm } from './panderm.mjs';
import { benchPackageDir, ensureBenchDeps } from './deps.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PORT = Number(process.env.BENCH_PORT ?? 4310);
const TJS_PORT = PORT + 1;
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
/** The phases that write results (BENCH_SKIP may name finer steps too). */
const PHASES = ['node', 'app', 'tjs', 'panderm', 'convert'];
const PHOTO = join(WORK, 'photo-12mp.jpg');
// a second 12 MP photo, never seen by the app before the session-memory phase
const PHOTO2 = join(WORK, 'photo2-12mp.jpg');
// built apart from dist/ so a bench never rewrites what the e2e tests are serving
const DIST = process.env.BENCH_DIST ?? join(WORK, 'dist');
const SRC_PHOTO = join(ROOT, 'fixtures/photos/ISIC_0012221.jpg');
const PY = '/usr/bin/python3';
const started = Date.now();
const log = (...a) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s]`, ...a);
const r1 = (x) => (x == null ? null : Math.round(x * 10) / 10);

function loadavg() {
  return os.loadavg().map((x) => +x.toFixed(2));
}

function prepare() {
  mkdirSync(WORK, { recursive: true });
  ensureFullBundle(log);
  if (!SKIP.has('panderm')) ensurePandermBundle(log);
  if (!SKIP.has('tjs')) ensureBenchDeps(log);
  if (!existsSync(PHOTO)) execFileSync(PY, ['bench/make_photo.py', SRC_PHOTO, PHOTO], { cwd: ROOT, stdio: 'inherit' });
  if (!existsSync(PHOTO2)) execFileSync(PY, ['bench/make_photo.py', join(ROOT, 'fixtures/photos/ISIC_0012222.jpg'), PHOTO2], { cwd: ROOT, stdio: 'inherit' });
  ensureTjsLayout(BUNDLE, log);
  if (!process.env.BENCH_NO_BUILD) {
    log('vite build');
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', DIST, '--emptyOutDir'], { cwd: ROOT, stdio: 'inherit' });
  }
}

function nodeBaseline() {
  log('onnxruntime-node baseline');
  const rows = 'int8-t2,int8-t1,fp32-t2,q4-t2,int8-b8-trim,int8-b8-pad77';
  const out = execFileSync('node', ['bench/ort-node.mjs', BUNDLE, String(RUNS), rows], { cwd: ROOT, maxBuffer: 1 << 20 });
  return JSON.parse(out.toString().trim().split('\n').pop());
}

// ---------------------------------------------------------------- the app, in Chromium

const appUrl = (q, bundle = `/models/${process.env.BENCH_BUNDLE_NAME ?? 'demo-full'}`) => `http://127.0.0.1:${PORT}/?debug=1&bundle=${bundle}&${q}`;

/** Navigate and wait for the model status "ready"; ms from navigation start (page clock). */
async function openReady(page, q, timeout = 240_000, bundle = undefined) {
  await page.goto(appUrl(q, bundle));
  return waitModelReady(page, timeout);
}

async function putPhoto(page) {
  const b64 = readFileSync(PHOTO).toString('base64');
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

async function appBench(sampler, manifest) {
  const res = { ready: {}, image: {}, text: {}, e2e: {}, download: {} };
  let names = [];
  const { ctx, dir, page } = await launch(log);
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
    const i8 = await page.evaluate((n) => window.dermlip.timeImageEncoder(n, 2), SKIP.has('image') ? 1 : RUNS);
    res.image['int8-t2'] = stats(i8.ms);
    const ref8 = i8.embedding;

    // --- end to end on the 12 MP photo, whole ontology, weights cached
    log('app: end to end, 12 MP photo');
    await page.evaluate(() => window.dermlip.clearEmbeddingCache());
    await openReady(page, 'backend=wasm&variant=int8&threads=2');
    await page.getByTestId('label-set').selectOption('ontology:leaves').catch(() => undefined);
    await putPhoto(page);
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
      copyFileSync(PHOTO, path);
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

    // --- memory of one user session alone in the browser: the previous pages gone, open the app
    // (weights cached), pick a new 12 MP photo from disk, wait for its differential.
    await page.goto('about:blank');
    await new Promise((r) => setTimeout(r, 3000));
    sampler.phase('app-session-int8');
    await openReady(page, 'backend=wasm&variant=int8&threads=2');
    res.e2e.sessionPhoto = r1((await inputTimed(page, PHOTO2, 'photo2-12mp.jpg')).domMs);
    await new Promise((r) => setTimeout(r, 1000));
    sampler.phase('app-after-session');

    // --- text encoder: batches of 8, and 400 new labels trimmed vs padded to 77
    if (!SKIP.has('text')) {
    sampler.phase('app-wasm-int8-text');
    log('app: text encoder');
    const prefixes = ['a dermatoscopic photo of', 'a clinical image showing', 'close-up of skin with', 'a patient photo of'];
    const prompts = Array.from({ length: 400 }, (_, i) => `${prefixes[i % 4]} ${names[i % names.length]}`);
    const t8 = await page.evaluate((p) => window.dermlip.timeTextEncoder(p, { batch: 8 }), prompts.slice(0, 8 * (RUNS + 1)));
    res.text['int8-b8-trim'] = stats(t8.ms.slice(1));
    const t8p = await page.evaluate((p) => window.dermlip.timeTextEncoder(p, { batch: 8, pad: true }), prompts.slice(0, 8 * (Math.min(RUNS, 5) + 1)));
    res.text['int8-b8-pad77'] = stats(t8p.ms.slice(1));
    if (!SKIP.has('text400')) {
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
      if (SKIP.has(phase)) return null;
      sampler.phase(`app-${key}`);
      log(`app: ${key}`);
      res.ready[`${key}-cold`] = r1(await openReady(page, q));
      const r = await page.evaluate((n) => window.dermlip.timeImageEncoder(n, 2), RUNS);
      res.image[key] = stats(r.ms);
      return r;
    };
    await variant('int8-t1', 'backend=wasm&variant=int8&threads=1', 'threads1');
    const f32 = await variant('fp32-t2', 'backend=wasm&variant=fp32&threads=2', 'fp32');
    const q4 = await variant('q4-t2', 'backend=wasm&variant=q4&threads=2', 'q4');
    if (f32) res.image.cosine = { int8VsFp32: cosine(ref8, f32.embedding), ...(q4 ? { q4VsFp32: cosine(q4.embedding, f32.embedding) } : {}) };

    if (!SKIP.has('webgpu')) {
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

// ---------------------------------------------------------------- transformers.js, in Chromium

async function tjsBench(sampler, labels, template) {
  const server = await tjsServer({ port: TJS_PORT, photo: PHOTO, small: SRC_PHOTO });
  const { ctx, dir, page } = await launch(log);
  const res = {};
  try {
    sampler.phase('tjs');
    await page.goto(`http://127.0.0.1:${TJS_PORT}/`);
    await page.waitForFunction(() => window.tjsReady === true, null, { timeout: 60_000 });
    res.version = await page.evaluate(() => window.tjs.version);
    log('transformers.js: vision model q8');
    res.loadVisionMs = r1(await page.evaluate(() => window.tjs.loadVision('q8')));
    res.vision = stats(await page.evaluate((n) => window.tjs.visionOnly(n, 2), RUNS));
    const paths = [];
    for (let i = 0; i < 3; i++) paths.push(await page.evaluate(() => window.tjs.photoPath('/photo.jpg')));
    res.photoPath = { ...stats(paths.map((p) => p.totalMs)), read: stats(paths.map((p) => p.readMs)), preprocess: stats(paths.map((p) => p.preprocessMs)), encode: stats(paths.map((p) => p.encodeMs)) };
    await page.evaluate(() => window.tjs.dispose());
    log(`transformers.js: zero-shot pipeline q8, ${labels.length} labels`);
    res.loadPipelineMs = r1(await page.evaluate(() => window.tjs.loadPipeline('q8')));
    await page.evaluate(() => window.tjs.classify('/small.jpg', ['a', 'b'], 'This is a skin image of {}'));
    const call = await page.evaluate(({ labels, template }) => window.tjs.classify('/photo.jpg', labels, template), { labels, template });
    res.pipeline = { ms: r1(call.ms), labels: labels.length, template, top: call.top };
  } catch (e) {
    res.error = String(e.message ?? e).slice(0, 500);
  } finally {
    await ctx.close();
    sampler.phase('idle');
    rmSync(dir, { recursive: true, force: true });
    server.close();
  }
  return res;
}

// ---------------------------------------------------------------- main

function versions() {
  const dir = (p) => (p === '@huggingface/transformers' ? benchPackageDir(p) : join(ROOT, 'node_modules', p));
  const v = (p) => (existsSync(join(dir(p), 'package.json')) ? JSON.parse(readFileSync(join(dir(p), 'package.json'), 'utf8')).version : null);
  const nested = [join(benchPackageDir('@huggingface/transformers'), 'node_modules/onnxruntime-web/package.json'), join(benchPackageDir('onnxruntime-web'), 'package.json')].find(existsSync);
  return {
    node: process.version,
    'onnxruntime-web (app)': v('onnxruntime-web'),
    'onnxruntime-node': v('onnxruntime-node'),
    '@huggingface/transformers': v('@huggingface/transformers'),
    'onnxruntime-web (transformers.js)': nested ? JSON.parse(readFileSync(nested, 'utf8')).version : null,
    git: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim(),
  };
}

async function main() {
  const load0 = loadavg();
  log('load average', load0.join(' '));
  prepare();
  const manifest = JSON.parse(readFileSync(join(BUNDLE, 'manifest.json'), 'utf8'));
  const result = {
    date: new Date().toISOString(),
    command: 'npm run bench',
    machine: { host: os.hostname(), cpu: os.cpus()[0]?.model, cores: os.cpus().length, memGB: Math.round(os.totalmem() / 2 ** 30), os: `${os.type()} ${os.release()}` },
    versions: versions(),
    runs: RUNS,
    loadavg: { start: load0 },
  };
  result.node = SKIP.has('node') ? null : nodeBaseline();
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', '--outDir', DIST], { cwd: ROOT, stdio: 'ignore', detached: true });
  const sampler = startSampler(250);
  let appLabels = [];
  try {
    await waitHttp(`http://127.0.0.1:${PORT}/`);
    if (!SKIP.has('app')) {
      const { res, labels } = await appBench(sampler, manifest);
      result.app = res;
      appLabels = labels;
    }
    if (!SKIP.has('tjs')) {
      const labels = appLabels.length ? appLabels : ['melanoma', 'nevus', 'seborrheic keratosis', 'basal cell carcinoma'];
      result.tjs = await tjsBench(sampler, labels, 'This is a skin image of {}');
    }
    // DermLIP-PanDerm (full-size fixture): both towers, int8 and fp32, vs onnxruntime-node.
    if (!SKIP.has('panderm')) result.panderm = await pandermBench({ runs: RUNS, sampler, log, launch: () => launch(log), openReady, skipNode: SKIP.has('panderm-node') });
    // Real weights converted in the browser (full size) vs the Python toolchain's export.
    if (!SKIP.has('convert')) result.convert = await convertBench({ port: PORT, sampler, log, skipToolchain: SKIP.has('toolchain') });
  } finally {
    result.memory = sampler.stop();
    try {
      process.kill(-server.pid);
    } catch {
      /* already gone */
    }
  }
  result.loadavg.end = loadavg();
  result.wallSeconds = Math.round((Date.now() - started) / 1000);
  if (!process.env.BENCH_NO_WRITE) {
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    // A run with phases skipped keeps the last full run's file and table.
    const file = join(ROOT, 'bench/results', `${result.date.slice(0, 10)}-${os.hostname()}${SKIP.size ? `-only-${[...PHASES].filter((p) => !SKIP.has(p)).join('-')}` : ''}.json`);
    writeFileSync(file, JSON.stringify(result, null, 1) + '\n');
    if (result.app && result.node) writeReport(join(ROOT, 'BENCHMARKS.md'), result);
    if (result.panderm) writeSection(join(ROOT, 'BENCHMARKS.md'), 'panderm', 'DermLIP-PanDerm (latest run)', `Command: \`npm run bench\` · ${result.date} · load average at start ${result.loadavg.start.join(' ')}, end ${result.loadavg.end.join(' ')}\n\n${renderPanderm(result.panderm, result.memory)}`);
    if (result.convert) writeSection(join(ROOT, 'BENCHMARKS.md'), 'convert', 'Real-weights conversion in the browser (latest run)', `Command: \`npm run bench\` · ${result.date}\n\n${renderConvert(result.convert)}`);
    log(`wrote ${file} and BENCHMARKS.md`);
  } else console.log(JSON.stringify(result, null, 1));
  log(`done in ${result.wallSeconds} s`);
}

await main();
