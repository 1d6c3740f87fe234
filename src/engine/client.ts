/**
 * The typed client of the inference worker. It chooses backend and variant (core/backend-plan),
 * creates sessions lazily, falls back to the next choice when one fails its warm-up or the GPU is
 * lost, and retries the interrupted request so the user's work is not lost.
 */
import { describeChoice, planBackends, type Choice, type Preference, type VariantName } from '../core/backend-plan';
import { toWireError, type ErrorCode } from '../core/errors';
import { towerFiles, variantOf, type Manifest } from '../core/manifest';
import { normalizeRows } from '../core/vectors';
import type { AdapterSummary, ConfigureResult, LoadTimings, ProbeResult, RunResult, SessionResult, Tower, WireError, WorkerInbound, WorkerOutbound, WorkerRequest } from './protocol';

export interface FileProgress {
  file: string;
  loaded: number;
  total: number;
  fromCache: boolean;
}

/** Where model files come from: the weight cache, else a verified download (storage/). */
export interface ModelSource {
  manifest: Manifest;
  getFile(name: string, onProgress?: (p: FileProgress) => void): Promise<ArrayBuffer>;
}

export type EngineStatus =
  | { phase: 'idle' }
  | { phase: 'probing' }
  | { phase: 'downloading'; choice: Choice; progress: FileProgress }
  | { phase: 'loading'; choice: Choice; tower: Tower }
  | { phase: 'ready'; choice: Choice; adapter: AdapterSummary | null; notes: string[]; timings: Partial<Record<Tower, LoadTimings>> }
  | { phase: 'error'; error: WireError };

export class EngineError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
  }
  get code() {
    return this.wire.code;
  }
}

/** Errors that no other backend can fix: surface them instead of falling back. */
const NOT_BACKEND: ReadonlySet<ErrorCode> = new Set(['network', 'file-corrupt', 'quota', 'manifest-invalid']);

type WorkerFactory = () => Worker;

const defaultWorker: WorkerFactory = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'dermlip-engine' });

