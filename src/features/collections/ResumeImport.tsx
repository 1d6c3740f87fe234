import { useRef } from 'react';
import type { CollectionMeta } from '../../core/collections/types';
import { resumeImport, useImportProgress } from '../../state/collection-import';
import { notifyError } from '../../state/notices';

/** An import cut short (a reload while photos were copied in): pick the same source again to add the rest. */
export function ResumeImport({ meta }: { meta: CollectionMeta }) {
  const copying = useImportProgress((s) => s.jobs[meta.id]);
  const folder = useRef<HTMLInputElement>(null);
  const files = useRef<HTMLInputElement>(null);
  if (meta.imported || copying || meta.photoStorage === 'handle') return null;
  const take = (list: FileList | null) => {
    if (list?.length) resumeImport(meta.id, Array.from(list)).catch(notifyError);
  };
  return (
    <div className="notice warning" role="status" data-testid="import-interrupted">
      <span>
        The import stopped after {meta.count} photos (the page was closed or reloaded). Choose the same folder or .zip again to add the missing ones;
        photos already in are skipped.
      </span>
      <button type="button" onClick={() => folder.current?.click()}>
        Choose the folder
      </button>
      <button type="button" onClick={() => files.current?.click()}>
        Choose the .zip or photos
      </button>
      <input ref={folder} type="file" hidden multiple aria-label="Folder of photos" {...({ webkitdirectory: '' } as Record<string, string>)} onChange={(e) => take(e.target.files)} />
      <input ref={files} type="file" hidden multiple aria-label="Zip or photos" accept=".zip,application/zip,image/*,.csv" onChange={(e) => take(e.target.files)} />
    </div>
  );
}
