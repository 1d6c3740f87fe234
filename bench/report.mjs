// Renders a bench result as the "latest run" section of BENCHMARKS.md (between the markers).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';


const ms = (s) => (s == null ? '–' : typeof s === 'number' ? `${fmt(s)}` : `${fmt(s.median)} (${fmt(s.p10)}–${fmt(s.p90)})`);
const fmt = (x) => (x == null ? '–' : x >= 100 ? Math.round(x).toLocaleString('en-US') : (+x.toFixed(1)).toString());
const med = (s) => (s == null ? null : typeof s === 'number' ? s : s.median);
const ratio = (a, b) => (med(a) == null || med(b) == null ? '–' : `${(med(a) / med(b)).toFixed(2)}x`);
const mb = (b) => (b == null ? '–' : `${(b / 1e6).toFixed(1)} MB`);

export function renderTable(r) {
  const a = r.app ?? {};
  const n = r.node ?? {};
  const t = r.tjs ?? {};
  const i = a.image ?? {};
  const e = a.e2e ?? {};
  const mem = r.memory ?? {};
  const rows = [
    ['Image encoder, WASM int8, 2 threads', ms(i['int8-t2']), ms(n.image?.['int8-t2']), ms(t.vision), ratio(i['int8-t2'], n.image?.['int8-t2']), ratio(i['int8-t2'], t.vision), '<= 2.5x node'],
    ['Image encoder, WASM int8, 1 thread', ms(i['int8-t1']), ms(n.image?.['int8-t1']), '', ratio(i['int8-t1'], n.image?.['int8-t1']), '', ''],
    ['Image encoder, WASM fp32, 2 threads', ms(i['fp32-t2']), ms(n.image?.['fp32-t2']), '', ratio(i['fp32-t2'], n.image?.['fp32-t2']), '', ''],
    ['Image encoder, WASM q4, 2 threads', ms(i['q4-t2']), ms(n.image?.['q4-t2']), '', ratio(i['q4-t2'], n.image?.['q4-t2']), '', ''],
    ['Text encoder, int8, batch of 8 (trimmed to longest)', ms(a.text?.['int8-b8-trim']), ms(n.text?.['int8-b8-trim']), '', ratio(a.text?.['int8-b8-trim'], n.text?.['int8-b8-trim']), '', ''],
    ['Text encoder, int8, batch of 8 padded to 77', ms(a.text?.['int8-b8-pad77']), ms(n.text?.['int8-b8-pad77']), '', ratio(a.text?.['int8-b8-pad77'], n.text?.['int8-b8-pad77']), '', ''],
    ['400 new labels, trimmed (vs padded to 77 in the app column of the ratio)', ms(a.text?.['400-trim']), '', '', '', '', `${ratio(a.text?.['400-trim'], a.text?.['400-pad77'])} of padded (${ms(a.text?.['400-pad77'])} ms); target <= 0.25x`],
    ['12 MP JPEG: decode + preprocess + image encode', ms(e.photoPath), '', ms(t.photoPath), '', ratio(e.photoPath, t.photoPath), '<= 0.4x tjs'],
    [`Dropped 12 MP photo -> differential, whole ontology (${e.labels ?? '?'} labels), first after load`, ms(e.first?.domMs), '', ms(t.pipeline?.ms), '', ratio(e.first?.domMs, t.pipeline?.ms), '<= 1/30 = 0.033x tjs'],
    ['Same photo again, picked from disk (file input)', ms(e.repeat), '', '', '', '', '<= 20 ms'],
    ['Same photo again, dropped as a File built in the page (+ its blob registration)', ms(e.repeatDrop ?? null), '', '', '', '', ''],
    ['Re-rank on label-set change (classifier cached)', ms(e.rerank), '', '', '', '', '<= 5 ms'],
    ['Re-rank, first switch to a new set (builds its classifier)', ms(e.rerankFirst?.domMs), '', '', '', '', ''],
    ['Page load -> ready, int8, weights cached', ms(a.ready?.['int8-cached']), '', '', '', '', '<= 3,000 ms'],
    ['Page load -> ready, int8, first visit (download)', ms(a.ready?.['int8-cold']), '', `${ms(t.loadPipelineMs)} (pipeline load)`, '', '', ''],
    ['Peak PSS of all Chromium processes: one session (open the app, weights cached; diagnose a new 12 MP photo) / transformers.js phase', mb(mem['app-session-int8']?.bytes), '', mb(mem.tjs?.bytes), '', ratio(mem['app-session-int8']?.bytes, mem.tjs?.bytes), '<= 700 MB'],
    ['Peak PSS, app int8 phase (cold load, 5 quick reloads whose pages overlap, encoder runs)', mb(mem['app-wasm-int8']?.bytes), '', '', '', '', ''],
  ];
  const dl = Object.entries(a.download ?? {})
    .filter(([, d]) => d.total)
    .map(([v, d]) => `${v} ${mb(d.total)} (image ${mb(d.image)}, text ${mb(d.text)})`)
    .join('; ');
  const other = Object.entries(mem)
    .filter(([k]) => k !== 'idle')
    .map(([k, v]) => `${k} ${mb(v.bytes)}`)
    .join(', ');
  const wg = a.webgpu ? (a.webgpu.error ? `failed: ${a.webgpu.error}` : `${a.webgpu.choice?.backend}/${a.webgpu.choice?.variant} on ${a.webgpu.adapter?.architecture || a.webgpu.adapter?.vendor || '?'} (fallback adapter: ${a.webgpu.adapter?.isFallbackAdapter}); cosine vs WASM fp32 ${a.webgpu.cosineVsWasmFp32?.toFixed(6)}; one run ${fmt(a.webgpu.msOneRun)} ms (meaningless: software)`) : 'not run';
  const v = r.versions ?? {};
  return [
    `Command: \`${r.command}\` · date ${r.date} · machine ${r.machine?.host} (${r.machine?.cpu}, ${r.machine?.cores} cores, ${r.machine?.memGB} GB) · Chromium ${a.chromium ?? '?'} headless · ` +
      `Node ${v.node} · onnxruntime-web ${v['onnxruntime-web (app)']} (app) · onnxruntime-node ${v['onnxruntime-node']} · transformers.js ${t.version ?? v['@huggingface/transformers']} (its onnxruntime-web ${v['onnxruntime-web (transformers.js)']}) · git ${v.git} · ` +
      `${r.runs} timed runs after 2 warm-ups, median (p10–p90), ms · load average at start ${r.loadavg?.start?.join(' ')}, end ${r.loadavg?.end?.join(' ')} · wall ${r.wallSeconds} s`,
    '',
    '| what | app (ms) | onnxruntime-node | transformers.js | app / node | app / tjs | target |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    `- Download bytes per variant (both towers + tokenizer + shipped text embeddings): ${dl}.`,
    `- Peak PSS per phase: ${other}.`,
    ...(mem['app-session-int8']?.byKind ? [`- One session's peak by process: ${Object.entries(mem['app-session-int8'].byKind).sort((x, y) => y[1] - x[1]).map(([k, b]) => `${k} ${mb(b)}`).join(', ')}; Chromium on about:blank: ${Object.entries(mem['browser-blank']?.byKind ?? {}).sort((x, y) => y[1] - x[1]).map(([k, b]) => `${k} ${mb(b)}`).join(', ')}.`] : []),
    `- WebGPU (correctness only): ${wg}.`,
    `- Cosine of the image embedding vs WASM fp32: int8 ${a.image?.cosine?.int8VsFp32?.toFixed(5) ?? '–'}, q4 ${a.image?.cosine?.q4VsFp32?.toFixed(5) ?? '–'}.`,
    `- transformers.js pipeline top-3: ${(t.pipeline?.top ?? []).map((x) => `${x.label} ${x.score.toFixed(3)}`).join(', ') || '–'}${t.error ? `; error: ${t.error}` : ''}.`,
  ].join('\n');
}

/** Replaces the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` (appended under `title` when missing). */
export function writeSection(file, name, title, content) {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  if (!text.includes(start)) text += `\n## ${title}\n\n${start}\n${end}\n`;
  text = text.slice(0, text.indexOf(start)) + `${start}\n${content}\n${end}` + text.slice(text.indexOf(end) + end.length);
  writeFileSync(file, text);
}

export function writeReport(file, result) {
  writeSection(file, 'latest', 'Latest run', renderTable(result));
}
