// The app's onnxruntime-web against the one transformers.js bundles (the baseline of `npm run
// bench` and `npm run bench:index`), on the same int8 image graph, in Node, alternated pair by pair
// so that machine load hits both alike. Answers: is the baseline's newer runtime build faster?
//
// usage: node bench/ort-versions.mjs [pairs=3] [runs=8] [threads=1] [model dir=public/models/demo-full]
// (installs the bench-only packages on first use, bench/deps.mjs)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchPackageDir, ensureBenchDeps } from './deps.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [pairs = 3, runs = 8, threads = 1] = process.argv.slice(2, 5).map(Number);
const dir = process.argv[5] ?? join(ROOT, 'public/models/demo-full');

if (process.env.ORT_CHILD) {
  // One runtime in its own process: wall time per run of the int8 image graph.
  const ort = await import(pathToFileURL(join(process.env.ORT_CHILD, 'dist/ort.node.min.mjs')).href);
  ort.env.wasm.numThreads = threads;
  ort.env.logLevel = 'error';
  const s = await ort.InferenceSession.create(new Uint8Array(readFileSync(join(dir, 'image.int8.onnx'))), {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
    externalData: [{ path: 'image.int8.onnx.data', data: new Uint8Array(readFileSync(join(dir, 'image.int8.onnx.data'))) }],
  });
  const x = new Float32Array(3 * 224 * 224).map((_, i) => Math.sin(i) * 0.5);
  const feed = { [s.inputNames[0]]: new ort.Tensor('float32', x, [1, 3, 224, 224]) };
  for (let i = 0; i < 2; i++) await s.run(feed);
  const t = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await s.run(feed);
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ median: t[t.length >> 1], min: t[0] }));
  process.exit(0);
}

ensureBenchDeps();
const app = join(ROOT, 'node_modules/onnxruntime-web');
// transformers.js's own onnxruntime-web: nested under it, or hoisted in bench/deps/node_modules
const nested = join(benchPackageDir('@huggingface/transformers'), 'node_modules/onnxruntime-web');
const tjs = existsSync(nested) ? nested : benchPackageDir('onnxruntime-web');
const version = (d) => JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).version;
const sides = [['app', app], ['transformers.js', tjs]];
console.log(`int8 image graph of ${dir}; ${threads} thread(s), ${runs} runs after 2 warm-ups; ${pairs} alternated pairs`);
const rows = [];
for (let p = 0; p < pairs; p++) {
  for (const [name, d] of sides) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), String(pairs), String(runs), String(threads), dir], { env: { ...process.env, ORT_CHILD: d } });
    const r = JSON.parse(out.toString());
    rows.push({ pair: p, name, version: version(d), ...r });
    console.log(`pair ${p} ${name.padEnd(16)} onnxruntime-web ${version(d).padEnd(28)} median ${r.median.toFixed(1)} ms, min ${r.min.toFixed(1)} ms`);
  }
}
const med = (name) => {
  const v = rows.filter((r) => r.name === name).map((r) => r.median).sort((a, b) => a - b);
  return v[v.length >> 1];
};
console.log(`median of the pairs' medians: app ${med('app').toFixed(1)} ms, transformers.js ${med('transformers.js').toFixed(1)} ms, app / transformers.js ${(med('app') / med('transformers.js')).toFixed(2)}x`);
