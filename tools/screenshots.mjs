// Screenshots of the main screens for the README: desktop and a narrow phone width.
// Needs the built app served (npx vite preview --port 4173). Usage: node tools/screenshots.mjs
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:4173';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking', '--enable-unsafe-webgpu'] });
for (const [name, viewport, scale] of [['desktop', { width: 1366, height: 900 }, 1], ['phone', { width: 390, height: 844 }, 2]]) {
  const page = await browser.newPage({ viewport, deviceScaleFactor: scale });
  await page.goto(`${base}/?backend=wasm`);
  await page.getByTestId('file-input').setInputFiles('fixtures/photos/ISIC_0012221.jpg');
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
await browser.close();
console.log('wrote docs/screenshots/*.png');
