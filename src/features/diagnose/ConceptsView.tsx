import { ProbabilityBar } from '../../components/ProbabilityBar';

export interface ConceptItem {
  id: string;
  name: string;
  score: number;
}

/** MONET-style concept presence: what the model sees most strongly, as explanation. */
export function ConceptsView({ items, top = 8, headingId = 'conc-h' }: { items: ConceptItem[]; top?: number; headingId?: string }) {
  return (
    <section className="concepts" aria-labelledby={headingId} data-testid="concepts">
      <h2 id={headingId}>Concepts</h2>
      <p className="muted">Clinical concepts the model sees most strongly (presence score 0–1, 0.5 = no evidence either way).</p>
      <ol className="ranked">
        {items.slice(0, top).map((c) => (
          <li key={c.id} data-testid="concept-item">
            <span className="ranked-name">{c.name}</span>
            <ProbabilityBar value={c.score} />
            <span className="ranked-prob">{c.score.toFixed(2)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
