import { memo, useEffect, useState, type ReactNode } from 'react';
import { ProbabilityBar, formatProb } from '../../components/ProbabilityBar';
import type { TreeItem } from '../../core/hierarchy-tree';

/**
 * The ontology with probabilities rolled up from the leaves. Native <details> elements: Tab and
 * Enter/Space open and close branches, and screen readers announce expanded state. A closed
 * branch renders no children: the tree has ~500 nodes, and a new case must show at once.
 */
export const HierarchyView = memo(function HierarchyView({ roots, openIds }: { roots: TreeItem[]; openIds: ReadonlySet<string> }) {
  return (
    <section className="hierarchy" aria-labelledby="hier-h" data-testid="hierarchy">
      <h2 id="hier-h">Hierarchy</h2>
      <p className="muted">Probability of each branch = sum of its leaves.</p>
      <ul className="tree">{roots.map((n) => <Node key={n.id} node={n} openIds={openIds} />)}</ul>
    </section>
  );
});

function Node({ node, openIds }: { node: TreeItem; openIds: ReadonlySet<string> }) {
  const row = (
    <span className="tree-row">
      <span className="tree-name">{node.name}</span>
      <ProbabilityBar value={node.prob} />
      <span className="ranked-prob">{formatProb(node.prob)}</span>
    </span>
  );
  if (node.children.length === 0) {
    return (
      <li className="tree-leaf" data-testid="tree-node" data-node={node.id}>
        {row}
      </li>
    );
  }
  return <Branch node={node} row={row} openIds={openIds} />;
}

function Branch({ node, row, openIds }: { node: TreeItem; row: ReactNode; openIds: ReadonlySet<string> }) {
  const [open, setOpen] = useState(() => openIds.has(node.id));
  useEffect(() => setOpen(openIds.has(node.id)), [openIds, node.id]);
  const kids = open ? [...node.children].sort((a, b) => b.prob - a.prob) : [];
  return (
    <li data-testid="tree-node" data-node={node.id}>
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>{row}</summary>
        {open && <ul className="tree">{kids.map((k) => <Node key={k.id} node={k} openIds={openIds} />)}</ul>}
      </details>
    </li>
  );
}
