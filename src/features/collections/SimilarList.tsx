import { Link } from 'wouter';
import type { Hit } from '../../state/collection-search';
import { Thumb } from './Thumb';

/** Photos with their similarity scores (and their collection, when several are searched). */
export function SimilarList({ hits, showCollection, testId }: { hits: Hit[]; showCollection?: boolean; testId: string }) {
  return (
    <ol className="hits" data-testid={testId}>
      {hits.map((h) => (
        <li key={`${h.collection.id}:${h.entry.seq}`} data-testid="hit" data-seq={h.entry.seq} data-score={h.score} data-collection={h.collection.id}>
          <Thumb entry={h.entry} size={72} />
          <span className="hit-text">
            <span className="hit-name">{h.entry.name}</span>
            <span className="muted">
              {h.entry.label ?? 'no label'} · score {h.score.toFixed(3)}
              {showCollection && (
                <>
                  {' · '}
                  <Link href={`/collections/${h.collection.id}?photo=${h.entry.seq}`}>{h.collection.name}</Link>
                </>
              )}
            </span>
          </span>
        </li>
      ))}
    </ol>
  );
}
