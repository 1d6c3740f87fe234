import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ONTOLOGY, ONTOLOGY_ALIASES, ONTOLOGY_SPLITS, OPENAI_SKIN_TEMPLATES } from './data';
import { AppError } from './errors';
import { branchLabelSet, builtinLabelSets, childrenLabelSet, depthLabelSet, leafLabelSet, parseCustomLabels, presetLabelSet, PRESETS } from './labels';
import { buildOntology } from './ontology';
import { conceptDisplayName, conceptPromptList, concepts, fillTemplate, promptsForLabel, promptsForLabels, TEMPLATE_SETS } from './prompts';

const tree = buildOntology(ONTOLOGY, ONTOLOGY_SPLITS, ONTOLOGY_ALIASES);

describe('prompts', () => {
  it('fills templates like Python str.replace', () => {
    expect(fillTemplate('This is a skin image of {}', 'melanoma')).toBe('This is a skin image of melanoma');
    expect(fillTemplate('{} and {}', '$&')).toBe('$& and $&');
  });
  it('builds templates x aliases', () => {
    const p = promptsForLabel({ aliases: ['Malignant melanoma', 'melanoma'] }, TEMPLATE_SETS['openai-skin'].templates);
    expect(p.length).toBe(16);
    expect(p[0]).toBe('This is a skin image of Malignant melanoma');
    expect(p[8]).toBe('This is a skin image of melanoma');
    expect(TEMPLATE_SETS['derm1m-disease'].templates.length).toBe(9);
    expect(promptsForLabels([{ aliases: ['a'] }, { aliases: ['a', 'b'] }], ['{}'])).toEqual(['a', 'b']);
  });
  it('names concepts', () => {
    expect(conceptDisplayName('brown(hyperpigmentation)')).toBe('Brown (hyperpigmentation)');
    expect(concepts().length).toBe(64);
    expect(conceptPromptList().length).toBeGreaterThan(64 * 6);
  });
});

