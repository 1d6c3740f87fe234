// Session creation time of several graphs in onnxruntime-web (Node), interleaved: wall and process
// CPU ms per creation (first creation of the process discarded). usage: node create.mjs <dir> <reps> <name>...
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { stats } from '../stats.mjs';

const [dir, reps, ...names] = process.argv.slice(2);
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';
const files = Object.fromEntries(names.map((n) => [n, [readFileSync(join(dir, `${n}.onnx`)), readFileSync(join(dir, `${n}.onnx.data`))]]));
const out = Object.fromEntries(names.map((n) => [n, { ms: [], cpuMs: [] }]));
for (let r = -1; r < Number(reps); r++)
  for (const n of names) {
    const [g, d] = files[n];
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const s = await ort.InferenceSession.create(new Uint8Array(g), { executionProviders: ['wasm'], graphOptimizationLevel: 'all', externalData: [{ path: `${n}.onnx.data`, data: new Uint8Array(d) }] });
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    await s.release();
    if (r >= 0) out[n].ms.push(ms), out[n].cpuMs.push((c.user + c.system) / 1000);
  }
for (const v of Object.values(out)) (v.ms = stats(v.ms).median), (v.cpuMs = stats(v.cpuMs));
console.log(JSON.stringify(out));
process.exit(0);
