import { useMemo } from 'react';
import { formatDuration } from '../../core/collections/progress';
import type { CollectionMeta } from '../../core/collections/types';
import { modelKeyOf } from '../../state/collection-data';
import { useEntries } from '../../state/collections';
import { useImportProgress } from '../../state/collection-import';
import { allowFolderAccess, pauseIndexing, startIndexing, useIndexing } from '../../state/indexer';
import type { LoadedModel } from '../../state/model';

/** Import and indexing progress of a collection: count, rate, time left, pause and resume. */
export function IndexingBar({ meta, model }: { meta: CollectionMeta; model: LoadedModel | undefined }) {
  const status = useIndexing((s) => s.status[meta.id]);
  const copying = useImportProgress((s) => s.jobs[meta.id]);
  const { entries, version } = useEntries(meta.id);
  const mk = modelKeyOf(model);
  const counted = useMemo(() => {
    if (!entries || !mk) return null;
    const ok = entries.filter((e) => !e.problem);
    return { total: ok.length, done: ok.filter((e) => e.embedded.includes(mk)).length, failed: entries.length - ok.length };
  }, [entries, mk, version]);
  const done = status?.state === 'running' ? status.done : (counted?.done ?? 0);
  const total = status?.state === 'running' ? status.total : (counted?.total ?? 0);
  const failed = counted?.failed ?? 0;
  const running = status?.state === 'running' || status?.state === 'queued';
  const complete = total > 0 && done === total && !copying;
  return (
    <div className="indexing" data-testid="indexing" data-state={status?.state ?? (complete ? 'done' : 'idle')} data-done={done} data-total={total}>
      {copying && (
        <p role="status" data-testid="import-progress">
          Copying photos in: {copying.done} of {copying.total}
          {copying.skipped > 0 && `, ${copying.skipped} skipped`}…
        </p>
      )}
      <div className="indexing-row">
        <progress max={Math.max(1, total)} value={done} aria-label="Photos indexed" />
        <span data-testid="indexing-text">
          {mk ? (
            <>
              Indexed {done} of {total} photos{failed > 0 && ` (${failed} could not be read)`} with {mk}
              {status?.state === 'running' && status.rate !== null && ` · ${status.rate.toFixed(1)} photos/s`}
              {status?.state === 'running' && status.eta !== null && status.eta > 0 && ` · about ${formatDuration(status.eta)} left`}
              {status?.state === 'running' && status.fromCache > 0 && ` · ${status.fromCache} from the cache`}
              {status?.state === 'queued' && ' · waiting for its turn'}
              {complete && ' · done'}
            </>
          ) : (
            'Waiting for the model…'
          )}
        </span>
        {running ? (
          <button type="button" onClick={() => void pauseIndexing(meta.id)} data-testid="indexing-pause">
            Pause
          </button>
        ) : (
          !complete &&
          total > 0 &&
          meta.photoStorage !== 'none' && (
            <button type="button" onClick={() => void startIndexing(meta.id)} data-testid="indexing-resume">
              {done > 0 ? 'Resume' : 'Start'} indexing
            </button>
          )
        )}
        {status?.state === 'needs-permission' && (
          <button type="button" onClick={() => void allowFolderAccess(meta.id)} data-testid="indexing-allow">
            Allow access to the folder
          </button>
        )}
      </div>
      {status?.state === 'error' && (
        <p role="alert" className="notice">
          {status.message}
        </p>
      )}
      {status?.state === 'needs-permission' && <p className="muted">{status.message}</p>}
      {!complete && meta.photoStorage === 'none' && total > 0 && <p className="muted">The photos were not exported with this collection, so it cannot be indexed with another model.</p>}
    </div>
  );
}
