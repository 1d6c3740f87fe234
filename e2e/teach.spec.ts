import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { makeCollection } from './collection-fixture';
import { differential, openApp, PHOTO_A, PHOTO_B, reopen, serviceWorkerReady, stats } from './app';
import { chooseFile, expectAxeClean, keyTo, press, typeInto } from './keys';

const NEVUS = 'proliferations/benign/melanocytic/Melanocytic nevus';
const sampleZip = unzipSync(readFileSync('public/packs/sample-pack.zip'));
const sample = JSON.parse(new TextDecoder().decode(sampleZip['pack.json'])) as { title: string; cases: { id: string; photo: string; diagnosis: { labelId: string; name: string } }[] };

/** Add a photo as a saved case from the keyboard (Enter on "choose a file"). */
async function addCase(page: Page, path: string) {
  const before = await page.getByTestId('case-tab').count();
  await chooseFile(page.getByRole('button', { name: 'choose a file' }), path);
  await expect(page.getByTestId('case-tab')).toHaveCount(before + 1);
}

/** Pick a diagnosis in the pack maker: type in the search field, then arrow down the list. */
async function pickDiagnosis(page: Page, index: number | Locator, query: string, expected: string) {
  const c = typeof index === 'number' ? page.getByTestId('maker-case').nth(index) : index;
  await typeInto(c.getByTestId('label-search'), query);
  const select = c.getByTestId('label-select');
  await press(select, 'ArrowDown');
  while ((await select.inputValue()) !== expected) await page.keyboard.press('ArrowDown');
}

test('a pack made from saved cases is exported, deleted and imported again offline, all by keyboard', async ({ page, context }) => {
  await openApp(page);
  await serviceWorkerReady(page);
  await addCase(page, PHOTO_A);
  await addCase(page, PHOTO_B);
  await keyTo(page, 'Teach');
  await expect(page.getByTestId('pack').filter({ hasText: sample.title })).toBeVisible();
  await expectAxeClean(page, 'the Teach screen');

  const maker = page.getByTestId('pack-maker');
  // Saving an incomplete pack says what is missing.
  await press(maker.getByTestId('pack-save'));
  await expect(maker.getByTestId('maker-errors')).toContainText('Give the pack a title.');
  await expect(maker.getByTestId('maker-errors')).toContainText('Choose at least one saved case or collection photo.');
  await typeInto(maker.getByTestId('pack-title'), 'Pigmented lesions, week 3');
  await typeInto(maker.getByTestId('pack-author'), 'Dr. Test');
  for (const i of [0, 1]) await press(maker.getByTestId('maker-include').nth(i), 'Space');
  await press(maker.getByTestId('pack-save'));
  await expect(maker.getByTestId('maker-errors')).toContainText('Choose the diagnosis of “ISIC_0012221.jpg”.');
  const dermatofibroma = 'proliferations/benign/non-melanocytic/Dermatofibroma';
  await pickDiagnosis(page, 0, 'melanocytic nevus', NEVUS);
  await pickDiagnosis(page, 1, 'dermatofib', dermatofibroma);
  for (const i of [0, 1]) {
    const c = maker.getByTestId('maker-case').nth(i);
    await typeInto(c.getByTestId('maker-notes'), `Notes for case ${i + 1}: look at the network.`);
    await typeInto(c.getByTestId('maker-source'), 'ISIC Archive');
    await typeInto(c.getByTestId('maker-license'), 'CC0 1.0');
  }
  await expectAxeClean(page, 'the pack maker, filled in');
  await press(maker.getByTestId('pack-save'));
  const made = page.getByTestId('pack').filter({ hasText: 'Pigmented lesions, week 3' });
  await expect(made).toContainText('2 cases · by Dr. Test');

  // Export: one zip with pack.json and the photos exactly as given.
  const [download] = await Promise.all([page.waitForEvent('download'), press(made.getByTestId('pack-export'))]);
  const file = join(mkdtempSync(join(tmpdir(), 'pack-')), download.suggestedFilename());
  await download.saveAs(file);
  const zip = unzipSync(readFileSync(file));
  const pack = JSON.parse(new TextDecoder().decode(zip['pack.json']));
  expect(pack).toMatchObject({ format: 'dermlip-teaching-pack', version: 1, title: 'Pigmented lesions, week 3', author: 'Dr. Test' });
  expect(pack.cases.map((c: { diagnosis: { labelId: string } }) => c.diagnosis.labelId)).toEqual([NEVUS, dermatofibroma]);
  expect(pack.cases[1]).toMatchObject({ notes: 'Notes for case 2: look at the network.', source: 'ISIC Archive', license: 'CC0 1.0' });
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  expect(pack.cases.map((c: { photo: string }) => sha(zip[c.photo]))).toEqual([PHOTO_A, PHOTO_B].map((p) => sha(readFileSync(p))));
  expect(pack.cases.map((c: { photoSha256: string }) => c.photoSha256)).toEqual([PHOTO_A, PHOTO_B].map((p) => sha(readFileSync(p))));

  // Delete, then import the file again with the network off.
  page.on('dialog', (d) => void d.accept());
  await press(made.getByTestId('pack-delete'));
  await expect(made).toHaveCount(0);
  await context.setOffline(true);
  await reopen(page);
  await expect(page.getByTestId('pack').filter({ hasText: sample.title })).toBeVisible();
  await expect(made).toHaveCount(0);
  await chooseFile(page.getByTestId('pack-import'), file);
  await expect(made).toContainText('2 cases · by Dr. Test');
  // A file that is not a pack is refused with its reason.
  const junk = join(tmpdir(), 'not-a-pack.zip');
  writeFileSync(junk, 'hello');
  await chooseFile(page.getByTestId('pack-import'), junk);
  await expect(page.getByTestId('notice-error')).toContainText('"not-a-pack.zip" is not a teaching pack this app can open');

  // The imported pack works offline: its quiz shows the first photo with its choices.
  await press(made.getByRole('link', { name: /^Quiz/ }));
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await press(page.getByTestId('quiz-resume'));
  await expect(page.getByTestId('quiz-choice')).toHaveCount(5);
  await expect(page.getByTestId('quiz-question').locator('img')).toHaveJSProperty('complete', true);
  expect(await page.getByTestId('quiz-question').locator('img').evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0);
});

