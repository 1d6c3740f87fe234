import { useRef } from 'react';
import { canLinkFolders } from '../../state/collection-sources';
import { draftFromFiles, draftFromLinkedFolder, useImportDraft } from '../../state/import-draft';

/** The ways photos come in: a folder, a .zip, many files, or (Chromium) a linked folder. */
export function SourcePicker({ onPicked }: { onPicked: () => void }) {
  const folder = useRef<HTMLInputElement>(null);
  const files = useRef<HTMLInputElement>(null);
  const scanning = useImportDraft((s) => s.scanning);
  const error = useImportDraft((s) => s.error);
  const take = async (list: FileList | null, input: HTMLInputElement) => {
    if (!list?.length) return;
    const picked = Array.from(list);
    input.value = '';
    if (await draftFromFiles(picked)) onPicked();
  };
  return (
    <div className="source-picker">
      <p className="muted">
        A folder of photos (with a CSV of labels, or one sub-folder per class), a .zip of one, or many photos. Photos are copied into this browser's
        storage; nothing leaves the device.
      </p>
      <div className="crop-tools">
        <button type="button" onClick={() => folder.current?.click()} disabled={scanning}>
          Choose a folder
        </button>
        <button type="button" onClick={() => files.current?.click()} disabled={scanning}>
          Choose a .zip or photos
        </button>
        {canLinkFolders() && (
          <button type="button" onClick={() => void draftFromLinkedFolder().then((ok) => ok && onPicked())} disabled={scanning} title="The photos stay on disk; the collection keeps links (handles) to them. The browser asks for permission again after a reload.">
            Link a folder (photos stay on disk)
          </button>
        )}
      </div>
      <input
        ref={folder}
        type="file"
        hidden
        multiple
        aria-label="Folder of photos"
        data-testid="collection-folder-input"
        {...({ webkitdirectory: '' } as Record<string, string>)}
        onChange={(e) => void take(e.target.files, e.target)}
      />
      <input ref={files} type="file" hidden multiple aria-label="Zip or photos" accept=".zip,application/zip,image/*,.csv" data-testid="collection-files-input" onChange={(e) => void take(e.target.files, e.target)} />
      {scanning && <p role="status">Reading the list of files…</p>}
      {error && (
        <p role="alert" className="notice" data-testid="collection-pick-error">
          {error}
        </p>
      )}
    </div>
  );
}
