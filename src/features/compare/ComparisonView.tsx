import { formatProb } from '../../components/ProbabilityBar';
import type { Comparison } from '../../core/compare';

interface Concept {
  id: string;
  name: string;
  score: number;
}

/** Where the two models agree and disagree: the top label, the top-K overlap, rank correlation, and the labels and concepts side by side. */
export function ComparisonView({ comparison: c, conceptsA, conceptsB }: { comparison: Comparison; conceptsA: Concept[]; conceptsB: Concept[] }) {
  const scoreB = new Map(conceptsB.map((x) => [x.id, x.score]));
  const concepts = conceptsA
    .filter((x) => scoreB.has(x.id))
    .map((x) => ({ ...x, b: scoreB.get(x.id)! }))
    .sort((x, y) => Math.max(y.score, y.b) - Math.max(x.score, x.b))
    .slice(0, 10);
  return (
    <section className="panel" aria-labelledby="cmp-h" data-testid="comparison">
      <h3 id="cmp-h">Agreement</h3>
      <p data-testid="comparison-summary" data-top-agree={c.topAgree} data-overlap={c.overlap}>
        {c.topAgree ? 'Both models put the same label first.' : 'The models put different labels first.'} {c.overlap} of the top {c.k} labels are in both lists. Rank correlation over all labels (Spearman): {c.spearman.toFixed(3)}.
      </p>
      <table className="compare-table">
        <thead>
          <tr>
            <th scope="col">Label</th>
            <th scope="col">A</th>
            <th scope="col">B</th>
            <th scope="col">Ranks A / B</th>
          </tr>
        </thead>
        <tbody>
          {c.rows.map((r) => (
            <tr key={r.id} data-testid="comparison-row" className={r.rankA !== r.rankB ? 'differs' : ''}>
              <th scope="row">{r.name}</th>
              <td>{formatProb(r.a)}</td>
              <td>{formatProb(r.b)}</td>
              <td>
                {r.rankA} / {r.rankB}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Concepts</h3>
      <table className="compare-table">
        <thead>
          <tr>
            <th scope="col">Concept</th>
            <th scope="col">A</th>
            <th scope="col">B</th>
          </tr>
        </thead>
        <tbody>
          {concepts.map((x) => (
            <tr key={x.id} data-testid="comparison-concept">
              <th scope="row">{x.name}</th>
              <td>{x.score.toFixed(2)}</td>
              <td>{x.b.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
