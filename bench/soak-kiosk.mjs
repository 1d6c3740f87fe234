// `npm run soak`: kiosk mode all day. Builds the app if dist/ is missing, serves it with vite
// preview on a free port, opens /kiosk in headless Chromium (fresh profile), sets the kiosk up, then
// feeds PHOTOS distinct photos through the visitor flow (dropped in, result on screen, Done) and
// records memory every EVERY photos: PSS of all Chromium processes (bench/memory.mjs), before and
// after a forced GC of the page, the page's JS heap, DOM nodes and listeners, and the live object
// URLs. Prints a table, writes bench/results/soak-kiosk-<date>-<host>.json and the "Kiosk soak"
// section of BENCHMARKS.md (both rewritten at every checkpoint while running, marked partial), and
// fails (exit 1) when memory or live objects grow between the first checkpoint and the last.
//
// Options (env): SOAK_PHOTOS (500), SOAK_EVERY (50), SOAK_BUNDLE (/models/demo-tiny),
// SOAK_BUILD=1 (build even if dist/ exists), SOAK_MAX_GROWTH_MB (100), BENCH_PORT (a free port when unset),
// SOAK_DIST (serve this built copy of the app instead of dist/, e.g. while dist/ is rebuilt for e2e).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { waitHttp } from './browser.mjs';
import { chromiumPss } from './memory.mjs';
import { syntheticPhoto } from './photos.mjs';
import { writeSection } from './report.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PHOTOS = Number(process.env.SOAK_PHOTOS ?? 500);
const EVERY = Number(process.env.SOAK_EVERY ?? 50);
const BUNDLE = process.env.SOAK_BUNDLE ?? '/models/demo-tiny';
const MAX_GROWTH_MB = Number(process.env.SOAK_MAX_GROWTH_MB ?? 100);
const REAL = ['fixtures/photos/ISIC_0012221.jpg', 'fixtures/photos/ISIC_0012222.jpg'].map((p) => ({ name: p.split('/').pop(), mimeType: 'image/jpeg', buffer: readFileSync(join(ROOT, p)) }));
const t0 = Date.now();
const log = (...a) => console.log(`[soak ${((Date.now() - t0) / 1000).toFixed(0)}s]`, ...a);
const mb = (b) => +(b / 2 ** 20).toFixed(1);

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** Photo i: every 10th a real 3008x2000 dermoscopy JPEG (the large-photo path), else a distinct synthetic PNG. */
function photo(i) {
  if (i % 10 === 0) return { ...REAL[(i / 10) % 2], name: `visitor-${i}.jpg` };
  return { name: `visitor-${i}.png`, mimeType: 'image/png', buffer: syntheticPhoto(i, 1024, 768) };
}

/**
 * Drop the photo on the intake, as a drag from the desktop does. (Not Playwright's setInputFiles:
 * it keeps a DevTools handle on every file input it fills, which holds each detached attract
 * screen alive, images included: a harness leak of ~17 MB per photo, measured with a heap snapshot.)
 */
async function dropPhoto(page, p) {
  await page.evaluate(
    ({ b64, name, type }) => {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bin], name, { type }));
      document.querySelector('[data-testid=dropzone]').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { b64: p.buffer.toString('base64'), name: p.name, type: p.mimeType },
  );
}

async function measure(page, cdp, n, msPerPhoto) {
  const pss = chromiumPss().bytes;
  await cdp.send('HeapProfiler.collectGarbage');
  await page.waitForTimeout(500);
  const pssGc = chromiumPss();
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  const urls = await page.evaluate(() => window.__liveUrls.size);
  return { photos: n, pssMB: mb(pss), pssAfterGcMB: mb(pssGc.bytes), processes: pssGc.processes, jsHeapMB: mb(heap.usedSize), domNodes: dom.nodes, listeners: dom.jsEventListeners, liveObjectUrls: urls, msPerPhoto };
}

function table(rows) {
  const cols = ['photos', 'pssMB', 'pssAfterGcMB', 'jsHeapMB', 'domNodes', 'listeners', 'liveObjectUrls', 'msPerPhoto'];
  const names = { photos: 'photos', pssMB: 'PSS MB (all Chromium processes)', pssAfterGcMB: 'PSS MB after GC', jsHeapMB: 'JS heap MB', domNodes: 'DOM nodes', listeners: 'listeners', liveObjectUrls: 'live object URLs', msPerPhoto: 'ms/photo' };
  const out = [cols.map((c) => names[c]).join(' | '), cols.map(() => '---').join(' | ')];
  for (const r of rows) out.push(cols.map((c) => r[c] ?? '').join(' | '));
  return out.join('\n');
}

async function storedRecords(page) {
  return page.evaluate(async () => {
    let idb = 0;
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((res, rej) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      for (const s of Array.from(db.objectStoreNames)) idb += await new Promise((res) => (db.transaction(s).objectStore(s).count().onsuccess = (e) => res(e.target.result)));
      db.close();
    }
    let cached = 0;
    const cacheKeys = [];
    for (const k of await caches.keys()) {
      const reqs = await (await caches.open(k)).keys();
      cached += reqs.length;
      for (const r of reqs) cacheKeys.push(`${k} ${r.url}`);
    }
    let opfs = 0;
    for await (const _ of (await navigator.storage.getDirectory()).keys()) opfs++;
    return { idb, cached, opfs, cacheKeys };
  });
}

