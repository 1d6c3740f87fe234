/**
 * Indexing a collection in the background: every photo's image embedding with the loaded model.
 * Photos are read one at a time from IndexedDB (or through their file handle) and decoded in a
 * worker (media/decode-pool.ts) a few photos ahead, while the inference worker encodes the
 * previous batch (EngineClient.encodeImages with n > 1). Embeddings go to the shared embedding
 * cache (a photo whose tensor is already there costs no model run); each entry records its tensor
 * hash and model as soon as its batch is stored, so a reload or a crashed tab resumes where it
 * stopped. Memory stays bounded: at most `ahead` decoded tensors exist at any time (core/collections/index-plan.ts
 * sets the batch, how far ahead and whether decoding overlaps with the encoder).
 */
import { epochNow } from '../storage/epoch';
import { create } from 'zustand';
import { imageKey } from '../core/cachekeys';
import { RateMeter } from '../core/collections/progress';
import { indexPlan } from '../core/collections/index-plan';
import { StageTimes } from '../core/collections/stage-times';
import { embeddingModelKey, type CollectionEntry } from '../core/collections/types';
import { AppError, toAppError } from '../core/errors';
import { DecodePool, type DecodedForIndex } from '../media/decode-pool';
import { getFolderHandle, getPhoto, putThumbnails } from '../storage/collections';
import { getEmbeddings, putEmbeddings } from '../storage/embeddings';
import { collectionById, commitEntries, entriesOf, updateCollection, useCollections } from './collections';
import { debugEnabled } from './debug';
import { currentModel, useLoadedModel } from './model';
import { notify } from './notices';


export type IndexState = 'queued' | 'running' | 'paused' | 'done' | 'needs-permission' | 'error';

export interface IndexStatus {
  state: IndexState;
  /** Photos with an embedding from this model. */
  done: number;
  /** Photos that can be indexed (bad ones excluded). */
  total: number;
  /** Photos that could not be read (listed on the collection page). */
  failed: number;
  /** This run: embeddings found in the cache / computed by the model. */
  fromCache: number;
  encoded: number;
  /** Photos per second and seconds left (null until measured). */
  rate: number | null;
  eta: number | null;
  /** bundle/variant the embeddings are for. */
  model: string;
  message?: string;
}

export const useIndexing = create<{ status: Record<string, IndexStatus | undefined> }>(() => ({ status: {} }));

function setStatus(id: string, s: IndexStatus): void {
  useIndexing.setState((st) => ({ status: { ...st.status, [id]: s } }));
}

const queue: string[] = [];
let running: { id: string; stop: boolean } | null = null;
let pool: DecodePool | null = null;

/** Where the latest indexing run's time went, per batch stage (the debug console's `indexTimings()`). */
export const indexTimes = new StageTimes(() => performance.now());

/** Index a collection (after the one running, if any); remembered across reloads. */
export async function startIndexing(id: string): Promise<void> {
  if (collectionById(id)?.indexing !== 'running') await updateCollection(id, { indexing: 'running' });
  if (running?.id !== id && !queue.includes(id)) queue.push(id);
  const s = useIndexing.getState().status[id];
  if (running?.id !== id) setStatus(id, { ...(s ?? emptyStatus()), state: 'queued', message: undefined });
  void pump();
}

/** Stop after the batch in progress; a reload does not resume a paused collection. */
export async function pauseIndexing(id: string): Promise<void> {
  await updateCollection(id, { indexing: 'paused' });
  const i = queue.indexOf(id);
  if (i >= 0) queue.splice(i, 1);
  if (running?.id === id) running.stop = true;
  const s = useIndexing.getState().status[id];
  setStatus(id, { ...(s ?? emptyStatus()), state: 'paused', rate: null, eta: null });
}

/** At start: read the collections, and carry on with every one that was being indexed (a reload or a crashed tab). */
export async function startCollections(): Promise<void> {
  await useCollections.getState().hydrate();
  for (const c of useCollections.getState().collections) if (c.indexing === 'running') void startIndexing(c.id);
}

/** Ask again for the linked folder's permission (must run in a click handler), then go on. */
export async function allowFolderAccess(id: string): Promise<void> {
  const dir = (await getFolderHandle(id)) as (FileSystemDirectoryHandle & { requestPermission?(o: { mode: 'read' }): Promise<PermissionState> }) | undefined;
  if (!dir) return;
  const state = dir.requestPermission ? await dir.requestPermission({ mode: 'read' }) : 'granted';
  if (state === 'granted') await startIndexing(id);
}

