import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { bestIdColumn, folderLabels, joinCsv, labelCounts, photoKey, recogniseColumns } from './label-source';
import { defaultCollectionName, isSystemClutter, planImport } from './import-plan';

describe('recogniseColumns', () => {
  it('knows HAM10000, ISIC and PAD-UFES-20, whatever the case', () => {
    expect(recogniseColumns(['lesion_id', 'image_id', 'dx', 'age'])).toEqual({ idColumn: 'image_id', labelColumn: 'dx', dataset: 'HAM10000' });
    expect(recogniseColumns(['ISIC_ID', 'Diagnosis', 'sex'])).toEqual({ idColumn: 'ISIC_ID', labelColumn: 'Diagnosis', dataset: 'ISIC archive' });
    expect(recogniseColumns(['img_id', 'diagnostic'])?.dataset).toBe('PAD-UFES-20');
    expect(recogniseColumns(['file', 'class'])).toBeNull();
  });
});

describe('photoKey and joinCsv', () => {
  it('matches rows to photos by name without folder or extension', () => {
    expect(photoKey('part_1/ISIC_0027419.JPG')).toBe('isic_0027419');
    expect(photoKey(' ISIC_0027419 ')).toBe('isic_0027419');
    expect(photoKey('a.b.png')).toBe('a.b');
  });
  it('joins labels and keeps the other columns as metadata', () => {
    const t = parseCsv('image_id,dx,fitzpatrick,site\nA,mel,II,back\nB,nv,V,\nC,bkl,I,face\nA,nv,III,arm\nD,,IV,leg\n');
    const j = joinCsv(t, { idColumn: 'image_id', labelColumn: 'dx' }, ['x/A.jpg', 'x/B.png', 'x/E.jpg', 'D.jpg']);
    expect(j.byPath.get('x/A.jpg')).toEqual({ label: 'mel', metadata: { fitzpatrick: 'II', site: 'back' } });
    expect(j.byPath.get('x/B.png')).toEqual({ label: 'nv', metadata: { fitzpatrick: 'V', site: '' } });
    expect(j.byPath.get('D.jpg')).toEqual({ metadata: { fitzpatrick: 'IV', site: 'leg' } });
    expect(j.unlabelled).toEqual(['x/E.jpg']);
    expect(j.unmatchedRows).toBe(1); // C
    expect(j.duplicateIds).toEqual(['A']);
    expect(j.metadataColumns).toEqual(['fitzpatrick', 'site']);
  });
  it('refuses bad column choices', () => {
    const t = parseCsv('a,b\n1,2');
    expect(() => joinCsv(t, { idColumn: 'a', labelColumn: 'a' }, [])).toThrow('must differ');
    expect(() => joinCsv(t, { idColumn: 'z', labelColumn: 'b' }, [])).toThrow('no column "z"');
  });
  it('finds the column that names the photos', () => {
    const t = parseCsv('n,file,label\n1,p1.jpg,a\n2,p2,b\n3,zz,c\n');
    expect(bestIdColumn(t, ['d/p1.jpg', 'd/p2.jpg'])).toEqual({ column: 'file', matches: 2 });
    expect(bestIdColumn(t, ['q.jpg'])).toBeNull();
  });
});

describe('folderLabels', () => {
  it('takes the folder each photo sits in, below the shared root', () => {
    const m = folderLabels(['data/mel/1.jpg', 'data/nv/2.jpg', 'data/train/mel/3.jpg']);
    expect([...m!]).toEqual([
      ['data/mel/1.jpg', 'mel'],
      ['data/nv/2.jpg', 'nv'],
      ['data/train/mel/3.jpg', 'mel'],
    ]);
  });
  it('is null when a photo sits at the root or there is one class', () => {
    expect(folderLabels(['data/mel/1.jpg', 'data/2.jpg'])).toBeNull();
    expect(folderLabels(['data/mel/1.jpg', 'data/mel/2.jpg'])).toBeNull();
    expect(folderLabels([])).toBeNull();
  });
});

describe('labelCounts', () => {
  it('counts, most frequent first', () => {
    expect(labelCounts(['b', 'a', 'b', undefined, 'c', 'a', 'b'])).toEqual([
      { label: 'b', count: 3 },
      { label: 'a', count: 2 },
      { label: 'c', count: 1 },
    ]);
  });
});

describe('planImport', () => {
  it('sorts photos, label files and the rest, with reasons', () => {
    const p = planImport([
      { path: 'd/img10.jpg', size: 5 },
      { path: 'd/img9.JPEG', size: 5 },
      { path: 'd/meta.csv', size: 5 },
      { path: 'd/empty.png', size: 0 },
      { path: 'd/notes.txt', size: 5 },
      { path: 'd/scan.heic', size: 5 },
      { path: 'd/README', size: 5 },
      { path: '__MACOSX/d/._img9.jpg', size: 5 },
      { path: 'd/.DS_Store', size: 5 },
      { path: 'd/img9.JPEG', size: 5 },
    ]);
    expect(p.photos.map((f) => f.path)).toEqual(['d/img9.JPEG', 'd/img10.jpg']);
    expect(p.csvs.map((f) => f.path)).toEqual(['d/meta.csv']);
    expect(p.skipped).toEqual([
      { path: 'd/empty.png', reason: 'empty file (0 bytes)' },
      { path: 'd/notes.txt', reason: 'not a photo (.txt)' },
      { path: 'd/scan.heic', reason: 'HEIC/HEIF photos cannot be read by this browser; export them as JPEG first' },
      { path: 'd/README', reason: 'not a photo (no file extension)' },
      { path: 'd/img9.JPEG', reason: 'the same path was picked twice' },
    ]);
    expect(isSystemClutter('x/Thumbs.db')).toBe(true);
  });
  it('names a collection after its source', () => {
    expect(defaultCollectionName('HAM10000.zip', new Date('2026-01-02T00:00:00Z'))).toBe('HAM10000');
    expect(defaultCollectionName(undefined, new Date('2026-01-02T00:00:00Z'))).toBe('Collection 2026-01-02');
  });
});
