import { describe, expect, it } from 'vitest';
import { ONTOLOGY, ONTOLOGY_ALIASES, ONTOLOGY_SPLITS } from './data';
import { aliasesOf, ancestorUnder, ancestry, buildOntology, getNode, leaves, nodesAtDepth, sharedNames } from './ontology';

describe('aliasesOf', () => {
  it('follows the bundle-format rule', () => {
    expect(aliasesOf('Malignant melanoma, melanoma')).toEqual(['Malignant melanoma', 'melanoma']);
    expect(aliasesOf('Lichen simplex chronicus, ')).toEqual(['Lichen simplex chronicus']);
    expect(aliasesOf('Chronic dermatitis, NOS')).toEqual(['Chronic dermatitis']);
    expect(aliasesOf("Transient acantholytic dermatosis, Grover's disease, Transient acantholytic dermatosis")).toEqual(['Transient acantholytic dermatosis', "Grover's disease"]);
    expect(aliasesOf('Nail diseases, nail disease')).toEqual(['Nail diseases', 'nail disease']);
    expect(aliasesOf('Cutaneous T-cell lymphoma, cutaneous t cell lymphoma')).toEqual(['Cutaneous T-cell lymphoma', 'cutaneous t cell lymphoma']);
    expect(aliasesOf('A, a, NOS,')).toEqual(['A']);
  });
});

describe('ontology splits', () => {
  it('assign every merged child exactly once, and only real children', () => {
    const shared = sharedNames(ONTOLOGY);
    expect([...shared.keys()].sort()).toEqual(Object.keys(ONTOLOGY_SPLITS.shared).sort());
    for (const [name, parents] of shared) {
      const split = ONTOLOGY_SPLITS.shared[name];
      expect(Object.keys(split).sort()).toEqual([...parents].sort());
      const assigned = Object.values(split).flat();
      expect(new Set(assigned).size, `${name}: a child assigned twice`).toBe(assigned.length);
      expect([...assigned].sort(), `${name}: assigned vs merged children`).toEqual([...ONTOLOGY[name]].sort());
    }
  });
});

describe('buildOntology', () => {
  const tree = buildOntology(ONTOLOGY, ONTOLOGY_SPLITS);

  it('builds path ids under the top-level branches', () => {
    expect(tree.root.children).toEqual(ONTOLOGY.root);
    const mal = getNode(tree, 'proliferations/malignant/melanocytic');
    expect(mal.depth).toBe(3);
    expect(mal.parentId).toBe('proliferations/malignant');
    expect(mal.children.map((id) => getNode(tree, id).displayName)).toEqual(['Lentigo maligna melanoma', 'Malignant melanoma', 'Superficial spreading melanoma SSM']);
    const ben = getNode(tree, 'proliferations/benign/non-melanocytic');
    expect(ben.children.some((id) => id.endsWith('/Basal cell carcinoma'))).toBe(false);
    expect(getNode(tree, 'proliferations/malignant/non-melanocytic').children.length).toBe(9);
  });
  it('puts melanoma only under malignant and nevi only under benign', () => {
    expect(tree.byName.get('Malignant melanoma, melanoma')).toEqual(['proliferations/malignant/melanocytic/Malignant melanoma, melanoma']);
    expect(tree.byName.get('Blue nevus')).toEqual(['proliferations/benign/melanocytic/Blue nevus']);
    expect(tree.byName.get("Kaposi's sarcoma of skin")).toEqual(['proliferations/malignant/non-melanocytic/Kaposi sarcoma/Kaposi\'s sarcoma of skin']);
  });
  it('reaches every dict entry, with consistent leaves and depths', () => {
    const names = new Set([...tree.nodes.values()].map((n) => n.name));
    for (const k of Object.keys(ONTOLOGY)) expect(names.has(k), k).toBe(true);
    for (const n of tree.nodes.values()) {
      expect(n.isLeaf).toBe(n.children.length === 0);
      for (const c of n.children) expect(getNode(tree, c).depth).toBe(n.depth + 1);
      expect(n.displayName).toBe(n.aliases[0]);
    }
    const ls = leaves(tree);
    expect(ls.length).toBeGreaterThan(250);
    expect(new Set(ls.map((l) => l.id)).size).toBe(ls.length);
    expect(nodesAtDepth(tree, 1).map((n) => n.name)).toEqual(ONTOLOGY.root);
  });
  it('takes names, labels and groups from the alias table', () => {
    const t = buildOntology(ONTOLOGY, ONTOLOGY_SPLITS, ONTOLOGY_ALIASES);
    expect([...t.nodes.keys()]).toEqual([...tree.nodes.keys()]);
    const sub = getNode(t, 'inflammatory/infectious/fungal/Subcutaneous%2FDeep fungal infection, deep fungal infection, Subcutaneous');
    expect(sub.aliases).toEqual(['Subcutaneous/Deep fungal infection', 'deep fungal infection', 'Subcutaneous fungal infection']);
    expect(sub.displayName).toBe('Subcutaneous or deep fungal infection');
    const mel = getNode(t, 'proliferations/benign/melanocytic/Melasma, Lentigo');
    expect(mel.labels.map((l) => l.name)).toEqual(['Melasma', 'Lentigo']);
    expect(mel.aliases).toEqual(['Melasma', 'Lentigo']);
    const twin = getNode(t, 'proliferations/benign/non-melanocytic/Cutaneous sarcoidosis');
    expect(twin).toMatchObject({ group: 'Sarcoidosis, Cutaneous sarcoidosis', displayName: 'Sarcoidosis', aliases: ['Sarcoidosis', 'Cutaneous sarcoidosis'] });
    expect(getNode(t, 'proliferations/malignant/melanocytic').group).toBe('melanocytic');
    expect(() => buildOntology({ root: ['a'], a: ['b'] }, undefined, { nodes: { a: { name: 'A a', aliases: ['A a'] } } })).toThrow(/no entry for 1 ontology node\(s\): "b"/);
  });
  it('gives a name reached in two places two nodes (no splits)', () => {
    const merged = buildOntology(ONTOLOGY);
    expect(merged.byName.get('Malignant melanoma, melanoma')).toEqual([
      'proliferations/benign/melanocytic/Malignant melanoma, melanoma',
      'proliferations/malignant/melanocytic/Malignant melanoma, melanoma',
    ]);
    const small = buildOntology({ root: ['a', 'b'], a: ['x', 'y/z'], b: ['x'], x: [], 'y/z': ['a'] });
    expect(small.byName.get('x')).toEqual(['a/x', 'b/x']);
    expect(getNode(small, 'a/y%2Fz').isLeaf).toBe(true); // cycle a -> y/z -> a is cut
    expect(ancestry(small, 'a/y%2Fz')).toEqual(['a', 'a/y%2Fz']);
    expect(ancestorUnder(small, 'a/y%2Fz', 'root')).toBe('a');
    expect(ancestorUnder(small, 'b/x', 'a')).toBeUndefined();
  });
});
