/**
 * The Derm1M ontology as a proper tree.
 *
 * data/derm1m/ontology.json is a dict name -> child names, 'root' listing the top-level branches.
 * A name reached from two parents is one dict entry, so its children are merged: 'melanocytic'
 * and 'non-melanocytic' sit under both 'benign' and 'malignant' (under 'proliferations') with one
 * shared list. We split them with the curated src/core/ontology-splits.json (shared name -> parent
 * name -> its children); a shared name missing from it keeps the full list under every parent.
 *
 * Node ids are paths of raw names from the top-level branch down, joined by '/', e.g.
 * 'proliferations/malignant/melanocytic' (a '/' or '%' inside a name is written %2F / %25), so a
 * name reached in two places gives two nodes. The root has id 'root' and depth 0.
 *
 * Names and aliases come from the curated table src/core/ontology-aliases.json
 * (src/core/ontology-aliases.ts, docs/ontology-aliases.md) when one is passed. Without it (small
 * test trees) the mechanical comma rule applies (`aliasesOf`), which is also what the table was
 * generated from: split the raw name on ',', trim, drop empty parts and 'NOS', drop
 * case-insensitive duplicates keeping the first; the first alias is the display name.
 */
import type { OntologyJson, OntologySplits } from './data';
import { resolveAliases, type AliasLabel, type OntologyAliases, type ResolvedAliases } from './ontology-aliases';

export type { AliasLabel, OntologyAliases };

export interface OntologyNode {
  id: string;
  /** The raw ontology.json name. */
  name: string;
  displayName: string;
  /** Every alias of the node's label(s). */
  aliases: string[];
  /** The label(s) the node is ranked by: one, or several when the node lists distinct diagnoses. */
  labels: AliasLabel[];
  /** Raw name of the node whose label(s) this one shares (itself, unless merged as a near-duplicate). */
  group: string;
  parentId: string | null;
  /** Child ids, in ontology.json order. */
  children: string[];
  depth: number;
  isLeaf: boolean;
}

export interface OntologyTree {
  root: OntologyNode;
  nodes: Map<string, OntologyNode>;
  /** Raw name -> ids of every node with that name. */
  byName: Map<string, string[]>;
}

export const ROOT_ID = 'root';

export function aliasesOf(name: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of name.split(',')) {
    const a = part.trim();
    if (!a || a === 'NOS') continue;
    const key = a.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out.length ? out : [name.trim() || name];
}

const segment = (name: string) => name.replace(/%/g, '%25').replace(/\//g, '%2F');

/** Names reached from more than one parent. */
export function sharedNames(json: OntologyJson): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const [parent, children] of Object.entries(json)) for (const c of children) parents.set(c, [...(parents.get(c) ?? []), parent]);
  return new Map([...parents].filter(([, p]) => p.length > 1));
}

/** Every name of the dict except 'root': its keys and the children not listed as keys. */
export function ontologyNames(json: OntologyJson): Set<string> {
  const out = new Set(Object.keys(json));
  for (const children of Object.values(json)) for (const c of children) out.add(c);
  out.delete('root');
  return out;
}

function commaRule(name: string): ResolvedAliases {
  const aliases = aliasesOf(name);
  return { displayName: aliases[0], labels: [{ name: aliases[0], aliases }], group: name };
}

export function buildOntology(json: OntologyJson, splits: OntologySplits = { shared: {} }, aliasTable?: OntologyAliases): OntologyTree {
  const nodes = new Map<string, OntologyNode>();
  const byName = new Map<string, string[]>();
  const resolved = aliasTable ? resolveAliases(ontologyNames(json), aliasTable) : undefined;
  const root: OntologyNode = {
    id: ROOT_ID, name: 'root', displayName: 'All', aliases: ['All'], labels: [{ name: 'All', aliases: ['All'] }], group: 'root',
    parentId: null, children: [], depth: 0, isLeaf: false,
  };
  nodes.set(ROOT_ID, root);

  const childrenOf = (name: string, parentName: string): string[] => {
    const all = json[name] ?? [];
    const split = splits.shared[name]?.[parentName];
    return split ? all.filter((c) => split.includes(c)) : all;
  };

  const visit = (name: string, parent: OntologyNode, parentName: string, onPath: Set<string>) => {
    const id = parent === root ? segment(name) : `${parent.id}/${segment(name)}`;
    if (nodes.has(id)) return; // a name listed twice under one parent
    const r = resolved?.get(name) ?? commaRule(name);
    const aliases = [...new Set(r.labels.flatMap((l) => l.aliases))];
    const node: OntologyNode = {
      id, name, displayName: r.displayName, aliases, labels: r.labels, group: r.group,
      parentId: parent.id, children: [], depth: parent.depth + 1, isLeaf: true,
    };
    nodes.set(id, node);
    byName.set(name, [...(byName.get(name) ?? []), id]);
    parent.children.push(id);
    parent.isLeaf = false;
    onPath.add(name);
    for (const c of childrenOf(name, parentName)) if (!onPath.has(c)) visit(c, node, name, onPath);
    onPath.delete(name);
  };
  for (const top of json.root ?? []) visit(top, root, 'root', new Set(['root']));
  return { root, nodes, byName };
}

export function getNode(tree: OntologyTree, id: string): OntologyNode {
  const n = tree.nodes.get(id);
  if (!n) throw new Error(`unknown ontology node ${id}`);
  return n;
}

export function leaves(tree: OntologyTree, under: string = ROOT_ID): OntologyNode[] {
  const out: OntologyNode[] = [];
  const walk = (id: string) => {
    const n = getNode(tree, id);
    if (n.isLeaf) out.push(n);
    else n.children.forEach(walk);
  };
  walk(under);
  return out;
}

/** Nodes at a depth (1 = top-level branches), in tree order. */
export function nodesAtDepth(tree: OntologyTree, depth: number): OntologyNode[] {
  return [...tree.nodes.values()].filter((n) => n.depth === depth);
}

/** Ids from the top-level branch down to the node (root excluded). */
export function ancestry(tree: OntologyTree, id: string): string[] {
  const out: string[] = [];
  for (let n: OntologyNode | undefined = getNode(tree, id); n && n.id !== ROOT_ID; n = n.parentId ? tree.nodes.get(n.parentId) : undefined) out.unshift(n.id);
  return out;
}

/** The ancestor of `id` (or itself) whose parent is `levelParent`; undefined if not under it. */
export function ancestorUnder(tree: OntologyTree, id: string, levelParent: string): string | undefined {
  for (let n: OntologyNode | undefined = tree.nodes.get(id); n; n = n.parentId ? tree.nodes.get(n.parentId) : undefined) if (n.parentId === levelParent) return n.id;
  return undefined;
}
