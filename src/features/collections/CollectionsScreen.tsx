import { useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { toAppError } from '../../core/errors';
import { importCollectionArchive, type ArchiveProgress } from '../../state/collection-transfer';
import { useCollections, type CollectionMeta } from '../../state/collections';
import { useIndexing } from '../../state/indexer';
import { notify } from '../../state/notices';
import { SourcePicker } from './SourcePicker';
import { storageText } from './storage-text';

function CollectionRow({ c }: { c: CollectionMeta }) {
  const status = useIndexing((s) => s.status[c.id]);
  const remove = useCollections((s) => s.remove);
  return (
    <li className="collection-row" data-testid="collection-row">
      <Link href={`/collections/${c.id}`} className="collection-name">
        {c.name}
      </Link>
      <span className="muted">
        {c.count} photos{c.labels.length ? `, ${c.labels.length} labels` : ', unlabelled'} · {storageText(c.photoStorage)}
        {status && status.total > 0 && ` · indexed ${status.done} of ${status.total}`}
        {!c.imported && ' · import not finished'}
      </span>
      <button
        type="button"
        aria-label={`Delete collection ${c.name}`}
        onClick={() => {
          if (confirm(`Delete the collection "${c.name}" (its photos, thumbnails and labels in this browser)?`)) void remove(c.id);
        }}
      >
        Delete
      </button>
    </li>
  );
}

/** Every collection on this device, and the ways to make or import one. */
export function CollectionsScreen() {
  const collections = useCollections((s) => s.collections);
  const hydrated = useCollections((s) => s.hydrated);
  const [, navigate] = useLocation();
  const archive = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<ArchiveProgress | null>(null);
  const importArchive = async (f: File | undefined) => {
    if (!f) return;
    try {
      setProgress({ done: 0, total: 1 });
      const id = await importCollectionArchive(f, setProgress);
      notify({ level: 'info', message: `Imported the collection from "${f.name}".` });
      navigate(`/collections/${id}`);
    } catch (e) {
      const err = toAppError(e);
      notify({ level: 'error', message: `The collection could not be imported: ${err.message}`, hint: err.hint });
    } finally {
      setProgress(null);
    }
  };
  return (
    <div className="collections">
      <h2>Collections</h2>
      <p className="muted">
        Index a folder of labelled photos, then search it by words or by photo and measure the model on it (zero-shot and few-shot). Everything
        stays in this browser.
      </p>
      <section className="panel" aria-labelledby="coll-list-h">
        <h3 id="coll-list-h">On this device</h3>
        {hydrated && collections.length === 0 && <p className="muted">No collection yet.</p>}
        <ul className="collection-list">
          {collections.map((c) => (
            <CollectionRow key={c.id} c={c} />
          ))}
        </ul>
      </section>
      <section className="panel" aria-labelledby="coll-new-h">
        <h3 id="coll-new-h">New collection</h3>
        <SourcePicker onPicked={() => navigate('/collections/new')} />
      </section>
      <section className="panel" aria-labelledby="coll-import-h">
        <h3 id="coll-import-h">Import an exported collection</h3>
        <p className="muted">A .zip made by "Export" on another machine: thumbnails, labels and embeddings (and the photos, if they were included). No network needed.</p>
        <button type="button" onClick={() => archive.current?.click()} disabled={Boolean(progress)}>
          Choose an exported collection
        </button>
        <input ref={archive} type="file" hidden accept=".zip,application/zip" aria-label="Exported collection" data-testid="collection-archive-input" onChange={(e) => void importArchive(e.target.files?.[0]).then(() => (e.target.value = ''))} />
        {progress && (
          <p role="status">
            Importing… {progress.done} of {progress.total}
          </p>
        )}
      </section>
    </div>
  );
}
