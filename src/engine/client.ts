/**
 * The engine client: chooses backend and variant (core/backend-plan, from the manifest's variants
 * and their required GPU features), creates sessions lazily, falls back to the next choice when
 * one fails its warm-up or the GPU is lost, and retries the interrupted request so the user's work
 * is not lost. The request/reply plumbing is engine/rpc.ts.
 */
import { describeChoice, planBackends, type Choice, type Preference } from '../core/backend-plan';
import { toWireError, type ErrorCode } from '../core/errors';
import type { EvalCalls, EvalCallType, RetrievalRequest, SearchRequest } from '../core/eval/calls';
import type { EvaluateRequest, Evaluation, ProbeComparison, ProbeRequest } from '../core/eval/evaluate';
import type { CrossModalRetrieval, SearchHit } from '../core/eval/retrieval';
import { towerFiles, variantOf, variantsForPlan } from '../core/manifest';
import type { TokenBatch } from '../core/tokenizer';
import { warmupTokenIds } from '../core/tokenizer/warmup-ids';
import { normalizeRows } from '../core/vectors';
import type { CallOptions, EngineStatus, FileProgress, ImageBatch, LoadTimings, ModelSource, ProbeResult, ReplyOf, RequestOf, Tower, WireError, WorkerEvent } from './protocol';
import { EngineError, untilAborted, WorkerRpc, type WorkerFactory, type WorkerLike } from './rpc';

export { EngineError };

/** Errors that no other backend can fix: surface them instead of falling back. */
const NOT_BACKEND: ReadonlySet<ErrorCode> = new Set(['network', 'file-corrupt', 'quota', 'manifest-invalid']);

const defaultWorker: WorkerFactory = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'dermlip-engine' }) as WorkerLike;

export interface EngineOptions {
  source: ModelSource;
  preference?: Preference;
  onStatus?: (s: EngineStatus) => void;
  /** Tests pass a fake worker. */
  createWorker?: WorkerFactory;
  /** Accept diagnostics requests (simulating a lost GPU). */
  debug?: boolean;
  /** Sessions without pre-packed weights (CreateSessionRequest.lowMemory). */
  lowMemory?: boolean;
}

export class EngineClient {
  private rpc: WorkerRpc | null = null;
  private configured = false;
  private plan: Choice[] | null = null;
  private planIndex = 0;
  private loaded = new Set<Tower>();
  private probe: ProbeResult | null = null;
  private notes: string[] = [];
  private timings: Partial<Record<Tower, LoadTimings>> = {};
  /** ms the worker took to start its runtime (diagnostics). */
  runtimeInitMs: number | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private lost: WireError | null = null;
  /** Model runs so far, per tower (diagnostics: a re-rank must not add any). */
  readonly runs: Record<Tower, number> = { image: 0, text: 0 };
  /** Rows encoded so far, per tower (a batch of 8 photos is one run and 8 rows). */
  readonly rows: Record<Tower, number> = { image: 0, text: 0 };
  private readonly source: ModelSource;
  private readonly preference: Preference;
  private readonly onStatus: (s: EngineStatus) => void;
  private readonly createWorker: WorkerFactory;
  private readonly debug: boolean;
  private readonly lowMemory: boolean;

  constructor(opts: EngineOptions) {
    this.source = opts.source;
    this.preference = opts.preference ?? {};
    this.onStatus = opts.onStatus ?? (() => {});
    this.createWorker = opts.createWorker ?? defaultWorker;
    this.debug = opts.debug ?? false;
    this.lowMemory = opts.lowMemory ?? false;
  }

  get choice(): Choice | null {
    return this.plan?.[this.planIndex] ?? null;
  }

  /** Where each loaded tower's load time went (diagnostics, benchmarks). */
  get loadTimings(): Partial<Record<Tower, LoadTimings>> {
    return { ...this.timings };
  }

  get device(): ProbeResult | null {
    return this.probe;
  }

  /** Calls waiting for the worker's reply (diagnostics and tests: a cancelled call is not one). */
  get inFlight(): number {
    return this.rpc?.inFlight ?? 0;
  }

  /** Load (or reuse) a tower's session without running anything. */
  ready(tower: Tower = 'image', opts: CallOptions = {}): Promise<Choice> {
    return this.serial(async () => {
      await this.ensure(tower);
      return this.choice!;
    }, opts.signal);
  }

