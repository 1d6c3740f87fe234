/// <reference lib="webworker" />
/**
 * The inference worker: owns onnxruntime-web (imported dynamically so it gets its own chunk, see
 * FACTS.md), one session per tower, and runs requests one at a time. Its handlers are typed by
 * `WorkerCalls` (engine/protocol.ts); pure math stays in core/.
 */
import type * as OrtModule from 'onnxruntime-web';
import type { Backend, DeviceInfo } from '../core/backend-plan';
import { AppError, isWireError, toWireError, type ErrorCode } from '../core/errors';
import { evalHandlers, isEvalCall, replyBuffers } from '../core/eval/calls';
import type { CallType, ConfigureRequest, ConfigureResult, CreateSessionRequest, ProbeResult, ReplyOf, RequestOf, RunRequest, RunResult, SessionResult, Tower, WireError, WorkerInbound, WorkerOutbound } from './protocol';
import { dropBuffer } from '../core/drop-buffer';
import { createFromBlob } from './blob-bytes';
import { convertHandlers } from './convert-worker';
import { checkOutput, warmupImage, warmupText } from './warmup';

type Ort = typeof OrtModule;
declare const self: DedicatedWorkerGlobalScope;

let ort: Ort | null = null;
let backend: Backend | null = null;
let debug = false;
let gpuDevice: GPUDevice | null = null;
const sessions = new Map<Tower, { session: OrtModule.InferenceSession; input: string; output: string }>();
let queue: Promise<unknown> = Promise.resolve();
/** Requests whose caller stopped waiting before they started: skipped. */
const cancelled = new Set<number>();

function post(msg: WorkerOutbound, transfer: Transferable[] = []) {
  self.postMessage(msg, transfer);
}

function fail(code: ErrorCode, message: string, hint?: string): never {
  throw new AppError(code, message, hint);
}

function toWire(e: unknown): WireError {
  if (e instanceof AppError || isWireError(e)) return toWireError(e);
  const message = e instanceof Error ? e.message : String(e);
  if (/device.*lost|lost.*device|GPUDevice|mapAsync/i.test(message) && backend === 'webgpu') {
    return { code: 'gpu-lost', message: `The GPU stopped responding: ${message}` };
  }
  if (/f16|shader-f16/i.test(message)) {
    return { code: 'backend-failed', message: `This GPU cannot run fp16 models: ${message}` };
  }
  return { code: 'backend-failed', message };
}

async function probe(): Promise<ProbeResult> {
  const device: DeviceInfo = { webgpu: false, gpuFeatures: [], crossOriginIsolated: self.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency || 1 };
  let adapter: ProbeResult['adapter'] = null;
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (gpu) {
    try {
      const a = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      if (a) {
        device.webgpu = true;
        device.gpuFeatures = [...a.features].sort();
        const info = a.info;
        adapter = { vendor: info?.vendor ?? '', architecture: info?.architecture ?? '', isFallbackAdapter: Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean })?.isFallbackAdapter) };
        device.softwareGpu = adapter.isFallbackAdapter;
      }
    } catch {
      device.webgpu = false;
    }
  }
  return { device, adapter };
}

async function createGpuDevice(required: readonly string[]): Promise<GPUDevice> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  const adapter = gpu ? await gpu.requestAdapter({ powerPreference: 'high-performance' }) : null;
  if (!adapter) fail('backend-failed', 'No WebGPU adapter is available in this browser.', 'The app will use the CPU (WASM) instead.');
  const missing = required.filter((f) => !adapter.features.has(f));
  if (missing.length) fail('backend-failed', `This GPU lacks ${missing.join(', ')}, which this model variant needs.`);
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures: required as GPUFeatureName[],
    requiredLimits: {
      maxBufferSize: l.maxBufferSize,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
    },
  });
  void device.lost.then((info) => {
    if (gpuDevice !== device) return;
    gpuDevice = null;
    post({ type: 'event', event: { kind: 'gpu-lost', reason: info.reason ?? 'unknown', message: info.message || 'The GPU device was lost.' } });
  });
  return device;
}

async function configure(req: ConfigureRequest): Promise<ConfigureResult> {
  if (ort) fail('backend-failed', 'This worker is already configured; start a new one to change backend.');
  backend = req.backend;
  debug = req.debug;
  ort = req.backend === 'webgpu' ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm');
  ort.env.logLevel = 'error';
  ort.env.wasm.numThreads = req.numThreads;
  ort.env.wasm.proxy = false;
  if (req.backend === 'webgpu') {
    gpuDevice = await createGpuDevice(req.requiredFeatures);
    ort.env.webgpu.device = gpuDevice;
  }
  // Start the runtime now (WASM instantiation, thread pool, WebGPU backend) with a one-node graph,
  // while the page is still reading the model file: otherwise the first real session pays for it.
  const t0 = performance.now();
  const tiny = await ort.InferenceSession.create(RUNTIME_PROBE_MODEL, { executionProviders: [req.backend] });
  await tiny.release();
  return { initMs: performance.now() - t0 };
}

/** A 77-byte ONNX graph, y = Identity(x) on float[1] (opset 17). */
const RUNTIME_PROBE_MODEL = Uint8Array.from(atob('CAgSB2Rlcm1saXA6OgoQCgF4EgF5IghJZGVudGl0eRIEaW5pdFoPCgF4EgoKCAgBEgQKAggBYg8KAXkSCgoICAESBAoCCAFCBAoAEBE='), (c) => c.charCodeAt(0));

