/**
 * The ontology as a tree of rolled-up probabilities for display, and which branches start open
 * (the path to the most likely leaf).
 */
import type { OntologyTree } from './ontology';

export interface TreeItem {
  id: string;
  name: string;
  prob: number;
  children: TreeItem[];
}

/** Every branch under the root, each node with its rolled-up probability (0 when absent). */
export function buildTree(tree: OntologyTree, rolled: ReadonlyMap<string, number>): TreeItem[] {
  const make = (id: string): TreeItem => {
    const n = tree.nodes.get(id)!;
    return { id, name: n.displayName, prob: rolled.get(id) ?? 0, children: n.children.map(make) };
  };
  return tree.root.children.map(make);
}

/** The ancestors of the most likely leaf: the branches that start open. */
export function openPath(tree: OntologyTree, rolled: ReadonlyMap<string, number>): Set<string> {
  const open = new Set<string>();
  let best: string | undefined;
  let bestP = -1;
  for (const [id, p] of rolled) {
    if (tree.nodes.get(id)?.isLeaf && p > bestP) {
      best = id;
      bestP = p;
    }
  }
  for (let n = best ? tree.nodes.get(best) : undefined; n?.parentId; n = tree.nodes.get(n.parentId)) open.add(n.parentId);
  return open;
}
