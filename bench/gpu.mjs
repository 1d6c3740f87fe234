// `npm run bench:gpu`: the image encoder through onnxruntime-web's WebGPU backend, in Node, with
// `navigator.gpu` from Dawn (the `webgpu` npm package: dawn.node, which needs a GPU driver with
// Vulkan on Linux). For machines with a real GPU and no browser. Same input and statistics as
// `npm run bench`; each variant's embedding is checked against onnxruntime-node fp32 on the CPU.
//
// env: BENCH_GPU_BUNDLE (bundle dir; default public/models/demo-full, built when missing),
//      BENCH_GPU_VARIANTS (fp16,fp32,q4), BENCH_RUNS (20), BENCH_GPU_BATCH (1,8),
//      BENCH_GPU_DAWN (Dawn options, comma separated, e.g. "backend=vulkan" or "adapter=NVIDIA ...";
//      "backend=null" checks the plumbing only: nothing is computed), BENCH_NO_WRITE=1.
// exit codes: 0 done, 2 no GPU adapter, 1 any other failure.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { BUNDLE, ROOT, ensureFullBundle } from './bundle.mjs';
import { writeSection } from './report.mjs';
import { cosine, stats } from './stats.mjs';
import { installDawn, describeAdapter, NO_ADAPTER_HELP } from './dawn.mjs';
import { benchPackageDir } from './deps.mjs';

const dir = resolve(process.env.BENCH_GPU_BUNDLE ?? BUNDLE);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const VARIANTS = (process.env.BENCH_GPU_VARIANTS ?? 'fp16,fp32,q4').split(',').filter(Boolean);
const BATCHES = (process.env.BENCH_GPU_BATCH ?? '1,8').split(',').map(Number).filter((n) => n > 0);
const DAWN = (process.env.BENCH_GPU_DAWN ?? '').split(',').filter(Boolean);
const nullBackend = DAWN.includes('backend=null');
const log = (...a) => console.log('[bench:gpu]', ...a);

function imageInput(size, batch) {
  const one = 3 * size * size;
  const t = new Float32Array(batch * one);
  for (let i = 0; i < one; i++) t[i] = Math.sin(i * 12.9898) * 1.5;
  for (let b = 1; b < batch; b++) t.copyWithin(b * one, 0, one);
  return t;
}

async function cpuReference(manifest, input) {
  const ort = await import('onnxruntime-node');
  const file = join(dir, manifest.variants.fp32.image);
  const session = await ort.InferenceSession.create(file, { intraOpNumThreads: Math.min(4, os.cpus().length), graphOptimizationLevel: 'all' });
  const feed = { [manifest.image.input]: new ort.Tensor('float32', input, [1, 3, manifest.image.size, manifest.image.size]) };
  const out = await session.run(feed);
  const ms = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await session.run(feed);
    ms.push(performance.now() - t0);
  }
  await session.release();
  return { embedding: Float32Array.from(out[manifest.image.output].data), fp32Ms: stats(ms) };
}

async function measure(ort, manifest, variant, reference) {
  const spec = manifest.variants[variant];
  if (!spec) return { variant, skipped: 'not in this bundle' };
  const file = spec.image;
  const bytes = readFileSync(join(dir, file));
  // weights kept apart (docs/bundle-format.md): handed over like the app's worker does
  const data = spec.imageData ? readFileSync(join(dir, spec.imageData)) : null;
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['webgpu'],
    graphOptimizationLevel: 'all',
    ...(data ? { externalData: [{ path: spec.imageData, data }] } : {}),
  });
  const createMs = performance.now() - t0;
  const S = manifest.image.size;
  const res = { variant, file, megabytes: +((bytes.length + (data?.length ?? 0)) / 1e6).toFixed(1), createMs: Math.round(createMs), batches: {} };
  for (const batch of BATCHES) {
    const feed = { [manifest.image.input]: new ort.Tensor('float32', imageInput(S, batch), [batch, 3, S, S]) };
    const t1 = performance.now();
    const first = await session.run(feed);
    const firstMs = performance.now() - t1;
    await session.run(feed);
    const ms = [];
    for (let i = 0; i < RUNS; i++) {
      const t2 = performance.now();
      await session.run(feed);
      ms.push(performance.now() - t2);
    }
    const data = first[manifest.image.output].data;
    const row0 = Float32Array.from(data.subarray(0, data.length / batch));
    res.batches[batch] = { firstMs: Math.round(firstMs), ms: stats(ms), perImageMs: +(stats(ms).median / batch).toFixed(2), cosineVsCpuFp32: +cosine(row0, reference).toFixed(6) };
    log(`${variant} batch ${batch}: ${stats(ms).median} ms (p10 ${stats(ms).p10}, p90 ${stats(ms).p90}), first run ${Math.round(firstMs)} ms, cosine vs CPU fp32 ${res.batches[batch].cosineVsCpuFp32}`);
  }
  await session.release();
  return res;
}

