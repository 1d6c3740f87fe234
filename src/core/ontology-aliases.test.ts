import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ONTOLOGY, ONTOLOGY_ALIASES, ONTOLOGY_SPLITS } from './data';
import { builtinLabelSets, leafLabelSet, presetLabelSet } from './labels';
import { aliasesOf, buildOntology, getNode, leaves, ontologyNames } from './ontology';
import { resolveAliases, type AliasEntry, type OntologyAliases } from './ontology-aliases';
import { probsByNode, rollUp, type Classification } from './zeroshot';

const tree = buildOntology(ONTOLOGY, ONTOLOGY_SPLITS, ONTOLOGY_ALIASES);
const table = ONTOLOGY_ALIASES;
const entries = Object.entries(table.nodes);

/**
 * Reviewed: single words that name a condition on their own (a diagnosis, or a descriptive term
 * of the 'reaction patterns and descriptive terms' branch such as 'Scar' or 'Xerosis'). A single
 * word that is not here (an adjective left by a comma split, 'Subcutaneous', 'benign') fails.
 */
const SINGLE_WORD_DIAGNOSES = [
  'Abscess', 'Amyloidosis', 'Angiofibroma', 'Angiokeratoma', 'Angioma', 'Callus', 'Candidiasis', 'Cellulitis', 'Cheilitis',
  'Chilblain', 'Condyloma', 'Dermatofibroma', 'Desquamation', 'Ecthyma', 'Eczema', 'Flushing', 'Folliculitis', 'Furuncle',
  'Hemangioma', 'Hyperpigmentation', 'Hypersensitivity', 'Hypertrichosis', 'Ichthyosis', 'Impetigo', 'Intertrigo', 'Keloid',
  'Keratoacanthoma', 'Keratoderma', 'Kerion', 'Koilonychia', 'Lentigo', 'Leukonychia', 'Lipoma', 'Lymphangioma', 'Melanoma',
  'Melasma', 'Milia', 'Miliaria', 'Morphea', 'Mucinosis', 'Mucocele', 'Neurodermatitis', 'Neurofibroma', 'Neurofibromatosis',
  'Onycholysis', 'Onychomycosis', 'Onychoschizia', 'Parapsoriasis', 'Paronychia', 'Phytophotodermatitis', 'Poikiloderma',
  'Porokeratosis', 'Poroma', 'Porphyria', 'Prurigo', 'Pseudorhinophyma', 'Psoriasis', 'PUPPP', 'Pyoderma', 'Radiodermatitis',
  'Rhinophyma', 'Rosacea', 'Sarcoidosis', 'Scabies', 'Scar', 'Scleromyxedema', 'Striae', 'Sunburn', 'Syphilis', 'Syringoma',
  'Tinea', 'Tungiasis', 'Ulcer', 'Urticaria', 'Varicella', 'Vitiligo', 'Xanthelasma', 'Xerosis',
];

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
const words = (s: string) => s.trim().split(/[\s/]+/).filter(Boolean);

/** Every text of an entry a user or the text encoder sees: display name, label names, aliases. */
function textsOf(e: AliasEntry): string[] {
  if ('sameAs' in e) return [];
  const labels = 'labels' in e ? e.labels : [e];
  return [e.name, ...labels.flatMap((l) => [l.name, ...l.aliases])];
}

/** Single-word texts of a table that are not reviewed diagnoses. */
function fragments(t: OntologyAliases, allowed: readonly string[]): string[] {
  const ok = new Set(allowed.map(norm));
  return Object.values(t.nodes).flatMap(textsOf).filter((s) => words(s).length === 1 && !ok.has(norm(s)));
}

/** Aliases carried by more than one label of the table (case- and space-insensitive). */
function sharedAliases(t: OntologyAliases): string[] {
  const owner = new Map<string, string>();
  const shared = new Set<string>();
  for (const [raw, e] of Object.entries(t.nodes)) {
    if ('sameAs' in e) continue;
    const labels = 'labels' in e ? e.labels : [e];
    labels.forEach((l, i) => {
      for (const a of new Set(l.aliases.map(norm))) {
        const me = `${raw}#${i}`;
        if (owner.has(a) && owner.get(a) !== me) shared.add(a);
        else owner.set(a, me);
      }
    });
  }
  return [...shared];
}

