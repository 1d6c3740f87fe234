import { describeChoice } from '../../core/backend-plan';
import type { EngineStatus } from '../../engine/protocol';
import { useEngineStatus } from '../../state/model';

function mb(n: number): string {
  return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;
}

export function statusText(s: EngineStatus): string {
  switch (s.phase) {
    case 'idle':
      return 'Model not loaded';
    case 'probing':
      return 'Checking this device…';
    case 'downloading': {
      const p = s.progress;
      return p.fromCache ? `Reading ${p.file} from the offline cache…` : `Downloading ${p.file}: ${mb(p.loaded)} of ${mb(p.total)}`;
    }
    case 'loading':
      return `Compiling and warming up the ${s.tower} model (${describeChoice(s.choice)})…`;
    case 'ready':
      return `Ready: ${describeChoice(s.choice)}`;
    case 'error':
      return s.error.message;
  }
}

/** The model's state, always visible; announced politely to screen readers. */
export function ModelStatus() {
  const status = useEngineStatus((s) => s.status);
  const notes = status.phase === 'ready' ? status.notes : [];
  return (
    <div className={`model-status phase-${status.phase}`} role="status" aria-live="polite" data-testid="model-status" data-phase={status.phase}>
      <span>{statusText(status)}</span>
      {status.phase === 'downloading' && !status.progress.fromCache && (
        <progress max={status.progress.total} value={status.progress.loaded} aria-label="Download progress" />
      )}
      {status.phase === 'error' && status.error.hint && <span className="hint"> {status.error.hint}</span>}
      {notes.map((n) => (
        <div key={n} className="note" data-testid="fallback-note">
          {n}
        </div>
      ))}
    </div>
  );
}
