// `npm run bench:index`: the collections indexer (issue 12) against a plain transformers.js loop
// over the same photos, in one run, and the peak memory of indexing 10,000 small photos.
//  - throughput, photos per second, for 12 MP and 1 MP JPEGs: the app imports a folder as a
//    collection through its UI and indexes it with its real indexer (decode worker ahead of the
//    encoder, batches of 8, embedding cache); transformers.js reads, preprocesses and encodes each
//    photo in turn (bench/tjs/page.mjs indexLoop). Same weights (bench/tjs_model.py's layout of the
//    bundle), WASM int8, 2 threads, a fresh browser profile each (nothing cached).
//  - peak PSS of all Chromium processes (bench/memory.mjs) while 10,000 small JPEGs are imported
//    and indexed in one tab.
//  - re-evaluation on a class-list change at 10,000 photos: the figure of the newest
//    bench/results/eval-*.json (`npm run bench:eval` measures exactly that; not re-run here).
// Photos: bench/make_photo.py --many, varied crops of the two fixture photos (no cache hits),
// kept in bench/.work/index-photos/.
// env: BENCH_PORT (4310; transformers.js page on +1), INDEX_BUNDLE (demo-full), INDEX_SMALL_BUNDLE
// (demo-tiny: the model of the 10,000-photo memory row), INDEX_N12 (40), INDEX_N1 (200),
// INDEX_NSMALL (10000), INDEX_SKIP (comma list of 12mp,1mp,tjs,memory), BENCH_NO_BUILD=1,
// BENCH_NO_WRITE=1, INDEX_APP_QUERY (extra app URL parameters, e.g. indexOverlap=1), INDEX_MEM_TRACE (a file: one JSON line a second, PSS by kind of process). A run with parts skipped keeps the other parts of the day's result file (each
// part carries its own date and load average), so the parts can run as separate locked commands.
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { bundleComplete, ROOT } from './bundle.mjs';
import { ensureTjsLayout, tjsServer, waitHttp, WORK } from './browser.mjs';
import { appIndex, tjsIndex } from './index-app.mjs';
import { renderIndex } from './index-report.mjs';
import { startSampler } from './memory.mjs';
import { writeSection } from './report.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 4310);
const BUNDLE_NAME = process.env.INDEX_BUNDLE ?? 'demo-full';
const SMALL_BUNDLE = process.env.INDEX_SMALL_BUNDLE ?? 'demo-tiny';
const SKIP = new Set((process.env.INDEX_SKIP ?? '').split(',').filter(Boolean));
const SETS = [
  { key: '12mp', label: '12 MP JPEGs (4000x3000)', n: Number(process.env.INDEX_N12 ?? 40), size: '4000x3000' },
  { key: '1mp', label: '1 MP JPEGs (1152x864)', n: Number(process.env.INDEX_N1 ?? 200), size: '1152x864' },
];
const SMALL = { key: 'small', n: Number(process.env.INDEX_NSMALL ?? 10_000), size: '320x240' };
const PHOTOS = join(WORK, 'index-photos');
const DIST = process.env.BENCH_DIST ?? join(WORK, 'dist');
const SOURCES = ['fixtures/photos/ISIC_0012221.jpg', 'fixtures/photos/ISIC_0012222.jpg'];
const started = Date.now();
const log = (...a) => console.log(`[bench:index ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s]`, ...a);
const loadavg = () => os.loadavg().map((x) => +x.toFixed(2));

/** The folder of `n` varied JPEGs of `size` (made once, reused while complete). */
function photos({ key, n, size }) {
  const dir = join(PHOTOS, `${key}-${n}-${size}`);
  if (!existsSync(join(dir, 'complete'))) {
    log(`making ${n} photos of ${size} in ${dir}`);
    execFileSync('/usr/bin/python3', ['bench/make_photo.py', '--many', dir, String(n), size, ...SOURCES], { cwd: ROOT, stdio: 'inherit' });
    writeFileSync(join(dir, 'complete'), '');
  }
  return dir;
}

function needBundle(name) {
  const dir = join(ROOT, 'public/models', name);
  if (!bundleComplete(dir)) throw new Error(`public/models/${name} is missing or incomplete (demo-full: npm run model:fixture -- --size full --embed-backend ort, about 8 minutes, or a link to a built one)`);
  return dir;
}

/** The newest `npm run bench:eval` result, if any. */
function lastEval() {
  const dir = join(ROOT, 'bench/results');
  const files = readdirSync(dir).filter((f) => /^eval-.*\.json$/.test(f));
  const all = files.map((f) => ({ file: `bench/results/${f}`, ...JSON.parse(readFileSync(join(dir, f), 'utf8')) })).sort((a, b) => b.date.localeCompare(a.date));
  const e = all[0];
  return e ? { file: e.file, date: e.date, n: e.n, loadavg: e.machine?.loadavg, row: e.rows[0], target: e.target } : null;
}

