// The BENCHMARKS.md table of `npm run bench:index` (bench/index.mjs).
const f1 = (x) => (x == null ? '–' : x >= 100 ? Math.round(x).toLocaleString('en-US') : (+x.toFixed(2)).toString());
const mib = (b) => (b == null ? '–' : `${Math.round(b / 2 ** 20)} MiB`);
/** The split of a peak by kind of Chromium process, largest first. */
const kinds = (byKind) =>
  byKind
    ? `; at the peak: ${Object.entries(byKind)
        .sort((a, b) => b[1] - a[1])
        .map(([k, b]) => `${k.replace(/^utility:/, '')} ${mib(b)}`)
        .join(', ')}`
    : '';
const verdict = (ok) => (ok == null ? '–' : ok ? '**met**' : '**not met**');

const THROUGHPUT_TARGET = 2;
const MEMORY_TARGET = 2 ** 30;

export function renderIndex(r) {
  const rows = [];
  for (const s of Object.values(r.sets)) {
    const a = s.app;
    const t = s.tjs;
    const ratio = t ? a.indexRate / t.rate : null;
    rows.push([
      `Indexing throughput, ${s.photos} ${s.label}, photos/s (copy into the collection done -> last photo indexed)`,
      `${f1(a.indexRate)} (${f1(a.indexMs / 1000)} s)`,
      t ? `${f1(t.rate)} (${f1(t.loopMs / 1000)} s)` : '–',
      ratio == null ? '–' : `${ratio.toFixed(2)}x`,
      `>= ${THROUGHPUT_TARGET}x tjs`,
      verdict(ratio == null ? null : ratio >= THROUGHPUT_TARGET),
    ]);
    const ratio2 = t ? a.importAndIndexRate / t.rate : null;
    rows.push([`Same, counting the import too (Import click -> last photo indexed; the copy into IndexedDB took ${f1(a.copyMs / 1000)} s)`, `${f1(a.importAndIndexRate)} (${f1(a.totalMs / 1000)} s)`, t ? f1(t.rate) : '–', ratio2 == null ? '–' : `${ratio2.toFixed(2)}x`, '', '']);
  }
  const m = r.memory;
  if (m) {
    rows.push([
      `Peak PSS of all Chromium processes, one tab (${m.date}, load average after ${m.loadavgEnd?.join(' ')}): open the app (${m.bundle}), import and index ${m.photos.toLocaleString('en-US')} small JPEGs (${m.size}) (${f1(m.run.indexRate)} photos/s, ${f1(m.run.totalMs / 1000)} s in all)`,
      `${mib(m.peak?.bytes)}${m.run.peaks ? ` (up to the end of the copy ${mib(m.run.peaks.upToCopy?.bytes)}, indexing ${mib(m.run.peaks.indexing?.bytes)})` : ''}${kinds(m.peak?.byKind)}`,
      '',
      '',
      '<= 1 GiB',
      verdict(m.peak ? m.peak.bytes <= MEMORY_TARGET : null),
    ]);
  }
  const e = r.reEvaluation;
  if (e) {
    rows.push([
      `Re-evaluation on a class-list change, ${e.n.toLocaleString('en-US')} photos, 7 classes (from \`npm run bench:eval\`, ${e.date}, load average ${e.loadavg?.join(' ')}, ${e.file}; not re-run here)`,
      `${f1(e.row.median)} ms wall, ${f1(e.row.cpuMedian)} ms CPU of the Node process (medians)`,
      '',
      '',
      '<= 50 ms',
      `${verdict(e.row.cpuMedian <= 50)} by CPU time, ${verdict(e.row.median <= 50)} by wall time (shared machine)`,
    ]);
  }
  const sets = Object.values(r.sets);
  const a0 = sets[0]?.app;
  const t0 = sets.find((s) => s.tjs)?.tjs;
  return [
    `Command: \`${r.command}\` · ${r.date} · ${r.machine.cpu}, ${r.machine.cores} cores · git ${r.git} · throughput rows: bundle ${r.bundle}, WASM int8, 2 threads` +
      (a0 ? ` (app engine: ${a0.choice?.backend}/${a0.choice?.variant})` : '') +
      (t0 ? `, transformers.js ${t0.version} q8 on the same weights` : '') +
      ` · each side in a fresh Chromium profile (nothing cached), one run each · load average at start ${r.loadavg.start.join(' ')}, end ${r.loadavg.end.join(' ')}` +
      sets.map((s) => `; ${s.label}: ${s.date}, load average before ${s.loadavgBefore.join(' ')}, after ${s.loadavgAfter.join(' ')}`).join('') +
      ` · wall ${r.wallSeconds} s`,
    '',
    '| what | app | transformers.js loop | app / tjs | target | verdict |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}