  /** n L2-normalised image embeddings. */
  encodeImages(batch: ImageBatch, opts: CallOptions = {}): Promise<Float32Array[]> {
    const s = this.source.manifest.image.size;
    return this.runTower('image', batch.tensors, [batch.n, 3, s, s], opts.signal);
  }

  /** One L2-normalised text embedding per row of a token batch. */
  encodeTexts(batch: TokenBatch, opts: CallOptions = {}): Promise<Float32Array[]> {
    return this.runTower('text', batch.ids, [batch.batch, batch.length], opts.signal);
  }

  /** Diagnostics hook (debug engines only): simulate a lost GPU device. */
  async loseDevice(): Promise<void> {
    if (!this.debug) throw new EngineError({ code: 'internal', message: 'loseDevice is a diagnostics hook: open the app with ?debug=1.' });
    if (!this.rpc) throw new EngineError({ code: 'backend-failed', message: 'The inference worker is not running.' });
    await this.rpc.call({ type: 'loseDevice' });
  }

  // ---- Collections (core/eval/calls.ts): computations on embeddings in the worker. They need no
  // model session (none is loaded for them), never trigger a backend fallback, and are not
  // serialised with model loads here; the worker runs requests in arrival order, so one waits for
  // a model run already queued.

  /** Zero-shot probabilities, predictions and metrics (overall and per stratum) from cached embeddings. */
  evaluate(req: EvaluateRequest, opts: CallOptions = {}): Promise<Evaluation> {
    return this.compute('evaluate', req, opts);
  }

  /** Few-shot linear probe beside zero-shot on the same seeded test split. */
  trainProbe(req: ProbeRequest, opts: CallOptions = {}): Promise<ProbeComparison> {
    return this.compute('trainProbe', req, opts);
  }

  /** Image->text and text->image R@1/5/10 (the paper's retrieval table). */
  retrieval(req: RetrievalRequest, opts: CallOptions = {}): Promise<CrossModalRetrieval> {
    return this.compute('retrieval', req, opts);
  }

  /** The k photos most similar to a text or image embedding. */
  search(req: SearchRequest, opts: CallOptions = {}): Promise<SearchHit[]> {
    return this.compute('search', req, opts);
  }

  private compute<K extends EvalCallType>(type: K, req: EvalCalls[K]['request'], opts: CallOptions): Promise<ReplyOf<K>> {
    // The request's arrays are copied (structured clone): the caller keeps its embeddings.
    return this.worker().call({ ...req, type } as RequestOf<K>, { signal: opts.signal });
  }

  dispose(): void {
    this.resetWorker({ code: 'backend-failed', message: 'The engine was closed.' });
  }

  private runTower(tower: Tower, data: Float32Array | BigInt64Array, dims: number[], signal?: AbortSignal): Promise<Float32Array[]> {
    return this.serial(async () => {
      for (let attempt = 0; ; attempt++) {
        await this.ensure(tower);
        signal?.throwIfAborted();
        try {
          // Copy: the worker takes ownership of what it is sent, the caller keeps its tensor.
          const sent = data.slice();
          const r = await this.worker().call({ type: 'run', tower, data: sent, dims }, { signal, transfer: [sent.buffer] });
          this.runs[tower]++;
          this.rows[tower] += dims[0];
          return normalizeRows(r.data, r.dims[0], r.dims[1]);
        } catch (e) {
          if (signal?.aborted) throw e;
          const err = asEngineError(e);
          if (attempt > 2 || NOT_BACKEND.has(err.code) || !isBackendFailure(err)) throw err;
          this.fallBack(err.wire);
        }
      }
    }, signal);
  }