test('presenter mode: prepare first, then every reveal comes from the prepared embeddings (no encoder run), keyboard only', async ({ page }) => {
  await openApp(page);
  await keyTo(page, 'Teach');
  await press(page.getByRole('link', { name: `Present ${sample.title}` }));
  expect(new URL(page.url()).pathname).toBe('/teach/sample/present');
  await expect(page.getByTestId('prepared')).toContainText('all 2 cases are ready', { timeout: 120_000 });
  await expect(page.getByTestId('prepare-progress')).toHaveCount(0);
  await expect(page.getByTestId('screens-nav')).toHaveCount(0);
  await expectAxeClean(page, 'the presenter prepare step');
  // The prepare step ran the image encoder once per case (fresh profile: no cached embedding).
  const prepared = await stats(page);
  expect(prepared.image).toBe(2);

  await page.keyboard.press('Enter'); // the Start button has the focus once prepared
  const presenter = page.getByTestId('presenter');
  await expect(presenter).toHaveAttribute('data-stage', '0');
  await expect(page.getByTestId('presenter-position')).toHaveText('Case 1 of 2');
  await expect(page.getByTestId('presenter-choice')).toHaveCount(4);
  await expect(page.locator(`[data-testid=presenter-choice][data-label="${NEVUS}"]`)).toHaveCount(1);
  await expect(page.getByTestId('model-view')).toHaveCount(0);
  await expectAxeClean(page, 'presenter mode, dark, before the reveal');

  await page.keyboard.press('2');
  await expect(page.getByTestId('presenter-choice').nth(1)).toHaveAttribute('data-picked', 'true');
  await page.keyboard.press('Space');
  await expect(presenter).toHaveAttribute('data-stage', '1');
  await expect(page.getByTestId('model-diff-item')).toHaveCount(5);
  await expect(page.getByTestId('model-concept')).toHaveCount(5);
  await expect(page.getByTestId('model-branch').locator('li').first()).toBeVisible();
  await expect(page.getByTestId('presenter-truth')).toHaveCount(0);
  const revealed = await page.getByTestId('model-diff-item').evaluateAll((els) => els.map((e) => ({ id: (e as HTMLElement).dataset.label!, prob: Number((e as HTMLElement).dataset.prob) })));
  await page.keyboard.press('Space');
  await expect(presenter).toHaveAttribute('data-stage', '2');
  await expect(page.getByTestId('presenter-truth')).toHaveText(sample.cases[0].diagnosis.name);
  // The sample pack's answers are its authors' reading, and the notes say so.
  await expect(page.getByTestId('presenter-notes')).toContainText('could not be checked offline');
  await expectAxeClean(page, 'presenter mode, dark, after the reveal');
  await page.keyboard.press('t');
  await expect(presenter).toHaveClass(/theme-light/);
  await expectAxeClean(page, 'presenter mode, light, after the reveal');

  await page.keyboard.press('ArrowRight');
  await expect(presenter).toHaveAttribute('data-index', '1');
  await expect(presenter).toHaveAttribute('data-stage', '0');
  await page.keyboard.press('Space');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('presenter-truth')).toHaveText(sample.cases[1].diagnosis.name);
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('presenter-position')).toHaveText('Case 1 of 2');
  await expect(page.getByTestId('presenter-choice').nth(1)).toHaveAttribute('data-picked', 'true');
  // Nothing ran the image encoder during the session, nor the text encoder.
  expect(await stats(page)).toEqual(prepared);

  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/\/teach$/);
  await expect(page.getByTestId('teach-packs')).toBeVisible();

  // The reveal is what the Diagnose screen computes for the same photo (from the embedding cache).
  const photo = join(mkdtempSync(join(tmpdir(), 'sample-')), 'case-1.jpg');
  writeFileSync(photo, sampleZip[sample.cases[0].photo]);
  await keyTo(page, 'Diagnose');
  await chooseFile(page.getByRole('button', { name: 'choose a file' }), photo);
  const diag = await differential(page);
  expect(diag.map((d) => d.prob)).toHaveLength(5);
  diag.forEach((d, i) => expect(Math.abs(d.prob - revealed[i].prob)).toBeLessThan(1e-6));
  expect((await stats(page)).image).toBe(prepared.image);
});

