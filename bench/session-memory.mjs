// One user session's memory, broken down per Chromium process and per JavaScript realm, for one or
// more builds of the app, interleaved round by round so that machine load and Chromium's own
// variance hit each build alike (issue 14, "memory <= 700 MB for one session").
//
// A session: a Chromium profile whose first visit cached the weights (and installed the service
// worker) is closed; Chromium is started again on that profile (nothing of the first visit stays in
// memory), sits on about:blank for 3 s (the floor), opens the app (demo-full, WASM int8, 2 threads),
// picks a new 12 MP photo from disk and waits for its differential, then 1 s more. PSS of every
// Chromium process (bench/memory.mjs) is sampled every 250 ms; the peak is the largest sum.
//
// usage: BENCH_PORT=4360 MEM_DISTS=bench/.work/dist-a,bench/.work/dist-b MEM_ROUNDS=3 node bench/session-memory.mjs
// (MEM_DISTS defaults to bench/.work/dist; build it first with `npx vite build --outDir ...`.)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ROOT } from './bundle.mjs';
import { cachedProfile, launch, waitHttp, waitModelReady, workerTargets, WORK } from './browser.mjs';
import { chromiumProcesses } from './memory.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 4360);
const DISTS = (process.env.MEM_DISTS ?? join(WORK, 'dist')).split(',').filter(Boolean);
const ROUNDS = Number(process.env.MEM_ROUNDS ?? 3);
const QUERY = process.env.MEM_QUERY ?? 'bundle=/models/demo-full&backend=wasm&variant=int8&threads=2';
const PHOTO = join(WORK, 'photo2-12mp.jpg');
const MB = (b) => Math.round(b / 1e5) / 10;
const log = (...a) => console.error('[session-memory]', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** PSS per process kind (MB) of one snapshot, and the total. */
function byKind(list) {
  const bytes = { total: 0 };
  for (const p of list) {
    bytes[p.kind] = (bytes[p.kind] ?? 0) + p.pss;
    bytes.total += p.pss;
  }
  return Object.fromEntries(Object.entries(bytes).map(([k, v]) => [k, MB(v)]));
}

/** The renderer(s) in detail: anonymous / file / shared PSS (MB). */
function renderers(list) {
  return list.filter((p) => p.kind === 'renderer').map((p) => ({ pss: MB(p.pss), anon: MB(p.anon), file: MB(p.file), shmem: MB(p.shmem) }));
}

/**
 * The biggest renderer's memory by mapping kind (/proc/<pid>/smaps), MB of PSS: executable
 * anonymous memory (code compiled by V8: JavaScript and WebAssembly), other anonymous memory
 * (heaps, the WASM memory, ArrayBuffers), shared memory, files; and its 12 largest mappings.
 */
function rendererMaps() {
  const r = chromiumProcesses().filter((p) => p.kind === 'renderer').sort((a, b) => b.pss - a.pss)[0];
  if (!r) return null;
  const maps = [];
  let cur = null;
  for (const line of readFileSync(`/proc/${r.pid}/smaps`, 'utf8').split('\n')) {
    const h = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (h) {
      cur = { vsizeMB: MB(parseInt(h[2], 16) - parseInt(h[1], 16)), perms: h[3], name: h[4] || '[anon]', pss: 0 };
      maps.push(cur);
    } else if (cur && line.startsWith('Pss:')) cur.pss = Number(/(\d+)/.exec(line)[1]) * 1024;
  }
  const kind = (m) => (m.name.startsWith('/memfd') || m.name.startsWith('/dev/shm') || m.perms.includes('s') ? 'shared' : m.name.startsWith('/') ? 'file' : m.perms.includes('x') ? 'anon-exec' : 'anon');
  const by = {};
  for (const m of maps) by[kind(m)] = (by[kind(m)] ?? 0) + m.pss;
  const top = maps.sort((a, b) => b.pss - a.pss).slice(0, 12).map((m) => ({ pssMB: MB(m.pss), vsizeMB: m.vsizeMB, perms: m.perms, name: m.name }));
  return { pss: MB(r.pss), byKind: Object.fromEntries(Object.entries(by).map(([k, v]) => [k, MB(v)])), top };
}

function startSampling() {
  let peak = { total: 0 };
  let peakList = [];
  const timer = setInterval(() => {
    const list = chromiumProcesses();
    const k = byKind(list);
    if (k.total > peak.total) (peak = k), (peakList = list);
  }, 250);
  return {
    stop() {
      clearInterval(timer);
      return { peak, peakRenderers: renderers(peakList) };
    },
  };
}

/**
 * JavaScript heaps per realm through the DevTools protocol: the page and each dedicated worker it
 * started (the inference worker, the photo worker...): V8 heap used and total, and the bytes of
 * ArrayBuffer backing stores (a WASM memory, decoded pixels, model files in flight), MB.
 */
async function realms(ctx, page) {
  const cdp = await ctx.newCDPSession(page);
  const mb = (h) => ({ used: MB(h.usedSize), total: MB(h.totalSize), backing: MB(h.backingStorageSize ?? 0) });
  const out = { page: mb(await cdp.send('Runtime.getHeapUsage')) };
  for (const { info, call } of await workerTargets(cdp)) {
    const h = await call('Runtime.getHeapUsage');
    out[`${info.type}:${info.title || info.url.split('/').pop()}`] = h && h.usedSize !== undefined ? mb(h) : h;
  }
  await cdp.detach();
  return out;
}

async function session(base) {
  const url = `${base}/?debug=1&${QUERY}`;
  // first visit: weights into Cache Storage, service worker installed; then Chromium closes
  const dir = await cachedProfile(url, log);
  const { ctx, page } = await launch(log, { dir });
  try {
    await page.goto('about:blank');
    await sleep(3000);
    const floor = byKind(chromiumProcesses());
    const sampling = startSampling();
    const t0 = Date.now();
    await page.goto(url);
    const readyMs = Math.round(await waitModelReady(page));
    const ready = byKind(chromiumProcesses());
    const readyRenderers = renderers(chromiumProcesses());
    const readyMaps = rendererMaps();
    const readyJs = await realms(ctx, page);
    await page.getByTestId('file-input').setInputFiles(PHOTO);
    await page.waitForFunction(() => /photo2-12mp/.test(document.querySelector('[data-testid=case-caption]')?.textContent ?? '') && document.querySelector('[data-testid=diff-item]'), null, { timeout: 120_000 });
    const photoMs = Date.now() - t0;
    await sleep(1000);
    const after = byKind(chromiumProcesses());
    const afterMaps = rendererMaps();
    const { peak, peakRenderers } = sampling.stop();
    const towers = await page.evaluate(async () => Object.keys((await window.dermlip.loadTimings()).towers ?? {}));
    const runs = await page.evaluate(() => window.dermlip.stats());
    const js = await realms(ctx, page);
    // what of it was garbage: the same after a forced full GC of the page (and its workers' heaps are small)
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.detach();
    await sleep(1000);
    const afterGc = byKind(chromiumProcesses());
    const maps = rendererMaps();
    const jsAfterGc = await realms(ctx, page);
    return { floor, readyMs, ready, readyRenderers, readyMaps, readyJs, after, afterMaps, peak, peakRenderers, towers, runs, js, afterGc, jsAfterGc, maps, sessionMs: photoMs };
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  // the same 12 MP photo `npm run bench` picks for its session row, made the same way if missing
  if (!existsSync(PHOTO)) execFileSync('/usr/bin/python3', ['bench/make_photo.py', join(ROOT, 'fixtures/photos/ISIC_0012222.jpg'), PHOTO], { cwd: ROOT, stdio: 'inherit' });
  const load0 = os.loadavg().map((x) => +x.toFixed(2));
  const servers = DISTS.map((dist, i) => spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT + i), '--strictPort', '--outDir', dist], { cwd: ROOT, stdio: 'ignore', detached: true }));
  const results = Object.fromEntries(DISTS.map((d) => [d, []]));
  try {
    for (let i = 0; i < DISTS.length; i++) await waitHttp(`http://127.0.0.1:${PORT + i}/`);
    for (let r = 0; r < ROUNDS; r++)
      for (let i = 0; i < DISTS.length; i++) {
        const res = await session(`http://127.0.0.1:${PORT + i}`);
        results[DISTS[i]].push(res);
        log(`round ${r} ${DISTS[i]}: peak ${res.peak.total} MB ${JSON.stringify(res.peak)} floor ${res.floor.total} towers ${res.towers}`);
      }
  } finally {
    for (const s of servers)
      try {
        process.kill(-s.pid);
      } catch {
        /* gone */
      }
  }
  const out = { date: new Date().toISOString(), command: 'node bench/session-memory.mjs', query: QUERY, rounds: ROUNDS, loadavg: { start: load0, end: os.loadavg().map((x) => +x.toFixed(2)) }, results };
  mkdirSync(join(WORK, 'memory'), { recursive: true });
  const file = join(WORK, 'memory', `session-${out.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(out, null, 1));
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  console.log(`load average ${out.loadavg.start.join(' ')} -> ${out.loadavg.end.join(' ')}; ${file}`);
  for (const d of DISTS) {
    const rs = results[d];
    const kinds = [...new Set(rs.flatMap((x) => Object.keys(x.peak)))];
    const med = Object.fromEntries(kinds.map((k) => [k, median(rs.map((x) => x.peak[k] ?? 0))]));
    console.log(`${d}: peak total ${rs.map((x) => x.peak.total).join(' / ')} MB (median ${med.total}); at the peak (medians) ${JSON.stringify(med)}; floor ${median(rs.map((x) => x.floor.total))}; after ${median(rs.map((x) => x.after.total))}; after a forced GC ${median(rs.map((x) => x.afterGc.total))}; page ArrayBuffers after ${median(rs.map((x) => x.js.page.backing))} MB; ready ${median(rs.map((x) => x.readyMs))} ms`);
  }
}

await main();
