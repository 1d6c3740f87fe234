import { useObjectUrl } from '../../components/useObjectUrl';
import type { SimilarCase } from '../../state/teach';

function SimilarThumb({ blob }: { blob: Blob }) {
  const url = useObjectUrl(blob);
  return <img src={url} alt="" width={96} height={96} />;
}

/** The photos of this device's collections nearest to the case (ranked when the pack was prepared), with their true labels. */
export function SimilarStrip({ items }: { items: readonly SimilarCase[] }) {
  if (items.length === 0) return null;
  return (
    <section className="presenter-similar" aria-labelledby="similar-h" data-testid="presenter-similar">
      <h3 id="similar-h">Similar photos in your collections</h3>
      <ol>
        {items.map((s, i) => (
          <li key={i} data-testid="presenter-similar-item" data-score={s.score} data-name={s.name} data-label={s.label ?? ''}>
            {s.thumbnail ? <SimilarThumb blob={s.thumbnail} /> : <span className="thumb-placeholder" aria-hidden="true" />}
            <span className="similar-label">{s.label ?? 'no label'}</span>
            <span className="similar-source">
              {s.collectionName} · cosine {s.score.toFixed(2)}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
