import { toAppError } from '../../core/errors';

/**
 * The prepare step, visible: every case's embedding is computed (or read from the cache) before
 * the session, so nothing waits for the model in front of the room.
 */
export function PrepareStatus({ progress, total, modelReady, tablesReady, error }: { progress: { done: number; total: number } | null; total: number; modelReady: boolean; tablesReady: boolean; error: unknown }) {
  if (error) {
    const e = toAppError(error);
    return (
      <p className="notice" role="alert" data-testid="prepare-error">
        The pack could not be prepared: {e.message} {e.hint && <span className="hint">{e.hint}</span>}
      </p>
    );
  }
  const done = progress?.done ?? 0;
  const of = progress?.total ?? total;
  return (
    <div className="prepare" role="status" data-testid="prepare-status">
      <p>
        {!modelReady
          ? 'Waiting for the model to load…'
          : progress
            ? `Preparing: the model is looking at case ${Math.min(done + 1, of)} of ${of}…`
            : !tablesReady
              ? 'Preparing the diagnosis labels…'
              : 'Preparing…'}
      </p>
      <progress max={of} value={done} aria-label="Cases prepared" data-testid="prepare-progress" />
    </div>
  );
}
