// `npm run bench:decode`: decode at the size the model needs (issue 14). For each photo (the real
// dermoscopy photos of fixtures/photos, phone-size JPEGs of 12 to 200 MP and the real ones from
// tools/photos/make_corpus.py, the demo bundle's JPEG test photos), through the built app in
// headless Chromium and its photo worker (`dermlip.decodeInfo`, ?debug=1):
// - 'scaled': what the app does: a JPEG decoded at n/8 scale by the WebCodecs ImageDecoder
//   (desiredWidth/desiredHeight), shortest side kept >= 1344 px;
// - 'bitmap': the previous path: createImageBitmap with resizeWidth/resizeHeight (full decode,
//   then a high-quality downscale to 1344 px), refused over the 100 MP full-decode budget;
//   'bitmap-medium', 'bitmap-low': the same with createImageBitmap's other resize filters;
// 1 warm-up each, then BENCH_RUNS (7) timed decodes round-robin over the methods, median and range, ms; the crop the model sees vs
// PIL's full-resolution crop (max abs error, normalised units) and the embedding's cosine to PIL's
// with demo-tiny fp32 in the browser and with ViT-B/16-size random weights in PyTorch
// (bench/crop_cosines.py). Writes bench/results/<date>-<host>-decode.json and prints a table.
// env: BENCH_PORT (4320), BENCH_RUNS (7), BENCH_NO_BUILD=1.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { cosine, stats } from './stats.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WORK = join(ROOT, 'bench/.work/decode');
const DIST = join(ROOT, 'bench/.work/dist-decode');
const CORPUS = join(ROOT, '.cache/photo-corpus');
const BUNDLE = join(ROOT, 'public/models/demo-tiny');
const PORT = Number(process.env.BENCH_PORT ?? 4320);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PY = '/usr/bin/python3';
const ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const log = (...a) => console.log('[bench:decode]', ...a);

function corpus(group) {
  const h = createHash('sha256');
  for (const f of ['make_corpus.py', 'heif_edit.py']) h.update(readFileSync(join(ROOT, 'tools/photos', f)));
  const index = join(CORPUS, `${group}.json`);
  if (!existsSync(index) || JSON.parse(readFileSync(index, 'utf8')).version !== h.digest('hex')) {
    execFileSync(PY, ['tools/photos/make_corpus.py', '--out', CORPUS, '--groups', group], { cwd: ROOT, stdio: 'inherit' });
  }
  return JSON.parse(readFileSync(index, 'utf8')).entries.filter((e) => e.expect === 'open');
}

function photos() {
  const list = [...corpus('real'), ...corpus('large')].map((e) => ({ id: e.name, url: `/__corpus/${e.file}`, file: join(CORPUS, e.file), size: `${e.width}x${e.height}`, ref: join(CORPUS, e.crop), embedding: e.embedding }));
  const refs = JSON.parse(readFileSync(join(BUNDLE, 'references/references.json'), 'utf8')).images;
  for (const r of refs.filter((x) => x.mime === 'image/jpeg')) list.push({ id: `test photo ${r.file.split('/').pop()}`, url: `/models/demo-tiny/${r.file}`, size: `${r.width}x${r.height}`, ref: join(BUNDLE, r.crop), embedding: r.embedding });
  return list;
}

