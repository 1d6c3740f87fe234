// The full-size conversion of real weights in the browser (Settings > Use the real DermLIP
// weights), against the Python toolchain's export of the same checkpoint on the same machine.
// Part of `npm run bench` (skip with BENCH_SKIP=convert; the toolchain side alone with
// BENCH_SKIP=toolchain); alone: `node bench/convert.mjs` (writes its own BENCHMARKS.md section).
//
// The checkpoint: ViT-B/16 shapes (demo-full's config, QuickGELU), seeded random weights with no
// two tensors equal (as in a trained checkpoint), written by tools/model/checkpoint.py in both hub
// formats (598.5 MB each). The app converts the safetensors; the toolchain exports the .bin (it
// has no safetensors package here). Both must give the same 16 graph and weights files.
// `node bench/convert.mjs panderm`: the same for DermLIP-PanDerm at its real size (the full PanDerm
// fixture: CAE ViT-B/16 + PubMedBERT-base sizes, 783.7 MB; the app also gets the text model's
// config.json and tokenizer.json; the toolchain is export_panderm.py's path).
// Peak PSS is kept per step of the app's conversion (from the page's data-step; step 2 per file
// written), with each peak's split by kind of process: `stepPeaks` in the result JSON.
// BENCH_PROMPTS_S=N stops N s into the prompt table (memory only: prints the peaks so far).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { startSampler } from './memory.mjs';
import { writeSection } from './report.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WORK = join(ROOT, 'bench/.work');
/** `node bench/convert.mjs panderm` (run.mjs, importing this file, converts ViT-B/16). */
const PANDERM = resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url) && process.argv[2] === 'panderm';
const CKPT = join(WORK, PANDERM ? 'checkpoint-panderm-full' : 'checkpoint-full');
const EXPORT = join(WORK, PANDERM ? 'toolchain-export-panderm' : 'toolchain-export');
/** What the user picks: the checkpoint and its config (DermLIP-PanDerm: and its text model's config.json and tokenizer.json). */
const PICKED = ['open_clip_model.safetensors', 'open_clip_config.json', ...(PANDERM ? ['text/config.json', 'text/tokenizer.json'] : [])];
const PY = '/usr/bin/python3';
const mb = (b) => (b == null ? '–' : `${(b / 1e6).toFixed(0)} MB`);
const s1 = (ms) => (ms == null ? '–' : `${(ms / 1000).toFixed(1)} s`);

export function ensureCheckpoint(log) {
  if (existsSync(join(CKPT, 'open_clip_pytorch_model.bin')) && existsSync(join(CKPT, 'open_clip_model.safetensors'))) return;
  log(`writing the full-size checkpoint (both formats) to ${CKPT}`);
  const args = PANDERM ? ['--arch', 'panderm', '--size', 'full'] : ['--size', 'full', '--distinct'];
  execFileSync(PY, ['tools/model/checkpoint.py', ...args, '--out', CKPT], { cwd: ROOT, stdio: 'inherit' });
}

const SAVED = `${EXPORT}.json`;
/** Sampler phases of the app's conversion: one per step (0 check ... 4 store), step 2 one per file written. */
const STEP_PHASE = 'convert-app:';
/** BENCH_PROMPTS_S=N: stop N s into the prompt table and print each step's peak so far (memory only, nothing written). */
const PROMPTS_S = Number(process.env.BENCH_PROMPTS_S ?? 0);

