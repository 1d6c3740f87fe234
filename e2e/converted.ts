/**
 * What the convert e2e specs check on a converted bundle, as stored in the browser: its manifest,
 * every file re-hashed, its prompt table against the toolchain's, a reference photo's embedding,
 * and what a conversion may have left behind.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { cosine, loadBundle } from './bundle';

const demo = loadBundle('demo-tiny');
/** The table is float16 of L2-normalised rows: torch (toolchain) vs onnxruntime-web fp32 (here). */
const TABLE_MAX_ABS = 5e-4; // measured 1.2e-4: one float16 step at the rows' largest values
const TABLE_MIN_COS = 0.99999;
const PHOTO_MIN_COS = 0.9999; // fp32 in the browser vs PyTorch fp32 (test/model/bounds.ts)

interface Stored {
  baseUrl: string;
  manifest: any;
  /** sha256 of each stored file's bytes, hashed here (not read from the manifest). */
  hashes: Record<string, string>;
  table: { maxAbs: number; minCos: number; rows: number };
}

/** The converted bundle as stored in the browser: its manifest, every file re-hashed, and its prompt table against the toolchain's (of fixture `id`). */
async function stored(page: Page, id = 'demo-tiny'): Promise<Stored> {
  return page.evaluate(async ({ demoUrl, id }) => {
    const cache = await caches.open('dermlip-weights-v1');
    const keys = (await cache.keys()).map((r) => decodeURIComponent(new URL(r.url).pathname));
    const mkey = keys.find((k) => k.startsWith(`/__dermlip-manifests/imported:converted-${id}-`))!;
    const baseUrl = mkey.slice('/__dermlip-manifests/'.length);
    const manifest = await (await cache.match('/__dermlip-manifests/' + encodeURIComponent(baseUrl)))!.json();
    const hashes: Record<string, string> = {};
    const bytesOf = async (file: string) => new Uint8Array(await (await cache.match(`/__dermlip-weights/${manifest.id}/${manifest.files[file].sha256}/${file}`))!.arrayBuffer());
    for (const file of Object.keys(manifest.files)) {
      const d = await crypto.subtle.digest('SHA-256', await bytesOf(file));
      hashes[file] = [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
    }
    const f16 = (b: Uint8Array) => {
      const out = new Float32Array(b.length / 2);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      for (let i = 0; i < out.length; i++) {
        const h = dv.getUint16(2 * i, true);
        const e = (h >> 10) & 31, m = h & 1023, s = h & 0x8000 ? -1 : 1;
        out[i] = e === 0 ? s * m * 2 ** -24 : s * (1 + m / 1024) * 2 ** (e - 15);
      }
      return out;
    };
    const ours = f16(await bytesOf('text-embeddings.f16.bin'));
    const theirs = f16(new Uint8Array(await (await fetch(`${demoUrl}/text-embeddings.f16.bin`)).arrayBuffer()));
    const dim = manifest.embedDim;
    let maxAbs = 0, minCos = 1;
    for (let r = 0; r * dim < theirs.length; r++) {
      let dot = 0, na = 0, nb = 0;
      for (let j = r * dim; j < (r + 1) * dim; j++) {
        maxAbs = Math.max(maxAbs, Math.abs(ours[j] - theirs[j]));
        dot += ours[j] * theirs[j]; na += ours[j] ** 2; nb += theirs[j] ** 2;
      }
      minCos = Math.min(minCos, dot / Math.sqrt(na * nb));
    }
    return { baseUrl, manifest, hashes, table: { maxAbs, minCos, rows: theirs.length / dim } };
  }, { demoUrl: `/models/${id}`, id });
}

export async function expectSameAsToolchain(page: Page, checkpointFile: string, fixture = demo) {
  const s = await stored(page, fixture.id);
  const m = s.manifest;
  expect(m.demo).toBe(false);
  expect(m.source).toMatchObject({ kind: 'checkpoint', file: checkpointFile, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  expect(m.license.weights).toMatch(/non-commercial research use/);
  expect(m.id).toBe(`converted-${fixture.id}-${m.source.sha256.slice(0, 8)}`);
  // Every file is what its manifest says, and every graph and weights file is the toolchain's, byte for byte.
  for (const [file, sha] of Object.entries(s.hashes)) expect(sha, file).toBe(m.files[file].sha256);
  const modelFiles = Object.keys(fixture.manifest.files).filter((f) => /\.onnx(\.data)?$/.test(f));
  expect(modelFiles).toHaveLength(16);
  for (const f of [...modelFiles, 'tokenizer.json', 'prompts.json', 'open_clip_config.json']) expect(s.hashes[f], f).toBe(fixture.manifest.files[f].sha256);
  for (const k of ['architecture', 'model', 'image', 'tokenizer', 'embedDim', 'modelLogitScale']) expect(m[k], k).toEqual(fixture.manifest[k]);
  expect(m.textEmbeddings).toMatchObject({ count: fixture.manifest.textEmbeddings.count, sourceVariant: 'fp32' });
  expect(s.table.rows).toBe(6290);
  expect(s.table.maxAbs).toBeLessThanOrEqual(TABLE_MAX_ABS);
  expect(s.table.minCos).toBeGreaterThanOrEqual(TABLE_MIN_COS);
  console.log(`${checkpointFile}: 16 model files byte-identical; prompt table max |diff| ${s.table.maxAbs.toExponential(2)}, min row cosine ${s.table.minCos.toFixed(7)}`);
  return s;
}

export async function expectReferenceEmbedding(page: Page, backend: 'wasm' | 'webgpu', fixture = demo) {
  const info = await page.evaluate(() => window.dermlip.info());
  expect(info.bundle.startsWith(`converted-${fixture.id}-`), info.bundle).toBe(true);
  expect(info.choice).toMatchObject({ backend, variant: 'fp32' });
  for (const img of fixture.references.images.slice(0, 3)) {
    const r = await page.evaluate((url) => window.dermlip.embedImageUrl(url), `${fixture.url}/${img.file}`);
    const c = cosine(r.embedding, img.embedding);
    expect(c, `${backend} ${img.name}: cosine ${c}`).toBeGreaterThanOrEqual(PHOTO_MIN_COS);
  }
}

/** What a conversion may have left in storage: weight-cache entries, OPFS files, records. */
export async function leftovers(page: Page) {
  return page.evaluate(async () => {
    const cache = await caches.open('dermlip-weights-v1');
    const keys = (await cache.keys()).map((r) => decodeURIComponent(new URL(r.url).pathname)).filter((k) => k.includes('converted-'));
    const opfs: string[] = [];
    const walk = async (dir: FileSystemDirectoryHandle, at: string): Promise<void> => {
      for await (const [name, h] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
        if (h.kind === 'directory') await walk(h as FileSystemDirectoryHandle, `${at}${name}/`);
        else opfs.push(at + name);
      }
    };
    await walk(await navigator.storage.getDirectory(), '/');
    const records = await new Promise<number>((resolve) => {
      const open = indexedDB.open('dermlip-convert');
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('state')) return resolve(0);
        const count = db.transaction('state').objectStore('state').count();
        count.onsuccess = () => resolve(count.result);
      };
      open.onerror = () => resolve(0);
    });
    return { keys, opfs, records };
  });
}

/** Drop these files on the converter's drop zone, as a user dragging them from a folder. */
export async function dropFiles(page: Page, paths: string[]) {
  const files = paths.map((p) => ({ name: p.split('/').pop()!, b64: readFileSync(p).toString('base64') }));
  const dt = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
    return dt;
  }, files);
  await page.dispatchEvent('[data-testid=convert-drop]', 'drop', { dataTransfer: dt });
}
