// `npm run bench`: the app (built, served by vite preview, headless Chromium, its real worker)
// against onnxruntime-node and transformers.js, in one run. Writes bench/results/<date>-<host>.json
// and the latest table in BENCHMARKS.md. See BENCHMARKS.md for what each row measures.
//
// env: BENCH_PORT (4310; transformers.js page on +1), BENCH_RUNS (10), BENCH_SKIP (comma list of
// node,app,image,text,threads1,fp32,q4,webgpu,text400,tjs,convert,toolchain,panderm,panderm-node), BENCH_NO_BUILD=1, BENCH_NO_WRITE=1 (dev runs),
// BENCH_READY_ONLY=1 (stop after the ready-from-cache loads), BENCH_BUNDLE_NAME (another bundle under
// public/models, for A/B of bundle layouts; default demo-full).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSampler } from './memory.mjs';
import { ensureTjsLayout, launch, tjsServer, waitHttp, waitModelReady, WORK } from './browser.mjs';
import { stats } from './stats.mjs';
import { writeReport, writeSection } from './report.mjs';
import { convertBench, renderConvert } from './convert.mjs';
import { BUNDLE, ensureFullBundle, ensurePandermBundle } from './bundle.mjs';
import { pandermBench, renderPanderm } from './panderm.mjs';
import { appBench } from './app-phase.mjs';
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
      const { res, labels } = await appBench({ sampler, manifest, openReady, runs: RUNS, skip: SKIP, photo: PHOTO, photo2: PHOTO2, log });
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
