import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PANDERM_BUNDLES } from './bounds';
import { BUNDLES, loadBundle } from './bundle-helpers';

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(root, path) : [relative(root, path).split('\\').join('/')];
  });
}

describe.each([...BUNDLES, ...PANDERM_BUNDLES])('%s bundle files', (id) => {
  const { dir: BUNDLE_DIR, manifest, read: readBundleFile, json: readJson } = loadBundle(id);
  it('lists exactly the files in the folder (plus manifest.json)', () => {
    expect(listFiles(BUNDLE_DIR).sort()).toEqual([...Object.keys(manifest.files), 'manifest.json'].sort());
  });

  it.each(Object.entries(manifest.files))('%s has the listed bytes and sha256', (rel, entry) => {
    const data = readBundleFile(rel);
    expect(data.length).toBe(entry.bytes);
    expect(createHash('sha256').update(data).digest('hex')).toBe(entry.sha256);
  });

  it('every file named in the manifest is listed', () => {
    const named = [manifest.tokenizer.file, manifest.textEmbeddings.file, manifest.textEmbeddings.prompts,
      manifest.references!, manifest.source.config!, ...Object.values(manifest.variants).flatMap((v) => [v.image, v.text, v.imageData, v.textData].filter((f): f is string => Boolean(f)))];
    for (const rel of named) expect(manifest.files[rel], rel).toBeDefined();
  });

  it('text embeddings: count x embedDim float16 rows, one per prompt, unit length', () => {
    const { prompts } = readJson<{ prompts: string[] }>(manifest.textEmbeddings.prompts);
    expect(prompts.length).toBe(manifest.textEmbeddings.count);
    expect(new Set(prompts).size).toBe(prompts.length);
    const buf = readBundleFile(manifest.textEmbeddings.file);
    expect(buf.length).toBe(prompts.length * manifest.embedDim * 2);
    const f16 = (h: number) => {
      const e = (h >> 10) & 0x1f, m = h & 0x3ff, s = h >> 15 ? -1 : 1;
      return e === 0 ? s * m * 2 ** -24 : s * (1 + m / 1024) * 2 ** (e - 15);
    };
    for (const row of [0, Math.floor(prompts.length / 2), prompts.length - 1]) {
      let n = 0;
      for (let i = 0; i < manifest.embedDim; i++) n += f16(buf.readUInt16LE((row * manifest.embedDim + i) * 2)) ** 2;
      expect(Math.sqrt(n)).toBeCloseTo(1, 2);
    }
  });
});
