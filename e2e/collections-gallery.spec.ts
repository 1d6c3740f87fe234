/**
 * Gallery thumbnails stay on screen: after indexing ends, half a minute later, after scrolling
 * away and back, and when the thumbnail cache is much smaller than the gallery (?thumbKeep=8: the
 * cache must never revoke the object URL of a thumbnail still mounted). Each shown thumbnail is
 * checked as a user would see it (loaded, with pixels) and by its URL (still readable).
 */
import { expect, test, type Page } from '@playwright/test';
import { goTo, openApp } from './app';
import { makeCollection, type GeneratedCollection } from './collection-fixture';

const PER_CLASS = 10;
let col: GeneratedCollection;
test.beforeAll(() => {
  col = makeCollection(PER_CLASS);
});
test.afterAll(() => col.cleanup());

/** Thumbnails in the gallery's DOM: how many, and those that show nothing or whose URL is gone. */
function thumbs(page: Page) {
  return page.evaluate(async () => {
    const imgs = [...document.querySelectorAll<HTMLImageElement>('[data-testid=gallery] img.thumb')];
    const broken: string[] = [];
    for (const img of imgs) {
      const cell = img.closest('[data-seq]')?.getAttribute('data-seq') ?? '?';
      if (img.complete && img.naturalWidth === 0) broken.push(`${cell}: no pixels`);
      const readable = await fetch(img.src).then(
        (r) => r.ok,
        () => false,
      );
      if (!readable) broken.push(`${cell}: URL revoked`);
    }
    return { n: imgs.length, broken };
  });
}

async function allShown(page: Page) {
  // every cell with a thumbnail has loaded it (lazy images load when near the view)
  await expect.poll(() => page.evaluate(() => [...document.querySelectorAll<HTMLImageElement>('[data-testid=gallery] img.thumb')].every((i) => i.complete)), { timeout: 20_000 }).toBe(true);
  const t = await thumbs(page);
  expect(t.n).toBeGreaterThan(0);
  expect(t.broken).toEqual([]);
}

test('gallery thumbnails stay shown after indexing, a wait, scrolling, and with a tiny thumbnail cache', async ({ page }) => {
  test.setTimeout(300_000);
  await openApp(page, 'backend=wasm&debug=1&thumbKeep=8');
  await goTo(page, 'Collections');
  await page.getByTestId('collection-folder-input').setInputFiles(col.folder);
  await expect(page).toHaveURL(/\/collections\/new$/);
  await page.getByTestId('draft-import').click();
  await expect(page).toHaveURL(/\/collections\/[0-9a-f-]{36}$/);
  const good = col.photos.length;
  await expect(page.getByTestId('indexing')).toHaveAttribute('data-done', String(good), { timeout: 170_000 });
  await expect(page.getByTestId('indexing')).toHaveAttribute('data-state', 'done');
  await allShown(page);
  const shown = (await thumbs(page)).n;
  expect(shown).toBeGreaterThan(8); // more thumbnails mounted than the cache keeps

  // Half a minute later (the evaluation's and the matrix's old results are dropped meanwhile).
  await page.waitForTimeout(35_000);
  await allShown(page);

  // Away and back.
  const gallery = page.getByTestId('gallery');
  await gallery.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await allShown(page);
  await gallery.evaluate((el) => el.scrollTo(0, 0));
  await allShown(page);
  await expect(page.getByTestId('gallery-cell').first()).toHaveAttribute('data-seq', '0');
});
