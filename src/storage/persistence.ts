/**
 * Persistent storage: asked of the browser at the moments the user keeps something (a model stored
 * for offline use, a case saved), not on every page load; at most once per page while the answer
 * is no (browsers decide by themselves, e.g. for installed or often used sites, and may prompt).
 */

export interface PersistenceState {
  /** Asked in this page (the answer is `granted`). */
  asked: boolean;
  /** true: the browser will not evict this app's data; false: it may; null: unknown (not asked, or no API). */
  granted: boolean | null;
}

let state: PersistenceState = { asked: false, granted: null };
let asking: Promise<boolean | null> | null = null;
const listeners = new Set<(s: PersistenceState) => void>();

function update(s: PersistenceState): void {
  state = s;
  for (const f of listeners) f(s);
}

/** Ask for persistent storage (once per page; not at all when it is already granted). */
export function requestPersistence(): Promise<boolean | null> {
  asking ??= (async () => {
    const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
    if (!storage?.persist) return null;
    if (await storage.persisted?.().catch(() => false)) {
      update({ asked: false, granted: true });
      return true;
    }
    const granted = await storage.persist().catch(() => false);
    update({ asked: true, granted });
    return granted;
  })();
  return asking;
}

export function persistenceState(): PersistenceState {
  return state;
}

export function onPersistenceChange(f: (s: PersistenceState) => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}
