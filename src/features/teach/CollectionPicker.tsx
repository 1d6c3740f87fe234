import { useId, useMemo, useState } from 'react';
import { useCollections, useEntries, type CollectionEntry, type CollectionMeta } from '../../state/collections';
import { useCollectionPrefill, type Prefill } from '../../state/teach-collections';
import { useThumbnailUrl } from '../../state/thumbnails';

/** At most this many photos are listed at once (a collection may hold 10,000): the search narrows them. */
const SHOWN = 40;

export interface Pick {
  key: string;
  entry: CollectionEntry;
  collection: CollectionMeta;
}

export const pickKey = (e: CollectionEntry) => `${e.collectionId}:${e.seq}`;

function EntryThumb({ e }: { e: CollectionEntry }) {
  const url = useThumbnailUrl(e.collectionId, e.seq, e.hasThumbnail);
  return url ? <img src={url} alt="" width={64} height={64} /> : <span className="thumb-placeholder" style={{ width: 64, height: 64 }} aria-hidden="true" />;
}

function Entries({ meta, chosen, onToggle }: { meta: CollectionMeta; chosen: ReadonlySet<string>; onToggle: (p: Pick, prefill: Prefill | null) => void }) {
  const { entries, version, error } = useEntries(meta.id);
  const prefill = useCollectionPrefill(meta);
  const [query, setQuery] = useState('');
  const id = useId();
  const found = useMemo(() => {
    const q = query.trim().toLowerCase();
    // A photo the indexer could not read cannot go into a pack either.
    return (entries ?? []).filter((e) => !e.problem && (!q || e.path.toLowerCase().includes(q) || (e.label ?? '').toLowerCase().includes(q)));
    // `version`: the entries are updated in place while a collection is imported or indexed.
  }, [entries, version, query]);
  if (error) return <p role="alert">The photos of “{meta.name}” could not be read: {(error as Error).message}</p>;
  if (!entries) return <p className="muted">Reading the photos of “{meta.name}”…</p>;
  if (meta.photoStorage === 'none') return <p data-testid="maker-collection-no-photos">“{meta.name}” keeps thumbnails only, not the photos: none of them can go into a pack.</p>;
  return (
    <>
      <label htmlFor={`${id}-q`}>Find photos by file name or true label</label>
      <input id={`${id}-q`} type="search" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="maker-collection-search" />
      <p className="muted" aria-live="polite" data-testid="maker-collection-count">
        {found.length > SHOWN ? `The first ${SHOWN} of ${found.length} photos: search to narrow them.` : `${found.length} of ${entries.length} photos.`}
      </p>
      <ul className="maker-cases">
        {found.slice(0, SHOWN).map((e) => {
          const key = pickKey(e);
          const on = chosen.has(key);
          return (
            <li key={key} data-testid="maker-collection-photo" data-name={e.name}>
              <label className="maker-include">
                <input type="checkbox" checked={on} onChange={(ev) => onToggle({ key, entry: e, collection: meta }, ev.target.checked ? prefill(e) : null)} data-testid="maker-collection-include" />
                <EntryThumb e={e} />
                <span>
                  Include “{e.name}”{e.label !== undefined ? ` (true label: ${e.label})` : ' (no label)'}
                </span>
              </label>
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** Photos from a collection on this device: choose one collection, search its photos, tick them. */
export function CollectionPicker({ chosen, onToggle }: { chosen: ReadonlySet<string>; onToggle: (p: Pick, prefill: Prefill | null) => void }) {
  const collections = useCollections((s) => s.collections);
  const [id, setId] = useState('');
  const meta = collections.find((c) => c.id === id);
  const selectId = useId();
  if (collections.length === 0) return <p data-testid="maker-no-collections">No collections on this device yet: import one on the Collections screen.</p>;
  return (
    <div className="maker-collection" data-testid="maker-collection">
      <label htmlFor={selectId}>Collection</label>
      <select id={selectId} value={id} onChange={(e) => setId(e.target.value)} data-testid="maker-collection-select">
        <option value="">(choose a collection)</option>
        {collections.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} ({c.count} photos)
          </option>
        ))}
      </select>
      {meta && <Entries meta={meta} chosen={chosen} onToggle={onToggle} />}
    </div>
  );
}