/** The linked folder's read permission lapsed (browsers ask again after a reload). */
class NeedsPermission extends AppError {
  constructor() {
    super('input-invalid', 'Permission to read the linked folder is needed again (browsers ask after a reload).', 'Press "Allow access" and confirm.');
  }
}

function emptyStatus(): IndexStatus {
  return { state: 'queued', done: 0, total: 0, failed: 0, fromCache: 0, encoded: 0, rate: null, eta: null, model: '' };
}

async function pump(): Promise<void> {
  if (running) return;
  const id = queue.shift();
  if (!id) {
    pool?.dispose();
    pool = null;
    return;
  }
  running = { id, stop: false };
  const job = running;
  try {
    await indexCollection(job);
  } catch (e) {
    const err = toAppError(e);
    const s = useIndexing.getState().status[id] ?? emptyStatus();
    if (e instanceof NeedsPermission) setStatus(id, { ...s, state: 'needs-permission', message: err.message, rate: null, eta: null });
    else {
      setStatus(id, { ...s, state: 'error', message: err.message, rate: null, eta: null });
      notify({ level: 'error', message: `Indexing stopped: ${err.message}`, hint: err.hint });
    }
  } finally {
    running = null;
    void pump();
  }
}

/** The debug-only pause after each batch (?debug=1&indexDelay=ms on the page's first URL): lets tests reload mid-index. */
const DEBUG_PARAMS = typeof location !== 'undefined' && debugEnabled() ? new URLSearchParams(location.search) : new URLSearchParams();
const DEBUG_DELAY = Number(DEBUG_PARAMS.get('indexDelay') ?? 0) || 0;
/** Debug-only overrides of the index plan (benchmarks compare them): ?indexBatch=n, ?indexOverlap=0|1. */
const DEBUG_PLAN = { batch: Number(DEBUG_PARAMS.get('indexBatch')) || undefined, overlap: DEBUG_PARAMS.has('indexOverlap') ? DEBUG_PARAMS.get('indexOverlap') === '1' : undefined };

async function photoBlob(collectionId: string, e: CollectionEntry): Promise<Blob> {
  const p = await getPhoto(collectionId, e.seq);
  if (!p) throw new AppError('file-corrupt', `"${e.name}": the photo is not kept in this collection (imported without photos).`);
  if (p instanceof Blob) return p;
  try {
    return await p.getFile();
  } catch (err) {
    if (err instanceof DOMException && (err.name === 'NotAllowedError' || err.name === 'SecurityError')) {
      throw new NeedsPermission();
    }
    if (err instanceof DOMException && err.name === 'NotFoundError') throw new AppError('file-corrupt', `"${e.path}" is no longer in the linked folder (moved or deleted).`);
    throw err;
  }
}

type Decoded = { entry: CollectionEntry; result?: DecodedForIndex; error?: AppError };