const machine = () => ({ host: os.hostname(), cpu: os.cpus()[0]?.model, cores: os.cpus().length, memGB: Math.round(os.totalmem() / 2 ** 30), loadavg: os.loadavg() });
const partialFile = join(ROOT, 'bench/results', `soak-kiosk-partial-${os.hostname()}.json`);

const startLoad = os.loadavg();
const command = () => {
  const env = ['SOAK_PHOTOS', 'SOAK_EVERY', 'SOAK_BUNDLE'].filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]}`);
  return [...env, 'npm run soak'].join(' ');
};

/** The BENCHMARKS.md section: command, date, machine, load, the curve and the verdict. */
function writeBenchmarks(rows, done, verdict, failures) {
  const load = (l) => l.map((x) => x.toFixed(2)).join(' ');
  const m = machine();
  const head = `Command: \`${command()}\` · ${new Date().toISOString()} · ${m.host} (${m.cpu}, ${m.cores} cores, ${m.memGB} GB) · bundle ${BUNDLE} · load average ${load(startLoad)} at the start, ${load(m.loadavg)} at the end · ${Math.round((Date.now() - t0) / 1000)} s`;
  const status = verdict
    ? `Verdict: ${failures.length ? `FAILED (${failures.join('; ')})` : 'no growth'}. PSS after GC ${verdict.pssGrowthMB >= 0 ? '+' : ''}${verdict.pssGrowthMB} MB, JS heap ${verdict.jsHeapGrowthMB >= 0 ? '+' : ''}${verdict.jsHeapGrowthMB} MB, DOM nodes ${verdict.domNodeGrowth >= 0 ? '+' : ''}${verdict.domNodeGrowth} from photo ${rows[1]?.photos ?? 0} to ${rows.at(-1).photos}; live object URLs ${verdict.liveObjectUrlGrowth >= 0 ? '+' : ''}${verdict.liveObjectUrlGrowth} from the start; stored records before ${JSON.stringify(verdict.storedBefore)}, after ${JSON.stringify(verdict.storedAfter)}; ${verdict.errors} photo errors.`
    : `PARTIAL: ${done} of ${PHOTOS} photos so far (the section is rewritten at every checkpoint; a run that stops here was cut short).`;
  writeSection(join(ROOT, 'BENCHMARKS.md'), 'soak', 'Kiosk soak', `${head}\n\n${table(rows)}\n\n${status}`);
}

/** The curve so far, rewritten at every checkpoint (a run cut short still leaves its figures); removed when the run completes. */
function writePartial(rows, done) {
  mkdirSync(dirname(partialFile), { recursive: true });
  writeFileSync(partialFile, JSON.stringify({ date: new Date().toISOString(), command: command(), partial: true, done, of: PHOTOS, machine: machine(), startLoadavg: startLoad, bundle: BUNDLE, wallSeconds: Math.round((Date.now() - t0) / 1000), rows }, null, 1) + '\n');
  writeBenchmarks(rows, done, null, []);
}

