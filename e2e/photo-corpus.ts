/**
 * The generated test photos (tools/photos/make_corpus.py: odd-but-valid files, phone-size JPEGs up
 * to 200 MP, HEIC) with their independent PIL references, made on demand into .cache/photo-corpus
 * (git-ignored; regenerated when the generator changes), and served to the page under /__corpus/.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from '@playwright/test';

export const CORPUS_DIR = join(process.cwd(), '.cache', 'photo-corpus');
const TOOL = join(process.cwd(), 'tools', 'photos');

export interface CorpusEntry {
  name: string;
  file: string;
  mime: string;
  group: 'odd' | 'large' | 'real' | 'heic';
  expect: 'open' | 'refuse';
  /** Oriented size (as shown). */
  width?: number;
  height?: number;
  bytes: number;
  /** u8 [224, 224, 3] crop PIL + open_clip make from the full-resolution decode. */
  crop?: string;
  /** demo-tiny (torch, fp32) embedding of that crop. */
  embedding?: number[];
}

function version(): string {
  const h = createHash('sha256');
  for (const f of ['make_corpus.py', 'heif_edit.py']) h.update(readFileSync(join(TOOL, f)));
  return h.digest('hex');
}

/** The entries of one group, generating them first if missing or stale (seconds to a minute). */
export function corpus(group: CorpusEntry['group']): CorpusEntry[] {
  const index = join(CORPUS_DIR, `${group}.json`);
  const fresh = existsSync(index) && JSON.parse(readFileSync(index, 'utf8')).version === version();
  if (!fresh) {
    execFileSync(process.env.PYTHON ?? '/usr/bin/python3', [join(TOOL, 'make_corpus.py'), '--out', CORPUS_DIR, '--groups', group], { stdio: 'inherit' });
  }
  return JSON.parse(readFileSync(index, 'utf8')).entries;
}

export const corpusPath = (e: CorpusEntry) => join(CORPUS_DIR, e.file);
export const corpusUrl = (e: CorpusEntry) => `/__corpus/${encodeURIComponent(e.file)}`;

export function refCrop(e: CorpusEntry): Uint8Array {
  return new Uint8Array(readFileSync(join(CORPUS_DIR, e.crop!)));
}

/** Serves the corpus files at /__corpus/<file> (context-wide, so service-worker fetches see them too). */
export async function serveCorpus(context: BrowserContext, entries: CorpusEntry[]) {
  const byFile = new Map(entries.map((e) => [e.file, e]));
  await context.route('**/__corpus/*', (route) => {
    const file = decodeURIComponent(new URL(route.request().url()).pathname.split('/').pop()!);
    const e = byFile.get(file);
    if (!e) return route.fulfill({ status: 404, body: 'not in the corpus' });
    return route.fulfill({ body: readFileSync(corpusPath(e)), contentType: e.mime, headers: { 'Cross-Origin-Resource-Policy': 'same-origin' } });
  });
}

/** Max |difference| between two u8 crops in normalised units (as the model sees them). */
export function maxAbsNormalised(a: ArrayLike<number>, b: ArrayLike<number>, std: number[]): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / 255 / std[i % 3]);
  return m;
}
