import { expect, test, type Page } from '@playwright/test';
import { PHOTO_A, differential, goTo, openApp, upload } from './app';

async function column(page: Page, id: 'compare-a' | 'compare-b') {
  const col = page.getByTestId(id);
  await expect(col.getByTestId('diff-item').first()).toBeVisible({ timeout: 120_000 });
  return col.getByTestId('diff-item').evaluateAll((els) => els.map((e) => ({ name: e.querySelector('.ranked-name')!.textContent!, prob: Number((e as HTMLElement).dataset.prob) })));
}

test('compare runs the same photo through the fast and the exact model side by side, and leaves the case as it was', async ({ page }) => {
  await openApp(page);
  await upload(page, PHOTO_A);
  const fast = await differential(page);
  await expect(page.getByTestId('ran-by')).toContainText('int8 on WASM');

  await goTo(page, 'Compare');
  await expect(page.getByTestId('compare-a-variant')).toHaveAttribute('data-variant', 'int8', { timeout: 120_000 });
  await expect(page.getByTestId('compare-b-variant')).toHaveAttribute('data-variant', 'fp32', { timeout: 120_000 });
  const a = await column(page, 'compare-a');
  const b = await column(page, 'compare-b');
  // A is the settings' model: exactly the Diagnose screen's differential.
  expect(a).toEqual(fast);
  // B is another variant of the same weights: close to A, not the same numbers.
  expect(b.map((x) => x.prob)).not.toEqual(a.map((x) => x.prob));
  const probB = new Map(b.map((x) => [x.name, x.prob]));
  for (const x of a) expect(Math.abs(x.prob - probB.get(x.name)!), x.name).toBeLessThan(0.05);

  const summary = page.getByTestId('comparison-summary');
  await expect(summary).toContainText('Spearman');
  const topAgree = (await summary.getAttribute('data-top-agree')) === 'true';
  expect(topAgree).toBe(a[0].name === b[0].name);
  const rows = page.getByTestId('comparison-row');
  expect(await rows.count()).toBeGreaterThanOrEqual(5);
  await expect(page.getByTestId('comparison-concept').first()).toBeVisible();

  // Choosing the first model's own precision is not a comparison.
  await page.getByTestId('compare-precision-b').selectOption('fast');
  await expect(page.getByTestId('compare-same')).toBeVisible();

  // The case keeps the settings' model's result (nothing of B was saved onto it).
  await page.goBack();
  await expect(page.getByTestId('case-caption')).toContainText('int8');
  expect(await differential(page)).toEqual(fast);
  await page.reload();
  await expect(page.getByTestId('case-caption')).toContainText('embedding from cache (int8', { timeout: 120_000 });
});

test('the exact setting runs fp32 on the CPU and says so next to the result; the variant table lists every variant', async ({ page }) => {
  await openApp(page);
  await goTo(page, 'Settings');
  await expect(page.getByTestId('variant-row')).toHaveCount(4);
  await page.getByTestId('precision-select').selectOption('exact');
  await expect(page.getByTestId('model-status')).toContainText('fp32', { timeout: 120_000 });
  await goTo(page, 'Diagnose');
  await upload(page, PHOTO_A);
  await differential(page);
  await expect(page.getByTestId('ran-by')).toContainText('fp32 on WASM');
  await expect(page.getByTestId('case-caption')).toContainText('encoded now (fp32, wasm)');
});

test('compare runs two different bundles (QuickGELU and GELU demos) on the same photo', async ({ page }) => {
  await openApp(page);
  await upload(page, PHOTO_A);
  await differential(page);
  await goTo(page, 'Compare');
  await page.getByTestId('compare-model-b').selectOption('/models/demo-tiny-gelu');
  await page.getByTestId('compare-precision-b').selectOption('fast');
  await expect(page.getByTestId('compare-b')).toContainText('GELU', { timeout: 120_000 });
  await expect(page.getByTestId('compare-b-variant')).toHaveAttribute('data-variant', 'int8', { timeout: 120_000 });
  const a = await column(page, 'compare-a');
  const b = await column(page, 'compare-b');
  expect(a.length).toBe(b.length);
  await expect(page.getByTestId('comparison-summary')).toContainText('of the top 5 labels are in both lists');
});

test('compare with no photo says where to open one', async ({ page }) => {
  await openApp(page);
  await goTo(page, 'Compare');
  await expect(page.getByTestId('compare-empty')).toContainText('Open a photo on Diagnose');
});
