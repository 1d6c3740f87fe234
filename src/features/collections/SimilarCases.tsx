import { toAppError } from '../../core/errors';
import { useSimilarPhotos } from '../../state/collection-search';
import { useCollections } from '../../state/collections';
import type { LoadedModel } from '../../state/model';
import { SimilarList } from './SimilarList';

/** "Similar cases": the photos of every collection (indexed with this model) most like this case's photo. */
export function SimilarCases({ model, embedding, tensorSha256 }: { model: LoadedModel; embedding: Float32Array; tensorSha256: string }) {
  const any = useCollections((s) => s.collections.length > 0);
  const similar = useSimilarPhotos(model, embedding, { k: 6, queryId: tensorSha256 });
  if (!any) return null;
  return (
    <section className="panel wide" aria-labelledby="similar-h" data-testid="similar-cases">
      <h2 id="similar-h">Similar cases in your collections</h2>
      {similar.isFetching && !similar.data && <p role="status">Searching the collections…</p>}
      {similar.error && <p className="notice">{toAppError(similar.error).message}</p>}
      {similar.data && similar.data.length === 0 && <p className="muted">No collection is indexed with this model yet.</p>}
      {similar.data && similar.data.length > 0 && <SimilarList hits={similar.data} showCollection testId="similar-list" />}
    </section>
  );
}
