import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { BUNDLE_DIR, cosine, references } from './bundle';
import { PHOTO_A, PHOTO_B, differential, drop, grayPng, openApp, stats, upload, goTo } from './app';

test('a photo by file input gives a differential, concepts and a hierarchy; re-ranking makes no model call', async ({ page }) => {
  await openApp(page);
  await expect(page.getByTestId('demo-banner')).toBeVisible();
  await upload(page, PHOTO_A);
  const top = await differential(page);
  expect(top).toHaveLength(5);
  const probs = top.map((t) => t.prob);
  expect([...probs].sort((a, b) => b - a)).toEqual(probs);
  await expect(page.getByTestId('sr-summary')).toContainText(`Top result: ${top[0].name}`);
  await expect(page.getByTestId('concept-item')).toHaveCount(8);
  const before = await stats(page);
  expect(before.image).toBe(1);

  // Switching label set and templates re-ranks from cached embeddings: no model call.
  await page.getByTestId('label-set').selectOption('preset:ham');
  const ham = await differential(page);
  expect(ham.map((h) => h.name)).toEqual(expect.arrayContaining([expect.stringMatching(/melanoma|nevus|keratosis|carcinoma|dermatofibroma|vascular/)]));
  await expect(page.getByTestId('diff-item')).toHaveCount(5);
  await page.getByTestId('label-set').selectOption('ontology:children:proliferations');
  await expect(page.getByTestId('diff-item')).toHaveCount(3);
  expect(await stats(page)).toEqual(before);
  // Templates that are not shipped precomputed run the text encoder, never the image encoder.
  await page.getByTestId('template-set').selectOption('derm1m-disease');
  await expect(page.getByTestId('diff-item').first()).toBeVisible();
  expect((await stats(page)).image).toBe(before.image);

  // The hierarchy expands by keyboard.
  const branch = page.locator('[data-node="proliferations"] > details > summary');
  await branch.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-node="proliferations/malignant"]')).toBeVisible();
});

test('a dropped photo opens a second case; the crop changes what the model sees', async ({ page }) => {
  await openApp(page);
  await upload(page, PHOTO_A);
  await differential(page);
  await drop(page, PHOTO_B, 'ISIC_0012222.jpg', 'image/jpeg');
  await expect(page.getByTestId('case-tab')).toHaveCount(2);
  await expect(page.getByTestId('case-caption')).toContainText('ISIC_0012222.jpg');
  const first = await differential(page);
  const runs = (await stats(page)).image;
  const frame = page.getByTestId('crop-frame');
  await frame.focus();
  await page.keyboard.press('+');
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => (await stats(page)).image).toBeGreaterThan(runs);
  const zoomed = await differential(page);
  expect(zoomed.map((z) => z.prob)).not.toEqual(first.map((f) => f.prob));
});

test('custom labels are encoded by the text model and cached', async ({ page }) => {
  await openApp(page);
  await upload(page, PHOTO_A);
  await differential(page);
  await page.getByText('My own labels').click();
  await page.getByTestId('custom-labels').fill('a mole\na freckle\nan insect bite | a bug bite\na wart');
  await page.getByTestId('custom-apply').click();
  await expect(page.getByTestId('diff-item')).toHaveCount(4);
  const names = (await differential(page)).map((d) => d.name).sort();
  expect(names).toEqual(['a freckle', 'a mole', 'a wart', 'an insect bite']);
  expect((await stats(page)).text).toBeGreaterThan(0);
  // One label is refused with a clear message.
  await page.getByTestId('custom-labels').fill('only one');
  await page.getByTestId('custom-apply').click();
  await expect(page.getByRole('alert').filter({ hasText: 'only one label' })).toBeVisible();
});