  /**
   * One engine step at a time, in call order. A cancelled caller stops waiting at once; a step
   * that has not started yet is skipped, one that has started (a model load) goes on for the others.
   */
  private serial<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const step = () => {
      signal?.throwIfAborted();
      return fn();
    };
    const next = this.chain.then(step, step);
    this.chain = next.catch(() => undefined);
    return untilAborted(next, signal);
  }

  private worker(): WorkerRpc {
    if (!this.rpc) {
      this.rpc = new WorkerRpc(this.createWorker(), {
        onEvent: (e) => this.onWorkerEvent(e),
        onCrash: (reason) => this.resetWorker(reason),
      });
    }
    return this.rpc;
  }

  private onWorkerEvent(e: WorkerEvent): void {
    // The GPU went away: fail what is in flight; the next request falls back and retries.
    this.lost = { code: 'gpu-lost', message: e.message };
    this.rpc?.failAll(this.lost);
  }

  private async ensure(tower: Tower): Promise<void> {
    if (this.lost) this.fallBack(this.lost);
    if (!this.plan) {
      this.onStatus({ phase: 'probing' });
      this.probe = await this.worker().call({ type: 'probe' });
      this.plan = planBackends(this.probe.device, variantsForPlan(this.source.manifest), this.preference);
      if (this.plan.length === 0) throw new EngineError({ code: 'backend-failed', message: 'This bundle has no variant this browser can run.' });
    }
    while (!this.loaded.has(tower)) {
      const choice = this.choice;
      if (!choice) {
        const error: WireError = { code: 'backend-failed', message: `No backend could run this model. ${this.notes.join(' ')}`.trim(), hint: 'Try another browser, or update the GPU driver.' };
        this.onStatus({ phase: 'error', error });
        throw new EngineError(error);
      }
      try {
        await this.loadTower(tower, choice);
      } catch (e) {
        const err = asEngineError(e);
        if (NOT_BACKEND.has(err.code)) {
          // A tower that runs keeps the model ready: only this request fails (e.g. the text model offline).
          this.onStatus(this.loaded.size ? this.readyStatus(choice) : { phase: 'error', error: err.wire });
          throw err;
        }
        this.fallBack(err.wire);
      }
    }
  }

  private async loadTower(tower: Tower, choice: Choice): Promise<void> {
    const t0 = performance.now();
    const m = this.source.manifest;
    const variant = variantOf(m, choice.variant);
    const files = towerFiles(variant, tower);
    const progress = (p: FileProgress) => this.onStatus({ phase: 'downloading', choice, progress: p });
    // Read (and verify) the files while the worker starts its runtime.
    const reading = (async () => {
      const model = await this.source.getFile(files.graph, progress);
      const weights = (name: string) => (this.source.getWeights ? this.source.getWeights(name, progress) : this.source.getFile(name, progress));
      const data = files.data ? { path: files.data, bytes: await weights(files.data) } : undefined;
      return { model, data, fileMs: performance.now() - t0 };
    })();
    reading.catch(() => undefined);
    if (!this.configured) {
      const r = await this.worker().call({ type: 'configure', backend: choice.backend, variant: choice.variant, numThreads: choice.numThreads, requiredFeatures: choice.backend === 'webgpu' ? variant.requiredFeatures : [], debug: this.debug });
      this.runtimeInitMs = r.initMs;
      this.configured = true;
    }
    const { model, data, fileMs } = await reading;
    this.onStatus({ phase: 'loading', choice, tower });
    const io = tower === 'image' ? m.image : m.text;
    const warmup = tower === 'image' ? { kind: 'image' as const, size: m.image.size } : { kind: 'text' as const, ids: warmupTokenIds(m.tokenizer) };
    const session = await this.worker().call({ type: 'createSession', tower, model, data, input: io.input, output: io.output, warmup, lowMemory: this.lowMemory }, { transfer: data?.bytes instanceof ArrayBuffer ? [model, data.bytes] : [model] });
    this.timings[tower] = { ...session, fileMs, totalMs: performance.now() - t0 };
    this.loaded.add(tower);
    this.onStatus(this.readyStatus(choice));
  }

  private readyStatus(choice: Choice): EngineStatus {
    return { phase: 'ready', choice, adapter: choice.backend === 'webgpu' ? (this.probe?.adapter ?? null) : null, notes: [...this.notes], timings: { ...this.timings } };
  }

  /** Drop the current choice and move to the next one in the plan (a fresh worker). */
  private fallBack(reason: WireError): void {
    const from = this.choice;
    this.lost = null;
    this.resetWorker(reason);
    if (!from || !this.plan) return;
    // A lost GPU device: skip the remaining WebGPU choices.
    const skipGpu = reason.code === 'gpu-lost';
    do this.planIndex++;
    while (skipGpu && this.choice?.backend === 'webgpu');
    const to = this.choice;
    this.notes.push(`${describeChoice(from)} failed (${reason.message})${to ? `; using ${describeChoice(to)} instead.` : '.'}`);
  }

  private resetWorker(reason: WireError): void {
    this.rpc?.terminate(reason);
    this.rpc = null;
    this.configured = false;
    this.loaded.clear();
  }
}

function isBackendFailure(err: EngineError): boolean {
  return err.code === 'gpu-lost' || err.code === 'model-output-invalid' || err.code === 'backend-failed';
}

function asEngineError(e: unknown): EngineError {
  if (e instanceof EngineError) return e;
  return new EngineError(toWireError(e, 'backend-failed'));
}
