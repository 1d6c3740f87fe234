/**
 * From pixels and prompts to normalised embeddings, through the caches: the image embedding is
 * keyed by the sha256 of the preprocessed tensor, text embeddings by prompt; the shipped table is
 * used first and only missing prompts reach the text encoder.
 */
import { imageKey, sha256Hex, textKey, type ModelRef } from '../core/cachekeys';
import { AppError, toAppError } from '../core/errors';
import { preprocess, type CropRegion, type RgbaImage } from '../core/preprocess';
import type { CallOptions } from '../engine/protocol';
import { getEmbedding, getEmbeddings, putEmbedding, putEmbeddings } from '../storage/embeddings';
import { epochNow } from '../storage/epoch';
import type { LoadedModel } from './model';
import { notify } from './notices';

export interface ImageEmbedding {
  embedding: Float32Array;
  tensorSha256: string;
  fromCache: boolean;
  variant: string;
  backend: string;
  ms: { preprocess: number; encode: number };
}

/** The cache had to evict old entries to make room: say so. */
function onEvict(n: number): void {
  notify({ level: 'info', message: `The browser's storage was full: ${n} least recently used cached embeddings were removed to make room. Saved cases were kept.` });
}

/**
 * `cache: false` neither reads nor writes the embedding cache (kiosk visitors: nothing of theirs
 * may reach persistent storage, not even a last-used time).
 */
export async function embedImage(model: LoadedModel, pixels: RgbaImage, crop?: CropRegion, options: CallOptions & { cache?: boolean } = {}): Promise<ImageEmbedding> {
  const { cache = true, ...opts } = options;
  const m = model.source.manifest;
  // The wipe epoch this embedding belongs to: a "delete all" while it runs refuses to store it.
  // Without the cache nothing is stored, and reading the epoch would open (create) the stores.
  const epoch = cache ? await epochNow() : null;
  const t0 = performance.now();
  const tensor = preprocess(pixels, crop, m.image);
  const t1 = performance.now();
  const sha = await sha256Hex(new Uint8Array(tensor.buffer, tensor.byteOffset, tensor.byteLength));
  const choice = await model.engine.ready('image', opts);
  const ref: ModelRef = { id: m.id, identity: model.source.identity };
  const key = imageKey(ref, choice.variant, sha);
  const hit = cache ? await getEmbedding('image', key).catch(() => undefined) : undefined;
  if (hit) return { embedding: hit, tensorSha256: sha, fromCache: true, variant: choice.variant, backend: choice.backend, ms: { preprocess: t1 - t0, encode: 0 } };
  const [embedding] = await model.engine.encodeImages({ tensors: tensor, n: 1 }, opts);
  const t2 = performance.now();
  // The engine may have fallen back to another variant while encoding: key by what really ran.
  const ran = model.engine.choice ?? choice;
  if (cache) {
    const stored = await putEmbedding('image', imageKey(ref, ran.variant, sha), embedding, epoch).catch(() => ({ evicted: 0 }));
    if (stored.evicted) onEvict(stored.evicted);
  }
  return { embedding, tensorSha256: sha, fromCache: false, variant: ran.variant, backend: ran.backend, ms: { preprocess: t1 - t0, encode: t2 - t1 } };
}

export const TEXT_BATCH = 32;

/** The text model could not be downloaded (offline): say so plainly; other errors pass unchanged. */
function textModelUnavailable(e: unknown): unknown {
  const err = toAppError(e);
  if (err.code !== 'network') return e;
  return new AppError(
    'network',
    `Your own labels need the text model, which is not stored on this device yet and could not be downloaded now (${err.message.replace(/\.$/, '')}). Only the image model is kept for offline use until the text model has been used once online.`,
    'They are ranked as soon as the connection is back, and the text model is then kept for offline use. The built-in label sets work offline.',
  );
}

/** Prompts tokenized between two yields to the page (about 40 ms of work on a slow CPU). */
const TOKENIZE_CHUNK = 256;

/** Let the page handle input and paint (scheduler.yield where there is one; not throttled like setTimeout). */
function yieldToPage(): Promise<void> {
  const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (s?.yield) return s.yield();
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });
}

/**
 * Normalised embeddings for prompts: shipped table, then the IndexedDB cache, then the text
 * encoder in batches (trimmed to the longest prompt of each batch: same result, less work; with a
 * dynamic length, prompts are sorted by token length first so each batch pads little).
 */
export async function embedTexts(
  model: LoadedModel,
  prompts: readonly string[],
  opts: CallOptions & { useShipped?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  const useShipped = opts.useShipped ?? true;
  let missing: string[] = [];
  for (const p of new Set(prompts)) {
    const v = useShipped ? model.shipped.get(p) : undefined;
    if (v) out.set(p, v);
    else missing.push(p);
  }
  if (missing.length === 0) return out;
  const m = model.source.manifest;
  const ref: ModelRef = { id: m.id, identity: model.source.identity };
  const epoch = await epochNow();
  const choice = await model.engine.ready('text', opts).catch((e: unknown) => {
    throw textModelUnavailable(e);
  });
  if (useShipped) {
    const keys = missing.map((p) => textKey(ref, choice.variant, p));
    const cached = await getEmbeddings('text', keys).catch(() => missing.map(() => undefined));
    const still: string[] = [];
    missing.forEach((p, i) => {
      const v = cached[i];
      if (v) out.set(p, v);
      else still.push(p);
    });
    missing = still;
  }
  if (missing.length === 0) return out;
  const tokenizer = await model.tokenizer();
  opts.onProgress?.(0, missing.length);
  if (m.text.dynamicLength && missing.length > TEXT_BATCH) {
    // Batch prompts of similar token length together: each batch is trimmed to its longest.
    // Tokenized in chunks, yielding between them: thousands of prompts must not freeze the page.
    const lengths = new Int32Array(missing.length);
    for (let i = 0; i < missing.length; i += TOKENIZE_CHUNK) {
      opts.signal?.throwIfAborted();
      lengths.set(tokenizer.encode(missing.slice(i, i + TOKENIZE_CHUNK)).lengths, i);
      await yieldToPage();
    }
    missing = missing.map((p, i) => ({ p, n: lengths[i] })).sort((a, b) => a.n - b.n).map((x) => x.p);
  }
  let done = 0;
  for (let i = 0; i < missing.length; i += TEXT_BATCH) {
    const batch = missing.slice(i, i + TEXT_BATCH);
    const enc = tokenizer.encode(batch);
    const trimmed = m.text.dynamicLength ? tokenizer.trimToLongest(enc) : enc;
    const vecs = await model.engine.encodeTexts(trimmed, opts);
    const ran = model.engine.choice ?? choice;
    batch.forEach((p, k) => out.set(p, vecs[k]));
    if (useShipped) {
      const stored = await putEmbeddings('text', batch.map((p, k) => [textKey(ref, ran.variant, p), vecs[k]]), epoch).catch(() => ({ evicted: 0 }));
      if (stored.evicted) onEvict(stored.evicted);
    }
    done += batch.length;
    opts.onProgress?.(done, missing.length);
  }
  return out;
}
