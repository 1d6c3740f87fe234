import { useState } from 'react';
import type { CollectionMeta } from '../../core/collections/types';
import { toAppError } from '../../core/errors';
import { useCollectionEvaluation } from '../../state/collection-eval';
import { MAX_QUERY_LENGTH, useTextSearch } from '../../state/collection-search';
import type { LoadedModel } from '../../state/model';
import { useSettings } from '../../state/settings';
import { RetrievalTable } from './RetrievalTable';
import { SimilarList } from './SimilarList';

const EXAMPLES = ['blue-white veil', 'ulcerated nodule on the nose', 'pigmented lesion with irregular border'];

/** Words to photos: the photos whose embedding best matches a text; and retrieval metrics when labels exist. */
export function SearchTab({ meta, model }: { meta: CollectionMeta; model: LoadedModel | undefined }) {
  const [draft, setDraft] = useState('');
  const [text, setText] = useState('');
  const [k, setK] = useState(24);
  const { matrix, search } = useTextSearch(meta, model, text, k);
  const templateSetId = useSettings((s) => s.templateSetId);
  const ev = useCollectionEvaluation(meta.labels.length ? meta : undefined, model, { labelSetId: meta.mapping.labelSetId, templateSetId, stratifyBy: null });
  return (
    <div className="search">
      <form
        className="controls"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setText(draft);
        }}
      >
        <label>
          Find photos showing{' '}
          <input type="search" value={draft} maxLength={MAX_QUERY_LENGTH} onChange={(e) => setDraft(e.target.value)} placeholder={EXAMPLES[0]} data-testid="search-text" size={40} />
        </label>
        <label>
          Show{' '}
          <select value={k} onChange={(e) => setK(Number(e.target.value))}>
            {[12, 24, 48, 96].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <button type="submit" data-testid="search-go">
          Search
        </button>
      </form>
      <p className="muted">
        Try: {EXAMPLES.map((x, i) => (
          <span key={x}>
            {i > 0 && ', '}
            <button type="button" className="link" onClick={() => (setDraft(x), setText(x))}>
              {x}
            </button>
          </span>
        ))}
        . Scores are cosine similarities between the text's and each photo's embedding ({matrix.data?.rows.length ?? 0} indexed photos).
      </p>
      {search.isFetching && <p role="status">Searching…</p>}
      {search.error && (
        <p role="alert" className="notice">
          {toAppError(search.error).message}
        </p>
      )}
      {search.data && (
        <section aria-label="Search results">
          <p className="muted" data-testid="search-summary">
            {search.data.hits.length} photos best matching “{text.trim()}” ({search.data.ms.toFixed(0)} ms).
          </p>
          <SimilarList hits={search.data.hits} testId="search-results" />
        </section>
      )}
      {ev.retrieval.data && ev.classes && (
        <section className="panel" aria-label="Retrieval metrics">
          <h3>Retrieval metrics</h3>
          <RetrievalTable r={ev.retrieval.data} classListName={ev.classes.name} />
        </section>
      )}
    </div>
  );
}
