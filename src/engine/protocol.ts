/**
 * The message protocol between the app and the inference worker, and the types shared across
 * layers about the engine (status, progress, model sources). The worker is the only place that
 * imports onnxruntime-web; everything crossing this boundary is structured-cloneable.
 *
 * `WorkerCalls` maps each request type to its request fields and its reply: the client's one
 * generic `call(request)` returns `ReplyOf<type>`, and the worker's handlers are checked against
 * the same map, so a reply can never be read as the wrong type.
 */
import type { Backend, Choice, DeviceInfo, VariantName } from '../core/backend-plan';
import type { EvalCalls } from '../core/eval/calls';
import type { WireError } from '../core/errors';
import type { Manifest } from '../core/manifest';
import type { ConvertCalls } from './convert-protocol';

export type { WireError };

export type Tower = 'image' | 'text';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  isFallbackAdapter: boolean;
}

export interface ProbeResult {
  device: DeviceInfo;
  adapter: AdapterSummary | null;
}

export interface ConfigureRequest {
  backend: Backend;
  variant: VariantName;
  numThreads: number;
  /** GPU features the variant needs (the manifest's `requiredFeatures`): requested from the device. */
  requiredFeatures: string[];
  /** Accept test and diagnostics messages (`loseDevice`). */
  debug: boolean;
}

export interface ConfigureResult {
  /** Starting the runtime (WASM instantiation, threads, GPU backend). */
  initMs: number;
}

export interface CreateSessionRequest {
  tower: Tower;
  /** The ONNX graph (with its weights, or naming `data.path` for them). */
  model: ArrayBuffer;
  /**
   * External weights: `path` is the location the graph's initializers name; `bytes` the file, in
   * memory (transferred) or as a Blob kept on disk by the weight cache (read tensor by tensor).
   */
  data?: { path: string; bytes: ArrayBuffer | Blob };
  input: string;
  output: string;
  /** The warm-up input: a whole image tensor's side, or token ids (from the manifest's tokenizer). */
  warmup: { kind: 'image'; size: number } | { kind: 'text'; ids: number[] };
  /**
   * Keep one copy of the weights: no pre-packed second copy of each MatMul's weights
   * (onnxruntime's `session.disable_prepacking`). For the converter's one-off fp32 text session,
   * which would otherwise hold its 439 MB of weights about twice while the page is converting.
   */
  lowMemory?: boolean;
}

export interface SessionResult {
  createMs: number;
  warmupMs: number;
  /** Where the runtime read external weights from: a Blob, tensor by tensor, or bytes in memory. */
  weightsFrom: 'blob' | 'memory' | 'none';
}

export interface RunRequest {
  tower: Tower;
  data: Float32Array | BigInt64Array;
  dims: number[];
}

export interface RunResult {
  data: Float32Array;
  dims: number[];
  ms: number;
}

type NoFields = Record<never, never>;

/** Every request the worker answers: its fields and its reply (EvalCalls: collections, core/eval/calls.ts; ConvertCalls: the converter, convert-protocol.ts). */
export interface WorkerCalls extends EvalCalls, ConvertCalls {
  probe: { request: NoFields; reply: ProbeResult };
  configure: { request: ConfigureRequest; reply: ConfigureResult };
  createSession: { request: CreateSessionRequest; reply: SessionResult };
  run: { request: RunRequest; reply: RunResult };
  releaseSession: { request: { tower: Tower }; reply: null };
  /** Test hook (only when configured with `debug`): destroys the WebGPU device to simulate a lost GPU. */
  loseDevice: { request: NoFields; reply: null };
}

export type CallType = keyof WorkerCalls;
export type RequestOf<K extends CallType> = { type: K } & WorkerCalls[K]['request'];
export type ReplyOf<K extends CallType> = WorkerCalls[K]['reply'];
export type WorkerRequest = { [K in CallType]: RequestOf<K> }[CallType];

export type WorkerInbound =
  | (WorkerRequest & { id: number })
  /** Forget request `id` if it has not started yet (its caller stopped waiting). */
  | { type: 'cancel'; id: number };

export interface OkReply<K extends CallType = CallType> {
  type: 'reply';
  id: number;
  call: K;
  ok: true;
  result: ReplyOf<K>;
}

export interface ErrorReply {
  type: 'reply';
  id: number;
  call: CallType;
  ok: false;
  error: WireError;
}

export type WorkerEvent = { kind: 'gpu-lost'; reason: string; message: string };

export type WorkerOutbound = { [K in CallType]: OkReply<K> }[CallType] | ErrorReply | { type: 'event'; event: WorkerEvent };

/** The reply answers a call of type `call` (checked at run time: the worker says which call it answers). */
export function isReplyTo<K extends CallType>(msg: OkReply, call: K): msg is OkReply<K> {
  return msg.call === call;
}

// ---- Shared with the app (state/, storage/, features/) ----

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
  /**
   * A large weights file, verified like getFile: a Blob when it comes from the weight cache (its
   * bytes stay on disk until the engine reads them), else the downloaded bytes. Without it, getFile.
   */
  getWeights?(name: string, onProgress?: (p: FileProgress) => void): Promise<ArrayBuffer | Blob>;
}

/** Where a tower's load time went, in ms (page clock). */
export interface LoadTimings extends SessionResult {
  /** Reading the file (cache or download) and verifying its sha256. */
  fileMs: number;
  /** From the start of this tower's load to its warm-up's end. */
  totalMs: number;
}

export type EngineStatus =
  | { phase: 'idle' }
  | { phase: 'probing' }
  | { phase: 'downloading'; choice: Choice; progress: FileProgress }
  | { phase: 'loading'; choice: Choice; tower: Tower }
  | { phase: 'ready'; choice: Choice; adapter: AdapterSummary | null; notes: string[]; timings: Partial<Record<Tower, LoadTimings>> }
  | { phase: 'error'; error: WireError };

/** Pixel tensors [n,3,S,S], preprocessed as the manifest says. */
export interface ImageBatch {
  tensors: Float32Array;
  n: number;
}

/** Options of every engine call: cancel it with `signal` (it stops waiting and frees its place). */
export interface CallOptions {
  signal?: AbortSignal;
}
