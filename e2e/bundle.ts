/** Reads the committed tiny bundles and their PyTorch references from disk for the end-to-end tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RefImage {
  name: string;
  file: string;
  mime: string;
  width: number;
  height: number;
  exifOrientation: number;
  decoded: string;
  crop: string;
  embedding: number[];
}
export interface RefPrompt {
  text: string;
  ids: number[];
  embedding: number[];
}

export interface E2eBundle {
  id: string;
  dir: string;
  /** Where the app serves it (`?bundle=<url>` loads it). */
  url: string;
  manifest: any;
  references: { images: RefImage[]; prompts: RefPrompt[] };
  refCrop: (img: RefImage) => Uint8Array;
}

export function loadBundle(id: string): E2eBundle {
  const dir = join(process.cwd(), 'public/models', id);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const references = JSON.parse(readFileSync(join(dir, manifest.references), 'utf8'));
  return { id, dir, url: `/models/${id}`, manifest, references, refCrop: (img) => new Uint8Array(readFileSync(join(dir, img.crop))) };
}

// The default bundle (demo-tiny), for the specs that use only it.
const demo = loadBundle('demo-tiny');
export const BUNDLE_DIR = demo.dir;
export const BUNDLE_URL = demo.url;
export const manifest = demo.manifest;
export const references = demo.references;

export { cosine } from '../src/core/vectors';

export { BUNDLES, browserBounds } from '../test/model/bounds';