async function main() {
  mkdirSync(WORK, { recursive: true });
  const list = photos();
  if (!process.env.BENCH_NO_BUILD) execFileSync('npx', ['vite', 'build', '--logLevel', 'error', '--outDir', DIST, '--emptyOutDir'], { cwd: ROOT, stdio: 'inherit' });
  const server = spawn('npx', ['vite', 'preview', '--outDir', DIST, '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { cwd: ROOT, stdio: 'ignore', detached: true });
  const stopServer = () => {
    try {
      process.kill(-server.pid);
    } catch {
      /* already gone */
    }
  };
  server.on('exit', (code) => log(`vite preview exited (${code})`));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => (stopServer(), process.exit(130)));
  const load0 = os.loadavg();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS });
  const rows = [];
  try {
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${PORT}/`)).ok) break;
      } catch {
        await new Promise((r) => setTimeout(r, 300));
      }
    }
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const byUrl = new Map(list.filter((p) => p.file).map((p) => [p.url, p]));
    await context.route('**/__corpus/*', (route) => {
      const p = byUrl.get(new URL(route.request().url()).pathname);
      return p ? route.fulfill({ body: readFileSync(p.file), contentType: 'image/jpeg' }) : route.fulfill({ status: 404 });
    });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${PORT}/?backend=wasm&variant=fp32&debug=1`);
    await page.waitForSelector('[data-testid=model-status][data-phase=ready]', { timeout: 180_000 });
    const std = JSON.parse(readFileSync(join(BUNDLE, 'manifest.json'), 'utf8')).image.std;
    const METHODS = [
      ['scaled', 'auto', undefined],
      ['bitmap', 'bitmap', 'high'],
      ['bitmap-medium', 'bitmap', 'medium'],
      ['bitmap-low', 'bitmap', 'low'],
    ];
    const decode = (url, jpeg, quality) => page.evaluate(({ url, jpeg, quality }) => window.dermlip.decodeInfo(url, jpeg, quality), { url, jpeg, quality });
    for (const p of list) {
      const row = { id: p.id, size: p.size, methods: {} };
      // One warm-up decode per method (a refusal is recorded), then the timed runs round-robin over
      // the methods, so that a change of load on this shared machine hits them all alike.
      const live = [];
      for (const [method, jpeg, quality] of METHODS) {
        try {
          row.methods[method] = { last: await decode(p.url, jpeg, quality), runs: [] };
          live.push([method, jpeg, quality]);
        } catch (e) {
          row.methods[method] = { refused: String(e.message ?? e).split('\n')[0].replace(/^.*?Error: /, '') };
        }
      }
      for (let i = 0; i < RUNS; i++) {
        for (const [method, jpeg, quality] of live) {
          const d = await decode(p.url, jpeg, quality);
          row.methods[method].runs.push(d.ms);
          row.methods[method].last = d;
        }
      }
      const ref = readFileSync(p.ref);
      for (const [method] of live) {
        const { last, runs } = row.methods[method];
        let maxAbs = 0;
        for (let i = 0; i < ref.length; i++) maxAbs = Math.max(maxAbs, Math.abs(last.crop[i] - ref[i]) / 255 / std[i % 3]);
        const cropFile = join(WORK, `${p.id.replace(/[^\w.-]/g, '_')}.${method}.u8`);
        writeFileSync(cropFile, Buffer.from(last.crop));
        row.methods[method] = { how: last.method, working: `${last.workingWidth}x${last.workingHeight}`, ms: stats(runs), maxAbs, cosineTinyBrowser: cosine(last.embedding, p.embedding), crop: cropFile };
        log(p.id, method, last.method, `${last.workingWidth}x${last.workingHeight}`, `${row.methods[method].ms.median.toFixed(0)} ms`);
      }
      rows.push(row);
    }
  } finally {
    await browser.close();
    stopServer();
  }
  // The same crops through demo-tiny and a ViT-B/16-size model in PyTorch.
  const pairs = rows.map((r) => ({ id: r.id, ref: list.find((p) => p.id === r.id).ref, crops: Object.fromEntries(Object.entries(r.methods).filter(([, m]) => m.crop).map(([k, m]) => [k, m.crop])) }));
  writeFileSync(join(WORK, 'pairs.json'), JSON.stringify(pairs));
  log('cosines in PyTorch (demo-tiny and ViT-B/16 size)');
  const cos = JSON.parse(execFileSync(PY, ['bench/crop_cosines.py', join(WORK, 'pairs.json')], { cwd: ROOT, maxBuffer: 1 << 24 }).toString().trim().split('\n').pop());
  for (const r of rows) for (const [k, m] of Object.entries(r.methods)) if (m.crop) Object.assign(m, { cosineTiny: cos[r.id][k].tiny, cosineFull: cos[r.id][k].full });

  const chromiumVersion = execFileSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version']).toString().trim();
  const git = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  const meta = { command: 'npm run bench:decode', date: new Date().toISOString(), host: os.hostname(), cpus: `${os.cpus()[0]?.model} x${os.cpus().length}`, chromium: chromiumVersion, git, runs: RUNS, loadavg: { start: load0, end: os.loadavg() } };
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const out = join(ROOT, 'bench/results', `${meta.date.slice(0, 10)}-${meta.host}-decode.json`);
  writeFileSync(out, JSON.stringify({ meta, rows }, null, 1));
  const f = (x, d = 0) => (x == null ? '' : x.toFixed(d));
  const cell = (m) => (m.refused ? 'refused (over the full-decode budget)' : `${m.working}, ${f(m.ms.median)} (${f(m.ms.p10)}-${f(m.ms.p90)}) ms, max abs ${f(m.maxAbs, 3)}, cos ${f(m.cosineTiny, 5)} / ${f(m.cosineFull, 5)}`);
  const methods = Object.keys(rows[0].methods);
  console.log(`\n${JSON.stringify(meta)}\n\n| photo | size | ${methods.join(' | ')} |\n|---|---|${methods.map(() => '---|').join('')}`);
  for (const r of rows) console.log(`| ${r.id} | ${r.size} | ${methods.map((k) => cell(r.methods[k])).join(' | ')} |`);
  log('wrote', out);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
