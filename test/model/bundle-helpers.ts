// Helpers for the model bundle tests: read the committed demo-tiny bundle and its references.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUNDLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'public', 'models', 'demo-tiny');

export interface FileEntry { bytes: number; sha256: string }
export interface Manifest {
  id: string;
  embedDim: number;
  image: { size: number; mean: number[]; std: number[]; input: string; output: string };
  text: { input: string; output: string; dynamicLength: boolean };
  tokenizer: { file: string; contextLength: number; padId: number; startId: number; endId: number };
  variants: Record<string, { image: string; imageData?: string; text: string; textData?: string; dtype: string }>;
  textEmbeddings: { file: string; prompts: string; count: number };
  references?: string;
  files: Record<string, FileEntry>;
}
export interface References {
  images: { name: string; crop: string; decoded: string; embedding: number[] }[];
  prompts: { text: string; ids: number[]; embedding: number[] }[];
}

export const bundlePath = (rel: string): string => join(BUNDLE_DIR, rel);
export const readBundleFile = (rel: string): Buffer => readFileSync(bundlePath(rel));
export const readJson = <T>(rel: string): T => JSON.parse(readBundleFile(rel).toString('utf8')) as T;
export const manifest = readJson<Manifest>('manifest.json');
export const references = readJson<References>(manifest.references!);

export { cosine } from '../../src/core/vectors';

/** u8 RGB [S,S,3] crop -> f32 [3,S,S]: (crop/255 - mean)/std, as open_clip's ToTensor+Normalize. */
export function cropToTensor(crop: Uint8Array, size: number, mean: number[], std: number[]): Float32Array {
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) out[c * plane + p] = (crop[p * 3 + c] / 255 - mean[c]) / std[c];
  }
  return out;
}

/** open_clip's text cleaning, as the app does it (src/core/tokenizer/clean.ts). */
export { cleanOpenClip as cleanText } from '../../src/core/tokenizer/clean';