export class EngineClient {
  private worker: Worker | null = null;
  private configured = false;
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: EngineError) => void }>();
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

  constructor(
    private readonly source: ModelSource,
    private readonly preference: Preference = {},
    private readonly onStatus: (s: EngineStatus) => void = () => {},
    private readonly createWorker: WorkerFactory = defaultWorker,
  ) {}

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

  /** Load (or reuse) a tower's session without running anything. */
  ready(tower: Tower = 'image'): Promise<Choice> {
    return this.serial(async () => {
      await this.ensure(tower);
      return this.choice!;
    });
  }

  /** pixel tensors [n,3,S,S] -> n L2-normalised embeddings. */
  encodeImages(tensors: Float32Array, n: number): Promise<Float32Array[]> {
    const s = this.source.manifest.image.size;
    return this.runTower('image', tensors, [n, 3, s, s]);
  }

  /** token ids [n,len] -> n L2-normalised embeddings. */
  encodeTexts(ids: BigInt64Array, n: number, len: number): Promise<Float32Array[]> {
    return this.runTower('text', ids, [n, len]);
  }

  /** Test and diagnostics hook: simulate a lost GPU device. */
  loseDevice(): Promise<void> {
    return this.call({ type: 'loseDevice' }).then(() => undefined);
  }

  dispose(): void {
    this.resetWorker({ code: 'backend-failed', message: 'The engine was closed.' });
  }

  private runTower(tower: Tower, data: Float32Array | BigInt64Array, dims: number[]): Promise<Float32Array[]> {
    return this.serial(async () => {
      for (let attempt = 0; ; attempt++) {
        await this.ensure(tower);
        try {
          // Copy: the worker takes ownership of what it is sent, the caller keeps its tensor.
          const r = (await this.call({ type: 'run', tower, data: data.slice() as typeof data, dims })) as RunResult;
          this.runs[tower]++;
          return normalizeRows(r.data, r.dims[0], r.dims[1]);
        } catch (e) {
          const err = asEngineError(e);
          if (attempt > 2 || NOT_BACKEND.has(err.code) || !this.isBackendFailure(err)) throw err;
          this.fallBack(err.wire);
        }
      }
    });
  }

  private isBackendFailure(err: EngineError): boolean {
    return err.code === 'gpu-lost' || err.code === 'model-output-invalid' || err.code === 'backend-failed';
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async ensure(tower: Tower): Promise<void> {
    if (this.lost) this.fallBack(this.lost);
    if (!this.plan) {
      this.onStatus({ phase: 'probing' });
      this.spawn();
      this.probe = (await this.call({ type: 'probe' })) as ProbeResult;
      const available = Object.keys(this.source.manifest.variants) as VariantName[];
      this.plan = planBackends(this.probe.device, available, this.preference);
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
        const t0 = performance.now();
        const files = towerFiles(variantOf(this.source.manifest, choice.variant), tower);
        const progress = (p: FileProgress) => this.onStatus({ phase: 'downloading', choice, progress: p });
        // Read (and verify) the files while the worker starts its runtime.
        const reading = (async () => {
          const model = await this.source.getFile(files.graph, progress);
          const data = files.data ? { path: files.data, buffer: await this.source.getFile(files.data, progress) } : undefined;
          return { model, data, fileMs: performance.now() - t0 };
        })();
        reading.catch(() => undefined);
        if (!this.configured) await this.configure();
        const { model, data, fileMs } = await reading;
        this.onStatus({ phase: 'loading', choice, tower });
        const m = this.source.manifest;
        const io = tower === 'image' ? m.image : m.text;
        const session = (await this.call(
          { type: 'createSession', tower, model, data, input: io.input, output: io.output, contextLength: m.tokenizer.contextLength, imageSize: m.image.size },
          data ? [model, data.buffer] : [model],
        )) as SessionResult;
        this.timings[tower] = { ...session, fileMs, totalMs: performance.now() - t0 };
        this.loaded.add(tower);
        this.onStatus({ phase: 'ready', choice, adapter: choice.backend === 'webgpu' ? (this.probe?.adapter ?? null) : null, notes: [...this.notes], timings: { ...this.timings } });
      } catch (e) {
        const err = asEngineError(e);
        if (NOT_BACKEND.has(err.code)) {
          this.onStatus({ phase: 'error', error: err.wire });
          throw err;
        }
        this.fallBack(err.wire);
      }
    }
  }

  private async configure(): Promise<void> {
    const choice = this.choice;
    if (!choice) return;
    if (!this.worker) this.spawn();
    const r = (await this.call({ type: 'configure', backend: choice.backend, variant: choice.variant, numThreads: choice.numThreads })) as ConfigureResult;
    this.runtimeInitMs = r.initMs;
    this.configured = true;
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

  private spawn(): void {
    const w = this.createWorker();
    w.onmessage = (e: MessageEvent<WorkerOutbound>) => this.receive(e.data);
    w.onerror = (e) => {
      e.preventDefault?.();
      this.resetWorker({ code: 'backend-failed', message: `The inference worker crashed: ${e.message || 'unknown error'}` });
    };
    this.worker = w;
  }

  private receive(msg: WorkerOutbound): void {
    if (msg.type === 'event') {
      // The GPU went away: fail what is in flight; the next request falls back and retries.
      this.lost = { code: 'gpu-lost', message: msg.event.message };
      for (const p of this.pending.values()) p.reject(new EngineError(this.lost));
      this.pending.clear();
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new EngineError(msg.error));
  }

  private resetWorker(reason: WireError): void {
    this.worker?.terminate();
    this.worker = null;
    this.configured = false;
    this.loaded.clear();
    for (const p of this.pending.values()) p.reject(new EngineError(reason));
    this.pending.clear();
  }

  private call(req: WorkerRequest, transfer: Transferable[] = []): Promise<unknown> {
    const w = this.worker;
    if (!w) return Promise.reject(new EngineError({ code: 'backend-failed', message: 'The inference worker is not running.' }));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ ...req, id } as WorkerInbound, transfer);
    });
  }
}

function asEngineError(e: unknown): EngineError {
  if (e instanceof EngineError) return e;
  return new EngineError(toWireError(e, 'backend-failed'));
}
