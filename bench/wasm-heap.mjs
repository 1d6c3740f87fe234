// The WebAssembly heap onnxruntime-web grows to for one tower, in Node (the app's onnxruntime-web
// 1.30, same WASM kernels; Node resolves the package's default build), created as the app's worker
// does (externalData, graph optimisation 'all', 2 threads): the byte length of the runtime's
// WebAssembly.Memory (it only grows: its high-water mark) after the runtime starts, after session
// creation and after runs. WASM_HEAP_OPTS (JSON) adds session options, e.g. {"enableCpuMemArena":false}.
// usage: node bench/wasm-heap.mjs <bundle dir> <graph file, e.g. image.int8.onnx> [threads=2] [batch=1]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const memories = [];
const Base = WebAssembly.Memory;
// Record every Memory the runtime creates (Emscripten's threaded build makes its heap in JS).
WebAssembly.Memory = class extends Base {
  constructor(desc) {
    super(desc);
    memories.push(this);
  }
};
const heapMB = () => Math.round(memories.reduce((a, m) => Math.max(a, m.buffer.byteLength), 0) / 1e5) / 10;

const [dir, graph, threads = '2', batch = '1'] = process.argv.slice(2);
const ort = await import('onnxruntime-web');
ort.env.wasm.numThreads = Number(threads);
ort.env.logLevel = 'error';
const rss = () => Math.round(process.memoryUsage().rss / 1e5) / 10;
const out = { graph, threads: Number(threads), batch: Number(batch), opts: process.env.WASM_HEAP_OPTS ?? null };
const model = readFileSync(join(dir, graph));
const dataName = `${graph}.data`;
const data = readFileSync(join(dir, dataName));
const probe = Uint8Array.from(atob('CAgSB2Rlcm1saXA6OgoQCgF4EgF5IghJZGVudGl0eRIEaW5pdFoPCgF4EgoKCAgBEgQKAggBYg8KAXkSCgoICAESBAoCCAFCBAoAEBE='), (c) => c.charCodeAt(0));
await (await ort.InferenceSession.create(probe, { executionProviders: ['wasm'] })).release();
out.runtimeMB = heapMB();
const s = await ort.InferenceSession.create(new Uint8Array(model), {
  executionProviders: ['wasm'],
  graphOptimizationLevel: 'all',
  externalData: [{ path: dataName, data: new Uint8Array(data) }],
  ...JSON.parse(process.env.WASM_HEAP_OPTS ?? '{}'),
});
out.createdMB = heapMB();
out.fileMB = Math.round((model.byteLength + data.byteLength) / 1e5) / 10;
const name = s.inputNames[0];
const n = Number(batch);
const feed = graph.startsWith('text')
  ? { [name]: new ort.Tensor('int64', new BigInt64Array(n * 77), [n, 77]) }
  : { [name]: new ort.Tensor('float32', new Float32Array(n * 3 * 224 * 224).fill(0.1), [n, 3, 224, 224]) };
await s.run(feed);
out.afterRunMB = heapMB();
await s.run(feed);
out.afterRun2MB = heapMB();
out.memories = memories.length;
out.processRssMB = rss();
console.log(JSON.stringify(out));
process.exit(0);
