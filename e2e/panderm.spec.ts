import { expect, test, type Page } from '@playwright/test';
import { PHOTO_A, differential, goTo, openApp, upload } from './app';
import { browserBounds, cosine, loadBundle } from './bundle';
import { PANDERM_BUNDLES } from '../test/model/bounds';

// DermLIP-PanDerm (CAE ViT + BERT, WordPiece tokenizer, 256 tokens): the app's tokenizer and both
// towers on WASM and WebGPU against the toolchain's PyTorch references.
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

for (const id of PANDERM_BUNDLES) {
  const b = loadBundle(id);

  test(`${id}: token ids from the app's WordPiece tokenizer equal the toolchain's on every reference prompt`, async ({ page }) => {
    await open(page, `bundle=${b.url}&backend=wasm`);
    const texts = b.references.prompts.map((p) => p.text);
    const ids = await page.evaluate((t) => window.dermlip.tokenize(t), texts);
    b.references.prompts.forEach((p, i) => expect(ids[i], JSON.stringify(p.text)).toEqual(p.ids));
    expect(ids.every((row) => row.length === 256)).toBe(true);
  });

  for (const { backend, variant } of runs) {
    test(`${id} ${backend} ${variant}: image and text embeddings match the PyTorch references`, async ({ page }) => {
      await open(page, `bundle=${b.url}&backend=${backend}&variant=${variant}`);
      const info = await page.evaluate(() => window.dermlip.info());
      expect(info.bundle).toBe(id);
      expect(info.choice).toMatchObject({ backend, variant });
      const min = browserBounds(id)[variant];
      let worstImage = 1;
      for (const img of b.references.images) {
        const r = await page.evaluate((url) => window.dermlip.embedImageUrl(url), `${b.url}/${img.file}`);
        const c = cosine(r.embedding, img.embedding);
        worstImage = Math.min(worstImage, c);
        expect(c, `${img.name}: cosine ${c}`).toBeGreaterThanOrEqual(min.image);
      }
      const embs = await page.evaluate((t) => window.dermlip.embedPromptsFresh(t), b.references.prompts.map((p) => p.text));
      const cos = b.references.prompts.map((p, i) => cosine(embs[i], p.embedding));
      cos.forEach((c, i) => expect(c, `${JSON.stringify(b.references.prompts[i].text)}: cosine ${c}`).toBeGreaterThanOrEqual(min.text));
      console.log(`${id} ${backend} ${variant}: min cosine image ${worstImage.toFixed(6)}, text ${Math.min(...cos).toFixed(6)}`);
    });
  }
}

test('a photo diagnosed with the PanDerm demo; compare beside the B/16 demo on the same photo', async ({ page }) => {
  await openApp(page, 'backend=wasm&bundle=/models/demo-panderm-tiny');
  await upload(page, PHOTO_A);
  const own = await differential(page);
  expect(own.length).toBeGreaterThan(0);
  expect(own.every((d) => Number.isFinite(d.prob))).toBe(true);
  await goTo(page, 'Compare');
  await page.getByTestId('compare-model-b').selectOption('/models/demo-tiny');
  await page.getByTestId('compare-precision-b').selectOption('fast');
  const col = (id: string) => page.getByTestId(id).getByTestId('diff-item');
  await expect(col('compare-a').first()).toBeVisible({ timeout: 120_000 });
  await expect(col('compare-b').first()).toBeVisible({ timeout: 120_000 });
  expect(await col('compare-a').count()).toBe(await col('compare-b').count());
  await expect(page.getByTestId('comparison-summary')).toContainText('of the top 5 labels are in both lists');
});