async function main() {
  if (process.env.SOAK_BUILD || !existsSync(join(ROOT, 'dist/index.html'))) {
    log('vite build');
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  }
  const port = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : await freePort();
  const base = `http://127.0.0.1:${port}`;
  const outDir = process.env.SOAK_DIST ? ['--outDir', resolve(process.env.SOAK_DIST)] : [];
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', ...outDir], { cwd: ROOT, stdio: 'ignore', detached: true });
  const profile = mkdtempSync(join(os.tmpdir(), 'dermlip-soak-'));
  let ctx;
  try {
    await waitHttp(`${base}/`);
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1920, height: 1080 },
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.on('pageerror', (e) => log('page error:', e.message.slice(0, 300)));
    // Live object URLs, counted in the page (created minus revoked).
    await page.addInitScript(() => {
      const live = new Set();
      window.__liveUrls = live;
      const create = URL.createObjectURL.bind(URL);
      const revoke = URL.revokeObjectURL.bind(URL);
      URL.createObjectURL = (o) => {
        const u = create(o);
        live.add(u);
        return u;
      };
      URL.revokeObjectURL = (u) => {
        live.delete(u);
        revoke(u);
      };
    });
    await page.goto(`${base}/kiosk?backend=wasm&bundle=${encodeURIComponent(BUNDLE)}`);
    await page.getByTestId('model-status').and(page.locator('[data-phase=ready]')).waitFor({ timeout: 240_000 });
    await page.getByTestId('kiosk-pin').fill('2468');
    await page.getByTestId('kiosk-pin-confirm').fill('2468');
    await page.getByTestId('kiosk-idle').fill('3600');
    await page.getByTestId('kiosk-start').click();
    await page.getByRole('button', { name: 'choose a file' }).waitFor({ timeout: 240_000 });
    const cdp = await ctx.newCDPSession(page);
    // The service worker precaches the app in the background on a first visit: wait until it is
    // active (its install, the precache, is complete), so the baseline does not count files still arriving.
    const swEnd = Date.now() + 120_000;
    while ((await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state ?? 'none')) !== 'activated') {
      if (Date.now() > swEnd) throw new Error('the service worker did not activate within 120 s');
      await page.waitForTimeout(500);
    }
    const { cacheKeys: keysBefore, ...storedBefore } = await storedRecords(page);
    const rows = [await measure(page, cdp, 0, null)];
    log(`baseline: PSS ${rows[0].pssAfterGcMB} MB after GC`);
    let errors = 0;
    let since = Date.now();
    for (let i = 1; i <= PHOTOS; i++) {
      await dropPhoto(page, photo(i));
      const result = page.getByTestId('kiosk-result');
      await result.and(page.locator('[data-phase=ready], [data-phase=error]')).waitFor({ timeout: 120_000 });
      if ((await result.getAttribute('data-phase')) === 'error') {
        errors++;
        log(`photo ${i}: ${await page.getByTestId('kiosk-error').textContent()}`);
      } else await page.getByTestId('model-diff-item').first().waitFor();
      await page.getByTestId('kiosk-done').click();
      await page.getByTestId('kiosk-attract').waitFor();
      if (i % EVERY === 0) {
        const ms = Math.round((Date.now() - since) / EVERY);
        rows.push(await measure(page, cdp, i, ms));
        const r = rows.at(-1);
        writePartial(rows, i);
        log(`${i} photos: PSS ${r.pssMB} MB (${r.pssAfterGcMB} after GC), JS heap ${r.jsHeapMB} MB, ${r.domNodes} DOM nodes, ${r.liveObjectUrls} live object URLs, ${ms} ms/photo`);
        since = Date.now();
      }
    }
    const { cacheKeys: keysAfter, ...storedAfter } = await storedRecords(page);
    const cacheAdded = keysAfter.filter((k) => !keysBefore.includes(k));
    const cacheRemoved = keysBefore.filter((k) => !keysAfter.includes(k));
    const first = rows[1] ?? rows[0];
    const last = rows.at(-1);
    const growth = +(last.pssAfterGcMB - first.pssAfterGcMB).toFixed(1);
    const verdict = {
      pssGrowthMB: growth,
      jsHeapGrowthMB: +(last.jsHeapMB - first.jsHeapMB).toFixed(1),
      domNodeGrowth: last.domNodes - first.domNodes,
      liveObjectUrlGrowth: last.liveObjectUrls - rows[0].liveObjectUrls,
      storedBefore,
      storedAfter,
      cacheAdded: cacheAdded.slice(0, 50),
      cacheRemoved: cacheRemoved.slice(0, 50),
      errors,
    };
    const failures = [];
    if (growth > MAX_GROWTH_MB) failures.push(`PSS after GC grew ${growth} MB from photo ${first.photos} to ${last.photos} (limit ${MAX_GROWTH_MB})`);
    if (verdict.liveObjectUrlGrowth > 0) failures.push(`${verdict.liveObjectUrlGrowth} object URLs were never revoked`);
    if (verdict.domNodeGrowth > 500) failures.push(`the DOM grew by ${verdict.domNodeGrowth} nodes`);
    if (JSON.stringify(storedBefore) !== JSON.stringify(storedAfter) || cacheAdded.length || cacheRemoved.length)
      failures.push(`storage changed: ${JSON.stringify(storedBefore)} -> ${JSON.stringify(storedAfter)}; Cache Storage added ${JSON.stringify(cacheAdded.slice(0, 10))}, removed ${JSON.stringify(cacheRemoved.slice(0, 10))}`);
    if (errors) failures.push(`${errors} photos gave an error`);
    const result = {
      date: new Date().toISOString(),
      command: command(),
      machine: machine(),
      startLoadavg: startLoad,
      bundle: BUNDLE,
      photos: PHOTOS,
      every: EVERY,
      wallSeconds: Math.round((Date.now() - t0) / 1000),
      rows,
      verdict,
      failures,
    };
    console.log(`\n${table(rows)}\n`);
    console.log(JSON.stringify(verdict));
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    const file = join(ROOT, 'bench/results', `soak-kiosk-${result.date.slice(0, 10)}-${os.hostname()}.json`);
    writeFileSync(file, JSON.stringify(result, null, 1) + '\n');
    rmSync(partialFile, { force: true });
    writeBenchmarks(rows, PHOTOS, verdict, failures);
    log(`wrote ${file} in ${result.wallSeconds} s`);
    if (failures.length) {
      console.error(`FAILED:\n- ${failures.join('\n- ')}`);
      process.exitCode = 1;
    }
  } finally {
    await ctx?.close().catch(() => undefined);
    try {
      process.kill(-server.pid);
    } catch {
      /* already gone */
    }
    rmSync(profile, { recursive: true, force: true });
  }
}

await main();
