/**
 * Label sets the user can rank an image against: the ontology (all leaves, one top-level branch,
 * one level or the children of a node), the published benchmark class lists (presets), and custom
 * lists pasted by the user.
 */
import { DERM1M_META, PANDERM_META } from './data';
import { parseCustomLabelList } from './custom-labels';
import { AppError } from './errors';
import { getNode, leaves, nodesAtDepth, ROOT_ID, type OntologyNode, type OntologyTree } from './ontology';
import type { Label } from './prompts';

export type { Label };

export interface LabelSet {
  id: string;
  name: string;
  kind: 'ontology' | 'preset' | 'custom';
  labels: Label[];
  /** For presets: where the class list comes from. */
  source?: string;
}

/**
 * The labels of some nodes, in node order (src/core/ontology-aliases.json). Nodes of one group
 * (near-duplicates merged with `sameAs`) give one label, placed at the first of them, standing for
 * all of them (`nodeIds`); a node listing distinct diagnoses gives one label per diagnosis, ids
 * '<node id>#<i>', all on that node. Otherwise a label's id is its node's id.
 */
export function labelsForNodes(nodes: readonly OntologyNode[]): Label[] {
  const groups = new Map<string, OntologyNode[]>();
  for (const n of nodes) groups.set(n.group, [...(groups.get(n.group) ?? []), n]);
  const out: Label[] = [];
  for (const [first, ...rest] of groups.values()) {
    first.labels.forEach((l, i) => {
      const label: Label = { id: first.labels.length > 1 ? `${first.id}#${i}` : first.id, name: l.name, aliases: [...l.aliases], nodeId: first.id };
      if (rest.length) label.nodeIds = [first.id, ...rest.map((n) => n.id)];
      out.push(label);
    });
  }
  return out;
}

/** Every leaf of the ontology: one label per diagnosis, near-duplicate leaves merged. */
export function leafLabelSet(tree: OntologyTree): LabelSet {
  return { id: 'ontology:leaves', name: 'All diagnoses (ontology leaves)', kind: 'ontology', labels: labelsForNodes(leaves(tree)) };
}

/** The leaves under one top-level branch ('ontology:branch:<name>'). */
export function branchLabelSet(tree: OntologyTree, branchId: string): LabelSet {
  const b = getNode(tree, branchId);
  return { id: `ontology:branch:${b.id}`, name: `${b.displayName}: all diagnoses`, kind: 'ontology', labels: labelsForNodes(leaves(tree, b.id)) };
}

/** All nodes at a depth (1 = top-level branches), prompted by their own names. */
export function depthLabelSet(tree: OntologyTree, depth: number): LabelSet {
  return { id: `ontology:depth:${depth}`, name: `Ontology level ${depth}`, kind: 'ontology', labels: labelsForNodes(nodesAtDepth(tree, depth)) };
}

/** The children of a node, e.g. 'proliferations' -> benign / cysts / malignant. */
export function childrenLabelSet(tree: OntologyTree, nodeId: string): LabelSet {
  const n = getNode(tree, nodeId);
  const name = nodeId === ROOT_ID ? 'Top-level branches' : `${n.displayName}: subtypes`;
  return { id: `ontology:children:${nodeId}`, name, kind: 'ontology', labels: labelsForNodes(n.children.map((c) => getNode(tree, c))) };
}

export interface PresetInfo {
  id: string;
  name: string;
  key: string;
  meta: 'Derm1M' | 'PanDerm-X';
}

export const PRESETS: readonly PresetInfo[] = [
  { id: 'preset:pad', name: 'PAD-UFES-20 (6 classes)', key: 'PAD_CLASSNAMES', meta: 'Derm1M' },
  { id: 'preset:ham', name: 'HAM10000 (7 classes)', key: 'HAM_CLASSNAMES', meta: 'Derm1M' },
  { id: 'preset:f17k', name: 'Fitzpatrick17k (113 diseases)', key: 'F17K_DISEASE_113_CLASSES', meta: 'Derm1M' },
  { id: 'preset:daffodil', name: 'Daffodil (5 classes)', key: 'DAFFODIL_5_CLASSNAMES', meta: 'Derm1M' },
  { id: 'preset:snu134', name: 'SNU-134', key: 'SNU_134_CLASSNAMES', meta: 'PanDerm-X' },
  { id: 'preset:sd128', name: 'SD-128', key: 'SD_128_CLASSNAMES', meta: 'PanDerm-X' },
  { id: 'preset:dermnet', name: 'DermNet (23 categories)', key: 'DERMNET_CLASSNAMES', meta: 'PanDerm-X' },
];

/**
 * Lower-cased alias -> ids of the nodes it stands for: the first node (tree order) carrying it,
 * with the near-duplicates merged into its label (same `group`).
 */
export function aliasIndex(tree: OntologyTree): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const n of tree.nodes.values()) if (n.id !== ROOT_ID) groups.set(n.group, [...(groups.get(n.group) ?? []), n.id]);
  const idx = new Map<string, string[]>();
  for (const n of tree.nodes.values()) {
    if (n.id === ROOT_ID) continue;
    for (const a of n.aliases) if (!idx.has(a.toLowerCase())) idx.set(a.toLowerCase(), groups.get(n.group)!);
  }
  return idx;
}

/** A preset class list, in label-index order; classes named like an ontology node get its nodeId. */
export function presetLabelSet(id: string, tree?: OntologyTree): LabelSet {
  const p = PRESETS.find((x) => x.id === id);
  if (!p) throw new AppError('input-invalid', `Unknown label set "${id}".`);
  const classes = (p.meta === 'Derm1M' ? DERM1M_META : PANDERM_META)[p.key];
  const idx = tree ? aliasIndex(tree) : undefined;
  const labels = classes.map((c, i): Label => {
    const label: Label = { id: `${p.id}#${i}`, name: c, aliases: [c] };
    const ids = idx?.get(c.toLowerCase());
    if (ids) label.nodeId = ids[0];
    if (ids && ids.length > 1) label.nodeIds = [...ids];
    return label;
  });
  return { id: p.id, name: p.name, kind: 'preset', labels, source: `zero_shot_metadata.${p.meta}.json ${p.key}` };
}

/** A pasted list (core/custom-labels.ts: format, cleaning and limits) as a label set. */
export function parseCustomLabels(text: string, setName = 'Custom labels'): LabelSet {
  return { id: 'custom', name: setName, kind: 'custom', labels: parseCustomLabelList(text).labels };
}

/** The built-in label sets: all leaves, one per top-level branch, level 1, benign vs malignant, presets. */
export function builtinLabelSets(tree: OntologyTree): LabelSet[] {
  const sets = [leafLabelSet(tree), ...tree.root.children.map((b) => branchLabelSet(tree, b)), depthLabelSet(tree, 1)];
  if (tree.nodes.has('proliferations')) sets.push(childrenLabelSet(tree, 'proliferations'));
  return [...sets, ...PRESETS.map((p) => presetLabelSet(p.id, tree))];
}
