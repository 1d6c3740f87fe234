import { expect, test, type Page } from '@playwright/test';
import { BUNDLE_URL, BUNDLES, browserBounds, cosine, loadBundle, manifest, references } from './bundle';

async function open(page: Page, query: string) {
  await page.goto(`/?${query}`);
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
}

const runs: { backend: 'wasm' | 'webgpu'; variant: string }[] = [
  { backend: 'wasm', variant: 'fp32' },
  { backend: 'wasm', variant: 'int8' },
  { backend: 'wasm', variant: 'q4' },
  { backend: 'webgpu', variant: 'fp32' },
  { backend: 'webgpu', variant: 'q4' },
];

// demo-tiny: QuickGELU, shortest-side bicubic, OpenAI mean/std. demo-tiny-gelu: GELU, longest-side
// bilinear padded with fill 114, ImageNet mean/std. Each against its own PyTorch references.
for (const id of BUNDLES) {
  const b = loadBundle(id);
  const bundleQuery = `bundle=${b.url}`;

  for (const { backend, variant } of runs) {
    test(`${id} ${backend} ${variant}: image and text embeddings match the PyTorch references`, async ({ page }) => {
      await open(page, `${bundleQuery}&backend=${backend}&variant=${variant}`);
      const info = await page.evaluate(() => window.dermlip.info());
      expect(info.bundle).toBe(id);
      expect(info.choice).toMatchObject({ backend, variant });
      if (backend === 'wasm') expect(info.choice!.numThreads).toBeGreaterThan(1);
      const min = browserBounds(id)[variant];
      let worstImage = 1;
      for (const img of b.references.images) {
        const r = await page.evaluate((url) => window.dermlip.embedImageUrl(url), `${b.url}/${img.file}`);
        const c = cosine(r.embedding, img.embedding);
        worstImage = Math.min(worstImage, c);
        expect(c, `${img.name}: cosine ${c}`).toBeGreaterThanOrEqual(min.image);
      }
      const texts = b.references.prompts.map((p) => p.text);
      const embs = await page.evaluate((t) => window.dermlip.embedPromptsFresh(t), texts);
      const cos = b.references.prompts.map((p, i) => cosine(embs[i], p.embedding));
      cos.forEach((c, i) => expect(c, `"${b.references.prompts[i].text}": cosine ${c}`).toBeGreaterThanOrEqual(min.text));
      console.log(`${id} ${backend} ${variant}: min cosine image ${worstImage.toFixed(6)}, text ${Math.min(...cos).toFixed(6)}`);
    });
  }

  test(`${id}: preprocessing in the browser follows the manifest and matches open_clip within one 8-bit level`, async ({ page }) => {
    await open(page, `${bundleQuery}&backend=wasm`);
    const std: number[] = b.manifest.image.std;
    let worst = 0;
    for (const img of b.references.images) {
      const crop = await page.evaluate((url) => window.dermlip.cropOf(url), `${b.url}/${img.file}`);
      const ref = b.refCrop(img);
      expect(crop.length).toBe(ref.length);
      let maxAbs = 0;
      for (let i = 0; i < ref.length; i++) maxAbs = Math.max(maxAbs, Math.abs(crop[i] - ref[i]) / 255 / std[i % 3]);
      worst = Math.max(worst, maxAbs);
      // JPEG decoders may differ by a level or two; PNG must be near exact.
      expect(maxAbs, `${img.name}: max abs error on normalised values`).toBeLessThanOrEqual(img.mime === 'image/png' ? 0.02 : 0.05);
    }
    const { resize, interpolation, fill } = b.manifest.image;
    console.log(`${id} preprocessing (${resize} ${interpolation} fill ${fill ?? 0}): worst max abs error ${worst.toFixed(4)} (normalised units)`);
  });
}

test('token ids from the app tokenizer equal the reference tokenizer', async ({ page }) => {
  await open(page, 'backend=wasm');
  const ids = await page.evaluate((t) => window.dermlip.tokenize(t), references.prompts.map((p) => p.text));
  references.prompts.forEach((p, i) => expect(ids[i], p.text).toEqual(p.ids));
});

