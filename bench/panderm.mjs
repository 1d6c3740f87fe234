// DermLIP-PanDerm rows of `npm run bench` (skip with BENCH_SKIP=panderm): the app's encoders on the
// full-size PanDerm fixture (CAE ViT-B/16 + BERT-base shapes, seeded random weights, WordPiece, up
// to 256 tokens) in Chromium, against onnxruntime-node on the same files, in the same run.
// Variants that matter on the CPU: int8 (the default) and fp32 (the "exact" setting).
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PANDERM_BUNDLE, ROOT } from './bundle.mjs';
import { cosine, stats } from './stats.mjs';

export const PANDERM_ID = 'demo-panderm-full';
const r1 = (x) => (x == null ? null : Math.round(x * 10) / 10);

/** Shipped prompts of the bundle (real ontology prompts, tokenized by the app's WordPiece). */
function prompts(n) {
  const all = JSON.parse(readFileSync(join(PANDERM_BUNDLE, 'prompts.json'), 'utf8')).prompts;
  // Spread over the table: every label's prompts, not the first label's templates only.
  const step = Math.max(1, Math.floor(all.length / n));
  return Array.from({ length: n }, (_, i) => all[(i * step) % all.length]);
}

/** onnxruntime-node (CPU EP, 2 threads) on the same files: the native floor; text rows `len` tokens long. */
function nodeRows(runs, len, log) {
  log(`PanDerm: onnxruntime-node baseline (text rows of ${len} tokens)`);
  const out = execFileSync('node', ['bench/ort-node.mjs', PANDERM_BUNDLE, String(runs), 'int8-t2,fp32-t2,int8-b8-trim,fp32-b8-trim', String(len)], { cwd: ROOT, maxBuffer: 1 << 20 });
  return JSON.parse(out.toString().trim().split('\n').pop());
}

/**
 * `launch()` and `openReady(page, query, timeout, bundle)` are run.mjs's (one Chromium setup for
 * every phase). Returns the rows' figures; `sampler` records peak PSS per phase.
 */
export async function pandermBench({ runs, sampler, log, launch, openReady, skipNode }) {
  const manifest = JSON.parse(readFileSync(join(PANDERM_BUNDLE, 'manifest.json'), 'utf8'));
  const res = { id: manifest.id, name: manifest.name, ready: {}, image: {}, text: {}, download: {} };
  const texts = prompts(8 * (runs + 1));
  const { ctx, dir, page } = await launch();
  try {
    for (const variant of ['int8', 'fp32']) {
      sampler.phase(`panderm-${variant}`);
      const q = `backend=wasm&variant=${variant}&threads=2`;
      log(`PanDerm: ${variant}, first load (download)`);
      res.ready[`${variant}-cold`] = r1(await openReady(page, q, 600_000, `/models/${PANDERM_ID}`));
      // Loads from the weight cache: three for the default (int8), one for the exact setting.
      const readies = [];
      for (let i = 0; i < (variant === 'int8' ? 3 : 1); i++) readies.push(await openReady(page, q, 600_000, `/models/${PANDERM_ID}`));
      res.ready[`${variant}-cached`] = stats(readies);
      const info = await page.evaluate(() => window.dermlip.info());
      if (info.choice?.variant !== variant || info.choice?.backend !== 'wasm') throw new Error(`PanDerm ${variant}: the app chose ${JSON.stringify(info.choice)}`);
      log(`PanDerm: image encoder ${variant}`);
      const im = await page.evaluate((n) => window.dermlip.timeImageEncoder(n, 2), runs);
      res.image[`${variant}-t2`] = stats(im.ms);
      res.image[`${variant}-embedding`] = im.embedding;
      log(`PanDerm: text encoder ${variant}, batches of 8`);
      const tx = await page.evaluate((p) => window.dermlip.timeTextEncoder(p, { batch: 8 }), texts);
      res.text[`${variant}-b8-trim`] = stats(tx.ms.slice(1));
    }
    // The app trims each batch to its longest prompt: those lengths, in WordPiece tokens.
    const lens = await page.evaluate(async (p) => (await window.dermlip.tokenize(p)).map((row) => row.filter((id) => id !== 0).length), texts);
    res.text.batchTokens = Array.from({ length: Math.ceil(lens.length / 8) }, (_, b) => Math.max(...lens.slice(b * 8, b * 8 + 8)));
  } finally {
    await ctx.close();
    sampler.phase('idle');
    rmSync(dir, { recursive: true, force: true });
  }
  const typical = stats(res.text.batchTokens).median;
  res.node = skipNode ? null : nodeRows(runs, Math.round(typical), log);
  res.image.cosineInt8VsFp32 = cosine(res.image['int8-embedding'], res.image['fp32-embedding']);
  delete res.image['int8-embedding'];
  delete res.image['fp32-embedding'];
  for (const [v, spec] of Object.entries(manifest.variants)) {
    const bytes = [spec.image, spec.imageData, spec.text, spec.textData].filter(Boolean).reduce((n, f) => n + manifest.files[f].bytes, 0);
    res.download[v] = bytes;
  }
  return res;
}

