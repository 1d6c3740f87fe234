/**
 * `window.dermlip`: a small scripting API over the real pipeline (decode, preprocess, worker,
 * caches). Researchers use it from the console to embed their own photos and prompts; the
 * end-to-end tests use it to compare in-browser embeddings with the PyTorch references.
 */
import { resizeToCrop } from '../core/preprocess';
import { decodePhoto } from '../media/decode';
import { embedImage, embedTexts } from './embed';
import { currentPreference, getModel } from './model';

async function model() {
  const { bundleUrl, pref } = currentPreference();
  return getModel(bundleUrl, pref);
}

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
    return Array.from(resizeToCrop(photo.pixels, undefined, m.source.manifest.image.size));
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
    const enc = m.tokenizer.encode(prompts);
    const rows: number[][] = [];
    for (let i = 0; i < enc.batch; i++) rows.push(Array.from(enc.ids.subarray(i * enc.length, (i + 1) * enc.length), Number));
    return rows;
  },
  /** How many times each encoder has run in this page (a re-rank must not add any). */
  async stats() {
    const m = await model();
    return { ...m.engine.runs };
  },
  /** Simulate a lost GPU device (diagnostics and tests). */
  async loseDevice() {
    const m = await model();
    await m.engine.loseDevice();
  },
};

declare global {
  interface Window {
    dermlip: typeof consoleApi;
  }
}

export function installConsoleApi(): void {
  window.dermlip = consoleApi;
}
