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
import { expect, test } from '@playwright/test';
import { badCheckpoints } from '../test/helpers/bad-checkpoints';
import { fixtureCheckpoint, pandermFixtureCheckpoint } from '../test/helpers/checkpoints';
import { goTo, openApp, reopen } from './app';
import { loadBundle } from './bundle';
import { dropFiles, expectReferenceEmbedding, expectSameAsToolchain, leftovers } from './converted';

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
  await dropFiles(page, [ck.bin, ck.config]);
  await expect(page.getByTestId('convert-ok')).toBeVisible({ timeout: 170_000 });
  await expect(page.getByTestId('demo-banner')).toHaveCount(0);
  await expectSameAsToolchain(page, 'open_clip_pytorch_model.bin');
});

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
  // The real DermLIP-PanDerm config: without its text model's files it asks for them; with them, a
  // checkpoint of another model is refused by the real-size architecture's tensor check.
  const pandermCfg = join(dirname(ck.config), 'panderm', 'open_clip_config.json');
  const bertCfg = join(dirname(ck.config), 'panderm', 'config.json');
  mkdirSync(dirname(pandermCfg), { recursive: true });
  writeFileSync(pandermCfg, JSON.stringify({ model_cfg: JSON.parse(readFileSync('data/derm1m/model_configs/PanDerm-base-w-PubMed-256.json', 'utf8')) }));
  writeFileSync(bertCfg, JSON.stringify(JSON.parse(readFileSync('tools/model/configs/panderm-full.json', 'utf8')).fixture.hf_text_config));
  await page.getByTestId('convert-files').setInputFiles([ck.safetensors, pandermCfg]);
  await expect(page.getByTestId('convert-error')).toContainText('DermLIP-PanDerm also needs the config.json of its text model, neuml/pubmedbert-base-embeddings');
  await page.getByTestId('convert-files').setInputFiles([ck.safetensors, pandermCfg, bertCfg, pandermFixtureCheckpoint().tokenizer]);
  await expect(page.getByTestId('convert-error')).toContainText('The checkpoint does not fit DermLIP-PanDerm (PanDerm-base + PubMedBERT)');
  await expect(page.getByTestId('convert-error')).toContainText('missing tensor visual.patch_embed.proj.weight (expected shape [768, 3, 16, 16])');
  await page.getByTestId('convert-files').setInputFiles([ck.safetensors, ck.bin]);
  await expect(page.getByTestId('convert-error')).toContainText('Pick one checkpoint and one open_clip_config.json');
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
  // The text session read its weights from the stored Blob, tensor by tensor (engine/blob-bytes.ts).
  await expect(progress).toHaveAttribute('data-text-weights', 'blob');
  // A reload that keeps the link's ?backend=wasm. page.reload() drops it (link settings hold for one
  // page load), so the rest of the table ran with the saved backend ('auto': here the software WebGPU
  // adapter): 78-84 s per reload test instead of 9 s, past the 180 s test budget under load.
  await reopen(page);
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
    await reopen(page); // a reload with the link's ?backend=wasm (see the test above)
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
