/**
 * `window.dermlip`: a small scripting API over the real pipeline (decode, preprocess, worker,
 * caches). Researchers use it from the console to embed their own photos and prompts; the
 * end-to-end tests use it to compare in-browser embeddings with the PyTorch references.
 * Diagnostics and benchmark hooks (timings, timing loops, cache clearing, a simulated lost GPU)
 * are added only with `?debug=1` (state/debug.ts).
 */
import { resizeToCrop } from '../core/preprocess';
import { decodePhoto } from '../media/decode';
import { filesInFlight } from '../storage/bundle-source';
import { clearEmbeddings } from '../storage/embeddings';
import { slowImports } from './bundles';
import { debugEnabled } from './debug';
import { embedImage, embedTexts, TEXT_BATCH } from './embed';
import { indexTimes } from './indexer';
import { currentModel as model, lastLoad } from './model';

async function fetchPhoto(url: string): Promise<File> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  const blob = await res.blob();
  return new File([blob], url.split('/').pop() ?? 'photo', { type: blob.type });
}

export const consoleApi = {
  /** Backend, variant and device of the loaded model. */
  async info() {
    const m = await model();
    return { bundle: m.source.manifest.id, choice: m.engine.choice, device: m.engine.device, warnings: m.source.warnings };
  },
  /** The u8 [S,S,3] crop the model sees, for a photo at a URL (decoded by the browser). */
  async cropOf(url: string): Promise<number[]> {
    const m = await model();
    const photo = await decodePhoto(await fetchPhoto(url));
    return Array.from(resizeToCrop(photo.pixels, undefined, m.source.manifest.image));
  },
  /** The normalised image embedding of a photo at a URL, through the caches unless `fresh`. */
  async embedImageUrl(url: string) {
    const m = await model();
    const photo = await decodePhoto(await fetchPhoto(url));
    const r = await embedImage(m, photo.pixels);
    return { embedding: Array.from(r.embedding), fromCache: r.fromCache, variant: r.variant, backend: r.backend, ms: r.ms };
  },
  /** Normalised text embeddings computed by the text encoder (shipped table and cache bypassed). */
  async embedPromptsFresh(prompts: string[]): Promise<number[][]> {
    const m = await model();
    const map = await embedTexts(m, prompts, { useShipped: false });
    return prompts.map((p) => Array.from(map.get(p) ?? []));
  },
  /** Token ids as the app's tokenizer makes them (padded to the context length). */
  async tokenize(prompts: string[]): Promise<number[][]> {
    const m = await model();
    const enc = (await m.tokenizer()).encode(prompts);
    const rows: number[][] = [];
    for (let i = 0; i < enc.batch; i++) rows.push(Array.from(enc.ids.subarray(i * enc.length, (i + 1) * enc.length), Number));
    return rows;
  },
  /** How many times each encoder has run in this page (a re-rank must not add any). */
  async stats() {
    const m = await model();
    return { ...m.engine.runs };
  },
  /** How many rows (photos, prompts) each encoder has encoded in this page. */
  async encodedRows() {
    const m = await model();
    return { ...m.engine.rows };
  },
};

/** Only with ?debug=1: load timings, encoder timing loops, cache clearing, a simulated lost GPU. */
export const debugApi = {
  /** At once, without waiting for the model: the last load's timings so far and the files still being read. */
  loadState() {
    return { ...lastLoad, filesInFlight: filesInFlight() };
  },
  /** Where the model load's time went: manifest, tables, runtime start, per tower file/create/warm-up. */
  async loadTimings() {
    const m = await model();
    return { ...lastLoad, runtimeInitMs: m.engine.runtimeInitMs, towers: m.engine.loadTimings };
  },
  /**
   * Benchmark hook: encode one fixed pseudo-random [1,3,S,S] tensor `runs` times after `warmup`
   * runs, through the worker, no cache. Returns each run's wall time in ms (page side).
   */
  async timeImageEncoder(runs = 10, warmup = 2) {
    const m = await model();
    const s = m.source.manifest.image.size;
    const t = new Float32Array(3 * s * s);
    for (let i = 0; i < t.length; i++) t[i] = Math.sin(i * 12.9898) * 1.5;
    const ms: number[] = [];
    let first: number[] = [];
    for (let i = 0; i < warmup + runs; i++) {
      const t0 = performance.now();
      const [e] = await m.engine.encodeImages({ tensors: t, n: 1 });
      if (i >= warmup) ms.push(performance.now() - t0);
      if (i === 0) first = Array.from(e);
    }
    return { ms, choice: m.engine.choice, embedding: first };
  },
  /**
   * Benchmark hook: encode prompts with the text encoder (no cache, no shipped table) in batches
   * of `batch`, either trimmed to each batch's longest prompt (what the app does) or padded to
   * the context length. Returns the total and per-batch wall times in ms.
   */
  async timeTextEncoder(prompts: string[], opts: { pad?: boolean; batch?: number } = {}) {
    const m = await model();
    await m.engine.ready('text');
    const tokenizer = await m.tokenizer();
    const batch = opts.batch ?? TEXT_BATCH;
    const ms: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < prompts.length; i += batch) {
      const t1 = performance.now();
      const enc = tokenizer.encode(prompts.slice(i, i + batch));
      const b = opts.pad ? enc : tokenizer.trimToLongest(enc);
      await m.engine.encodeTexts(b);
      ms.push(performance.now() - t1);
    }
    return { totalMs: performance.now() - t0, ms, choice: m.engine.choice };
  },
  /**
   * How a photo at a URL is decoded: the method (a JPEG at n/8 scale, the browser in full, HEIC),
   * original and working sizes, the decode time in ms, the crop the model sees and its embedding.
   * `jpeg: 'bitmap'` forces a full decode (the decode-at-size benchmark's baseline), downscaled with
   * createImageBitmap's `resizeQuality` (default 'high').
   */
  async decodeInfo(url: string, jpeg: 'auto' | 'bitmap' = 'auto', resizeQuality?: ResizeQuality) {
    const m = await model();
    const file = await fetchPhoto(url);
    const t0 = performance.now();
    const photo = await decodePhoto(file, file.name, { jpeg, resizeQuality });
    const ms = performance.now() - t0;
    const crop = resizeToCrop(photo.pixels, undefined, m.source.manifest.image);
    const r = await embedImage(m, photo.pixels);
    return { method: photo.method, width: photo.width, height: photo.height, workingWidth: photo.pixels.width, workingHeight: photo.pixels.height, ms, crop: Array.from(crop), embedding: Array.from(r.embedding) };
  },
  /** Where the latest indexing run's time went, per batch stage (count, total, mean, min, max ms). */
  indexTimings() {
    return indexTimes.report();
  },
  /** Benchmark hook: forget every cached image and text embedding (weights stay cached). */
  async clearEmbeddingCache() {
    await clearEmbeddings();
  },
  /** Wait `ms` before each file of the next imports (tests reload in the middle of one). */
  slowImports(ms: number) {
    slowImports(ms);
  },
  /** Simulate a lost GPU device (diagnostics and tests). */
  async loseDevice() {
    const m = await model();
    await m.engine.loseDevice();
  },
};

type FullApi = typeof consoleApi & Partial<typeof debugApi>;

declare global {
  interface Window {
    dermlip: FullApi;
  }
}

export function installConsoleApi(): void {
  window.dermlip = debugEnabled() ? { ...consoleApi, ...debugApi } : { ...consoleApi };
}