/** The toolchain's export of the same checkpoint, timed (6-10 minutes here). BENCH_REUSE_TOOLCHAIN=1: the last one's figures. */
export function toolchainExport(log) {
  if (process.env.BENCH_REUSE_TOOLCHAIN && existsSync(SAVED)) {
    log('Python toolchain: reusing the figures of its last export (BENCH_REUSE_TOOLCHAIN)');
    return JSON.parse(readFileSync(SAVED, 'utf8'));
  }
  log('Python toolchain: exporting the same checkpoint (export, variants, prompt table with onnxruntime-node)');
  rmSync(EXPORT, { recursive: true, force: true });
  const out = execFileSync(PY, ['bench/convert_toolchain.py', CKPT, EXPORT], { cwd: ROOT, maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  const r = { ...JSON.parse(out.toString().trim().split('\n').pop()), date: new Date().toISOString(), loadavg: os.loadavg() };
  writeFileSync(SAVED, JSON.stringify(r));
  return r;
}

/** The app converts the checkpoint in headless Chromium; per-step times and the stored manifest. */
export async function appConversion({ port, sampler, log }) {
  const dir = mkdtempSync(join(os.tmpdir(), 'dermlip-convert-bench-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-unsafe-webgpu'],
  });
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.on('pageerror', (e) => log('page error:', e.message.slice(0, 300)));
    await page.goto(`http://127.0.0.1:${port}/real-model?backend=wasm`);
    await page.waitForSelector('[data-testid=model-status][data-phase=ready]', { timeout: 120_000 });
    const t0 = Date.now();
    await page.setInputFiles('[data-testid=convert-files]', PICKED.map((f) => join(CKPT, f)));
    const steps = {};
    const at3 = () => steps['3'] ?? null;
    let last = null;
    let lastPhase = null;
    const phases = new Set();
    for (;;) {
      const v = await page.evaluate(() => ({
        ok: !!document.querySelector('[data-testid=convert-ok]'),
        error: document.querySelector('[data-testid=convert-error]')?.textContent ?? null,
        step: document.querySelector('[data-testid=convert-progress]')?.getAttribute('data-step') ?? null,
        // step 2: the file being written ("file 3 of 16: image.int8.onnx.data, ...")
        file: /: ([^,]+),/.exec(document.querySelector('[data-testid=convert-progress] li.current')?.textContent ?? '')?.[1] ?? null,
      }));
      if (v.error) throw new Error(`conversion failed: ${v.error}`);
      if (v.step !== last && v.step !== null) {
        steps[v.step] = Date.now() - t0;
        log(`conversion step ${v.step} at ${s1(steps[v.step])}`);
        last = v.step;
      }
      if (v.ok) break; // the app now loads the new bundle: not part of the conversion
      // Memory is attributed to the step (and in step 2 to the file) being done when sampled.
      const phase = v.step === '2' && v.file ? `2:${v.file}` : (v.step ?? lastPhase ?? '0');
      if (phase !== lastPhase) {
        sampler.phase(`${STEP_PHASE}${phase}`);
        phases.add(phase);
        lastPhase = phase;
      }
      if (PROMPTS_S && at3() != null && Date.now() - t0 - at3() > PROMPTS_S * 1000) {
        // A memory-only run: the prompt table's session is made at the step's start, its peak with it.
        const peaks = Object.fromEntries([...phases].map((p) => [p, sampler.peak(`${STEP_PHASE}${p}`)]));
        log(`stopped ${PROMPTS_S} s into the prompt table (BENCH_PROMPTS_S): peaks so far`, JSON.stringify({ loadavg: os.loadavg(), steps, peaks }));
        return null;
      }
      if (Date.now() - t0 > 60 * 60_000) throw new Error('the conversion took more than an hour');
      await new Promise((r) => setTimeout(r, 500));
    }
    const totalMs = Date.now() - t0;
    sampler.phase('idle');
    const manifest = await page.evaluate(async () => {
      const cache = await caches.open('dermlip-weights-v1');
      const key = (await cache.keys()).map((r) => new URL(r.url).pathname).find((p) => decodeURIComponent(p).startsWith('/__dermlip-manifests/imported:'));
      return (await cache.match(key)).json();
    });
    // step i began at steps[i]: 1 hash, 2 write the 16 files, 3 prompt table, 4 store
    const at = (i) => steps[String(i)] ?? null;
    const span = (a, b) => (at(a) != null && at(b) != null ? at(b) - at(a) : null);
    const stepPeaks = Object.fromEntries([...phases].map((p) => [p, sampler.peak(`${STEP_PHASE}${p}`)]));
    return { loadavg: os.loadavg(), totalMs, checkMs: at(1), hashMs: span(1, 2), writeMs: span(2, 3), promptsMs: at(4) != null ? span(3, 4) : totalMs - (at(3) ?? 0), stepPeaks, manifest };
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Both sides, and whether they wrote the same 16 graph and weights files. */
export async function convertBench({ port, sampler, log, skipToolchain = false }) {
  ensureCheckpoint(log);
  const app = await appConversion({ port, sampler, log });
  if (!app) return null;
  // The whole conversion's peak: the highest of its steps' peaks.
  const memory = Object.values(app.stepPeaks).reduce((m, p) => (p && (!m || p.bytes > m.bytes) ? p : m), null);
  const tool = skipToolchain ? null : toolchainExport(log);
  const model = Object.keys(app.manifest.files).filter((f) => /\.onnx(\.data)?$/.test(f));
  const same = tool ? model.filter((f) => tool.files[f]?.sha256 === app.manifest.files[f].sha256).length : null;
  return {
    checkpointBytes: app.manifest.source.bytes,
    app: { ...app, manifest: undefined, bundleBytes: Object.values(app.manifest.files).reduce((n, f) => n + f.bytes, 0), peakPss: memory },
    toolchain: tool && { seconds: tool.seconds, peakRssBytes: tool.peakRssBytes, peakChildRssBytes: tool.peakChildRssBytes, date: tool.date, loadavg: tool.loadavg },
    identicalModelFiles: same === null ? null : `${same} of ${model.length}`,
    /** The app's graph and weights files (sha256), to compare with another build of the same model. */
    modelFiles: Object.fromEntries(model.map((f) => [f, app.manifest.files[f].sha256])),
  };
}

const kinds = (p) => (p?.byKind ? Object.entries(p.byKind).sort((x, y) => y[1] - x[1]).filter(([, b]) => b >= 5e6).map(([k, b]) => `${k} ${mb(b)}`).join(', ') : '–');

/** Each step's peak PSS; step 2 (writing): its highest file's. */
function stepSplit(peaks) {
  if (!peaks) return '–';
  const of = (k) => mb(peaks[k]?.bytes);
  const files = Object.entries(peaks).filter(([k]) => k.startsWith('2:'));
  const top = files.reduce((m, e) => (!m || (e[1]?.bytes ?? 0) > (m[1]?.bytes ?? 0) ? e : m), null);
  return `${of('0')} / ${of('1')} / ${top ? `${mb(top[1]?.bytes)} (${top[0].slice(2)})` : of('2')} / ${of('3')} / ${of('4')}`;
}

export function renderConvert(c) {
  if (!c) return 'not run';
  const a = c.app;
  const t = c.toolchain;
  const ratio = t ? `${(a.totalMs / 1000 / t.seconds).toFixed(2)}x` : '–';
  return [
    `Checkpoint ${mb(c.checkpointBytes)} (${PANDERM ? 'DermLIP-PanDerm: PanDerm-base + PubMedBERT sizes' : 'ViT-B/16'}, fp32 safetensors) -> bundle of ${mb(a.bundleBytes)} (4 variants x 2 encoders, prompt table of 6290 prompts).`,
    '',
    '| what | app in Chromium (WASM, 2 threads) | Python toolchain | app / toolchain | target |',
    '|---|---|---|---|---|',
    `| Full-size conversion, checkpoint -> stored bundle | ${s1(a.totalMs)} | ${t ? `${t.seconds} s` : '–'} | ${ratio} | |`,
    `| of which: check / sha256 / write 16 files / prompt table | ${s1(a.checkMs)} / ${s1(a.hashMs)} / ${s1(a.writeMs)} / ${s1(a.promptsMs)} | | | |`,
    `| Peak memory: PSS of all Chromium processes / peak RSS of the Python process (and of its largest child) | ${mb(a.peakPss?.bytes)} | ${t ? `${mb(t.peakRssBytes)} (${mb(t.peakChildRssBytes)})` : '–'} | | <= 1.5 GB (browser) |`,
    `| Peak PSS by step: check / sha256 / write 16 files (its highest file) / prompt table / store | ${stepSplit(a.stepPeaks)} | | | |`,
    `| At the peak, by kind of process | ${kinds(a.peakPss)} | | | |`,
    `| Graph and weights files identical to the toolchain's | ${c.identicalModelFiles ?? '–'} | | | all |`,
    '',
    `Load average during the app's run: ${a.loadavg?.map((x) => x.toFixed(1)).join(' ') ?? '?'}${t?.loadavg ? `; during the toolchain's: ${t.loadavg.map((x) => x.toFixed(1)).join(' ')}` : ''} (2 cores shared with other work: absolute times are inflated, the ratio less so).`,
  ].join('\n');
}

async function main() {
  const started = Date.now();
  const log = (...a) => console.log(`[convert bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s]`, ...a);
  const port = Number(process.env.BENCH_PORT ?? 4310);
  const dist = process.env.BENCH_DIST ?? join(WORK, 'dist');
  if (!process.env.BENCH_NO_BUILD) execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', dist, '--emptyOutDir'], { cwd: ROOT, stdio: 'inherit' });
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', dist], { cwd: ROOT, stdio: 'ignore', detached: true });
  const sampler = startSampler(250);
  let result;
  try {
    for (let i = 0; i < 200; i++) {
      if (await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    result = await convertBench({ port, sampler, log, skipToolchain: (process.env.BENCH_SKIP ?? '').includes('toolchain') });
  } finally {
    sampler.stop();
    try {
      process.kill(-server.pid);
    } catch {
      /* gone */
    }
  }
  if (!result) return;
  const full = { date: new Date().toISOString(), command: `node bench/convert.mjs${PANDERM ? ' panderm' : ''}`, machine: { host: os.hostname(), cpu: os.cpus()[0]?.model, cores: os.cpus().length }, loadavg: os.loadavg(), convert: result };
  console.log(JSON.stringify(full, null, 1));
  if (!process.env.BENCH_NO_WRITE) {
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/results', `${full.date.slice(0, 10)}-${os.hostname()}-convert${PANDERM ? '-panderm' : ''}.json`), JSON.stringify(full, null, 1) + '\n');
    const [section, title] = PANDERM ? ['convert-panderm', 'Real-weights conversion in the browser: DermLIP-PanDerm (latest run)'] : ['convert', 'Real-weights conversion in the browser (latest run)'];
    writeSection(join(ROOT, 'BENCHMARKS.md'), section, title, `Command: \`${full.command}\` · ${full.date} · ${full.machine.host} (${full.machine.cpu}, ${full.machine.cores} cores) · load ${full.loadavg.map((x) => x.toFixed(2)).join(' ')}\n\n${renderConvert(result)}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
