// navigator.gpu in Node from Dawn (the `webgpu` npm package ships dawn.node for linux-x64,
// darwin, win32), set up the way onnxruntime-web's WebGPU backend expects it.

import { requireBenchPackage } from './deps.mjs';

export const NO_ADAPTER_HELP = [
  'bench:gpu needs a GPU with a driver Dawn can use: on Linux, Vulkan (the loader libvulkan1 and the',
  "vendor's ICD, e.g. the NVIDIA driver's nvidia_icd.json; check with `vulkaninfo --summary`).",
  'Mesa lavapipe (Debian 12) is refused by Dawn (no shaderUniform*ArrayDynamicIndexing), and a',
  'machine without a GPU has no adapter at all. Dawn options can be passed with BENCH_GPU_DAWN,',
  'e.g. BENCH_GPU_DAWN=backend=vulkan; BENCH_GPU_DAWN=adapter=x lists the adapters Dawn sees;',
  'BENCH_GPU_DAWN=backend=null checks the plumbing without a GPU (nothing is computed).',
].join('\n');

/** Creates Dawn's GPU object, installs the WebGPU globals and `navigator.gpu`, returns the GPU. */
export async function installDawn(options = []) {
  let dawn;
  try {
    dawn = requireBenchPackage('webgpu');
  } catch (e) {
    throw new Error(`The \`webgpu\` package (dawn.node) could not be loaded on ${process.platform}-${process.arch}: ${e?.message ?? e}`);
  }
  const { create, globals } = dawn;
  Object.assign(globalThis, globals);
  patchSharedWrites(globals.GPUQueue);
  const gpu = create(options);
  Object.defineProperty(globalThis, 'navigator', { value: { ...(globalThis.navigator ?? {}), gpu }, configurable: true, writable: true });
  return gpu;
}

/**
 * onnxruntime-web's threaded WASM heap is a SharedArrayBuffer; dawn.node's queue.writeBuffer
 * refuses views of one ("Invalid argument"). Copy such views into a plain buffer first (inputs
 * and, once, the weights at session creation).
 */
function patchSharedWrites(GPUQueue) {
  const write = GPUQueue.prototype.writeBuffer;
  GPUQueue.prototype.writeBuffer = function (buffer, offset, data, dataOffset = 0, size) {
    const view = ArrayBuffer.isView(data);
    const backing = view ? data.buffer : data;
    if (!(backing instanceof SharedArrayBuffer)) return write.call(this, buffer, offset, data, dataOffset, size);
    const el = view ? (data.BYTES_PER_ELEMENT ?? 1) : 1;
    const base = view ? data.byteOffset : 0;
    const total = data.byteLength;
    const start = dataOffset * el;
    const bytes = size === undefined ? total - start : size * el;
    const copy = new Uint8Array(bytes);
    copy.set(new Uint8Array(backing, base + start, bytes));
    return write.call(this, buffer, offset, copy, 0, bytes);
  };
}

export function describeAdapter(adapter) {
  const i = adapter.info ?? {};
  return {
    vendor: i.vendor ?? '',
    architecture: i.architecture ?? '',
    device: i.device ?? '',
    description: i.description ?? '',
    isFallbackAdapter: Boolean(i.isFallbackAdapter ?? adapter.isFallbackAdapter),
    shaderF16: adapter.features.has('shader-f16'),
    maxBufferSize: adapter.limits.maxBufferSize,
  };
}
