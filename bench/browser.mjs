// Shared by the benches: headless Chromium with a fresh profile, waiting for a server, and the
// transformers.js page's server (bench/tjs, with the layout bench/tjs_model.py writes).
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { chromium } from '@playwright/test';
import { ROOT } from './bundle.mjs';
import { benchPackageDir, ensureBenchDeps } from './deps.mjs';

export const WORK = join(ROOT, 'bench/.work');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Chromium with a fresh profile (its directory is `dir`; remove it after ctx.close()), or with the
 * profile in `opts.dir` (a second launch on a profile a first one filled); `opts.args` are added.
 */
export async function launch(log = console.log, opts = {}) {
  const dir = opts.dir ?? mkdtempSync(join(os.tmpdir(), 'dermlip-bench-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-unsafe-webgpu', ...(opts.args ?? [])],
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  // the app's own errors belong in the bench log (a hang is otherwise silent)
  page.on('console', (m) => m.type() === 'error' && !m.text().includes('[W:onnxruntime') && log('page console error:', m.text().slice(0, 500)));
  page.on('pageerror', (e) => log('page error:', e.message.slice(0, 500)));
  return { ctx, dir, page };
}

export async function waitHttp(url, ms = 60_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not come up`);
}

/** Writes the transformers.js layout of a bundle under bench/.work/tjs/demo-full (when its manifest changed). */
export function ensureTjsLayout(bundle, log = console.log) {
  const tjsDir = join(WORK, 'tjs/demo-full');
  const stamp = join(tjsDir, 'manifest.sha');
  const sha = execFileSync('sha256sum', [join(bundle, 'manifest.json')]).toString().split(' ')[0];
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== sha) {
    log('writing the transformers.js layout of', bundle);
    execFileSync('/usr/bin/python3', ['bench/tjs_model.py', bundle, tjsDir, 'int8'], { cwd: ROOT, stdio: 'inherit' });
    writeFileSync(stamp, sha);
  }
}

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.json': 'application/json', '.wasm': 'application/wasm', '.jpg': 'image/jpeg' };

/**
 * The transformers.js page (bench/tjs) with its library, its onnxruntime-web, the model layout,
 * /photo.jpg and /small.jpg, and /photos/<name> from `photosDir` when given.
 */
export function tjsServer({ port, photo, small, photosDir }) {
  // transformers.js and its own onnxruntime-web, from the bench-only packages (bench/deps.mjs).
  ensureBenchDeps();
  const tdist = join(benchPackageDir('@huggingface/transformers'), 'dist');
  const odist = [join(benchPackageDir('@huggingface/transformers'), 'node_modules/onnxruntime-web/dist'), join(benchPackageDir('onnxruntime-web'), 'dist')].find(existsSync);
  const routes = [
    ['/tjs/ort/', odist],
    ['/tjs/', tdist],
    ['/models/', join(WORK, 'tjs')],
    ['/bench/', join(ROOT, 'bench/tjs')],
    ...(photosDir ? [['/photos/', photosDir]] : []),
  ];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = null;
    if (path === '/') file = join(ROOT, 'bench/tjs/index.html');
    else if (path === '/photo.jpg') file = photo;
    else if (path === '/small.jpg') file = small;
    else
      for (const [prefix, dir] of routes)
        if (path.startsWith(prefix)) {
          const f = normalize(join(dir, path.slice(prefix.length)));
          if (f.startsWith(dir + sep) && existsSync(f) && statSync(f).isFile()) file = f;
          break;
        }
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    if (!file) return (res.statusCode = 404), res.end('not found');
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', String(statSync(file).size));
    createReadStream(file).pipe(res);
  });
  return new Promise((r) => server.listen(port, '127.0.0.1', () => r(server)));
}

/** Wait for the model status "ready" and the model chip (the whole load resolved); ms on the page clock. */
export async function waitModelReady(page, timeout = 240_000) {
  const h = await page.waitForFunction(
    () => {
      const el = document.querySelector('[data-testid=model-status]');
      const phase = el?.getAttribute('data-phase');
      if (phase === 'error') return { error: el.textContent };
      return phase === 'ready' ? { ms: performance.now() } : false;
    },
    null,
    { polling: 'raf', timeout },
  );
  const v = await h.jsonValue();
  if (v.error) throw new Error(`model error: ${v.error}`);
  const chip = await page.waitForSelector('[data-testid=model-chip]', { timeout: 30_000 }).then(() => true, () => false);
  if (!chip) throw new Error(`the engine is ready but the model load did not resolve within 30 s: ${JSON.stringify(await page.evaluate(() => window.dermlip.loadState()))}`);
  return v.ms;
}

/**
 * A Chromium profile whose first visit to `url` cached the weights and installed the service
 * worker, closed again: the caller launches Chromium on `dir` for a session with nothing of that
 * visit in memory (and removes `dir` afterwards).
 */
export async function cachedProfile(url, log = console.log) {
  const first = await launch(log);
  await first.page.goto(url);
  await waitModelReady(first.page);
  await first.page.evaluate(() => Promise.race([navigator.serviceWorker?.ready, new Promise((r) => setTimeout(r, 20_000))]));
  await new Promise((r) => setTimeout(r, 2000));
  await first.ctx.close();
  return first.dir;
}

/**
 * The page's dedicated workers as DevTools targets (attached through `cdp`, a CDP session of the
 * page): [{ info, call(method) }], where `call` sends one protocol method to that worker and
 * resolves with its result (or error), or null after 5 s.
 */
export async function workerTargets(cdp) {
  const workers = new Map();
  const replies = new Map();
  cdp.on('Target.attachedToTarget', (e) => workers.set(e.sessionId, e.targetInfo));
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message);
    if (m.id) replies.get(m.id)?.(m.result ?? m.error);
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  await new Promise((r) => setTimeout(r, 500));
  let id = 1;
  return [...workers].map(([sessionId, info]) => ({
    info,
    async call(method) {
      const n = id++;
      const reply = new Promise((r) => replies.set(n, r));
      await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: n, method }) });
      return Promise.race([reply, new Promise((r) => setTimeout(() => r(null), 5000))]);
    },
  }));
}
