import { usePersistence } from '../../state/storage';

/** Whether the browser may evict this app's data, and what that would cost the user. */
export function Persistence({ persisted }: { persisted: boolean | null }) {
  const p = usePersistence();
  const granted = persisted === true || p.granted === true;
  const status = granted
    ? 'Persistent storage: granted. The browser will not evict this app’s data to make room; only you can delete it (here, or by clearing the site’s data).'
    : p.asked
      ? 'Persistent storage: not granted. The browser decides by itself (it often grants it to bookmarked, installed or often used sites) and may evict this app’s data when the disk runs low.'
      : 'Persistent storage: not requested yet. It is requested when you first keep a model or save a case; until then the browser may evict this app’s data when the disk runs low.';
  return (
    <div className="persistence" data-testid="storage-persistence" data-granted={String(granted)}>
      <p>{status}</p>
      <p className="muted" data-testid="storage-eviction">
        If the browser evicts this app’s data (or the site’s data is cleared), everything listed here goes at once: saved cases (photos, crops and results), stored models and cached embeddings. Served models download again on the next visit with a connection; imported models must be imported again from their files (Settings); saved cases cannot be recovered, so keep your original photos and export the results you need (Export case).
      </p>
    </div>
  );
}
