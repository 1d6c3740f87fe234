/**
 * The user's own label list at the extremes: lists over the stated limits (2,000 labels x 50
 * aliases, names counted with their aliases, too many labels, a very long name, a huge paste) are
 * refused at once with a message naming the label and the limit, and nothing is saved; markup,
 * empty lines, duplicates, right-to-left text, emoji and zero-width characters are ranked as plain
 * text; a list at the label limit (1,000) is encoded with progress shown and is ranked again after
 * a reload. The photo's case is counted before and after: nothing is lost.
 */
import { expect, test, type Page } from '@playwright/test';
import { PHOTO_A, differential, openApp, openPhoto } from './app';
import { storedData } from './stored-data';

const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n');

/**
 * Put `text` in the list as one paste does (one input event) and apply it. Not Playwright's fill:
 * it types the text through Chromium's editing commands, which alone keep the main thread busy for
 * seconds on a 1,000-line text in any textarea, with or without this app.
 */
async function apply(page: Page, text: string) {
  const open = page.locator('details.custom-labels');
  if (!(await open.evaluate((d: HTMLDetailsElement) => d.open))) await page.getByText('My own labels').click();
  await page.getByTestId('custom-labels').evaluate((ta: HTMLTextAreaElement, t) => {
    ta.focus();
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(ta, t);
    ta.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  await expect(page.getByTestId('custom-labels')).toHaveValue(text);
  await page.getByTestId('custom-apply').click();
}

/** Watch long tasks (main thread busy > 50 ms) from now on. */
const watchLongTasks = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __long: number[] };
    w.__long = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => w.__long.push(e.duration))).observe({ type: 'longtask' });
  });
const longest = (page: Page) => page.evaluate(() => Math.max(0, ...(window as unknown as { __long: number[] }).__long));

test('lists over the limits are refused at once, naming the label and the limit; nothing is saved and the photo stays ranked', async ({ page }) => {
  await openApp(page);
  await openPhoto(page, PHOTO_A);
  const builtIn = await differential(page);
  await expect.poll(async () => (await storedData(page)).cases).toEqual(['ISIC_0012221.jpg']);
  await watchLongTasks(page);

  const error = page.getByTestId('custom-error');
  // 2,000 labels with 50 aliases each (the list that froze the page): refused at its first label.
  await apply(page, range(2000, (i) => [`l${i}`, ...Array.from({ length: 49 }, (_, k) => `a${k}`)].join('|')));
  await expect(error).toHaveText('Label 1 ("l0") has 50 names (separated by |); the limit is 20 per label. Keep the few names that matter most.');
  // Aliases count: 300 labels of 10 names pass every per-label limit, but not the 2,000 names in all.
  await apply(page, range(300, (i) => range(10, (k) => `l${i}a${k}`).replaceAll('\n', ' | ')));
  await expect(error).toHaveText('The list has more than 2,000 names (labels and their | aliases together, reached at Label 201 ("l200a0")); the limit is 2,000, at most 18,000 prompts for the text model. Use fewer aliases per label, or fewer labels.');
  await apply(page, range(1001, (i) => `label ${i}`));
  await expect(error).toHaveText('The list has more than 1,000 labels; the limit is 1,000. Split it into smaller lists.');
  await apply(page, `mole\n${'very '.repeat(50)}long`);
  const start = `${'very '.repeat(8)}…`;
  await expect(error).toHaveText(`Label 2 ("${start}"): the name "${start}" is 254 characters long; the limit is 200 per name. Shorten it: the text model reads at most 75 words.`);
  await apply(page, 'x'.repeat(600_000));
  await expect(error).toHaveText('The label list is 600,000 characters long; the limit is 500,000. Paste a shorter list.');
  await apply(page, '\n  \n\u200b\n');
  await expect(error).toHaveText('The label list is empty. Enter one label per line, or separate them with commas or semicolons.');

  // None of them froze the page (the refusal comes from counting, before any text model run).
  const worst = await longest(page);
  console.log(`refusals: longest main-thread task ${worst.toFixed(0)} ms`);
  expect(worst).toBeLessThan(1000);
  // Nothing refused was saved: the built-in labels still rank the photo, also after a reload.
  await expect(page.getByTestId('label-set')).not.toHaveValue('custom');
  expect(await differential(page)).toEqual(builtIn);
  await openApp(page);
  await expect(page.getByTestId('custom-error')).toHaveCount(0);
  expect(await differential(page)).toEqual(builtIn);
  expect((await storedData(page)).cases).toEqual(['ISIC_0012221.jpg']);
});

test('markup, empty lines, duplicates, right-to-left text, emoji and zero-width characters are ranked as plain text (a zero-width joiner inside an emoji stays)', async ({ page }) => {
  page.on('dialog', (d) => {
    throw new Error(`a dialog opened: ${d.message()}`);
  });
  await openApp(page);
  await openPhoto(page, PHOTO_A);
  await differential(page);
  await page.getByLabel('Show top').selectOption('10');
  const list = [
    '<img src=x onerror="window.__pwned=1">',
    '',
    'melanoma',
    '   ',
    'Melanoma',
    '\u202emelanoma\u2060',
    'سرطان الجلد',
    '🔴 red rash 🔴',
    '\ufeffne\u200bvus\u00ad',
    '👩\u200d⚕️ visit',
    '<b>bold</b> | <i>italic</i>',
  ].join('\n');
  await apply(page, list);
  await expect(page.getByTestId('custom-summary')).toHaveText(/^Ranking with 7 labels, 8 names, \d+ prompts; 2 duplicate labels dropped\.$/);
  await expect(page.getByTestId('diff-item')).toHaveCount(7, { timeout: 120_000 });
  const names = (await differential(page)).map((d) => d.name).sort();
  expect(names).toEqual(['<b>bold</b>', '<img src=x onerror="window.__pwned=1">', '🔴 red rash 🔴', 'melanoma', 'nevus', 'سرطان الجلد', '👩\u200d⚕️ visit'].sort());
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.getByTestId('diff-item').locator('b, i').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect((await storedData(page)).cases).toEqual(['ISIC_0012221.jpg']);
});

test('1,000 labels (the limit) are encoded with progress and stay ranked after a reload', async ({ page }) => {
  test.setTimeout(600_000);
  await openApp(page);
  await openPhoto(page, PHOTO_A);
  await differential(page);
  await watchLongTasks(page);
  await apply(page, range(1000, (i) => `skin finding number ${i}`));
  await expect(page.getByTestId('custom-summary')).toHaveText(/^Ranking with 1000 labels, 1000 names, \d+ prompts\.$/);
  await expect(page.getByText(/Encoding the labels' new prompts with the text model: [\d,]+ of [\d,]+…/)).toBeVisible();
  await expect(page.getByTestId('diff-item')).toHaveCount(5, { timeout: 480_000 });
  const ranked = await differential(page);
  expect(ranked.every((d) => /^skin finding number \d+$/.test(d.name))).toBe(true);
  const worst = await longest(page);
  console.log(`1,000 labels: longest main-thread task while encoding ${worst.toFixed(0)} ms`);
  expect(worst).toBeLessThan(1000);

  // After a reload: the same ranking, from the cached prompt embeddings.
  await openApp(page);
  expect(await differential(page)).toEqual(ranked);
  expect((await storedData(page)).cases).toEqual(['ISIC_0012221.jpg']);
});
