/**
 * Many photos dropped at once (30, 100) are queued: "Opening photo 3 of 30" on screen, the page
 * keeps painting while they open, each becomes a case (the first one is shown and diagnosed), and
 * every one is saved. A drop while the model is still loading opens the photos and waits for it.
 */
import { expect, test, type Page } from '@playwright/test';
import { differential, openApp } from './app';
import { savedCaseCount } from './photo-files';

interface IntakeLog {
  longTasks: number[];
  frameGaps: number[];
  progress: string[];
}

/**
 * Makes `n` distinct JPEGs of w x h in the page (canvas), starts watching long tasks, frame gaps and
 * the progress text, then drops them all at once on the drop zone, as a drag from the desktop.
 */
async function dropGenerated(page: Page, n: number, w: number, h: number, prefix: string) {
  await page.evaluate(
    async ({ n, w, h, prefix }) => {
      const files: File[] = [];
      for (let i = 0; i < n; i++) {
        const c = new OffscreenCanvas(w, h);
        const ctx = c.getContext('2d')!;
        const g = ctx.createLinearGradient(0, 0, w, h);
        g.addColorStop(0, `hsl(${(i * 37) % 360} 40% 72%)`);
        g.addColorStop(1, `hsl(${(i * 53) % 360} 45% 38%)`);
        ctx.fillStyle = g;
        ctx.fillRect(0, 0, w, h);
        ctx.fillStyle = '#5a3a28';
        ctx.beginPath();
        ctx.arc(w * (0.3 + (0.04 * ((i * 7) % 10))), h / 2, h / 4, 0, 7);
        ctx.fill();
        ctx.fillStyle = '#fff';
        ctx.font = `${Math.round(h / 8)}px sans-serif`;
        ctx.fillText(`#${i + 1}`, 10, h / 6);
        const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
        files.push(new File([blob], `${prefix}-${String(i + 1).padStart(3, '0')}.jpg`, { type: 'image/jpeg' }));
      }
      const log: IntakeLog & { stop?: boolean } = { longTasks: [], frameGaps: [], progress: [] };
      (window as unknown as { __intake: typeof log }).__intake = log;
      new PerformanceObserver((l) => l.getEntries().forEach((e) => log.longTasks.push(e.duration))).observe({ type: 'longtask' });
      let last = performance.now();
      const tick = (t: number) => {
        log.frameGaps.push(t - last);
        last = t;
        if (!log.stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      new MutationObserver(() => {
        const t = document.querySelector('[data-testid=intake-progress] span')?.textContent;
        if (t && log.progress.at(-1) !== t) log.progress.push(t);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
      const dt = new DataTransfer();
      files.forEach((f) => dt.items.add(f));
      document.querySelector('[data-testid=dropzone]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { n, w, h, prefix },
  );
}

async function stopLog(page: Page): Promise<IntakeLog> {
  return page.evaluate(() => {
    const log = (window as unknown as { __intake: IntakeLog & { stop?: boolean } }).__intake;
    log.stop = true;
    return { longTasks: log.longTasks, frameGaps: log.frameGaps.slice(1), progress: log.progress };
  });
}

for (const [n, w, h] of [
  [30, 2400, 1800],
  [100, 1200, 900],
] as const) {
  test(`${n} photos dropped at once are queued with progress, the page keeps painting, each opens as a case`, async ({ page }) => {
    test.setTimeout(300_000);
    await openApp(page);
    const before = await savedCaseCount(page);
    await dropGenerated(page, n, w, h, `batch${n}`);
    await expect(page.getByTestId('intake-progress')).toContainText(`of ${n}`);
    await expect(page.getByTestId('case-tab')).toHaveCount(n, { timeout: 240_000 });
    await expect(page.getByTestId('intake-progress')).toHaveCount(0);
    const log = await stopLog(page);

    // Progress counted up one photo at a time ("Opening photo 3 of 30: batch30-003.jpg").
    expect(log.progress).toContain(`Opening photo 3 of ${n}: batch${n}-003.jpg`);
    const seen = log.progress.map((p) => Number(/photo (\d+) of/.exec(p)![1]));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(Math.max(...seen)).toBe(n);
    // Responsive: no long task and no gap between painted frames near a second.
    const worstTask = Math.max(0, ...log.longTasks);
    const worstGap = Math.max(...log.frameGaps);
    console.log(`${n} photos: ${log.longTasks.length} long tasks, longest ${worstTask.toFixed(0)} ms; longest gap between frames ${worstGap.toFixed(0)} ms`);
    expect(worstTask).toBeLessThan(400);
    expect(worstGap).toBeLessThan(600);

    // The first photo of the drop is the one shown, and it is diagnosed; all are saved.
    await expect(page.getByTestId('case-caption')).toContainText(`batch${n}-001.jpg`);
    expect(await differential(page)).toHaveLength(5);
    await expect(page.getByTestId('notice-error')).toHaveCount(0);
    await expect.poll(() => savedCaseCount(page)).toBe(before + n);
    const names = await page.getByTestId('case-tab').allTextContents();
    for (let i = 1; i <= n; i++) expect(names.some((t) => t.includes(`batch${n}-${String(i).padStart(3, '0')}.jpg`))).toBe(true);
  });
}

test('photos dropped while the model is still loading open at once and are diagnosed when it is ready', async ({ page }) => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  // Hold the image model's weights until the photos are in.
  await page.route('**/models/demo-tiny/image.int8.onnx.data', async (route) => {
    await gate;
    await route.continue();
  });
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('dropzone')).toBeVisible();
  await dropGenerated(page, 3, 1600, 1200, 'early');
  await expect(page.getByTestId('case-tab')).toHaveCount(3);
  await expect(page.getByTestId('model-status')).not.toHaveAttribute('data-phase', 'ready');
  await expect(page.getByTestId('waiting-for-model')).toBeVisible();
  await expect(page.getByTestId('notice-error')).toHaveCount(0);
  release();
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('case-caption')).toContainText('early-001.jpg');
  expect(await differential(page)).toHaveLength(5);
  await page.getByTestId('case-tab').filter({ hasText: 'early-003.jpg' }).click();
  expect(await differential(page)).toHaveLength(5);
  await expect(page.getByTestId('notice-error')).toHaveCount(0);
  await expect.poll(() => savedCaseCount(page)).toBe(3);
  await stopLog(page);
});
