import { expect, test } from '@playwright/test';
import { PHOTO_A, PHOTO_B, differential, openApp, openPhoto } from './app';

test('a full quota for embeddings evicts the least recently used ones, says so, and keeps the cases', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { failEmbeddingPuts: number };
    w.failEmbeddingPuts = 0;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
      if (w.failEmbeddingPuts > 0 && this.transaction.db.name.endsWith('-embeddings')) {
        w.failEmbeddingPuts--;
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return put.apply(this, args);
    };
  });
  await openApp(page);
  await openPhoto(page, PHOTO_A);
  await differential(page);
  await page.evaluate(() => ((window as unknown as { failEmbeddingPuts: number }).failEmbeddingPuts = 1));
  await openPhoto(page, PHOTO_B);
  await differential(page);
  await expect(page.getByTestId('notice-info')).toContainText('least recently used cached embeddings were removed');
  await page.reload();
  await expect(page.getByTestId('case-tab')).toHaveCount(2);
});

test('a full quota for model files still runs the model and says it cannot be kept offline', async ({ page }) => {
  await page.addInitScript(() => {
    Cache.prototype.put = () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
  });
  await openApp(page);
  await expect(page.getByTestId('notice-warning').first()).toContainText('not enough storage space to keep model file');
  await openPhoto(page, PHOTO_A);
  expect(await differential(page)).toHaveLength(5);
});
