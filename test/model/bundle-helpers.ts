// Helpers for the model bundle tests: read a committed tiny bundle (demo-tiny, demo-tiny-gelu)
// and its references.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export { BUNDLES } from './bounds';

const MODELS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'public', 'models');

export interface FileEntry { bytes: number; sha256: string }
export interface Manifest {
  id: string;
  source: { kind: string; config?: string };
  embedDim: number;
  image: { size: number; resize: string; interpolation: string; fill?: number; mean: number[]; std: number[]; input: string; output: string };
  text: { input: string; output: string; dynamicLength: boolean };
  architecture: string;
  tokenizer: { kind: string; file: string; contextLength: number; padId: number; startId: number; endId: number; clean?: string };
  variants: Record<string, { image: string; imageData?: string; text: string; textData?: string; dtype: string; fidelity: { image: number; text: number } }>;
  textEmbeddings: { file: string; prompts: string; count: number };
  references?: string;
  files: Record<string, FileEntry>;
}
export interface References {
  images: { name: string; crop: string; decoded: string; embedding: number[] }[];
  prompts: { text: string; ids: number[]; embedding: number[] }[];
}

export interface Bundle {
  id: string;
  dir: string;
  path: (rel: string) => string;
  read: (rel: string) => Buffer;
  json: <T>(rel: string) => T;
  manifest: Manifest;
  references: References;
}

export function loadBundle(id: string): Bundle {
  const dir = join(MODELS_DIR, id);
  const path = (rel: string) => join(dir, rel);
  const read = (rel: string) => readFileSync(path(rel));
  const json = <T>(rel: string) => JSON.parse(read(rel).toString('utf8')) as T;
  const manifest = json<Manifest>('manifest.json');
  return { id, dir, path, read, json, manifest, references: json<References>(manifest.references!) };
}

// demo-tiny, for the tests that need only one bundle (the tokenizer is the same in both).
const demo = loadBundle('demo-tiny');
export const readJson = demo.json;
export const manifest = demo.manifest;
export const references = demo.references;

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
