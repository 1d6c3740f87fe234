/**
 * Bundles and zips for the import tests, made on the fly in a temp folder (nothing large is
 * committed): copies of the served demo under other ids or names, damaged copies, zips (honest,
 * bombs, hostile names, thousands of entries) via test/helpers/zip-writer.ts; and a count of what
 * the app stores (cases, kept manifests, weight files, import journals) to compare before/after.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { makeZip, type ZipItem } from '../test/helpers/zip-writer';
import { goTo } from './app';

const MODELS = join(process.cwd(), 'public/models');

export interface BundleCopy {
  /** The bundle folder (its last path segment is the id). */
  dir: string;
  manifest: Record<string, any>;
  /** Runtime files (all but references/), as on disk in `dir`. */
  files: Record<string, Buffer>;
}

/** The files the app imports (every listed file but the test references), in manifest order. */
export function runtimeNames(manifest: Record<string, any>): string[] {
  return Object.keys(manifest.files).filter((n) => !n.startsWith('references/'));
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * A copy of a served bundle (runtime files only) with `changes` to its manifest, one file
 * `damage`d (a byte flipped: the manifest no longer matches it), and `extra` files (listed in the
 * manifest when `listExtra`).
 */
export function bundleCopy(opts: { from?: string; id?: string; name?: string; damage?: string; extra?: Record<string, Buffer>; listExtra?: boolean; changes?: (m: Record<string, any>) => void } = {}): BundleCopy {
  const from = opts.from ?? 'demo-tiny';
  const manifest = JSON.parse(readFileSync(join(MODELS, from, 'manifest.json'), 'utf8'));
  const files: Record<string, Buffer> = {};
  for (const n of runtimeNames(manifest)) files[n] = readFileSync(join(MODELS, from, n));
  manifest.id = opts.id ?? manifest.id;
  if (opts.name) manifest.name = opts.name;
  for (const [n, b] of Object.entries(opts.extra ?? {})) {
    files[n] = b;
    if (opts.listExtra) manifest.files[n] = { bytes: b.length, sha256: sha256(b) };
  }
  opts.changes?.(manifest);
  if (opts.damage) {
    const b = Buffer.from(files[opts.damage]);
    b[b.length >> 1] ^= 0x01;
    files[opts.damage] = b;
  }
  // The folder is named after the id (as bundles are), made safe: a hostile id must not write outside the temp folder.
  const dir = join(mkdtempSync(join(tmpdir(), 'bundle-')), String(manifest.id).replace(/[^a-z0-9._-]/gi, '_'));
  for (const [n, b] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, n)), { recursive: true });
    writeFileSync(join(dir, n), b);
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { dir, manifest, files };
}

/** A .zip of a bundle copy (under `<id>/`), plus `extra` entries; written to a temp file. */
export function zipFile(name: string, items: ZipItem[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'zip-')), name);
  writeFileSync(path, makeZip(items));
  return path;
}

export function bundleItems(copy: BundleCopy, prefix = `${copy.manifest.id}/`): ZipItem[] {
  return [
    { name: `${prefix}manifest.json`, data: Buffer.from(JSON.stringify(copy.manifest, null, 2)) },
    ...Object.entries(copy.files).map(([n, data]) => ({ name: prefix + n, data, store: n.endsWith('.data') })),
  ];
}

export interface Inventory {
  cases: number;
  manifests: string[];
  weights: string[];
  journals: number;
}

/** What the app keeps: saved cases, kept manifests (base URLs), weight files (keys), import journals. */
export function inventory(page: Page): Promise<Inventory> {
  return page.evaluate(async () => {
    const keys = (await caches.has('dermlip-weights-v1')) ? (await (await caches.open('dermlip-weights-v1')).keys()).map((r) => new URL(r.url).pathname) : [];
    let cases = 0;
    // Only open the cases database if it exists (opening would create it without its store).
    if ((await indexedDB.databases()).some((d) => d.name === 'dermlip-cases')) {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open('dermlip-cases');
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      if (db.objectStoreNames.contains('cases')) {
        cases = await new Promise<number>((res) => {
          const c = db.transaction('cases').objectStore('cases').count();
          c.onsuccess = () => res(c.result);
        });
      }
      db.close();
    }
    return {
      cases,
      manifests: keys.filter((k) => k.startsWith('/__dermlip-manifests/')).map((k) => decodeURIComponent(k.slice('/__dermlip-manifests/'.length))).sort(),
      weights: keys.filter((k) => k.startsWith('/__dermlip-weights/')).sort(),
      journals: keys.filter((k) => k.startsWith('/__dermlip-imports/')).length,
    };
  });
}

/** Weight keys of one bundle id. */
export const keysOf = (inv: Inventory, id: string) => inv.weights.filter((k) => k.startsWith(`/__dermlip-weights/${encodeURIComponent(id)}/`));

/** Pick files in Settings > Load a model from files: a folder, or one .zip (a previous result is cleared first). */
export async function importFrom(page: Page, path: string): Promise<void> {
  if (await page.getByTestId('import-error').or(page.getByTestId('import-ok')).count()) {
    await goTo(page, 'Diagnose');
    await goTo(page, 'Settings');
  }
  await page.getByTestId(path.endsWith('.zip') ? 'import-zip' : 'import-folder').setInputFiles(path);
}

export async function expectImportError(page: Page, text: string | RegExp): Promise<string> {
  const el = page.getByTestId('import-error');
  await expect(el).toContainText(text, { timeout: 60_000 });
  return (await el.textContent()) ?? '';
}

export async function expectImported(page: Page, name: string): Promise<void> {
  await expect(page.getByTestId('import-ok')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await expect(page.getByTestId('model-chip')).toHaveText(name);
}
