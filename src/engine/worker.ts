/// <reference lib="webworker" />
/**
 * The inference worker: owns onnxruntime-web (imported dynamically so it gets its own chunk, see
 * FACTS.md), one session per tower, and runs them one at a time. Pure math stays in core/.
 */
import type * as OrtModule from 'onnxruntime-web';
import type { Backend, DeviceInfo, VariantName } from '../core/backend-plan';
import { AppError, isWireError, toWireError, type ErrorCode } from '../core/errors';
import { checkOutput, warmupImage, warmupText } from './warmup';
import type { ConfigureResult, ProbeResult, RunResult, SessionResult, Tower, WireError, WorkerInbound, WorkerOutbound } from './protocol';

type Ort = typeof OrtModule;
declare const self: DedicatedWorkerGlobalScope;

let ort: Ort | null = null;
let backend: Backend | null = null;
let gpuDevice: GPUDevice | null = null;
const sessions = new Map<Tower, { session: OrtModule.InferenceSession; input: string; output: string }>();
let queue: Promise<unknown> = Promise.resolve();

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
  const device: DeviceInfo = {
    webgpu: false,
    shaderF16: false,
    crossOriginIsolated: self.crossOriginIsolated,
    hardwareConcurrency: navigator.hardwareConcurrency || 1,
  };
  let adapter: ProbeResult['adapter'] = null;
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (gpu) {
    try {
      const a = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      if (a) {
        device.webgpu = true;
        device.shaderF16 = a.features.has('shader-f16');
        const info = a.info;
        adapter = { vendor: info?.vendor ?? '', architecture: info?.architecture ?? '', isFallbackAdapter: Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean })?.isFallbackAdapter) };
      }
    } catch {
      device.webgpu = false;
    }
  }
  return { device, adapter };
}

async function createGpuDevice(variant: VariantName): Promise<GPUDevice> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  const adapter = gpu ? await gpu.requestAdapter({ powerPreference: 'high-performance' }) : null;
  if (!adapter) fail('backend-failed', 'No WebGPU adapter is available in this browser.', 'The app will use the CPU (WASM) instead.');
  const features: GPUFeatureName[] = [];
  if (variant === 'fp16') {
    if (!adapter.features.has('shader-f16')) fail('backend-failed', 'This GPU has no shader-f16 support, so the fp16 model cannot run on it.');
    features.push('shader-f16');
  }
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures: features,
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

async function configure(b: Backend, variant: VariantName, numThreads: number): Promise<ConfigureResult> {
  if (ort) fail('backend-failed', 'This worker is already configured; start a new one to change backend.');
  backend = b;
  ort = b === 'webgpu' ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm');
  ort.env.logLevel = 'error';
  ort.env.wasm.numThreads = numThreads;
  ort.env.wasm.proxy = false;
  if (b === 'webgpu') {
    gpuDevice = await createGpuDevice(variant);
    ort.env.webgpu.device = gpuDevice;
  }
  // Start the runtime now (WASM instantiation, thread pool, WebGPU backend) with a one-node graph,
  // while the page is still reading the model file: otherwise the first real session pays for it.
  const t0 = performance.now();
  const tiny = await ort.InferenceSession.create(RUNTIME_PROBE_MODEL, { executionProviders: [b] });
  await tiny.release();
  return { initMs: performance.now() - t0 };
}

/** A 77-byte ONNX graph, y = Identity(x) on float[1] (opset 17). */
const RUNTIME_PROBE_MODEL = Uint8Array.from(atob('CAgSB2Rlcm1saXA6OgoQCgF4EgF5IghJZGVudGl0eRIEaW5pdFoPCgF4EgoKCAgBEgQKAggBYg8KAXkSCgoICAESBAoCCAFCBAoAEBE='), (c) => c.charCodeAt(0));

/** Detach and free a buffer now (ES2024 ArrayBuffer.prototype.transfer; a no-op where missing). */
function dropBuffer(b: ArrayBuffer): void {
  (b as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer }).transfer?.(0);
}

async function createSession(tower: Tower, model: ArrayBuffer, data: { path: string; buffer: ArrayBuffer } | undefined, input: string, output: string, contextLength: number, imageSize: number): Promise<SessionResult> {
  if (!ort || !backend) fail('backend-failed', 'The engine was not configured before loading a model.');
  const old = sessions.get(tower);
  if (old) {
    sessions.delete(tower);
    await old.session.release();
  }
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(new Uint8Array(model), {
    executionProviders: [backend],
    graphOptimizationLevel: 'all',
    // Weights kept apart are copied once, tensor by tensor, into the runtime (no whole-model copy to parse).
    ...(data ? { externalData: [{ path: data.path, data: new Uint8Array(data.buffer) }] } : {}),
  });
  const t1 = performance.now();
  // The runtime holds its own copy now: free these at once rather than at some later GC.
  dropBuffer(model);
  if (data) dropBuffer(data.buffer);
  const feed = tower === 'image' ? warmupImage(ort, input, imageSize) : warmupText(ort, input, contextLength);
  const out = await session.run(feed);
  const values = out[output]?.data;
  const problem = values instanceof Float32Array ? checkOutput(values) : `output "${output}" is missing or not float32`;
  if (problem) {
    await session.release();
    fail('model-output-invalid', `The ${tower} model gave an invalid result on ${backend} (${problem}).`, 'The app will try the next backend or variant.');
  }
  sessions.set(tower, { session, input, output });
  return { createMs: t1 - t0, warmupMs: performance.now() - t1 };
}

async function run(tower: Tower, data: Float32Array | BigInt64Array, dims: number[]): Promise<RunResult> {
  const s = sessions.get(tower);
  if (!ort || !s) fail('backend-failed', `The ${tower} model is not loaded.`);
  const t0 = performance.now();
  const tensor = data instanceof Float32Array ? new ort.Tensor('float32', data, dims) : new ort.Tensor('int64', data, dims);
  const out = await s.session.run({ [s.input]: tensor });
  const result = out[s.output];
  if (!result || !(result.data instanceof Float32Array)) fail('model-output-invalid', `The ${tower} model returned no "${s.output}" output.`);
  const values = new Float32Array(result.data);
  const problem = checkOutput(values);
  if (problem) fail('model-output-invalid', `The ${tower} model gave an invalid result (${problem}).`);
  return { data: values, dims: [...result.dims], ms: performance.now() - t0 };
}

async function handle(msg: WorkerInbound): Promise<{ result: unknown; transfer?: Transferable[] }> {
  switch (msg.type) {
    case 'probe':
      return { result: await probe() };
    case 'configure':
      return { result: await configure(msg.backend, msg.variant, msg.numThreads) };
    case 'createSession':
      return { result: await createSession(msg.tower, msg.model, msg.data, msg.input, msg.output, msg.contextLength, msg.imageSize) };
    case 'run': {
      const r = await run(msg.tower, msg.data, msg.dims);
      return { result: r, transfer: [r.data.buffer] };
    }
    case 'releaseSession': {
      const s = sessions.get(msg.tower);
      sessions.delete(msg.tower);
      await s?.session.release();
      return { result: null };
    }
    case 'loseDevice':
      gpuDevice?.destroy();
      return { result: null };
  }
}

self.onmessage = (e: MessageEvent<WorkerInbound>) => {
  const msg = e.data;
  // Runs are serialised: one session.run at a time, in arrival order.
  queue = queue.then(async () => {
    try {
      const { result, transfer } = await handle(msg);
      post({ type: 'reply', id: msg.id, ok: true, result }, transfer);
    } catch (err) {
      post({ type: 'reply', id: msg.id, ok: false, error: toWire(err) });
    }
  });
};
