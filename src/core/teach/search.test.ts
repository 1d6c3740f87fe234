import { describe, expect, it } from 'vitest';
import { ONTOLOGY, ONTOLOGY_ALIASES, ONTOLOGY_SPLITS } from '../data';
import { leafLabelSet } from '../labels';
import { buildOntology } from '../ontology';
import { searchLabels } from './search';

const labels = leafLabelSet(buildOntology(ONTOLOGY, ONTOLOGY_SPLITS, ONTOLOGY_ALIASES)).labels;

describe('searchLabels', () => {
  it('puts names starting with the query first, then word starts, then inner matches', () => {
    const names = searchLabels(labels, 'mela', 100).map((l) => l.name);
    expect(names.length).toBeGreaterThan(3);
    const firstNonPrefix = names.findIndex((n) => !n.toLowerCase().startsWith('mela'));
    expect(names.slice(0, firstNonPrefix).every((n) => n.toLowerCase().startsWith('mela'))).toBe(true);
    expect(names).toContain('Melanocytic nevus');
  });
  it('ignores case and accents and needs every word', () => {
    const a = searchLabels(labels, 'NEVUS melanocytic').map((l) => l.name);
    expect(a).toContain('Melanocytic nevus');
    expect(a.every((n) => /nev/i.test(n) || labels.find((l) => l.name === n)!.aliases.some((x) => /nev/i.test(x)))).toBe(true);
    expect(searchLabels(labels, 'névus').map((l) => l.id)).toEqual(searchLabels(labels, 'nevus').map((l) => l.id));
  });
  it('finds a label by an alias only', () => {
    const merged = labels.find((l) => l.aliases.length > 1 && !l.name.toLowerCase().includes(l.aliases[1].toLowerCase()))!;
    expect(searchLabels(labels, merged.aliases[1], 400).map((l) => l.id)).toContain(merged.id);
  });
  it('gives the first labels for an empty query and nothing for a query matching nothing', () => {
    expect(searchLabels(labels, '  ', 10)).toEqual(labels.slice(0, 10));
    expect(searchLabels(labels, 'zzqqxx')).toEqual([]);
  });
});