describe('label sets', () => {
  it('has one label per leaf with all its aliases', () => {
    const s = leafLabelSet(tree);
    const mel = s.labels.find((l) => l.name === 'Malignant melanoma')!;
    expect(mel.aliases).toEqual(['Malignant melanoma', 'melanoma']);
    expect(mel.nodeId).toBe('proliferations/malignant/melanocytic/Malignant melanoma, melanoma');
    expect(mel.id).toBe(mel.nodeId);
    expect(new Set(s.labels.map((l) => l.id)).size).toBe(s.labels.length);
    const lm = s.labels.filter((l) => l.nodeId === 'proliferations/malignant/melanocytic/Lentigo maligna melanoma, Lentigo maligna');
    expect(lm.map((l) => [l.id.split('#')[1], l.name, l.aliases])).toEqual([['0', 'Lentigo maligna melanoma', ['Lentigo maligna melanoma']], ['1', 'Lentigo maligna', ['Lentigo maligna']]]);
    // Without the alias table, the comma rule: one label per leaf.
    expect(leafLabelSet(buildOntology(ONTOLOGY, ONTOLOGY_SPLITS)).labels.length).toBe(317);
    expect(s.labels.length).toBe(304);
  });
  it('has branch, depth and children sets', () => {
    const b = branchLabelSet(tree, 'proliferations');
    expect(b.id).toBe('ontology:branch:proliferations');
    expect(b.labels.every((l) => l.nodeId!.startsWith('proliferations/'))).toBe(true);
    expect(depthLabelSet(tree, 1).labels.map((l) => l.name)).toEqual([
      'Hair diseases', 'Nail diseases', 'Exogenous skin disorders', 'Hereditary skin disorders', 'Inflammatory skin diseases',
      'Proliferations (skin growths)', 'Reaction patterns and descriptive terms',
    ]);
    expect(depthLabelSet(tree, 1).labels[5]).toMatchObject({ id: 'proliferations', nodeId: 'proliferations', aliases: ['Skin growths', 'Skin proliferations'] });
    expect(childrenLabelSet(tree, 'proliferations').labels.map((l) => l.name)).toEqual(['Benign skin lesions', 'Skin cysts', 'Malignant skin lesions']);
    expect(childrenLabelSet(tree, 'proliferations/malignant').labels.map((l) => l.name)).toEqual(['Melanocytic lesions', 'Non-melanocytic lesions']);
    // A branch set holds only its own twin: the label stands for that one node.
    const sarc = b.labels.find((l) => l.nodeId === 'proliferations/benign/non-melanocytic/Cutaneous sarcoidosis')!;
    expect(sarc).toMatchObject({ name: 'Sarcoidosis', aliases: ['Sarcoidosis', 'Cutaneous sarcoidosis'] });
    expect(sarc.nodeIds).toBeUndefined();
  });
  it('has the presets in label-index order', () => {
    const ham = presetLabelSet('preset:ham', tree);
    expect(ham.labels.length).toBe(7);
    expect(ham.labels[0]).toMatchObject({ id: 'preset:ham#0', name: 'actinic keratosis', aliases: ['actinic keratosis'] });
    expect(ham.labels.find((l) => l.name === 'melanoma')?.nodeId).toBe('proliferations/malignant/melanocytic/Malignant melanoma, melanoma');
    expect(presetLabelSet('preset:f17k').labels.length).toBe(114);
    expect(presetLabelSet('preset:snu134').labels.length).toBe(134);
    expect(presetLabelSet('preset:sd128').labels.length).toBe(128);
    expect(presetLabelSet('preset:dermnet').labels.length).toBe(23);
    expect(() => presetLabelSet('preset:nope')).toThrow(AppError);
  });
  it('parses custom lists', () => {
    expect(parseCustomLabels('melanoma\nnevus\n\n  Melanoma \n').labels.map((l) => l.name)).toEqual(['melanoma', 'nevus']);
    expect(parseCustomLabels('a, b; c').labels.map((l) => l.name)).toEqual(['a', 'b', 'c']);
    expect(parseCustomLabels('melanoma | malignant melanoma\nnevus').labels[0].aliases).toEqual(['melanoma', 'malignant melanoma']);
    expect(() => parseCustomLabels(' \n ,; ')).toThrow(/empty/);
    expect(() => parseCustomLabels('melanoma')).toThrow(/only one label/);
    expect(() => parseCustomLabels(`a\n${'x'.repeat(201)}`)).toThrow(/201 characters long; the limit is 200/);
  });
});

describe('drift guard: prompts built here vs the bundle prompts.json', () => {
  it('finds every built-in and concept prompt precomputed', (ctx) => {
    const path = 'public/models/demo-tiny/prompts.json';
    if (!existsSync(path)) {
      console.warn(`skipped: ${path} not built yet`);
      return ctx.skip();
    }
    const shipped = new Set((JSON.parse(readFileSync(path, 'utf8')) as { prompts: string[] }).prompts);
    const ours = new Set<string>();
    for (const n of tree.nodes.values()) if (n.id !== 'root') promptsForLabel(n, OPENAI_SKIN_TEMPLATES).forEach((p) => ours.add(p));
    for (const s of builtinLabelSets(tree)) promptsForLabels(s.labels, OPENAI_SKIN_TEMPLATES).forEach((p) => ours.add(p));
    conceptPromptList().forEach((p) => ours.add(p));
    const missing = [...ours].filter((p) => !shipped.has(p));
    expect(missing.slice(0, 10)).toEqual([]);
    // And nothing shipped that the app never builds (e.g. prompts of aliases the table dropped).
    const unused = [...shipped].filter((p) => !ours.has(p));
    expect(unused.slice(0, 10)).toEqual([]);
    console.log(`prompts: ${ours.size} built here, ${shipped.size} shipped`);
    expect(PRESETS.length).toBe(7);
  });
});
