/**
 * "Use the real DermLIP weights": the tiny fixture's checkpoint (written by the toolchain at test
 * time, both formats) converted in Chromium through the UI. Every graph and weights file of the
 * result must be byte-identical to the toolchain's bundle of the same fixture (demo-tiny), the
 * prompt table must match the toolchain's within the stated tolerance, and a reference photo must
 * then give the toolchain's reference embedding on WASM and WebGPU. Bad checkpoints are refused
 * with their own message, leaving nothing in storage.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { badCheckpoints } from '../test/helpers/bad-checkpoints';
import { fixtureCheckpoint, pandermFixtureCheckpoint } from '../test/helpers/checkpoints';
import { goTo, openApp } from './app';
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

async function expectSameAsToolchain(page: Page, checkpointFile: string, fixture = demo) {
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

async function expectReferenceEmbedding(page: Page, backend: 'wasm' | 'webgpu', fixture = demo) {
  const info = await page.evaluate(() => window.dermlip.info());
  expect(info.bundle.startsWith(`converted-${fixture.id}-`), info.bundle).toBe(true);
  expect(info.choice).toMatchObject({ backend, variant: 'fp32' });
  for (const img of fixture.references.images.slice(0, 3)) {
    const r = await page.evaluate((url) => window.dermlip.embedImageUrl(url), `${fixture.url}/${img.file}`);
    const c = cosine(r.embedding, img.embedding);
    expect(c, `${backend} ${img.name}: cosine ${c}`).toBeGreaterThanOrEqual(PHOTO_MIN_COS);
  }
}

test('the tiny fixture\'s safetensors, picked in Settings > Use the real DermLIP weights, becomes the toolchain\'s bundle; a photo gives the reference embedding on WASM and WebGPU', async ({ page }) => {
  const ck = fixtureCheckpoint('tiny');
  await openApp(page);
  await expect(page.getByTestId('demo-banner')).toBeVisible();
  await goTo(page, 'Settings');
  await page.getByTestId('real-model-link').click();
  await expect(page.getByTestId('hub-models')).toContainText('DermLIP-B/16');
  await page.getByTestId('convert-files').setInputFiles([ck.safetensors, ck.config]);
  await expect(page.getByTestId('convert-ok')).toBeVisible({ timeout: 170_000 });
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('demo-banner')).toHaveCount(0);
  await expect(page.getByTestId('model-chip')).toContainText('converted from open_clip_model.safetensors');
  const s = await expectSameAsToolchain(page, 'open_clip_model.safetensors');

  // The selection survives a reload; the reference photo on WASM, then on WebGPU (fp32).
  await openApp(page, 'backend=wasm&variant=fp32');
  await expectReferenceEmbedding(page, 'wasm');
  await openApp(page, 'backend=webgpu&variant=fp32');
  await expectReferenceEmbedding(page, 'webgpu');
  expect(s.baseUrl).toMatch(/^imported:converted-demo-tiny-/);
});

test('the torch checkpoint (.bin), dropped together with its config, becomes the same bundle files', async ({ page }) => {
  const ck = fixtureCheckpoint('tiny');
  await openApp(page);
  await goTo(page, 'Real model');
  const files = [ck.bin, ck.config].map((p) => ({ name: p.split('/').pop()!, b64: readFileSync(p).toString('base64') }));
  const dt = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
    return dt;
  }, files);
  await page.dispatchEvent('[data-testid=convert-drop]', 'drop', { dataTransfer: dt });
  await expect(page.getByTestId('convert-ok')).toBeVisible({ timeout: 170_000 });
  await expect(page.getByTestId('demo-banner')).toHaveCount(0);
  await expectSameAsToolchain(page, 'open_clip_pytorch_model.bin');
});

test('DermLIP-PanDerm: the tiny fixture\'s torch checkpoint, picked with its config and its text model\'s config.json and tokenizer.json, becomes the toolchain\'s bundle', async ({ page }) => {
  const ck = pandermFixtureCheckpoint();
  const panderm = loadBundle('demo-panderm-tiny');
  await openApp(page, 'backend=wasm');
  await goTo(page, 'Real model');
  await page.getByTestId('convert-files').setInputFiles([ck.bin, ck.config, ck.textConfig, ck.tokenizer]);
  await expect(page.getByTestId('convert-ok')).toBeVisible({ timeout: 170_000 });
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('demo-banner')).toHaveCount(0);
  // Every graph and weights file, the WordPiece tokenizer.json made from the text model's file, the prompts and config: the toolchain's bytes.
  const s = await expectSameAsToolchain(page, 'open_clip_pytorch_model.bin', panderm);
  expect(s.manifest.tokenizer).toMatchObject({ kind: 'wordpiece', contextLength: 256 });
  await openApp(page, 'backend=wasm&variant=fp32');
  await expectReferenceEmbedding(page, 'wasm', panderm);
});

/** What a conversion may have left in storage: weight-cache entries, OPFS files, records. */
async function leftovers(page: Page) {
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

test('bad checkpoints are refused, each with its own message, and leave nothing in storage', async ({ page }) => {
  const ck = fixtureCheckpoint('tiny');
  await openApp(page);
  await goTo(page, 'Real model');
  for (const bad of badCheckpoints()) {
    await page.getByTestId('convert-files').setInputFiles([bad.path, ck.config]);
    await expect(page.getByTestId('convert-error'), bad.what).toContainText(bad.message, { timeout: 60_000 });
    expect(await leftovers(page), bad.what).toEqual({ keys: [], opfs: [], records: 0 });
    console.log(`${bad.what}: ${await page.getByTestId('convert-error').innerText()}`);
  }
  await expect(page.getByTestId('demo-banner')).toBeVisible();
  // A config that describes something else, and a wrong pair of files, are refused before any reading.
  const other = join(dirname(ck.config), 'other', 'open_clip_config.json');
  mkdirSync(dirname(other), { recursive: true });
  writeFileSync(other, JSON.stringify({ model_cfg: { embed_dim: 512, vision_cfg: { width: 1024, layers: 24, patch_size: 14 }, text_cfg: {} } }));
  await page.getByTestId('convert-files').setInputFiles([ck.safetensors, other]);
  await expect(page.getByTestId('convert-error')).toContainText('describes a model the app cannot convert: vision width 1024, 24 layers');
  // The real DermLIP-PanDerm (its graphs are not shipped yet) is named, with the way that works today.
  const pandermCfg = join(dirname(ck.config), 'panderm', 'open_clip_config.json');
  mkdirSync(dirname(pandermCfg), { recursive: true });
  writeFileSync(pandermCfg, JSON.stringify({ model_cfg: JSON.parse(readFileSync('data/derm1m/model_configs/PanDerm-base-w-PubMed-256.json', 'utf8')) }));
  await page.getByTestId('convert-files').setInputFiles([ck.safetensors, pandermCfg]);
  await expect(page.getByTestId('convert-error')).toContainText('cannot convert DermLIP-PanDerm in the browser yet');
  await page.getByTestId('convert-files').setInputFiles([ck.safetensors, ck.bin]);
  await expect(page.getByTestId('convert-error')).toContainText('Pick two files');
  expect(await leftovers(page)).toEqual({ keys: [], opfs: [], records: 0 });
});

test('a reload during the prompt table resumes where it stopped instead of starting again', async ({ page }) => {
  const ck = fixtureCheckpoint('tiny-gelu');
  await openApp(page);
  await goTo(page, 'Real model');
  await page.getByTestId('convert-files').setInputFiles([ck.safetensors, ck.config]);
  const progress = page.getByTestId('convert-progress');
  await expect(progress).toHaveAttribute('data-step', '3', { timeout: 120_000 });
  await expect.poll(async () => Number(await progress.getAttribute('data-done')), { timeout: 120_000, intervals: [50] }).toBeGreaterThanOrEqual(640);
  const before = Number(await progress.getAttribute('data-done'));
  await page.reload();
  // The app resumes by itself: its first progress after the reload is where it was, not 0.
  await expect(progress).toHaveAttribute('data-step', '3', { timeout: 120_000 });
  const after = Number(await progress.getAttribute('data-done'));
  expect(after).toBeGreaterThanOrEqual(before - 64);
  expect(after).toBeGreaterThan(0);
  await expect(page.getByTestId('convert-ok')).toBeVisible({ timeout: 170_000 });
  console.log(`prompt table: reload at ${before} of 6290 prompts, resumed at ${after}`);
  const s = await page.evaluate(async () => {
    const cache = await caches.open('dermlip-weights-v1');
    const k = (await cache.keys()).map((r) => decodeURIComponent(new URL(r.url).pathname)).find((p) => p.startsWith('/__dermlip-manifests/imported:converted-demo-tiny-gelu-'))!;
    return (await cache.match('/__dermlip-manifests/' + encodeURIComponent(k.slice('/__dermlip-manifests/'.length))))!.json();
  });
  const gelu = loadBundle('demo-tiny-gelu');
  for (const f of Object.keys(gelu.manifest.files).filter((x) => /\.onnx(\.data)?$/.test(x))) expect(s.files[f].sha256, f).toBe(gelu.manifest.files[f].sha256);
  expect(s.image).toEqual(gelu.manifest.image);
  expect(await leftovers(page).then((l) => ({ opfs: l.opfs, records: l.records }))).toEqual({ opfs: [], records: 0 });
});

test.describe(() => {
  // Without the service worker, so that the test's network route sees the app's requests.
  test.use({ serviceWorkers: 'block' });
  test('a reload while the model files are written keeps the finished ones: the same checkpoint picked again skips them', async ({ page }) => {
    const ck = fixtureCheckpoint('tiny');
    await openApp(page);
    await goTo(page, 'Real model');
    // Hold the conversion right after its 16 model files (the tokenizer is read next), then reload.
    await page.route('**/convert/tokenizer.json.gz', () => undefined);
    await page.getByTestId('convert-files').setInputFiles([ck.safetensors, ck.config]);
    await expect.poll(async () => (await leftovers(page)).keys.length, { timeout: 60_000 }).toBe(16);
    await page.unroute('**/convert/tokenizer.json.gz');
    await page.reload();
    await expect(page.getByTestId('convert-pending')).toContainText('interrupted while writing the model files');
    // Steps seen from now on: the writing step (2) must not come back.
    await page.evaluate(() => {
      (window as unknown as { steps: string[] }).steps = [];
      new MutationObserver(() => {
        const s = document.querySelector('[data-testid=convert-progress]')?.getAttribute('data-step');
        const seen = (window as unknown as { steps: string[] }).steps;
        if (s && seen[seen.length - 1] !== s) seen.push(s);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByTestId('convert-files').setInputFiles([ck.safetensors, ck.config]);
    await expect(page.getByTestId('convert-ok')).toBeVisible({ timeout: 170_000 });
    const steps = await page.evaluate(() => (window as unknown as { steps: string[] }).steps);
    expect(steps).not.toContain('2');
    console.log(`steps after picking the files again: ${steps.join(' ')}`);
    await expectSameAsToolchain(page, 'open_clip_model.safetensors');
    expect(await leftovers(page).then((l) => ({ opfs: l.opfs, records: l.records }))).toEqual({ opfs: [], records: 0 });
  });
});