test('quiz: answers by digit, a correct score, a review of mistakes, progress kept across visits, start over', async ({ page }) => {
  await openApp(page);
  await keyTo(page, 'Teach');
  await press(page.getByRole('link', { name: `Quiz: ${sample.title}` }));
  await expect(page.getByTestId('quiz-score')).toHaveText('0 of 2 answered · 0 correct');
  await expect(page.getByTestId('quiz-resume')).toBeFocused({ timeout: 120_000 });
  await expectAxeClean(page, 'the quiz, before starting');
  await page.keyboard.press('Enter');

  const choiceKey = async (right: boolean) => {
    const labels = await page.getByTestId('quiz-choice').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.label));
    const i = labels.findIndex((l) => (l === NEVUS) === right);
    expect(i).toBeGreaterThanOrEqual(0);
    return String(i + 1);
  };
  await expect(page.getByTestId('quiz-question')).toHaveAttribute('data-case', 'case-1');
  await expect(page.getByTestId('quiz-choice')).toHaveCount(5);
  await page.keyboard.press(await choiceKey(true));
  await expect(page.getByTestId('quiz-feedback')).toHaveAttribute('data-correct', 'true');
  await expect(page.getByTestId('quiz-feedback').getByTestId('model-diff-item')).toHaveCount(5);
  await expect(page.getByTestId('quiz-notes')).toContainText('Symmetric brown macule');
  await expect(page.getByTestId('quiz-next')).toBeFocused();
  await expectAxeClean(page, 'the quiz, after an answer');

  // Progress is kept: a reload offers to resume at the second case.
  await reopen(page);
  await expect(page.getByTestId('quiz-score')).toHaveText('1 of 2 answered · 1 correct');
  await expect(page.getByTestId('quiz-resume')).toBeFocused({ timeout: 120_000 });
  await expect(page.getByTestId('quiz-resume')).toHaveText('Resume');
  // The second preparation read every case's embedding from the cache: no encoder run.
  expect((await stats(page)).image).toBe(0);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('quiz-question')).toHaveAttribute('data-case', 'case-2');
  await page.keyboard.press(await choiceKey(false));
  await expect(page.getByTestId('quiz-feedback')).toHaveAttribute('data-correct', 'false');
  await expect(page.getByTestId('quiz-feedback')).toContainText('Not quite: it is Melanocytic nevus.');
  await page.keyboard.press('Enter');

  const final = page.getByTestId('quiz-final');
  await expect(final).toHaveAttribute('data-correct', '1');
  await expect(final).toHaveAttribute('data-total', '2');
  await expect(final).toHaveText('Score: 1 of 2 correct (50 %).');
  await expect(page.getByTestId('quiz-mistake')).toHaveCount(1);
  await expect(page.getByTestId('quiz-mistake')).toHaveAttribute('data-case', 'case-2');
  await expectAxeClean(page, 'the quiz review');

  await reopen(page);
  await expect(final).toHaveText('Score: 1 of 2 correct (50 %).', { timeout: 120_000 });
  await expect(page.getByTestId('quiz-restart')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('quiz-score')).toHaveText('0 of 2 answered · 0 correct');
  await expect(page.getByTestId('quiz-resume')).toHaveText('Start');
});

