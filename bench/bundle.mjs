// The full-size fixture bundle the benchmarks run on, built on demand (it is git-ignored).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = join(ROOT, 'public/models/demo-full');
/** DermLIP-PanDerm at full size (CAE ViT-B/16 + BERT-base shapes, seeded random weights). */
export const PANDERM_BUNDLE = join(ROOT, 'public/models/demo-panderm-full');

/** Every file the manifest lists is present with its stated size. */
export function bundleComplete(dir = BUNDLE) {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    return Object.entries(m.files).every(([f, e]) => existsSync(join(dir, f)) && statSync(join(dir, f)).size === e.bytes);
  } catch {
    return false;
  }
}

/** Builds public/models/demo-full (ViT-B/16 shapes, seeded random weights) unless it is complete. */
export function ensureFullBundle(log = console.log) {
  if (bundleComplete()) return;
  log('building public/models/demo-full (about 8 minutes on 2 cores)');
  execFileSync('/usr/bin/python3', ['tools/model/fixture.py', '--size', 'full', '--embed-backend', 'ort'], { cwd: ROOT, stdio: 'inherit' });
}

/** Builds public/models/demo-panderm-full unless it is complete (about 10 minutes on 2 cores). */
export function ensurePandermBundle(log = console.log) {
  if (bundleComplete(PANDERM_BUNDLE)) return;
  log('building public/models/demo-panderm-full (about 10 minutes on 2 cores)');
  execFileSync('/usr/bin/python3', ['tools/model/fixture.py', '--arch', 'panderm', '--size', 'full', '--embed-backend', 'ort'], { cwd: ROOT, stdio: 'inherit' });
}
