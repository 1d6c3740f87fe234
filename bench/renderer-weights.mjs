// Which of the app renderer's large mappings hold the bytes of the int8 image weights
// (image.int8.onnx.data) once the model is ready (BENCHMARKS.md, attempt 29): every 4 KiB page of each
// resident read-write mapping over 8 MB is read from /proc/<pid>/mem (needs root or ptrace rights) and
// looked up among the file's pages. Scanned after a forced GC of the page, then again after a forced
// GC of every worker (the page's GC does not reach the workers' heaps). A second launch on a profile
// whose first visit cached the weights, as in bench/session-memory.mjs.
// usage: BENCH_PORT=4360 DIST=bench/.work/dist node bench/renderer-weights.mjs  (one JSON line per mapping)
import { spawn } from 'node:child_process';
import { openSync, readSync, readFileSync, closeSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ROOT } from './bundle.mjs';
import { cachedProfile, launch, waitHttp, waitModelReady, workerTargets, WORK } from './browser.mjs';
import { chromiumProcesses } from './memory.mjs';
const PORT = Number(process.env.BENCH_PORT ?? 4360);
const DIST = process.env.DIST ?? join(WORK, 'dist');
const QUERY = process.env.MEM_QUERY ?? 'bundle=/models/demo-full&backend=wasm&variant=int8&threads=2';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error('[probe]', ...a);
const FILE = readFileSync(join(ROOT, 'public/models/demo-full/image.int8.onnx.data'));
const PG = 4096;
const fileHashes = new Map();
for (let o = 0; o + PG <= FILE.length; o += PG) fileHashes.set(createHash('md5').update(FILE.subarray(o, o + PG)).digest('hex'), o);
const ZERO = createHash('md5').update(Buffer.alloc(PG)).digest('hex');

function scan(pid, label) {
  const maps = [];
  let cur = null;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const h = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (h) { cur = { start: BigInt('0x' + h[1]), end: BigInt('0x' + h[2]), perms: h[3], name: h[4] || '[anon]', rss: 0 }; maps.push(cur); }
    else if (cur && line.startsWith('Rss:')) cur.rss = Number(/(\d+)/.exec(line)[1]) * 1024;
  }
  const fd = openSync(`/proc/${pid}/mem`, 'r');
  const buf = Buffer.alloc(PG);
  const out = [];
  for (const m of maps.filter((m) => m.rss >= 8e6 && m.perms.startsWith('rw'))) {
    let match = 0, zero = 0, other = 0, first = -1, firstFileOff = -1, lastFileOff = -1;
    const n = Number(m.end - m.start) / PG;
    for (let i = 0; i < n; i++) {
      let got = 0;
      try { got = readSync(fd, buf, 0, PG, m.start + BigInt(i * PG)); } catch { got = 0; }
      if (got !== PG) continue;
      const h = createHash('md5').update(buf).digest('hex');
      if (h === ZERO) zero++;
      else if (fileHashes.has(h)) { match++; const fo = fileHashes.get(h); if (first < 0) { first = i; firstFileOff = fo; } lastFileOff = fo; }
      else other++;
    }
    out.push({ label, vsizeMB: +(Number(m.end - m.start) / 1e6).toFixed(1), rssMB: +(m.rss / 1e6).toFixed(1), perms: m.perms, name: m.name, addr: m.start.toString(16), weightPagesMB: +(match * PG / 1e6).toFixed(1), zeroMB: +(zero * PG / 1e6).toFixed(1), otherMB: +(other * PG / 1e6).toFixed(1), firstMatchPage: first, firstFileOff, lastFileOff });
  }
  closeSync(fd);
  return out;
}

async function main() {
  const srv = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', '--outDir', DIST], { cwd: ROOT, stdio: 'ignore', detached: true });
  try {
    await waitHttp(`http://127.0.0.1:${PORT}/`);
    const url = `http://127.0.0.1:${PORT}/?debug=1&${QUERY}`;
    const dir = await cachedProfile(url, log);
    const { ctx, page } = await launch(log, { dir, args: (process.env.EXTRA_ARGS ?? '').split(' ').filter(Boolean) });
    try {
      await page.goto(url);
      await waitModelReady(page);
      await sleep(1500);
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('HeapProfiler.collectGarbage');
      await sleep(1000);
      const procs = chromiumProcesses().filter((p) => p.kind === 'renderer').sort((a, b) => b.pss - a.pss);
      const total = chromiumProcesses().reduce((s, p) => s + p.pss, 0);
      console.log(JSON.stringify({ totalPssMB: +(total / 1e6).toFixed(1), renderer: procs.map((p) => ({ pid: p.pid, pssMB: +(p.pss / 1e6).toFixed(1) })) }));
      for (const row of scan(procs[0].pid, 'ready+gc')) console.log(JSON.stringify(row));
      // now a GC in every worker too (the page's forced GC does not reach the workers' heaps)
      for (const { info, call } of await workerTargets(cdp)) {
        await call('HeapProfiler.collectGarbage');
        log('worker gc', info.type, info.url.split('/').pop());
      }
      await sleep(1000);
      console.log(JSON.stringify({ after: 'worker-gc', totalPssMB: +(chromiumProcesses().reduce((s, p) => s + p.pss, 0) / 1e6).toFixed(1) }));
      for (const row of scan(procs[0].pid, 'ready+gc+workergc')) console.log(JSON.stringify(row));
    } finally {
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    try { process.kill(-srv.pid); } catch { /* gone */ }
  }
}
await main();
