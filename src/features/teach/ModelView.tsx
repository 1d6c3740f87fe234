import { formatProb, ProbabilityBar } from '../../components/ProbabilityBar';
import { branchPath } from '../../core/hierarchy-tree';
import { ontologyTree } from '../../state/diagnosis';
import type { Diagnosis } from '../../state/diagnosis';

/**
 * What the model sees, for presenter, quiz and kiosk: its differential over every diagnosis of
 * the ontology, the clinical concepts it sees most strongly, and the branch of its top answer.
 */
export function ModelView({ d, top = 5, concepts = 5, branch = true, idPrefix, level = 3 }: { d: Diagnosis; top?: number; concepts?: number; branch?: boolean; idPrefix: string; level?: 2 | 3 | 4 }) {
  const H = `h${level}` as 'h2' | 'h3' | 'h4';
  const best = d.ranked[0];
  const path = branch && best?.nodeId ? branchPath(ontologyTree, d.rolled, best.nodeId) : [];
  return (
    <div className="model-view" data-testid="model-view">
      <section aria-labelledby={`${idPrefix}-diff`}>
        <H id={`${idPrefix}-diff`}>The model’s differential</H>
        {d.lowConfidence && <p className="low-confidence">Low confidence: the model does not clearly prefer one answer.</p>}
        <ol className="ranked big">
          {d.ranked.slice(0, top).map((r) => (
            <li key={r.id} data-testid="model-diff-item" data-prob={r.prob} data-label={r.id}>
              <span className="ranked-name">{r.name}</span>
              <ProbabilityBar value={r.prob} max={best?.prob ?? 1} />
              <span className="ranked-prob">{formatProb(r.prob)}</span>
            </li>
          ))}
        </ol>
      </section>
      {concepts > 0 && (
        <section aria-labelledby={`${idPrefix}-conc`}>
          <H id={`${idPrefix}-conc`}>Concepts it sees</H>
          <ol className="ranked big">
            {d.concepts.slice(0, concepts).map((c) => (
              <li key={c.id} data-testid="model-concept">
                <span className="ranked-name">{c.name}</span>
                <ProbabilityBar value={c.score} />
                <span className="ranked-prob">{c.score.toFixed(2)}</span>
              </li>
            ))}
          </ol>
        </section>
      )}
      {path.length > 0 && (
        <section aria-labelledby={`${idPrefix}-branch`}>
          <H id={`${idPrefix}-branch`}>Branch of its top answer</H>
          <ol className="branch-path" data-testid="model-branch">
            {path.map((p) => (
              <li key={p.id}>
                {p.name} <span className="branch-prob">{formatProb(p.prob)}</span>
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