async function indexCollection(job: { id: string; stop: boolean }): Promise<void> {
  const id = job.id;
  const model = await currentModel();
  const m = model.source.manifest;
  let variant = (await model.engine.ready('image')).variant;
  const plan = indexPlan(DEBUG_PLAN);
  let mk = embeddingModelKey(m.id, variant);
  const entries = await entriesOf(id);
  const todo = entries.filter((e) => !e.problem && (!e.embedded.includes(mk) || !e.hasThumbnail));
  const status: IndexStatus = { ...emptyStatus(), state: 'running', model: mk };
  const count = () => {
    status.total = entries.filter((e) => !e.problem).length;
    status.failed = entries.length - status.total;
    status.done = entries.filter((e) => !e.problem && e.embedded.includes(mk)).length;
  };
  count();
  setStatus(id, { ...status });
  const meter = new RateMeter();
  meter.add(performance.now(), status.done);
  const times = indexTimes;
  times.reset();
  pool ??= new DecodePool(navigator.hardwareConcurrency > 4 ? 2 : 1);
  const decoder = pool;
  const delay = DEBUG_DELAY;

  let next = 0;
  const inflight: Promise<Decoded>[] = [];
  const fill = () => {
    while (inflight.length < plan.ahead && next < todo.length) {
      const entry = todo[next++];
      const needEmbedding = !entry.embedded.includes(mk);
      inflight.push(
        photoBlob(id, entry)
          .then((blob) => decoder.decode(blob, entry.name, needEmbedding ? m.image : null, !entry.hasThumbnail))
          .then(
            (result): Decoded => ({ entry, result }),
            (e: unknown): Decoded => ({ entry, error: toAppError(e) }),
          ),
      );
    }
  };

  fill();
  while (inflight.length > 0) {
    if (job.stop) {
      setStatus(id, { ...status, state: 'paused', rate: null, eta: null });
      return;
    }
    if (useLoadedModel.getState().slots.main.phase === 'ready' && (await currentModel()) !== model) {
      // The user chose another model: start over with it (what is done stays done).
      queue.unshift(id);
      return;
    }
    const tBatch = performance.now();
    const batch = await times.time('wait for decoded photos', () => Promise.all(inflight.splice(0, plan.batch)));
    if (plan.overlap) fill();
    const permission = batch.find((d) => d.error instanceof NeedsPermission);
    if (permission) throw permission.error;
    const changed: CollectionEntry[] = [];
    const thumbs: { collectionId: string; seq: number; blob: Blob }[] = [];
    const needs: { d: Decoded; sha: string; tensor: Float32Array }[] = [];
    for (const d of batch) {
      changed.push(d.entry);
      if (d.error || !d.result) {
        d.entry.problem = d.error?.message ?? 'The photo could not be read.';
        continue;
      }
      const r = d.result;
      times.add('decode worker, per photo', r.ms);
      d.entry.width = r.width;
      d.entry.height = r.height;
      if (r.thumbnail) {
        thumbs.push({ collectionId: id, seq: d.entry.seq, blob: r.thumbnail });
        d.entry.hasThumbnail = true;
      }
      if (r.tensor && r.tensorSha256) {
        d.entry.tensors = { ...d.entry.tensors, [m.id]: r.tensorSha256 };
        needs.push({ d, sha: r.tensorSha256, tensor: r.tensor });
      }
    }
    // The embedding cache first: a photo seen before (here or on the diagnose screen) costs no model run.
    const ref = { id: m.id, identity: model.source.identity };
    const cached = needs.length ? await times.time('embedding cache lookup', () => getEmbeddings('image', needs.map((n) => imageKey(ref, variant, n.sha))).catch(() => needs.map(() => undefined))) : [];
    const misses = needs.filter((_, i) => !cached[i]);
    status.fromCache += needs.length - misses.length;
    for (let i = 0; i < needs.length; i++) if (cached[i]) markEmbedded(needs[i].d.entry, mk);
    if (misses.length) {
      const size = m.image.size;
      const plane = 3 * size * size;
      const tensors = new Float32Array(misses.length * plane);
      misses.forEach((n, k) => tensors.set(n.tensor, k * plane));
      const tEncode = performance.now();
      const vectors = await model.engine.encodeImages({ tensors, n: misses.length });
      times.add('encoder run, per batch', performance.now() - tEncode);
      times.add('encoder run, per photo', (performance.now() - tEncode) / misses.length);
      // The engine may have fallen back to another variant: key by what really ran.
      const ran = model.engine.choice?.variant ?? variant;
      if (ran !== variant) {
        variant = ran;
        mk = embeddingModelKey(m.id, variant);
        status.model = mk;
      }
      const epoch = await epochNow();
      const stored = await times.time('embedding cache write', () => putEmbeddings('image', misses.map((n, k) => [imageKey(ref, variant, n.sha), vectors[k]]), epoch));
      if (stored.evicted) notify({ level: 'info', message: `The browser's storage was full: ${stored.evicted} least recently used cached embeddings were removed to make room.` });
      for (const n of misses) markEmbedded(n.d.entry, mk);
      status.encoded += misses.length;
    }
    // Without overlap: the next batch decodes now that the encoder is idle (beside the writes below).
    if (!plan.overlap) fill();
    await times.time('thumbnail write', () => putThumbnails(thumbs));
    await times.time('entries write', () => commitEntries(id, changed));
    count();
    const now = performance.now();
    meter.add(now, status.done);
    status.rate = meter.rate();
    status.eta = meter.eta(status.total - status.done);
    if (job.stop) {
      setStatus(id, { ...status, state: 'paused', rate: null, eta: null });
      return;
    }
    setStatus(id, { ...status });
    times.add('batch, in all', performance.now() - tBatch);
    if (delay) await new Promise((r) => setTimeout(r, delay));
  }
  count();
  setStatus(id, { ...status, state: 'done', rate: null, eta: 0 });
  if (status.failed) notify({ level: 'warning', message: `${status.failed} photo(s) of "${collectionById(id)?.name ?? 'the collection'}" could not be read; they are listed on its page.` });
}

function markEmbedded(e: CollectionEntry, mk: string): void {
  if (!e.embedded.includes(mk)) e.embedded = [...e.embedded, mk];
}
