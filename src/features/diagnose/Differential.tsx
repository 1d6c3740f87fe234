import { useState } from 'react';
import { ProbabilityBar, formatProb } from '../../components/ProbabilityBar';

export interface RankedItem {
  id: string;
  name: string;
  prob: number;
  detail?: string;
}

interface Props {
  items: RankedItem[];
  topK: number;
  lowConfidence: boolean;
  labelSetName: string;
  /** Which model and variant gave it (printed with the result). */
  ranBy?: string;
  /** Unique heading id when two differentials share a page. */
  headingId?: string;
}

/** The ranked differential: top K with bars, expandable to every label. */
export function Differential({ items, topK, lowConfidence, labelSetName, ranBy, headingId = 'diff-h' }: Props) {
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, topK);
  const top = items[0];
  const summary = top
    ? `Top result: ${top.name}, ${formatProb(top.prob)}.` + (items[1] ? ` Then ${items[1].name}, ${formatProb(items[1].prob)}.` : '') + (items[2] ? ` Then ${items[2].name}, ${formatProb(items[2].prob)}.` : '')
    : 'No result yet.';
  return (
    <section className="differential" aria-labelledby={headingId} data-testid="differential">
      <h2 id={headingId}>Differential</h2>
      <p className="muted">
        {items.length} labels from {labelSetName}
        {ranBy && <span data-testid="ran-by"> · {ranBy}</span>}
      </p>
      {lowConfidence && (
        <p className="low-confidence" role="note" data-testid="low-confidence">
          Low confidence: the model does not clearly prefer one label. Treat this ranking as uninformative.
        </p>
      )}
      <p className="sr-only" aria-live="polite" data-testid="sr-summary">
        {summary}
      </p>
      <ol className="ranked">
        {shown.map((it) => (
          <li key={it.id} data-testid="diff-item" data-prob={it.prob}>
            <span className="ranked-name" title={it.detail} dir="auto">
              {it.name}
            </span>
            <ProbabilityBar value={it.prob} max={top?.prob ?? 1} />
            <span className="ranked-prob">{formatProb(it.prob)}</span>
          </li>
        ))}
      </ol>
      {items.length > topK && (
        <button type="button" onClick={() => setAll(!all)} aria-expanded={all}>
          {all ? `Show top ${topK}` : `Show all ${items.length}`}
        </button>
      )}
    </section>
  );
}