async function main() {
  const result = { date: new Date().toISOString(), command: 'npm run bench:index', machine: { host: os.hostname(), cpu: os.cpus()[0]?.model, cores: os.cpus().length }, bundle: BUNDLE_NAME, smallBundle: SMALL_BUNDLE, loadavg: { start: loadavg() }, sets: {} };
  log('load average', result.loadavg.start.join(' '));
  const file = join(ROOT, 'bench/results', `index-${result.date.slice(0, 10)}-${os.hostname()}.json`);
  if (SKIP.size && existsSync(file)) {
    // keep the parts this run skips from the day's earlier run
    const prev = JSON.parse(readFileSync(file, 'utf8'));
    result.sets = { ...prev.sets };
    result.memory = prev.memory;
  }
  const bundleDir = needBundle(BUNDLE_NAME);
  if (!SKIP.has('memory')) needBundle(SMALL_BUNDLE);
  mkdirSync(WORK, { recursive: true });
  const sets = SETS.filter((s) => !SKIP.has(s.key)).map((s) => ({ ...s, dir: photos(s) }));
  const smallDir = SKIP.has('memory') ? null : photos(SMALL);
  if (!SKIP.has('tjs')) ensureTjsLayout(bundleDir, log);
  if (!process.env.BENCH_NO_BUILD) {
    log('vite build');
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', DIST, '--emptyOutDir'], { cwd: ROOT, stdio: 'inherit' });
  }
  result.git = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', '--outDir', DIST], { cwd: ROOT, stdio: 'ignore', detached: true });
  // a run stopped by `timeout` must not leave its server holding the port
  process.once('SIGTERM', () => {
    try {
      process.kill(-server.pid);
    } catch {
      /* already gone */
    }
    process.exit(143);
  });
  const tjs = SKIP.has('tjs') ? null : await tjsServer({ port: PORT + 1, photo: join(ROOT, SOURCES[0]), small: join(ROOT, SOURCES[0]), photosDir: PHOTOS });
  const traceFile = process.env.INDEX_MEM_TRACE;
  if (traceFile) writeFileSync(traceFile, '');
  let nTrace = 0;
  const trace = traceFile ? (x) => nTrace++ % 4 === 0 && appendFileSync(traceFile, JSON.stringify(x) + '\n') : null;
  const sampler = startSampler(250, trace);
  try {
    await waitHttp(`http://127.0.0.1:${PORT}/`);
    for (const s of sets) {
      const names = readdirSync(s.dir).filter((f) => f.endsWith('.jpg')).sort();
      const row = { label: s.label, photos: names.length, date: new Date().toISOString(), loadavgBefore: loadavg() };
      log(`app: ${s.label}, ${names.length} photos, ${BUNDLE_NAME}`);
      row.app = await appIndex({ port: PORT, bundle: BUNDLE_NAME, folder: s.dir, log, sampler, phase: `app-${s.key}` });
      log(`app: ${row.app.indexRate} photos/s indexing (${row.app.importAndIndexRate} with the import), ${row.app.imageRowsEncoded} encoded`);
      if (tjs) {
        log(`transformers.js: ${s.label}`);
        row.tjs = await tjsIndex({ port: PORT + 1, names: names.map((f) => `${s.dir.slice(PHOTOS.length + 1)}/${f}`), log });
        log(`transformers.js: ${row.tjs.rate} photos/s`);
      }
      row.loadavgAfter = loadavg();
      result.sets[s.key] = row;
      save(result, file, false);
    }
    if (smallDir) {
      log(`memory: ${SMALL.n} photos of ${SMALL.size}, ${SMALL_BUNDLE}`);
      const r = await appIndex({ port: PORT, bundle: SMALL_BUNDLE, folder: smallDir, log, sampler, phase: 'index-small', timeoutMs: 1_800_000 });
      result.memory = { date: new Date().toISOString(), loadavgEnd: loadavg(), photos: SMALL.n, size: SMALL.size, bundle: SMALL_BUNDLE, peak: [r.peaks.upToCopy, r.peaks.indexing].reduce((a, b) => (b && b.bytes > (a?.bytes ?? 0) ? b : a), null), run: { ...r, progress: r.progress.filter((_, i) => i % 6 === 0) } };
      log(`memory: peak ${(result.memory.peak.bytes / 2 ** 20).toFixed(0)} MiB over ${result.memory.peak.processes} processes; ${r.indexRate} photos/s`);
      for (const [k, p] of Object.entries(r.peaks)) log(`memory: ${k} peak by kind (MiB):`, Object.entries(p?.byKind ?? {}).map(([kind, b]) => `${kind} ${Math.round(b / 2 ** 20)}`).join(', '));
      save(result, file, false);
    }
  } finally {
    result.memoryPhases = sampler.stop();
    tjs?.close();
    try {
      process.kill(-server.pid);
    } catch {
      /* already gone */
    }
  }
  save(result, file, true);
}

/** Writes the result file and the BENCHMARKS.md section (after each part, so a run cut short keeps what it measured). */
function save(result, file, final) {
  result.reEvaluation = lastEval();
  result.loadavg.end = loadavg();
  result.wallSeconds = Math.round((Date.now() - started) / 1000);
  result.complete = final;
  const table = renderIndex(result);
  if (final) console.log(table);
  if (process.env.BENCH_NO_WRITE) return;
  writeFileSync(file, JSON.stringify(result, null, 1) + '\n');
  writeSection(join(ROOT, 'BENCHMARKS.md'), 'index', 'Collections: indexing throughput and memory', table);
  log(`wrote ${file} and BENCHMARKS.md`);
}

await main();
