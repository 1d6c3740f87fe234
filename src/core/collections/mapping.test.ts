import { describe, expect, it } from 'vitest';
import { ONTOLOGY, ONTOLOGY_ALIASES, ONTOLOGY_SPLITS } from '../data';
import { childrenLabelSet, leafLabelSet, parseCustomLabels, presetLabelSet } from '../labels';
import { buildOntology } from '../ontology';
import { autoMap, datasetLabelSet, labelForms, normaliseLabel, resolveMapping } from './mapping';

const tree = buildOntology(ONTOLOGY, ONTOLOGY_SPLITS, ONTOLOGY_ALIASES);
const ham = presetLabelSet('preset:ham', tree);
const names = (set: { labels: { name: string }[] }, m: Map<string, { index: number }>) => Object.fromEntries([...m].map(([k, v]) => [k, set.labels[v.index].name]));

describe('label forms', () => {
  it('normalise case, separators, apostrophes, plurals and British spelling', () => {
    expect(normaliseLabel("  Bowen's_Disease ")).toBe('bowens disease');
    expect(labelForms('Naevi')).toContain('nevus');
    expect(labelForms('Actinic keratoses')).toContain('actinic keratosis');
    expect(labelForms('vascular lesions')).toContain('vascular lesion');
    expect(labelForms('melanomas')).toContain('melanoma');
    expect(labelForms('nevus')).toEqual(['nevus']);
  });
});

describe('autoMap', () => {
  it('maps every HAM10000 code onto the HAM preset', () => {
    const m = autoMap(['akiec', 'bcc', 'bkl', 'df', 'mel', 'nv', 'vasc'], ham, tree);
    expect(names(ham, m)).toEqual({
      akiec: 'actinic keratosis',
      bcc: 'basal cell carcinoma',
      bkl: 'benign keratosis',
      df: 'dermatofibroma',
      mel: 'melanoma',
      nv: 'nevus',
      vasc: 'vascular',
    });
    expect(m.get('mel')!.how).toBe('synonym');
  });
  it('maps ISIC diagnoses and spellings, and leaves the unknown out', () => {
    const m = autoMap(['melanoma', 'Nevus', 'Naevi', 'vascular lesion', 'pigmented benign keratosis', 'Basal-cell carcinoma', 'blob', 'unknown'], ham, tree);
    expect(names(ham, m)).toEqual({
      melanoma: 'melanoma',
      Nevus: 'nevus',
      Naevi: 'nevus',
      'vascular lesion': 'vascular',
      'pigmented benign keratosis': 'benign keratosis',
      'Basal-cell carcinoma': 'basal cell carcinoma',
    });
    expect(m.get('melanoma')!.how).toBe('name');
  });
  it('climbs the ontology to the list level (benign / cysts / malignant)', () => {
    const level = childrenLabelSet(tree, 'proliferations');
    const m = autoMap(['mel', 'nv', 'Seborrheic keratosis', 'bcc', 'psoriasis'], level, tree);
    expect(names(level, m)).toEqual({ mel: 'Malignant skin lesions', nv: 'Benign skin lesions', 'Seborrheic keratosis': 'Benign skin lesions', bcc: 'Malignant skin lesions' });
    expect(m.get('nv')!.how).toBe('ontology');
  });
  it('finds ontology leaves by alias', () => {
    const leaves = leafLabelSet(tree);
    const m = autoMap(['mel', 'df'], leaves, tree);
    expect(leaves.labels[m.get('mel')!.index].nodeId).toContain('Malignant melanoma');
    expect(leaves.labels[m.get('df')!.index].nodeId).toContain('Dermatofibroma');
  });
  it('works without an ontology on a custom list', () => {
    const custom = parseCustomLabels('melanoma\nnevus | mole\nother');
    expect(names(custom, autoMap(['moles', 'MEL', 'x'], custom))).toEqual({ moles: 'nevus', MEL: 'melanoma' });
  });
});

describe('resolveMapping', () => {
  it('applies the user decisions over the automatic ones and names the rest', () => {
    const r = resolveMapping(['mel', 'nv', 'blob', 'weird', 'gone'], ham, { nv: null, weird: 'preset:ham#3', gone: 'no-such-id' }, tree);
    expect([...r.toClass]).toEqual([
      ['mel', 4],
      ['weird', 3],
    ]);
    expect(r.how.get('weird')).toBe('yours');
    expect(r.unmapped).toEqual(['nv', 'blob', 'gone']);
  });
});

describe('datasetLabelSet', () => {
  it('prompts known codes by their names and maps onto itself', () => {
    const set = datasetLabelSet(['mel', 'nv', 'odd_thing']);
    expect(set.labels.map((l) => [l.name, l.aliases])).toEqual([
      ['melanoma (mel)', ['melanoma']],
      ['nevus (nv)', ['nevus']],
      ['odd thing (odd_thing)', ['odd thing']],
    ]);
    const r = resolveMapping(['mel', 'nv', 'odd_thing'], set, {});
    expect([...r.toClass.values()]).toEqual([0, 1, 2]);
  });
});
