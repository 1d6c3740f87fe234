import { describe, expect, it } from 'vitest';
import { branchPath, buildTree, openPath } from './hierarchy-tree';
import { ONTOLOGY, ONTOLOGY_SPLITS } from './data';
import { ancestry, buildOntology, ROOT_ID } from './ontology';
import { rollUp } from './zeroshot';

const tree = buildOntology(ONTOLOGY, ONTOLOGY_SPLITS);

describe('hierarchy tree', () => {
  const leafIds = [...tree.nodes.values()].filter((n) => n.isLeaf).map((n) => n.id);
  it('mirrors the ontology with rolled-up probabilities', () => {
    const rolled = new Map(leafIds.map((id, i) => [id, (i + 1) / 1000]));
    const roots = buildTree(tree, rolled);
    expect(roots.length).toBe(tree.root.children.length);
    const count = (items: ReturnType<typeof buildTree>): number => items.reduce((n, t) => n + 1 + count(t.children), 0);
    expect(count(roots)).toBe(tree.nodes.size - 1);
    const leaves: number[] = [];
    const walk = (items: ReturnType<typeof buildTree>) => items.forEach((t) => (t.children.length ? walk(t.children) : leaves.push(t.prob)));
    walk(roots);
    expect(leaves.sort()).toEqual(leafIds.map((_, i) => (i + 1) / 1000).sort());
  });
  it('opens the ancestors of the most likely leaf only', () => {
    const best = leafIds[leafIds.length - 1];
    const rolled = new Map(leafIds.map((id) => [id, id === best ? 0.9 : 0.01]));
    const open = openPath(tree, rolled);
    const ancestors: string[] = [];
    for (let n = tree.nodes.get(best); n?.parentId; n = tree.nodes.get(n.parentId)) ancestors.push(n.parentId);
    expect([...open].sort()).toEqual(ancestors.sort());
    expect(open.has(ROOT_ID)).toBe(true);
    expect(openPath(tree, new Map()).size).toBe(0);
  });
  it('gives the branch of a node from its top-level ancestor down, with rolled-up probabilities', () => {
    const leaf = leafIds[7];
    const rolled = rollUp(new Map([[leaf, 0.6], [leafIds[leafIds.length - 1], 0.4]]), tree);
    const path = branchPath(tree, rolled, leaf);
    expect(path.map((p) => p.id)).toEqual(ancestry(tree, leaf));
    expect(path.at(-1)).toMatchObject({ id: leaf, prob: 0.6 });
    expect(path[0].prob).toBeGreaterThanOrEqual(0.6);
    path.slice(1).forEach((p, i) => expect(path[i].prob).toBeGreaterThanOrEqual(p.prob));
    expect(branchPath(tree, rolled, 'no such node')).toEqual([]);
  });
});
