import { describe, expect, it } from 'vitest';
import { resolveMapping } from '../collections/mapping';
import { ONTOLOGY, ONTOLOGY_ALIASES, ONTOLOGY_SPLITS } from '../data';
import { leafLabelSet } from '../labels';
import { buildOntology } from '../ontology';
import { buildPack, collectionPrefill, draftProblems, leafOfLabels, packId, photoExtension, type DraftCase } from './draft';
import { parsePack } from './pack';

const tree = buildOntology(ONTOLOGY, ONTOLOGY_SPLITS, ONTOLOGY_ALIASES);
const leaves = leafLabelSet(tree);
const sha = (c: string) => c.repeat(64);
const nevus = leaves.labels.find((l) => l.name.toLowerCase() === 'melanocytic nevus')!;
const melanoma = leaves.labels.find((l) => l.name === 'Malignant melanoma')!;

describe('buildPack', () => {
  const draft = (cases: DraftCase[]) => ({ title: 'Week 3: Pigmented lesions!', description: 'd', author: 'A', cases });
  const one = (over: Partial<DraftCase> = {}): DraftCase => ({ name: 'a.jpg', type: 'image/jpeg', photoSha256: sha('a'), labelId: nevus.id, notes: 'n', source: 's', license: 'CC0', ...over });

  it('numbers the cases, names photos by type or name, keeps crops, and makes a pack the reader accepts', () => {
    const p = buildPack(draft([one(), one({ name: 'TEST_1.png', type: '', photoSha256: sha('b'), labelId: melanoma.id, crop: { x: 1, y: 2, size: 30 } }), one({ name: 'x', type: 'image/webp' })]), leaves.labels, Date.UTC(2026, 10, 29));
    expect(p.cases.map((c) => c.photo)).toEqual(['photos/case-1.jpg', 'photos/case-2.png', 'photos/case-3.webp']);
    expect(p.cases.map((c) => c.diagnosis)).toEqual([
      { labelId: nevus.id, name: nevus.name },
      { labelId: melanoma.id, name: melanoma.name },
      { labelId: nevus.id, name: nevus.name },
    ]);
    expect(p.cases[1].crop).toEqual({ x: 1, y: 2, size: 30 });
    expect('crop' in p.cases[0]).toBe(false);
    expect(p.id).toBe(`week-3-pigmented-lesions-${Date.UTC(2026, 10, 29).toString(36)}`);
    expect(p.createdAt).toBe('2026-11-29T00:00:00.000Z');
    const back = parsePack(JSON.parse(JSON.stringify(p)), new Set(p.cases.map((c) => c.photo)), new Set(leaves.labels.map((l) => l.id)));
    expect(back.cases).toHaveLength(3);
  });

  it('refuses an answer that is not a leaf of the ontology, naming the photo', () => {
    expect(() => buildPack(draft([one({ name: 'b.png', labelId: 'proliferations' })]), leaves.labels, 0)).toThrow('Case "b.png": choose its diagnosis');
  });

  it('extensions and ids', () => {
    expect(photoExtension('image/PNG', 'x.jpg')).toBe('png');
    expect(photoExtension('', 'photo.JPEG')).toBe('jpeg');
    expect(photoExtension('application/octet-stream', 'noext')).toBe('jpg');
    expect(packId('!!!', 35)).toBe('pack-z');
  });
});

describe('collection photos', () => {
  const labels = ['nv', 'mel', 'blob'];
  const mapping = resolveMapping(labels, leaves, { mel: null }, tree);
  const toLeaf = leafOfLabels(mapping.toClass, leaves.labels);

  it('maps dataset labels onto leaves (automatic, then the user’s decisions)', () => {
    expect(toLeaf.get('nv')).toBe(nevus.id);
    expect(toLeaf.has('mel')).toBe(false); // the user left it unmapped
    expect(toLeaf.has('blob')).toBe(false);
    const auto = leafOfLabels(resolveMapping(labels, leaves, {}, tree).toClass, leaves.labels);
    expect(auto.get('mel')).toBe(melanoma.id);
  });

  it('prefills the diagnosis from the true label, the source and license from metadata columns', () => {
    expect(collectionPrefill({ path: 'images/T1.png', label: 'nv', metadata: { site: 'back' } }, 'Derm set', toLeaf)).toEqual({
      labelId: nevus.id,
      source: 'Collection “Derm set”: images/T1.png',
      license: '',
    });
    expect(collectionPrefill({ path: 'p.jpg', label: 'blob', metadata: { attribution: ' ISIC Archive ', copyright_license: 'CC-BY-NC' } }, 'C', toLeaf)).toEqual({
      labelId: '',
      source: 'ISIC Archive',
      license: 'CC-BY-NC',
    });
    expect(collectionPrefill({ path: 'p.jpg', metadata: { License: 'CC0', source: '' } }, 'C', toLeaf)).toEqual({ labelId: '', source: 'Collection “C”: p.jpg', license: 'CC0' });
  });
});

describe('draftProblems', () => {
  it('names what is missing, in form order', () => {
    expect(draftProblems(' ', [])).toEqual(['Give the pack a title.', 'Choose at least one saved case or collection photo.']);
    expect(draftProblems('T', [{ name: 'a.png', labelId: '', source: ' ', license: 'CC0' }, { name: 'b.png', labelId: 'x', source: 's', license: '' }])).toEqual([
      'Choose the diagnosis of “a.png”.',
      'Say where the photo “a.png” comes from.',
      'Give the license of the photo “b.png”.',
    ]);
    expect(draftProblems('T', [{ name: 'a', labelId: 'x', source: 's', license: 'l' }])).toEqual([]);
  });
});
