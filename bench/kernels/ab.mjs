// Kernel-path A/B: several image-encoder graphs in onnxruntime-web (the app's WASM build) in Node,
// runs interleaved so machine load hits all alike; cosine of each against the fp32 graph on the
// held-out eval tensors. Wall time and process CPU time (user + system) per run: with 1 thread the
// CPU time holds up better than wall time on a loaded machine. usage: node bench/kernels/ab.mjs <dir> <runs> <threads> <name>... 
// (<dir>/<name>.onnx + .onnx.data; <dir>/eval.f32; a name with a slash is a path without .onnx)
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { cosine, stats } from '../stats.mjs';

const [dir, runsArg, threadsArg, ...names] = process.argv.slice(2);
ort.env.wasm.numThreads = Number(threadsArg);
ort.env.logLevel = 'error';
const S = 224;
const per = 3 * S * S;
const evalBuf = readFileSync(join(dir, 'eval.f32'));
const evals = new Float32Array(evalBuf.buffer, evalBuf.byteOffset, evalBuf.byteLength / 4);
const nEval = evals.length / per;
const feed = (i) => ({ pixel_values: new ort.Tensor('float32', evals.slice(i * per, (i + 1) * per), [1, 3, S, S]) });

async function open(name) {
  const base = name.includes('/') ? name : join(dir, name);
  const t0 = performance.now();
  const s = await ort.InferenceSession.create(new Uint8Array(readFileSync(`${base}.onnx`)), {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
    externalData: [{ path: `${basename(base)}.onnx.data`, data: new Uint8Array(readFileSync(`${base}.onnx.data`)) }],
  });
  return { s, createMs: performance.now() - t0 };
}

async function embeds(s) {
  const out = [];
  for (let i = 0; i < nEval; i++) out.push((await s.run(feed(i)))[s.outputNames[0]].data);
  return out;
}

const ref = await open(process.env.AB_REF ?? join(dir, 'fp32'));
const refEmb = await embeds(ref.s);
await ref.s.release();
const sessions = {};
const report = {};
for (const n of names) {
  try {
    const { s, createMs } = await open(n);
    const e = await embeds(s); // also the warm-up
    sessions[n] = s;
    report[n] = { createMs: Math.round(createMs), minCos: Math.min(...e.map((v, i) => cosine(v, refEmb[i]))), ms: [], cpuMs: [] };
    console.error(n, 'ready', JSON.stringify(report[n]));
  } catch (err) {
    report[n] = { error: String(err.message ?? err).slice(0, 300) };
    console.error(n, 'failed', report[n].error);
  }
}
const f0 = feed(0);
for (let r = 0; r < Number(runsArg); r++)
  for (const [n, s] of Object.entries(sessions)) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await s.run(f0);
    report[n].ms.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    report[n].cpuMs.push((c.user + c.system) / 1000);
  }
for (const v of Object.values(report)) if (v.ms) (v.ms = stats(v.ms)), (v.cpuMs = stats(v.cpuMs));
console.log(JSON.stringify(report));
process.exit(0);