function render(r) {
  const a = r.adapter;
  const rows = r.variants.flatMap((v) =>
    v.skipped || v.error
      ? [`| ${v.variant} | – | – | – | – | – | ${v.skipped ?? v.error} |`]
      : Object.entries(v.batches).map(([b, m]) => `| ${v.variant} | ${b} | ${m.ms.median} (${m.ms.p10}–${m.ms.p90}) | ${m.perImageMs} | ${v.createMs} / ${m.firstMs} | ${(r.cpu.fp32Ms.median / m.perImageMs).toFixed(1)}x | ${m.cosineVsCpuFp32} |`),
  );
  return [
    `Command: \`${r.command}\` · date ${r.date} · machine ${r.machine.host} (${r.machine.cpu}, ${r.machine.cores} cores) · adapter ${a.vendor} / ${a.architecture} / ${a.device || '?'} (${a.description || 'no description'}; fallback ${a.isFallbackAdapter}; shader-f16 ${a.shaderF16}) · Dawn options ${r.dawnOptions.join(',') || 'none'} · Node ${r.versions.node} · onnxruntime-web ${r.versions['onnxruntime-web']} · webgpu (dawn.node) ${r.versions.webgpu} · git ${r.versions.git} · ${r.runs} timed runs after 2 warm-ups, median (p10–p90), ms`,
    '',
    '| variant | batch | ms per run | ms per image | session create / first run (ms) | speed-up vs onnxruntime-node fp32 CPU | cosine vs CPU fp32 |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `- CPU reference: onnxruntime-node fp32, ${r.machine.cores} cores, batch 1: ${r.cpu.fp32Ms.median} ms.`,
  ].join('\n');
}

async function main() {
  if (!process.env.BENCH_GPU_BUNDLE) ensureFullBundle(log);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const gpu = await installDawn(DAWN);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    console.error(`\n[bench:gpu] No GPU adapter found: Dawn (the \`webgpu\` package, options: ${DAWN.join(',') || 'none'}) returned none.\n${NO_ADAPTER_HELP}\n`);
    process.exit(2);
  }
  const info = describeAdapter(adapter);
  log('adapter', JSON.stringify(info));
  if (nullBackend) log('Dawn null backend: nothing is computed; times and cosines are meaningless (plumbing check only)');
  if (info.isFallbackAdapter) log('this is a software (fallback) adapter: its times say nothing about GPU speed');
  const ort = await import('onnxruntime-web/webgpu');
  ort.env.logLevel = 'error';
  const features = info.shaderF16 ? ['shader-f16'] : [];
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures: features,
    requiredLimits: { maxBufferSize: l.maxBufferSize, maxStorageBufferBindingSize: l.maxStorageBufferBindingSize, maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize },
  });
  ort.env.webgpu.device = device;

  log(`bundle ${dir}; CPU reference (onnxruntime-node fp32)`);
  const cpu = await cpuReference(manifest, imageInput(manifest.image.size, 1));
  const results = [];
  for (const variant of VARIANTS) {
    if (variant === 'fp16' && !info.shaderF16) {
      results.push({ variant, skipped: 'adapter has no shader-f16' });
      log('fp16 skipped: the adapter has no shader-f16');
      continue;
    }
    try {
      results.push(await measure(ort, manifest, variant, cpu.embedding));
    } catch (e) {
      results.push({ variant, error: String(e?.message ?? e).slice(0, 300) });
      log(`${variant} failed: ${e?.message ?? e}`);
    }
  }
  const v = (p) => JSON.parse(readFileSync(join(p === 'webgpu' ? benchPackageDir(p) : join(ROOT, 'node_modules', p), 'package.json'), 'utf8')).version;
  const result = {
    date: new Date().toISOString(),
    command: `npm run bench:gpu${DAWN.length ? ` (BENCH_GPU_DAWN=${DAWN.join(',')})` : ''}`,
    machine: { host: os.hostname(), cpu: os.cpus()[0]?.model, cores: os.cpus().length },
    adapter: info,
    dawnOptions: DAWN,
    bundle: dir,
    versions: { node: process.versions.node, 'onnxruntime-web': v('onnxruntime-web'), webgpu: v('webgpu'), git: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim() },
    runs: RUNS,
    cpu: { fp32Ms: cpu.fp32Ms },
    variants: results,
  };
  const table = render(result);
  console.log(`\n${table}\n`);
  if (!process.env.BENCH_NO_WRITE && !nullBackend && !info.isFallbackAdapter) {
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    const file = join(ROOT, 'bench/results', `${result.date.slice(0, 10)}-${os.hostname()}-gpu.json`);
    writeFileSync(file, JSON.stringify(result, null, 1) + '\n');
    writeSection(join(ROOT, 'BENCHMARKS.md'), 'gpu', 'Real GPU (npm run bench:gpu)', table);
    log(`wrote ${file} and BENCHMARKS.md`);
  }
  device.destroy();
  const failed = results.filter((r) => r.error).length;
  process.exit(failed ? 1 : 0);
}

await main();