test('a lost GPU device falls back to WASM and the request still completes', async ({ page }) => {
  await open(page, 'backend=webgpu&variant=fp32&debug=1');
  const img = references.images[0];
  await page.evaluate(() => window.dermlip.loseDevice!());
  const r = await page.evaluate((url) => window.dermlip.embedImageUrl(url), `${BUNDLE_URL}/${img.file}`);
  expect(r.backend).toBe('wasm');
  expect(cosine(r.embedding, img.embedding)).toBeGreaterThan(0.99);
  await expect(page.getByTestId('fallback-note').first()).toContainText('WebGPU');
});

test('fp16 is never chosen on an adapter without shader-f16', async ({ page }) => {
  await open(page, 'backend=webgpu&variant=fp16');
  const info = await page.evaluate(() => window.dermlip.info());
  expect(info.device?.device.gpuFeatures).not.toContain('shader-f16');
  expect(info.choice?.variant).not.toBe('fp16');
});

test('the second load makes no network request for model files', async ({ page }) => {
  await open(page, 'backend=wasm');
  // Everything the app loads from a bundle (the reference photos are test data, fetched below).
  const modelFiles = Object.keys(manifest.files).filter((f) => !f.startsWith('references/')).map((f) => `${BUNDLE_URL}/${f}`);
  const requested: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (modelFiles.includes(path)) requested.push(path);
  });
  await page.reload();
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready');
  await page.evaluate((url) => window.dermlip.embedImageUrl(url), `${BUNDLE_URL}/${references.images[1].file}`);
  expect(requested).toEqual([]);
});

for (const part of ['image', 'imageData'] as const) {
  test(`a tampered model file (${part === 'image' ? 'graph' : 'weights'}) is refused and never run`, async ({ page }) => {
    const target = manifest.variants.int8[part] as string;
    expect(target).toBeTruthy();
    await page.route(`**${BUNDLE_URL}/${target}`, async (route) => {
      const res = await route.fetch();
      const body = Buffer.from(await res.body());
      body[body.length >> 1] ^= 0xff;
      await route.fulfill({ response: res, body });
    });
    await page.goto('/?backend=wasm&variant=int8');
    const status = page.getByTestId('model-status');
    await expect(status).toHaveAttribute('data-phase', 'error');
    await expect(status).toContainText(`Model file ${target} is corrupt or was tampered with`);
  });
}

// The copy kept in the weight cache is checked again at every load (size, then sha256 of what was
// read): a damaged copy is deleted, reported, downloaded again, and never run.
for (const damage of ['one byte changed', 'one byte missing'] as const) {
  test(`a cached weights file with ${damage} is refused and fetched again`, async ({ page }) => {
    await open(page, 'backend=wasm&variant=int8&debug=1');
    const photo = `${BUNDLE_URL}/${references.images[1].file}`;
    const before = await page.evaluate((url) => window.dermlip.embedImageUrl(url), photo);
    const target = manifest.variants.int8.imageData as string;
    expect(target).toBeTruthy();
    const damaged = await page.evaluate(
      async ({ target, cut }) => {
        const cache = await caches.open('dermlip-weights-v1');
        const key = (await cache.keys()).find((r) => decodeURIComponent(new URL(r.url).pathname).endsWith(`/${target}`));
        if (!key) return null;
        const bytes = new Uint8Array(await (await cache.match(key))!.arrayBuffer());
        const body = cut ? bytes.slice(0, -1) : bytes;
        if (!cut) body[body.length >> 1] ^= 0xff;
        await cache.put(key, new Response(body, { headers: { 'Content-Type': 'application/octet-stream' } }));
        return key.url;
      },
      { target, cut: damage === 'one byte missing' },
    );
    expect(damaged).toBeTruthy();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await page.reload();
    await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
    await expect(page.getByText(`Model file ${target} is corrupt or was tampered with`)).toBeVisible();
    expect(requested).toContain(`${BUNDLE_URL}/${target}`);
    // the good copy, downloaded again, replaced the damaged one and is what runs
    const stored = await page.evaluate(async (url) => (await (await caches.open('dermlip-weights-v1')).match(url))?.arrayBuffer().then((b) => b.byteLength), damaged!);
    expect(stored).toBe(manifest.files[target].bytes);
    await page.evaluate(() => window.dermlip.clearEmbeddingCache!());
    const after = await page.evaluate((url) => window.dermlip.embedImageUrl(url), photo);
    expect(after.fromCache).toBe(false);
    expect(cosine(after.embedding, before.embedding)).toBeGreaterThan(0.999999);
  });
}
