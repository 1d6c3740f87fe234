// A/B of onnxruntime-web session options on the image encoder, in Node (same WASM build as the
// app's worker), runs interleaved so machine load hits both alike.
// usage: node bench/ab-session.mjs <model.onnx> [runs] [threads]
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { stats } from './stats.mjs';

const [file, runsArg = '8', threadsArg = '2'] = process.argv.slice(2);
ort.env.wasm.numThreads = Number(threadsArg);
const bytes = readFileSync(file);
const S = 224;
const t = new Float32Array(3 * S * S);
for (let i = 0; i < t.length; i++) t[i] = Math.sin(i * 12.9898) * 1.5;
const feed = { pixel_values: new ort.Tensor('float32', t, [1, 3, S, S]) };

const variants = {
  current: { graphOptimizationLevel: 'all' },
  batch1: { graphOptimizationLevel: 'all', freeDimensionOverrides: { batch: 1 } },
  noMemPattern: { graphOptimizationLevel: 'all', enableMemPattern: false },
  basicOpt: { graphOptimizationLevel: 'basic' },
};
const only = process.env.AB_ONLY?.split(',');
const sessions = {};
for (const [k, o] of Object.entries(variants)) {
  if (only && !only.includes(k)) continue;
  const t0 = performance.now();
  sessions[k] = await ort.InferenceSession.create(new Uint8Array(bytes), { executionProviders: ['wasm'], ...o });
  const create = performance.now() - t0;
  await sessions[k].run(feed);
  console.error(k, 'create', Math.round(create), 'ms');
}
const ms = Object.fromEntries(Object.keys(sessions).map((k) => [k, []]));
for (let i = 0; i < Number(runsArg); i++)
  for (const [k, s] of Object.entries(sessions)) {
    const t0 = performance.now();
    await s.run(feed);
    ms[k].push(performance.now() - t0);
  }
console.log(JSON.stringify(Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, stats(v)]))));
process.exit(0);
