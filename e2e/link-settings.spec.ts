/**
 * Settings a link carries (?backend=&variant=&threads=&bundle=): an unknown or unsafe value is
 * ignored with a notice naming the parameter, the value (as text) and the reason, and nothing is
 * fetched from it; a good value holds for that page load only: one shared link does not change
 * later visits, and the user's own saved choice comes back.
 */
import { expect, test, type Page } from '@playwright/test';
import { PHOTO_A, differential, goTo, openPhoto } from './app';

const ready = (page: Page) => expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
const warning = (page: Page, text: string) => page.getByTestId('notice-warning').filter({ hasText: text });
const saved = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('dermlip-settings') ?? '{"state":{}}').state as Record<string, unknown>);

test('unknown or unsafe link settings are ignored with a notice; good ones hold for one page load only', async ({ page, baseURL }) => {
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(new URL(baseURL!).origin) && !/^(blob|data):/.test(r.url())) foreign.push(r.url());
  });
  page.on('dialog', (d) => {
    throw new Error(`a dialog opened: ${d.message()}`);
  });

  // The user's own choice, saved: WASM.
  await page.goto('/?backend=wasm');
  await ready(page);
  await goTo(page, 'Settings');
  await page.getByTestId('backend-select').selectOption('auto');
  await page.getByTestId('backend-select').selectOption('wasm');
  expect(await saved(page)).toMatchObject({ backend: 'wasm', variant: 'auto', numThreads: 0, bundleUrl: '/models/demo-tiny' });

  // A link with nothing usable in it: four notices, the saved settings run, nothing fetched from it.
  const markup = '<img src=x onerror="window.__pwned=1">';
  const bad = new URLSearchParams({ backend: markup, variant: 'fp64', threads: '999', bundle: 'https://evil.example/models/x' });
  await page.goto(`/?${bad}`);
  await ready(page);
  await expect(warning(page, `Ignored the link's setting backend="${markup}": not one of auto, webgpu, wasm.`)).toBeVisible();
  await expect(warning(page, `Ignored the link's setting variant="fp64": not one of auto, fp32, fp16, int8, q4.`)).toBeVisible();
  await expect(warning(page, `Ignored the link's setting threads="999": not a whole number from 0 (automatic) to 64.`)).toBeVisible();
  await expect(warning(page, `Ignored the link's setting bundle="https://evil.example/models/x": not a model of this app`)).toBeVisible();
  await expect(warning(page, 'Ignored the link').first()).toContainText('This page uses your own setting instead (Settings).');
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await goTo(page, 'Settings');
  await expect(page.getByTestId('backend-select')).toHaveValue('wasm');
  await expect(page.getByTestId('variant-select')).toHaveValue('auto');
  await expect(page.locator('[data-testid=model-option][data-url="/models/demo-tiny"] input')).toBeChecked();
  await expect(page.getByTestId('model-unlisted')).toHaveCount(0);
  expect(await saved(page)).toMatchObject({ backend: 'wasm', variant: 'auto', numThreads: 0, bundleUrl: '/models/demo-tiny' });
  // The app works on with it.
  await goTo(page, 'Diagnose');
  await openPhoto(page, PHOTO_A);
  expect(await differential(page)).toHaveLength(5);

  // Good values: used for this page load (shown in Settings), not saved.
  await page.goto('/?variant=fp32&threads=2');
  await ready(page);
  await expect(page.getByTestId('notice-warning').filter({ hasText: 'Ignored the link' })).toHaveCount(0);
  await goTo(page, 'Settings');
  await expect(page.getByTestId('variant-select')).toHaveValue('fp32');
  await expect(page.getByLabel('CPU threads')).toHaveValue('2');
  expect(await saved(page)).toMatchObject({ backend: 'wasm', variant: 'auto', numThreads: 0 });

  // The next visit without the link: the user's own settings, no notice.
  await page.goto('/');
  await ready(page);
  await goTo(page, 'Settings');
  await expect(page.getByTestId('variant-select')).toHaveValue('auto');
  await expect(page.getByTestId('backend-select')).toHaveValue('wasm');
  await expect(page.getByTestId('notice-warning')).toHaveCount(0);
  expect(foreign).toEqual([]);
});