const ms = (s) => (s == null ? '–' : typeof s === 'number' ? fmt(s) : `${fmt(s.median)} (${fmt(s.p10)}–${fmt(s.p90)})`);
const fmt = (x) => (x == null ? '–' : x >= 100 ? Math.round(x).toLocaleString('en-US') : (+x.toFixed(1)).toString());
const ratio = (a, b) => (a?.median == null || b?.median == null ? '–' : `${(a.median / b.median).toFixed(2)}x`);

/** The PanDerm section of BENCHMARKS.md. */
export function renderPanderm(p, memory = {}) {
  const n = p.node ?? {};
  const rows = [
    ['Image encoder, WASM int8, 2 threads', ms(p.image['int8-t2']), ms(n.image?.['int8-t2']), ratio(p.image['int8-t2'], n.image?.['int8-t2'])],
    ['Image encoder, WASM fp32, 2 threads', ms(p.image['fp32-t2']), ms(n.image?.['fp32-t2']), ratio(p.image['fp32-t2'], n.image?.['fp32-t2'])],
    ['Text encoder, int8, batch of 8 ontology prompts (trimmed to the longest)', ms(p.text['int8-b8-trim']), ms(n.text?.['int8-b8-trim']), ratio(p.text['int8-b8-trim'], n.text?.['int8-b8-trim'])],
    ['Text encoder, fp32, batch of 8 ontology prompts (trimmed to the longest)', ms(p.text['fp32-b8-trim']), ms(n.text?.['fp32-b8-trim']), ratio(p.text['fp32-b8-trim'], n.text?.['fp32-b8-trim'])],
    ['Page load -> ready, int8, weights cached', ms(p.ready['int8-cached']), '', ''],
    ['Page load -> ready, int8, first visit (download)', ms(p.ready['int8-cold']), '', ''],
    ['Page load -> ready, fp32, weights cached', ms(p.ready['fp32-cached']), '', ''],
  ];
  const mb = (b) => (b == null ? '–' : `${(b / 1e6).toFixed(0)} MB`);
  return [
    `Bundle ${p.id} (${p.name}). onnxruntime-node: same files, CPU EP, 2 threads; its text rows are 8 rows as long as the app's median batch (the app's batches, trimmed to their longest prompt: ${(p.text.batchTokens ?? []).join(', ')} tokens with [CLS] and [SEP]).`,
    '',
    '| what | app (ms) | onnxruntime-node (ms) | app / node |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    `- Cosine of the image embedding, int8 vs fp32: ${p.image.cosineInt8VsFp32?.toFixed(5) ?? '–'}.`,
    `- Download (both towers) per variant: ${Object.entries(p.download).map(([v, b]) => `${v} ${mb(b)}`).join(', ')}.`,
    `- Peak PSS of all Chromium processes: int8 phase ${mb(memory['panderm-int8']?.bytes)}, fp32 phase ${mb(memory['panderm-fp32']?.bytes)}.`,
  ].join('\n');
}
