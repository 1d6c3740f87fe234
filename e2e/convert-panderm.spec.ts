/**
 * DermLIP-PanDerm through "Use the real DermLIP weights": the PanDerm tiny fixture's checkpoint (both
 * formats, written by the toolchain at test time) with its open_clip_config.json and its text
 * model's config.json and tokenizer.json, converted in Chromium through the UI. Every graph and
 * weights file, the WordPiece tokenizer.json made from the text model's file, the prompts and the
 * config must be demo-panderm-tiny's bytes; its prompt table within the stated tolerance; then a
 * reference photo gives the toolchain's embedding (WASM).
 */
import { expect, test } from '@playwright/test';
import { pandermFixtureCheckpoint } from '../test/helpers/checkpoints';
import { goTo, openApp } from './app';
import { loadBundle } from './bundle';
import { dropFiles, expectReferenceEmbedding, expectSameAsToolchain } from './converted';

test('DermLIP-PanDerm: the tiny fixture\'s torch checkpoint, picked with its config and its text model\'s config.json and tokenizer.json, becomes the toolchain\'s bundle', async ({ page }) => {
  const ck = pandermFixtureCheckpoint();
  const panderm = loadBundle('demo-panderm-tiny');
  await openApp(page, 'backend=wasm');
  await goTo(page, 'Real model');
  await page.getByTestId('convert-files').setInputFiles([ck.bin, ck.config, ck.textConfig, ck.tokenizer]);
  await expect(page.getByTestId('convert-ok')).toBeVisible({ timeout: 170_000 });
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('demo-banner')).toHaveCount(0);
  // Every graph and weights file, the WordPiece tokenizer.json made from the text model's file, the prompts and config: the toolchain's bytes.
  const s = await expectSameAsToolchain(page, 'open_clip_pytorch_model.bin', panderm);
  expect(s.manifest.tokenizer).toMatchObject({ kind: 'wordpiece', contextLength: 256 });
  await openApp(page, 'backend=wasm&variant=fp32');
  await expectReferenceEmbedding(page, 'wasm', panderm);
});

test('DermLIP-PanDerm: the tiny fixture\'s safetensors, dropped with its config and its text model\'s files, becomes the same bundle files', async ({ page }) => {
  const ck = pandermFixtureCheckpoint();
  const panderm = loadBundle('demo-panderm-tiny');
  await openApp(page, 'backend=wasm');
  await goTo(page, 'Real model');
  await expect(page.getByTestId('hub-models')).toContainText('neuml/pubmedbert-base-embeddings');
  await dropFiles(page, [ck.safetensors, ck.config, ck.textConfig, ck.tokenizer]);
  await expect(page.getByTestId('convert-ok')).toBeVisible({ timeout: 170_000 });
  await expect(page.getByTestId('demo-banner')).toHaveCount(0);
  const s = await expectSameAsToolchain(page, 'open_clip_model.safetensors', panderm);
  expect(s.manifest.tokenizer).toMatchObject({ kind: 'wordpiece', contextLength: 256 });
});