test('a pack made from a collection: true labels prefill the diagnosis, the photos go in as imported, keyboard only', async ({ page }) => {
  test.setTimeout(300_000);
  const col = makeCollection(2, 13);
  try {
    const zipPath = join(col.dir, 'derm-test.zip');
    writeFileSync(zipPath, col.zip);
    const good = col.photos.length;
    await openApp(page);
    await keyTo(page, 'Collections');
    await chooseFile(page.getByRole('button', { name: 'Choose a .zip or photos' }), zipPath);
    await expect(page.getByTestId('draft-summary')).toContainText(`${good + 3} photos`);
    await press(page.getByTestId('draft-import'));
    await expect(page).toHaveURL(/\/collections\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('indexing')).toHaveAttribute('data-done', String(good), { timeout: 170_000 });

    await keyTo(page, 'Teach');
    const maker = page.getByTestId('pack-maker');
    await press(maker.getByTestId('maker-collection-select'), 'ArrowDown');
    await expect(maker.getByTestId('maker-collection-select').locator('option:checked')).toHaveText(`derm-test (${good + 1} photos)`);
    // The photo the indexer could not read is not offered.
    await expect(maker.getByTestId('maker-collection-count')).toHaveText(`${good} of ${good + 1} photos.`);
    await typeInto(maker.getByTestId('maker-collection-search'), 'mel');
    await expect(maker.getByTestId('maker-collection-photo')).toHaveCount(2);
    for (const i of [0, 1]) await press(maker.getByTestId('maker-collection-include').nth(i), 'Space');
    await typeInto(maker.getByTestId('maker-collection-search'), 'blob');
    await expect(maker.getByTestId('maker-collection-photo')).toHaveCount(3);
    await press(maker.getByTestId('maker-collection-include').first(), 'Space');
    const picked = maker.getByTestId('maker-picked');
    await expect(picked).toHaveCount(3);
    // Prefilled: "mel" maps onto the ontology's melanoma; "blob" maps onto nothing; the source names the collection and path.
    const MELANOMA = 'proliferations/malignant/melanocytic/Malignant melanoma, melanoma';
    for (const i of [0, 1]) await expect(picked.nth(i).getByTestId('label-select')).toHaveValue(MELANOMA);
    await expect(picked.nth(2).getByTestId('label-select')).toHaveValue('');
    await expect(picked.nth(0).getByTestId('maker-source')).toHaveValue(/^Collection “derm-test”: derm-test\/images\/TEST_\d{5}\.png$/);
    await expect(picked.nth(0).getByTestId('maker-license')).toHaveValue('');
    // One is taken out again.
    const removed = await picked.nth(1).getAttribute('data-name');
    await press(picked.nth(1).getByTestId('maker-picked-remove'));
    await expect(picked).toHaveCount(2);
    const names = await picked.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.name!));
    expect(names).not.toContain(removed);

    await typeInto(maker.getByTestId('pack-title'), 'From the derm set');
    await press(maker.getByTestId('pack-save'));
    await expect(maker.getByTestId('maker-errors')).toContainText(`Choose the diagnosis of “${names[1]}”.`);
    await expect(maker.getByTestId('maker-errors')).toContainText(`Give the license of the photo “${names[0]}”.`);
    const dermatofibroma = 'proliferations/benign/non-melanocytic/Dermatofibroma';
    await pickDiagnosis(page, picked.nth(1), 'dermatofib', dermatofibroma);
    for (const i of [0, 1]) await typeInto(picked.nth(i).getByTestId('maker-license'), 'CC0 1.0');
    await expectAxeClean(page, 'the pack maker with collection photos');
    await press(maker.getByTestId('pack-save'));
    const made = page.getByTestId('pack').filter({ hasText: 'From the derm set' });
    await expect(made).toContainText('2 cases');

    // The export holds the collection's photo bytes as imported, with the answers.
    const [download] = await Promise.all([page.waitForEvent('download'), press(made.getByTestId('pack-export'))]);
    const zip = unzipSync(readFileSync(await download.path()));
    const pack = JSON.parse(new TextDecoder().decode(zip['pack.json']));
    expect(pack.cases.map((c: { diagnosis: { labelId: string } }) => c.diagnosis.labelId)).toEqual([MELANOMA, dermatofibroma]);
    expect(pack.cases.map((c: { photo: string }) => c.photo)).toEqual(['photos/case-1.png', 'photos/case-2.png']);
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    const bytes = names.map((n) => readFileSync(join(col.folder, 'images', n)));
    expect(pack.cases.map((c: { photo: string }) => sha(zip[c.photo]))).toEqual(bytes.map(sha));
    expect(pack.cases.map((c: { photoSha256: string }) => c.photoSha256)).toEqual(bytes.map(sha));
    expect(pack.cases[0].source).toMatch(/^Collection “derm-test”: /);

    // It presents: both photos decode and are prepared, similar cases from the collection included.
    await press(made.getByRole('link', { name: 'Present From the derm set' }));
    await expect(page.getByTestId('prepared')).toContainText('all 2 cases are ready', { timeout: 120_000 });
    const prepared = await stats(page);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('presenter')).toHaveAttribute('data-stage', '0');
    await expect(page.getByTestId('presenter-similar')).toHaveCount(0);
    await page.keyboard.press('Space');
    // On reveal: the 4 nearest photos of the collection (cosine of the cached embeddings), best
    // first, with their true labels; never the case's own photo.
    const similar = page.getByTestId('presenter-similar-item');
    await expect(similar).toHaveCount(4);
    const shown = await similar.evaluateAll((els) => els.map((e) => ({ ...(e as HTMLElement).dataset })));
    const scores = shown.map((x) => Number(x.score));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores[0]).toBeLessThanOrEqual(1 + 1e-6);
    expect(shown.map((x) => x.name)).not.toContain(names[0]);
    const byName = new Map(col.photos.map((p) => [`${p.name}.png`, p.dx]));
    for (const x of shown) expect(x.label).toBe(byName.get(x.name!));
    await expect(similar.first()).toContainText(shown[0].label!);
    await expect(similar.first().locator('img')).toHaveJSProperty('complete', true);
    await expectAxeClean(page, 'presenter reveal with similar cases');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await expect(similar).toHaveCount(4);
    expect((await similar.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.name)))).not.toContain(names[1]);
    // Nothing was encoded on reveal: the similar photos were ranked in the prepare step.
    expect(await stats(page)).toEqual(prepared);
  } finally {
    col.cleanup();
  }
});
