import { describe, expect, it } from 'vitest';
import { embeddingsBytes, parseCollectionExport, safeFileName } from './export-format';

const sha = 'a'.repeat(64);
const valid = () => ({
  format: 'dermlip-collection',
  version: 1,
  exportedAt: '2026-11-29T00:00:00Z',
  collection: {
    name: 'HAM',
    createdAt: 1,
    source: 'zip',
    labelSource: { kind: 'csv', file: 'meta.csv', idColumn: 'image_id', labelColumn: 'dx', dataset: 'HAM10000' },
    metadataColumns: ['age'],
    labels: [{ label: 'mel', count: 1 }],
    mapping: { labelSetId: 'preset:ham', overrides: { 'preset:ham': { blob: null } } },
    skipped: [{ path: 'x.txt', reason: 'not a photo (.txt)' }],
    skippedCount: 1,
    labelNotes: [],
  },
  entries: [{ seq: 0, path: 'a.jpg', name: 'a.jpg', bytes: 10, photoSha256: sha, label: 'mel', metadata: { age: '50' }, thumbnail: 'thumbs/0.jpg', tensors: { 'demo-tiny': sha } }],
  embeddings: [{ bundleId: 'demo-tiny', variant: 'int8', dim: 32, file: 'embeddings/0.f32', seqs: [0] }],
});

describe('collection export format', () => {
  it('accepts a valid index', () => {
    const x = parseCollectionExport(valid(), 'c.zip');
    expect(x.entries[0].label).toBe('mel');
    expect(embeddingsBytes(x.embeddings[0])).toBe(128);
  });
  it('names the first bad field', () => {
    const v = valid();
    (v.entries[0] as { photoSha256: string }).photoSha256 = 'xyz';
    expect(() => parseCollectionExport(v, 'c.zip')).toThrow('"c.zip": collection.json is invalid at entries.0.photoSha256');
    const w = valid();
    w.embeddings[0].file = '../escape.f32';
    expect(() => parseCollectionExport(w, 'c.zip')).toThrow('embeddings.0.file');
  });
  it('refuses other formats and versions, duplicate and dangling entries', () => {
    expect(() => parseCollectionExport({ ...valid(), version: 2 }, 'c.zip')).toThrow('not a DermLIP collection export of a version this app reads');
    expect(() => parseCollectionExport({ format: 'x' }, 'c.zip')).toThrow('not a DermLIP collection export');
    const d = valid();
    d.entries.push({ ...d.entries[0] });
    expect(() => parseCollectionExport(d, 'c.zip')).toThrow('two entries share the number 0');
    const e = valid();
    e.embeddings[0].seqs = [0, 5];
    expect(() => parseCollectionExport(e, 'c.zip')).toThrow('name entry 5, which is not in the collection');
  });
  it('makes safe file names', () => {
    expect(safeFileName('../a b/c?.jpg')).toBe('_a b_c_.jpg');
    expect(safeFileName('...')).toBe('photo');
  });
});
