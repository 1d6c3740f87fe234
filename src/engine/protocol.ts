/**
 * The message protocol between the app and the inference worker. The worker is the only place
 * that imports onnxruntime-web; everything crossing this boundary is structured-cloneable.
 */
import type { Backend, DeviceInfo, VariantName } from '../core/backend-plan';

export type Tower = 'image' | 'text';

export type { WireError } from '../core/errors';
import type { WireError } from '../core/errors';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  isFallbackAdapter: boolean;
}

export type WorkerRequest =
  | { type: 'probe' }
  | { type: 'configure'; backend: Backend; variant: VariantName; numThreads: number }
  | {
      type: 'createSession';
      tower: Tower;
      /** The ONNX graph (with its weights, or naming `data.path` for them). */
      model: ArrayBuffer;
      /** External weights: `path` is the location the graph's initializers name. */
      data?: { path: string; buffer: ArrayBuffer };
      input: string;
      output: string;
      contextLength: number;
      imageSize: number;
    }
  | { type: 'run'; tower: Tower; data: Float32Array | BigInt64Array; dims: number[] }
  | { type: 'releaseSession'; tower: Tower }
  /** Test hook: destroys the WebGPU device to simulate a lost GPU. */
  | { type: 'loseDevice' };

export interface ProbeResult {
  device: DeviceInfo;
  adapter: AdapterSummary | null;
}

export interface SessionResult {
  createMs: number;
  warmupMs: number;
}

export interface ConfigureResult {
  /** Starting the runtime (WASM instantiation, threads, GPU backend). */
  initMs: number;
}

/** Where a tower's load time went, in ms (page clock). */
export interface LoadTimings extends SessionResult {
  /** Reading the file (cache or download) and verifying its sha256. */
  fileMs: number;
  /** From the start of this tower's load to its warm-up's end. */
  totalMs: number;
}

export interface RunResult {
  data: Float32Array;
  dims: number[];
  ms: number;
}

export type WorkerInbound = WorkerRequest & { id: number };

export type WorkerOutbound =
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: WireError }
  | { type: 'event'; event: WorkerEvent };

export type WorkerEvent = { kind: 'gpu-lost'; reason: string; message: string };