async function createSession(req: CreateSessionRequest): Promise<SessionResult> {
  if (!ort || !backend) fail('backend-failed', 'The engine was not configured before loading a model.');
  const { tower, model, data, input, output, warmup, lowMemory } = req;
  const old = sessions.get(tower);
  if (old) {
    sessions.delete(tower);
    await old.session.release();
  }
  const t0 = performance.now();
  const runtime = ort;
  const ep = backend;
  const create = (weights?: Uint8Array<ArrayBuffer>) =>
    runtime.InferenceSession.create(new Uint8Array(model), {
      executionProviders: [ep],
      graphOptimizationLevel: 'all',
      ...(lowMemory ? { extra: { session: { disable_prepacking: '1' } } } : {}),
      // Weights kept apart are copied once, tensor by tensor, into the runtime (no whole-model copy to parse).
      ...(data && weights ? { externalData: [{ path: data.path, data: weights }] } : {}),
    });
  // Weights from the weight cache come as a Blob on disk, read tensor by tensor (engine/blob-bytes.ts).
  let weightsFrom: SessionResult['weightsFrom'] = data ? 'memory' : 'none';
  let session: OrtModule.InferenceSession;
  if (data?.bytes instanceof Blob) {
    const r = await createFromBlob(data.bytes, create, (s) => s.release());
    session = r.session;
    if (r.lazy) weightsFrom = 'blob';
  } else session = await create(data ? new Uint8Array(data.bytes) : undefined);
  const t1 = performance.now();
  // The runtime holds its own copy now: free these at once rather than at some later GC.
  dropBuffer(model);
  if (data && !(data.bytes instanceof Blob)) dropBuffer(data.bytes);
  const feed = warmup.kind === 'image' ? warmupImage(ort, input, warmup.size) : warmupText(ort, input, warmup.ids);
  const out = await session.run(feed);
  const values = out[output]?.data;
  const problem = values instanceof Float32Array ? checkOutput(values) : `output "${output}" is missing or not float32`;
  if (problem) {
    await session.release();
    fail('model-output-invalid', `The ${tower} model gave an invalid result on ${backend} (${problem}).`, 'The app will try the next backend or variant.');
  }
  sessions.set(tower, { session, input, output });
  return { createMs: t1 - t0, warmupMs: performance.now() - t1, weightsFrom };
}

async function run(req: RunRequest): Promise<RunResult> {
  const s = sessions.get(req.tower);
  if (!ort || !s) fail('backend-failed', `The ${req.tower} model is not loaded.`);
  const t0 = performance.now();
  const tensor = req.data instanceof Float32Array ? new ort.Tensor('float32', req.data, req.dims) : new ort.Tensor('int64', req.data, req.dims);
  const out = await s.session.run({ [s.input]: tensor });
  const result = out[s.output];
  if (!result || !(result.data instanceof Float32Array)) fail('model-output-invalid', `The ${req.tower} model returned no "${s.output}" output.`);
  const values = new Float32Array(result.data);
  const problem = checkOutput(values);
  if (problem) fail('model-output-invalid', `The ${req.tower} model gave an invalid result (${problem}).`);
  return { data: values, dims: [...result.dims], ms: performance.now() - t0 };
}

type Handlers = { [K in CallType]: (req: RequestOf<K>) => Promise<ReplyOf<K>> };

const handlers: Handlers = {
  ...convertHandlers,
  probe,
  configure,
  createSession,
  run,
  async releaseSession({ tower }) {
    const s = sessions.get(tower);
    sessions.delete(tower);
    await s?.session.release();
    return null;
  },
  async loseDevice() {
    if (!debug) fail('internal', 'loseDevice is a diagnostics request: the engine was not started in debug mode.');
    gpuDevice?.destroy();
    return null;
  },
  // Collections (core/eval): pure computations on embeddings, no model session needed.
  evaluate: async (req) => evalHandlers.evaluate(req),
  trainProbe: async (req) => evalHandlers.trainProbe(req),
  retrieval: async (req) => evalHandlers.retrieval(req),
  search: async (req) => evalHandlers.search(req),
};

async function answer<K extends CallType>(msg: RequestOf<K> & { id: number }): Promise<void> {
  try {
    const result = await handlers[msg.type](msg);
    // A run's output buffer (a collection result's arrays, a converter's chunk) are handed over, not copied.
    const transfer =
      msg.type === 'run' && result && 'data' in result
        ? [result.data.buffer]
        : isEvalCall(msg.type)
          ? replyBuffers(result)
          : msg.type === 'convertRead' && result && typeof result === 'object' && 'chunk' in result && result.chunk
            ? [result.chunk]
            : [];
    post({ type: 'reply', id: msg.id, call: msg.type, ok: true, result } as WorkerOutbound, transfer);
  } catch (err) {
    post({ type: 'reply', id: msg.id, call: msg.type, ok: false, error: toWire(err) });
  }
}

self.onmessage = (e: MessageEvent<WorkerInbound>) => {
  const msg = e.data;
  if (msg.type === 'cancel') {
    cancelled.add(msg.id);
    return;
  }
  // Requests are serialised: one at a time, in arrival order; a cancelled one is skipped.
  queue = queue.then(() => {
    if (cancelled.delete(msg.id)) return;
    return answer(msg);
  });
};
