import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ignoredNote, planImport, runtimeFiles } from './bundle-import';
import { parseManifest } from './manifest';

const manifest = parseManifest(JSON.parse(readFileSync('public/models/demo-tiny/manifest.json', 'utf8')));
const names = runtimeFiles(manifest);

function sizes(prefix: string, change: (m: Map<string, number>) => void = () => {}): Map<string, number> {
  const m = new Map(names.map((n) => [prefix + n, manifest.files[n].bytes]));
  m.set(`${prefix}manifest.json`, 9000);
  change(m);
  return m;
}

describe('planImport', () => {
  it('every runtime file with its manifest entry; the test references are not needed', () => {
    expect(names.some((n) => n.startsWith('references/'))).toBe(false);
    expect(names).toContain(manifest.variants.int8!.image);
    const plan = planImport(manifest, 'demo-tiny/manifest.json', sizes('demo-tiny/'));
    expect(plan.files.map((f) => f.path)).toEqual(names.map((n) => `demo-tiny/${n}`));
    expect(plan.bytes).toBe(names.reduce((n, f) => n + manifest.files[f].bytes, 0));
    expect(plan.ignored).toEqual([]);
  });
  it('files the manifest does not list are ignored and reported', () => {
    const plan = planImport(manifest, 'manifest.json', sizes('', (m) => m.set('notes.txt', 5).set('<img src=x>.txt', 1).set('references/x.png', 9)));
    expect(plan.ignored).toEqual(['<img src=x>.txt', 'notes.txt', 'references/x.png']);
    expect(ignoredNote(plan.ignored)).toBe('3 file(s) that manifest.json does not list were ignored (not read, not stored; first: <img src=x>.txt).');
    expect(ignoredNote([])).toBe('');
  });
  it('a missing file or a size that differs from the manifest is refused, naming the file', () => {
    const tok = manifest.tokenizer.file;
    expect(() => planImport(manifest, 'manifest.json', sizes('', (m) => m.delete(tok)))).toThrow(`The bundle "demo-tiny" is incomplete: 1 file(s) listed in manifest.json are missing (first: ${tok}).`);
    expect(() => planImport(manifest, 'manifest.json', sizes('', (m) => m.set(tok, 5)))).toThrow(`Model file ${tok} is 5 bytes, but manifest.json says ${manifest.files[tok].bytes.toLocaleString('en')}. Nothing was imported.`);
  });
  it('a manifest that claims a file larger than one import may hold is refused before reading', () => {
    const huge = structuredClone(manifest);
    const f = huge.variants.int8!.imageData!;
    huge.files[f] = { ...huge.files[f], bytes: 50e9 };
    expect(() => planImport(huge, 'manifest.json', sizes('', (m) => m.set(f, 50e9)))).toThrow(`Model file ${f} is 50.0 GB by its manifest; one file of an imported bundle may be at most 2.1 GB.`);
  });
});
