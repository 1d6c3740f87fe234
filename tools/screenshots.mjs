// Screenshots for the README: the explorer on a desktop and a phone, and the teaching modes
// (presenter, quiz, kiosk) at projector resolution (1920x1080) and on a phone.
// Collections: a small generated labelled collection (e2e/collection-fixture.ts) imported and
// indexed, then its gallery, search by words, search by photo and evaluation screen.
// Needs the built app served (npx vite preview --port 4173, or BASE_URL=...).
// Usage: node tools/screenshots.mjs [explorer|teach|collections]   (all when no argument); then
// /usr/bin/python3 tools/shrink_png.py docs/screenshots/<the new ones>.png (palette PNGs, ~1/4 the bytes).
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:4173';
const which = process.argv[2] ?? 'all';
const PHOTO = 'fixtures/photos/ISIC_0012221.jpg';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking', '--enable-unsafe-webgpu'] });
const SIZES = { projector: [{ width: 1920, height: 1080 }, 1], phone: [{ width: 390, height: 844 }, 2] };

async function explorer() {
  for (const [name, viewport, scale] of [['desktop', { width: 1366, height: 900 }, 1], ['phone', { width: 390, height: 844 }, 2]]) {
    const page = await browser.newPage({ viewport, deviceScaleFactor: scale });
    await page.goto(`${base}/?backend=wasm`);
    await page.getByTestId('file-input').setInputFiles(PHOTO);
    await page.getByTestId('diff-item').first().waitFor({ timeout: 120_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: name === 'desktop' });
    if (name === 'phone') {
      await page.getByTestId('differential').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `docs/screenshots/${name}-results.png` });
    }
    if (name === 'desktop') {
      // Compare: the same photo through the fast (int8) and the exact (fp32) model.
      await page.getByTestId('screens-nav').getByRole('link', { name: 'Compare' }).click();
      await page.getByTestId('comparison-summary').waitFor({ timeout: 120_000 });
      await page.waitForTimeout(500);
      await page.screenshot({ path: 'docs/screenshots/compare.png', fullPage: true });
      // Settings: the model picker and the variants with their measured fidelity.
      await page.getByTestId('screens-nav').getByRole('link', { name: 'Settings' }).click();
      await page.getByTestId('variant-table').waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: 'docs/screenshots/settings.png', fullPage: true });
    }
    await page.close();
  }
}

async function teach() {
  for (const [size, [viewport, scale]] of Object.entries(SIZES)) {
    const suffix = size === 'phone' ? '-phone' : '';
    const shot = (page, name) => page.screenshot({ path: `docs/screenshots/${name}${suffix}.png` });
    const context = await browser.newContext({ viewport, deviceScaleFactor: scale });
    const page = await context.newPage();

    // Presenter: the question with the room's choice, the model revealed, the answer (light theme).
    await page.goto(`${base}/teach/sample/present?backend=wasm`);
    await page.getByTestId('presenter-start').and(page.locator(':enabled')).waitFor({ timeout: 120_000 });
    await page.keyboard.press('Enter');
    await page.getByTestId('presenter-choice').first().waitFor();
    await page.keyboard.press('2');
    await page.waitForTimeout(300);
    await shot(page, 'presenter');
    await page.keyboard.press('Space');
    await page.getByTestId('model-diff-item').first().waitFor();
    await page.waitForTimeout(300);
    await shot(page, 'presenter-reveal');
    await page.keyboard.press('Space');
    await page.keyboard.press('t');
    await page.getByTestId('presenter-truth').waitFor();
    await page.waitForTimeout(300);
    await shot(page, 'presenter-answer-light');
    await page.keyboard.press('t');
    await page.keyboard.press('Escape');

    // Quiz: after an answer, with the model's view and the notes.
    await page.goto(`${base}/teach/sample/quiz?backend=wasm`);
    await page.getByTestId('quiz-resume').waitFor({ timeout: 120_000 });
    await page.keyboard.press('Enter');
    await page.getByTestId('quiz-choice').first().waitFor();
    await page.keyboard.press('3');
    await page.getByTestId('quiz-feedback').waitFor();
    // The answer moves the focus to "Next case" (on a phone: the bottom of the page); show the question and the choices.
    if (size === 'phone') await page.getByTestId('quiz-question').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(300);
    await page.screenshot({ path: `docs/screenshots/quiz${suffix}.png`, fullPage: size === 'projector' });

    // Kiosk: the attract screen, then a visitor's result.
    await page.goto(`${base}/kiosk?backend=wasm`);
    await page.getByTestId('kiosk-pin').fill('2468');
    await page.getByTestId('kiosk-pin-confirm').fill('2468');
    await page.getByTestId('kiosk-start').click();
    await page.getByRole('button', { name: 'choose a file' }).waitFor({ timeout: 120_000 });
    await page.waitForTimeout(500);
    await shot(page, 'kiosk-attract');
    const b64 = readFileSync(PHOTO).toString('base64');
    await page.evaluate((b64) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'my-photo.jpg', { type: 'image/jpeg' }));
      document.querySelector('[data-testid=dropzone]').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, b64);
    await page.getByTestId('model-diff-item').first().waitFor({ timeout: 120_000 });
    await page.waitForTimeout(500);
    await shot(page, 'kiosk');
    await context.close();
  }
}