describe('the alias table', () => {
  it('has one entry per ontology node and resolves', () => {
    expect(Object.keys(table.nodes).sort()).toEqual([...ontologyNames(ONTOLOGY)].sort());
    expect(() => resolveAliases(ontologyNames(ONTOLOGY), table)).not.toThrow();
  });

  it('refuses tables that do not fit the ontology', () => {
    const names = ['a', 'b', 'c'];
    const ok = { nodes: { a: { name: 'A a', aliases: ['A a'] }, b: { sameAs: 'a' }, c: { name: 'C', labels: [{ name: 'C1', aliases: ['C1'] }] } } };
    expect(resolveAliases(names, ok).get('b')).toEqual({ displayName: 'A a', labels: [{ name: 'A a', aliases: ['A a'] }], group: 'a' });
    expect(() => resolveAliases(['a', 'b', 'c', 'd'], ok)).toThrow(/no entry for 1 ontology node\(s\): "d"/);
    expect(() => resolveAliases(['a', 'b'], ok)).toThrow(/name no ontology node: "c"/);
    expect(() => resolveAliases(names, { nodes: { ...ok.nodes, b: { sameAs: 'zz' } } })).toThrow(/"b" is "sameAs" "zz"/);
    expect(() => resolveAliases(names, { nodes: { ...ok.nodes, b: { sameAs: 'b' } } })).toThrow(/"b" is "sameAs" "b"/);
    expect(() => resolveAliases(names, { nodes: { ...ok.nodes, a: { name: 'A', aliases: [] } } })).toThrow(/"a" needs a non-empty "aliases"/);
    expect(() => resolveAliases(names, { nodes: { ...ok.nodes, a: { name: 'A', aliases: [' A'] } } })).toThrow(/untrimmed alias " A"/);
    expect(() => resolveAliases(names, { nodes: { ...ok.nodes, c: { name: 'C', labels: [] } } })).toThrow(/"c" needs a non-empty "labels"/);
    expect(() => resolveAliases(names, { nodes: { ...ok.nodes, a: { name: '', aliases: ['A'] } } })).toThrow(/"a" needs a non-empty "name"/);
  });

  it('lists every hand edit (vs the generated comma-rule table) with its reason', () => {
    const generated = (raw: string) => {
      const a = aliasesOf(raw);
      return { name: a[0], aliases: a };
    };
    const changes = table.changes ?? [];
    const listed = new Set(changes.flatMap((c) => c.nodes));
    const edited = entries.filter(([raw, e]) => JSON.stringify(e) !== JSON.stringify(generated(raw))).map(([raw]) => raw);
    expect(edited.filter((n) => !listed.has(n)), 'edited but not in "changes"').toEqual([]);
    const mustEdit = changes.filter((c) => c.kind !== 'merge').flatMap((c) => c.nodes);
    expect(mustEdit.filter((n) => !edited.includes(n)), 'in "changes" but not edited').toEqual([]);
    for (const c of changes) {
      expect(c.reason.length, JSON.stringify(c.nodes)).toBeGreaterThan(20);
      expect(['merge', 'split', 'fragment', 'rename', 'alias', 'category', 'display']).toContain(c.kind);
      for (const n of c.nodes) expect(Object.hasOwn(table.nodes, n), n).toBe(true);
    }
    // Every merged node is named by a 'merge' change together with its target.
    for (const [raw, e] of entries) {
      if ('sameAs' in e) expect(changes.some((c) => c.kind === 'merge' && c.nodes.includes(raw) && c.nodes.includes(e.sameAs)), raw).toBe(true);
    }
  });

  it('has no single-word fragment: every one-word name or alias is a reviewed diagnosis', () => {
    expect(fragments(table, SINGLE_WORD_DIAGNOSES)).toEqual([]);
    // The allow-list holds only words in use (a stale entry would hide nothing, but must be reviewed again).
    const used = new Set(Object.values(table.nodes).flatMap(textsOf).map(norm));
    expect(SINGLE_WORD_DIAGNOSES.filter((w) => !used.has(norm(w)))).toEqual([]);
    // The check catches what the comma rule made.
    const fromCommas: OntologyAliases = { nodes: Object.fromEntries([...ontologyNames(ONTOLOGY)].map((n) => [n, { name: aliasesOf(n)[0], aliases: aliasesOf(n) }])) };
    expect(fragments(fromCommas, SINGLE_WORD_DIAGNOSES)).toEqual(expect.arrayContaining(['Subcutaneous', 'benign', 'malignant', 'exogenous', 'cysts']));
  });

  it('shares no alias between two labels', () => {
    expect(sharedAliases(table)).toEqual([]);
    const fromCommas: OntologyAliases = { nodes: Object.fromEntries([...ontologyNames(ONTOLOGY)].map((n) => [n, { name: aliasesOf(n)[0], aliases: aliasesOf(n) }])) };
    expect(sharedAliases(fromCommas).sort()).toEqual(['condyloma acuminatum', 'cutaneous sarcoidosis', 'hyperkeratosis palmaris et plantaris']);
    for (const s of builtinLabelSets(tree).filter((x) => x.kind === 'ontology')) {
      const names = s.labels.map((l) => norm(l.name));
      expect(names.filter((n, i) => names.indexOf(n) !== i), `${s.id}: duplicate label names`).toEqual([]);
      const aliases = s.labels.flatMap((l) => [...new Set(l.aliases.map(norm))]);
      expect(aliases.filter((a, i) => aliases.indexOf(a) !== i), `${s.id}: shared aliases`).toEqual([]);
    }
  });
});

