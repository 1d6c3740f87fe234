import { useLocation } from 'wouter';
import type { LabelSet } from '../../core/labels';
import { toAppError } from '../../core/errors';
import type { CollectionMatrix } from '../../state/collection-data';
import { openEntryAsCase } from '../../state/collection-cases';
import { useSimilarPhotos } from '../../state/collection-search';
import type { LoadedModel } from '../../state/model';
import { notifyError } from '../../state/notices';
import type { GalleryItem } from './gallery-items';
import { SimilarList } from './SimilarList';
import { Thumb } from './Thumb';

/** One photo of the gallery: its label, metadata and prediction, similar photos, and "open as a case". */
export function PhotoPanel({ item, classes, matrix, model, canOpen }: { item: GalleryItem; classes: LabelSet | null; matrix: CollectionMatrix | undefined; model: LoadedModel | undefined; canOpen: boolean }) {
  const [, navigate] = useLocation();
  const e = item.entry;
  const row = matrix ? matrix.rows.indexOf(e) : -1;
  const embedding = row >= 0 ? matrix!.images.subarray(row * matrix!.dim, (row + 1) * matrix!.dim) : undefined;
  const similar = useSimilarPhotos(model, embedding, { k: 8, queryId: `${e.collectionId}:${e.seq}:${matrix?.modelKey}`, collectionId: e.collectionId, skip: { collectionId: e.collectionId, seq: e.seq } });
  const cls = (i: number | undefined) => (i !== undefined && i >= 0 ? classes?.labels[i]?.name : undefined);
  const open = async () => {
    try {
      await openEntryAsCase(e);
      navigate('/');
    } catch (err) {
      notifyError(err);
    }
  };
  return (
    <aside className="panel photo-panel" aria-label={`Photo ${e.name}`} data-testid="photo-panel">
      <Thumb entry={e} size={128} />
      <h3>{e.name}</h3>
      <dl className="facts">
        <dt>Path</dt>
        <dd>{e.path}</dd>
        <dt>Dataset label</dt>
        <dd>{e.label ?? 'none'}</dd>
        <dt>Class</dt>
        <dd>{cls(item.truth) ?? 'not mapped'}</dd>
        {item.predicted !== undefined && (
          <>
            <dt>Predicted (zero-shot)</dt>
            <dd data-testid="photo-predicted">
              {cls(item.predicted)} ({((item.prob ?? 0) * 100).toFixed(1)} %)
            </dd>
          </>
        )}
        {e.width && (
          <>
            <dt>Size</dt>
            <dd>
              {e.width} × {e.height} px
            </dd>
          </>
        )}
        {Object.entries(e.metadata).map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd>{v || '—'}</dd>
          </div>
        ))}
        {e.problem && (
          <>
            <dt>Problem</dt>
            <dd>{e.problem}</dd>
          </>
        )}
      </dl>
      {canOpen && (
        <button type="button" onClick={() => void open()} data-testid="open-as-case">
          Open as a case
        </button>
      )}
      <h4>Similar photos in this collection</h4>
      {!embedding && <p className="muted">Not indexed yet.</p>}
      {similar.error && <p className="notice">{toAppError(similar.error).message}</p>}
      {similar.data && <SimilarList hits={similar.data} testId="photo-similar" />}
    </aside>
  );
}
