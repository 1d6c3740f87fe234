/** Reads the demo bundle and its PyTorch references from disk for the end-to-end tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const BUNDLE_DIR = join(process.cwd(), 'public/models/demo-tiny');
export const BUNDLE_URL = '/models/demo-tiny';

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

export const manifest = JSON.parse(readFileSync(join(BUNDLE_DIR, 'manifest.json'), 'utf8'));
export const references: { images: RefImage[]; prompts: RefPrompt[] } = JSON.parse(readFileSync(join(BUNDLE_DIR, manifest.references), 'utf8'));

export function refCrop(img: RefImage): Uint8Array {
  return new Uint8Array(readFileSync(join(BUNDLE_DIR, img.crop)));
}

export { cosine } from '../src/core/vectors';

export { BROWSER_BOUNDS } from '../test/model/bounds';
