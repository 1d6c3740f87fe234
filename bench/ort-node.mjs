// Native baseline: onnxruntime-node (CPU EP) on the bundle's own ONNX files.
// usage: node bench/ort-node.mjs <bundle dir> [runs] [only: comma list of row keys] [trimmed length, 12]
//   -> one JSON object on stdout
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { stats } from './stats.mjs';

const dir = process.argv[2];
const runs = Number(process.argv[3] ?? 10);
const only = process.argv[4] ? new Set(process.argv[4].split(',')) : null;
// tokens per row of the trimmed text rows (start + words + end): 12, ten words, by default
const TRIM = Number(process.argv[5] ?? 12);
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
// The bundle's own special tokens and vocabulary (CLIP BPE or WordPiece).
const START = BigInt(manifest.tokenizer.startId);
const END = BigInt(manifest.tokenizer.endId);
const WORDS = Math.min(20000, (manifest.model?.text?.vocabSize ?? 49408) - 500);
const S = manifest.image.size;

function imageFeed() {
  const t = new Float32Array(3 * S * S);
  for (let i = 0; i < t.length; i++) t[i] = Math.sin(i * 12.9898) * 1.5;
  return { [manifest.image.input]: new ort.Tensor('float32', t, [1, 3, S, S]) };
}
/** n rows of length len: start, n-2 word ids, end, then padding to len with 0 (like the app). */
function textFeed(n, words, len) {
  const ids = new BigInt64Array(n * len);
  for (let r = 0; r < n; r++) {
    ids[r * len] = START;
    for (let k = 1; k <= words; k++) ids[r * len + k] = BigInt(400 + ((r * 31 + k * 7) % WORDS));
    ids[r * len + words + 1] = END;
  }
  return { [manifest.text.input]: new ort.Tensor('int64', ids, [n, len]) };
}

async function time(file, feed, threads, n = runs, warmup = 2) {
  const session = await ort.InferenceSession.create(join(dir, file), { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  for (let i = 0; i < warmup; i++) await session.run(feed);
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await session.run(feed);
    ms.push(performance.now() - t0);
  }
  await session.release();
  return stats(ms);
}

const v = manifest.variants;
const out = { version: ort.env.versions?.node ?? ort.env.versions?.common, image: {}, text: {} };
const row = async (tower, key, f) => {
  if (!only || only.has(key)) out[tower][key] = await f();
};
await row('image', 'int8-t2', () => time(v.int8.image, imageFeed(), 2));
await row('image', 'int8-t1', () => time(v.int8.image, imageFeed(), 1));
await row('image', 'fp32-t2', () => time(v.fp32.image, imageFeed(), 2));
await row('image', 'q4-t2', () => time(v.q4.image, imageFeed(), 2));
// batch of 8 prompts: trimmed to TRIM tokens (what the app sends) and padded to 77
await row('text', 'int8-b8-trim', () => time(v.int8.text, textFeed(8, TRIM - 2, TRIM), 2));
await row('text', 'fp32-b8-trim', () => time(v.fp32.text, textFeed(8, TRIM - 2, TRIM), 2));
await row('text', 'int8-b8-pad77', () => time(v.int8.text, textFeed(8, 10, 77), 2));
console.log(JSON.stringify(out));
