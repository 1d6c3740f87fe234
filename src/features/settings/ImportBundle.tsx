import { useRef, useState } from 'react';
import { ignoredNote } from '../../core/bundle-import';
import { toAppError } from '../../core/errors';
import { importBundleFiles, useRefreshBundles, type ImportProgress } from '../../state/bundles';

/** Load a model bundle from disk (a folder, or a .zip of one): no server needed. */
export function ImportBundle() {
  const folder = useRef<HTMLInputElement>(null);
  const zip = useRef<HTMLInputElement>(null);
  const refresh = useRefreshBundles();
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string; hint?: string } | null>(null);

  const run = async (list: FileList | null) => {
    if (!list?.length) return;
    setResult(null);
    try {
      const { manifest, ignored, added } = await importBundleFiles(Array.from(list), setProgress);
      const stored = added ? '' : ' It was already stored on this device: nothing new was written.';
      setResult({ ok: true, text: `Imported "${manifest.name}" (${manifest.id}); it is now the active model.${stored} ${ignoredNote(ignored)}`.trim() });
      void refresh();
    } catch (e) {
      const err = toAppError(e);
      setResult({ ok: false, text: `Import refused: ${err.message}`, hint: err.hint });
    } finally {
      setProgress(null);
    }
  };

  return (
    <div className="import-bundle">
      <h3>Load a model from files</h3>
      <p className="muted">A bundle folder exported by tools/model (for example the real DermLIP export on a USB stick). Every file is checked against its manifest before use.</p>
      <button type="button" onClick={() => folder.current?.click()}>
        Choose a bundle folder
      </button>{' '}
      <button type="button" onClick={() => zip.current?.click()}>
        Choose a .zip
      </button>
      <input
        ref={folder}
        type="file"
        hidden
        multiple
        data-testid="import-folder"
        {...({ webkitdirectory: '' } as Record<string, string>)}
        onChange={(e) => void run(e.target.files).then(() => (e.target.value = ''))}
      />
      <input ref={zip} type="file" hidden accept=".zip,application/zip" data-testid="import-zip" onChange={(e) => void run(e.target.files).then(() => (e.target.value = ''))} />
      {progress && (
        <p role="status" data-testid="import-progress">
          {progress.stage === 'unpack' ? 'Unpacking' : 'Checking and storing'} {progress.file} ({progress.done + 1} of {progress.total})…
        </p>
      )}
      {result && (
        <p role={result.ok ? 'status' : 'alert'} className={result.ok ? 'muted' : 'notice'} data-testid={result.ok ? 'import-ok' : 'import-error'}>
          {result.text} {result.hint && <span className="hint">{result.hint}</span>}
        </p>
      )}
    </div>
  );
}