test('a case survives a reload, exports JSON that matches the references, and delete all removes it', async ({ page }) => {
  // fp32 so the in-browser image embedding equals the PyTorch reference (cos >= 0.9999).
  await openApp(page, 'backend=wasm&variant=fp32');
  const ref = references.images.find((r) => r.mime === 'image/png' && r.exifOrientation === 1 && r.name.includes('square'))!;
  await upload(page, join(BUNDLE_DIR, ref.file));
  await page.getByTestId('label-set').selectOption('preset:ham');
  await differential(page);
  await page.reload();
  await expect(page.getByTestId('case-tab')).toHaveCount(1);
  await differential(page);
  expect((await stats(page)).image).toBe(0);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const data = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(data.model).toMatchObject({ bundleId: 'demo-tiny', variant: 'fp32', backend: 'wasm', demo: true });
  expect(data.labelSet.id).toBe('preset:ham');
  expect(cosine(data.embedding, ref.embedding)).toBeGreaterThanOrEqual(0.9999);

  // The same probabilities computed here from the bundle's own data: reference image embedding,
  // shipped text embeddings, open_clip's classifier (mean of normalised prompts, renormalised).
  const meta = JSON.parse(readFileSync('data/derm1m/zero_shot_metadata.Derm1M.json', 'utf8'));
  const prompts: string[] = JSON.parse(readFileSync(join(BUNDLE_DIR, 'prompts.json'), 'utf8')).prompts;
  const table = readFileSync(join(BUNDLE_DIR, 'text-embeddings.f16.bin'));
  const dim = ref.embedding.length;
  const row = (p: string) => {
    const i = prompts.indexOf(p);
    expect(i, p).toBeGreaterThanOrEqual(0);
    return Array.from({ length: dim }, (_, k) => f16(table.readUInt16LE((i * dim + k) * 2)));
  };
  const unit = (v: number[]) => {
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  const img = unit(ref.embedding);
  const logits = (meta.HAM_CLASSNAMES as string[]).map((c) => {
    const sum = new Array(dim).fill(0);
    for (const t of meta.OPENAI_SKIN_TEMPLATES as string[]) unit(row(t.replace('{}', c))).forEach((v, k) => (sum[k] += v));
    const w = unit(sum);
    return 100 * w.reduce((s, v, k) => s + v * img[k], 0);
  });
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const z = exps.reduce((a, b) => a + b, 0);
  const expected = new Map((meta.HAM_CLASSNAMES as string[]).map((c, i) => [c, exps[i] / z]));
  expect(data.labels).toHaveLength(7);
  for (const l of data.labels) expect(Math.abs(l.probability - expected.get(l.name)!), l.name).toBeLessThan(0.01);
  expect(data.topConcepts.length).toBeGreaterThan(0);

  page.on('dialog', (d) => void d.accept());
  await goTo(page, 'Storage');
  await page.getByTestId('delete-all-data').click();
  await expect(page.getByTestId('wiped')).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId('dropzone')).toBeVisible();
  await expect(page.getByTestId('case-tab')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('dropzone')).toBeVisible();
  await expect(page.getByTestId('case-tab')).toHaveCount(0);
});

function f16(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

test('bad files get a specific message and the next good photo still works', async ({ page }) => {
  await openApp(page);
  const jpeg = readFileSync(PHOTO_A);
  const bad: { name: string; mimeType: string; buffer: Buffer; message: RegExp }[] = [
    { name: 'empty.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0), message: /"empty.jpg" is empty/ },
    { name: 'truncated.jpg', mimeType: 'image/jpeg', buffer: jpeg.subarray(0, jpeg.length >> 1), message: /"truncated.jpg" is incomplete/ },
    { name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('Patient notes: not an image at all.\n'), message: /"notes.jpg" is not an image/ },
    { name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n'), message: /"report.pdf" is a PDF document/ },
    { name: 'huge.png', mimeType: 'image/png', buffer: grayPng(12000, 12000), message: /"huge.png" is 12000 × 12000 pixels \(144 MP\)\. A PNG image is decoded in full, and the largest this app decodes in full is 100 MP/ },
  ];
  for (const b of bad) {
    await upload(page, [{ name: b.name, mimeType: b.mimeType, buffer: b.buffer }]);
    await expect(page.getByTestId('notice-error').filter({ hasText: b.message })).toBeVisible();
  }
  await expect(page.getByTestId('case-tab')).toHaveCount(0);
  await upload(page, PHOTO_B);
  expect(await differential(page)).toHaveLength(5);
});

test('every action is reachable by keyboard: the file picker opens from the keyboard', async ({ page }) => {
  await openApp(page);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'choose a file' }).focus();
  await page.keyboard.press('Enter');
  await (await chooser).setFiles(PHOTO_A);
  expect(await differential(page)).toHaveLength(5);
});
