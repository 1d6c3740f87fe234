import { useRef } from 'react';
import { Link } from 'wouter';
import { downloadBlob } from '../../components/download';
import { notify, notifyError } from '../../state/notices';
import { exportPackFile, importPackFile, removePack, usePacks, useRefreshPacks, type StoredPack } from '../../state/teach';
import { PackMaker } from './PackMaker';
import './teach.css';

function PackItem({ p, onChange }: { p: StoredPack; onChange: () => void }) {
  const { pack } = p;
  const n = pack.cases.length;
  const exportIt = () =>
    exportPackFile(pack.id)
      .then(({ name, blob }) => downloadBlob(name, blob))
      .catch((e: unknown) => notifyError(e));
  const deleteIt = () => {
    if (!confirm(`Delete the teaching pack "${pack.title}" (${n} cases) from this device?`)) return;
    removePack(pack.id)
      .then(() => notify({ level: 'info', message: `The teaching pack "${pack.title}" was deleted from this device.` }))
      .then(onChange)
      .catch((e: unknown) => notifyError(e));
  };
  return (
    <li className="pack" data-testid="pack" data-pack-id={pack.id} aria-labelledby={`pack-${pack.id}`}>
      <h3 id={`pack-${pack.id}`}>{pack.title}</h3>
      <p className="muted">
        {n} {n === 1 ? 'case' : 'cases'}
        {pack.author && ` · by ${pack.author}`}
      </p>
      {pack.description && <p className="pack-description">{pack.description}</p>}
      <div className="pack-actions">
        <Link className="button-link" href={`/teach/${pack.id}/present`} aria-label={`Present ${pack.title}`}>
          Present
        </Link>
        <Link className="button-link" href={`/teach/${pack.id}/quiz`} aria-label={`Quiz: ${pack.title}`}>
          Quiz
        </Link>
        <button type="button" onClick={() => void exportIt()} aria-label={`Export ${pack.title}`} data-testid="pack-export">
          Export
        </button>
        <button type="button" onClick={deleteIt} aria-label={`Delete ${pack.title}`} data-testid="pack-delete">
          Delete
        </button>
      </div>
    </li>
  );
}

/** The teaching packs on this device: present, quiz, export, delete; import a pack file; make one. */
export function TeachScreen() {
  const packs = usePacks();
  const refresh = useRefreshPacks();
  const input = useRef<HTMLInputElement>(null);
  const onFile = (file: File) =>
    importPackFile(file)
      .then((pack) => notify({ level: 'info', message: `Imported the teaching pack "${pack.title}" (${pack.cases.length} cases).` }))
      .then(refresh)
      .catch((e: unknown) => notifyError(e));
  return (
    <div className="teach">
      <section className="panel" aria-labelledby="packs-h" data-testid="teach-packs">
        <h2 id="packs-h">Teaching packs on this device</h2>
        <p className="muted">
          A pack is a set of cases with their answers. <strong>Present</strong> shows them to a room (full screen, keyboard only); <strong>Quiz</strong> is
          for practice alone (your progress stays on this device); <strong>Export</strong> makes one file with the photos inside, to share or to import
          on another device, offline.
        </p>
        {packs.isPending && <p className="muted">Reading the packs…</p>}
        {packs.error && (
          <p className="notice" role="alert">
            The teaching packs could not be read: {(packs.error as Error).message}
          </p>
        )}
        {packs.data && packs.data.length === 0 && <p data-testid="no-packs">No teaching packs on this device yet: import one, or make one below.</p>}
        <ul className="packs">
          {packs.data?.map((p) => <PackItem key={p.pack.id} p={p} onChange={() => void refresh()} />)}
        </ul>
        <p>
          <button type="button" onClick={() => input.current?.click()} data-testid="pack-import">
            Import a pack file…
          </button>{' '}
          <span className="muted">(a .zip exported by DermLIP Explorer; read on this device, nothing is uploaded)</span>
        </p>
        <input
          ref={input}
          type="file"
          accept=".zip,application/zip"
          hidden
          data-testid="pack-file-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void onFile(f);
          }}
        />
      </section>
      <PackMaker onMade={() => void refresh()} />
    </div>
  );
}