async function collections() {
  // the e2e fixture is TypeScript: loaded through Vite's module runner
  const { runnerImport } = await import('vite');
  const { makeCollection } = (await runnerImport(new URL('../e2e/collection-fixture.ts', import.meta.url).pathname, { configFile: false, logLevel: 'error' })).module;
  const col = makeCollection(16);
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  try {
    await page.goto(`${base}/?backend=wasm`);
    await page.getByTestId('model-status').and(page.locator('[data-phase=ready]')).waitFor({ timeout: 120_000 });
    await page.getByTestId('screens-nav').getByRole('link', { name: 'Collections', exact: true }).click();
    await page.getByTestId('collection-folder-input').setInputFiles(col.folder);
    await page.getByTestId('draft-name').fill('Teaching archive (generated demo)');
    await page.getByTestId('draft-import').click();
    await page.waitForURL(/\/collections\/[0-9a-f-]{36}$/);
    const total = col.photos.length;
    await page.getByTestId('indexing').and(page.locator(`[data-state=done][data-done="${total}"]`)).waitFor({ timeout: 180_000 });
    await page.getByTestId('gallery-cell').first().waitFor();
    // every thumbnail drawn (the unreadable photo keeps its placeholder)
    await page
      .waitForFunction(() => document.querySelectorAll('[data-testid=gallery-cell] .thumb-placeholder').length <= 1 && [...document.querySelectorAll('[data-testid=gallery-cell] img')].every((i) => i.complete), null, { timeout: 30_000 })
      .catch(() => console.log('some thumbnails were still loading'));
    await page.getByTestId('collection-title').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(500);
    await page.screenshot({ path: 'docs/screenshots/collection-gallery.png' });
    // Search by words
    await page.getByRole('link', { name: 'Search', exact: true }).click();
    await page.getByTestId('search-text').fill('blue-white veil');
    await page.getByTestId('search-go').click();
    await page.getByTestId('search-results').getByTestId('hit').first().waitFor();
    await page.getByTestId('search-text').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(800);
    await page.screenshot({ path: 'docs/screenshots/collection-search.png' });
    // Search by photo: a gallery photo and its most similar photos
    await page.getByRole('link', { name: 'Gallery', exact: true }).click();
    await page.getByTestId('gallery-cell').nth(5).click();
    await page.getByTestId('photo-similar').getByTestId('hit').first().waitFor();
    await page.waitForTimeout(800);
    // the whole page: the photo picked in the gallery and its similar photos below it
    await page.screenshot({ path: 'docs/screenshots/collection-similar.png', fullPage: true });
    // Evaluation: zero-shot metrics, per class, confusion matrix, stratified by skin type
    await page.getByRole('link', { name: 'Evaluate', exact: true }).click();
    await page.getByTestId('zeroshot-report').waitFor();
    await page.getByTestId('eval-stratify').selectOption('fitzpatrick');
    await page.getByTestId('stratum').first().waitFor();
    await page.getByTestId('probe-shots').fill('8');
    await page.getByTestId('probe-train').click();
    await page.getByTestId('probe-report').waitFor({ timeout: 120_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: 'docs/screenshots/collection-evaluate.png', fullPage: true });
  } finally {
    await page.close();
    col.cleanup();
  }
}

if (which === 'all' || which === 'explorer') await explorer();
if (which === 'all' || which === 'teach') await teach();
if (which === 'all' || which === 'collections') await collections();
await browser.close();
console.log('wrote docs/screenshots/*.png');