const TWINS: [string, string, string][] = [
  ['Condyloma acuminatum', 'inflammatory/infectious/viral/Condyloma acuminatum, Condyloma', 'proliferations/benign/non-melanocytic/Verruca vulgaris/Condyloma acuminatum'],
  ['Sarcoidosis', 'inflammatory/non-infectious/Sarcoidosis, Cutaneous sarcoidosis', 'proliferations/benign/non-melanocytic/Cutaneous sarcoidosis'],
  ['Palmoplantar keratoderma', 'hereditary/Keratoderma, Hyperkeratosis palmaris et plantaris', 'reaction patterns and descriptive terms/Hyperkeratosis palmaris et plantaris'],
];

/** A classification of `labels` with the given probabilities. */
const classification = (labels: ReturnType<typeof leafLabelSet>['labels'], probs: number[]): Classification => ({
  probs: Float32Array.from(probs),
  logits: new Float32Array(probs.length),
  ranked: labels.map((label, index) => ({ label, index, prob: probs[index], logit: 0 })),
});

describe('the default differential (all leaves)', () => {
  const set = leafLabelSet(tree);

  it('gives each known twin pair one label standing for both nodes', () => {
    for (const [name, a, b] of TWINS) {
      const hits = set.labels.filter((l) => l.nodeIds?.includes(a) || l.nodeIds?.includes(b) || l.nodeId === a || l.nodeId === b);
      expect(hits.map((l) => l.name), name).toEqual([name]);
      expect(hits[0].nodeIds).toEqual([a, b]);
      expect(getNode(tree, a).isLeaf && getNode(tree, b).isLeaf).toBe(true);
    }
  });

  it('covers every leaf node exactly once, and the roll-up gives each its share', () => {
    const covered = set.labels.flatMap((l) => l.nodeIds ?? [l.nodeId!]);
    const leafIds = leaves(tree).map((n) => n.id);
    expect([...new Set(covered)].sort()).toEqual([...leafIds].sort());
    // A split node is covered by several labels (one per diagnosis); nothing else twice.
    const twice = covered.filter((id, i) => covered.indexOf(id) !== i);
    expect(twice.every((id) => getNode(tree, id).labels.length > 1)).toBe(true);

    const probs = set.labels.map((_, i) => (i + 1) / ((set.labels.length * (set.labels.length + 1)) / 2));
    const byNode = probsByNode(classification(set.labels, probs));
    const rolled = rollUp(byNode, tree);
    expect(rolled.get('root')).toBeCloseTo(1, 9);
    for (const id of leafIds) expect(byNode.get(id), id).toBeGreaterThan(0);
    for (const [name, a, b] of TWINS) {
      const p = probs[set.labels.findIndex((l) => l.name === name)];
      expect(byNode.get(a)! + byNode.get(b)!, name).toBeCloseTo(p, 12);
      expect(byNode.get(a)).toBeCloseTo(p / 2, 12);
    }
    const melasma = 'proliferations/benign/melanocytic/Melasma, Lentigo';
    const split = set.labels.map((l, i) => [l, probs[i]] as const).filter(([l]) => l.nodeId === melasma);
    expect(split.map(([l]) => l.name)).toEqual(['Melasma', 'Lentigo']);
    expect(byNode.get(melasma)).toBeCloseTo(split[0][1] + split[1][1], 12);
  });

  it('matches the count in the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    const m = /\((\d+) leaves as (\d+) labels/.exec(readme);
    expect(m, 'README: "(<n> leaves as <m> labels"').not.toBeNull();
    expect(Number(m![1])).toBe(leaves(tree).length);
    expect(Number(m![2])).toBe(set.labels.length);
  });

  it('maps preset classes onto merged nodes', () => {
    const f17k = presetLabelSet('preset:f17k', tree);
    expect(f17k.labels.find((l) => l.name === 'sarcoidosis')?.nodeIds).toEqual([TWINS[1][1], TWINS[1][2]]);
    expect(f17k.labels.find((l) => l.name === 'neurodermatitis')?.nodeIds).toEqual(['inflammatory/non-infectious/Eczema/Lichen simplex chronicus, ', 'inflammatory/non-infectious/Eczema/Neurodermatitis']);
    const ham = presetLabelSet('preset:ham', tree);
    expect(ham.labels.find((l) => l.name === 'melanoma')).toMatchObject({ nodeId: 'proliferations/malignant/melanocytic/Malignant melanoma, melanoma' });
    expect(ham.labels.find((l) => l.name === 'melanoma')?.nodeIds).toBeUndefined();
  });
});
