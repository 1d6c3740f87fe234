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

export interface BranchStep {
  id: string;
  name: string;
  prob: number;
}

/** The path from a top-level branch down to a node, each step with its rolled-up probability. */
export function branchPath(tree: OntologyTree, rolled: ReadonlyMap<string, number>, nodeId: string): BranchStep[] {
  const path: BranchStep[] = [];
  for (let n = tree.nodes.get(nodeId); n && n.parentId; n = tree.nodes.get(n.parentId)) path.unshift({ id: n.id, name: n.displayName, prob: rolled.get(n.id) ?? 0 });
  return path;
}
