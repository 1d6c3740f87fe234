import { useState } from 'react';
import { downloadBlob } from '../../components/download';
import { formatBytes } from '../../components/format';
import type { CollectionMeta } from '../../core/collections/types';
import { toAppError } from '../../core/errors';
import { exportCollection, exportFileName, type ArchiveProgress } from '../../state/collection-transfer';
import { notify } from '../../state/notices';

/** Export the collection to one file (thumbnails, labels, metadata, embeddings; photos optional). */
export function ExportPanel({ meta }: { meta: CollectionMeta }) {
  const [photos, setPhotos] = useState(false);
  const [progress, setProgress] = useState<ArchiveProgress | null>(null);
  const run = async () => {
    setProgress({ done: 0, total: meta.count });
    try {
      const blob = await exportCollection(meta, { photos, onProgress: setProgress });
      downloadBlob(exportFileName(meta), blob);
      notify({ level: 'info', message: `Exported "${meta.name}" (${formatBytes(blob.size)}).` });
    } catch (e) {
      const err = toAppError(e);
      notify({ level: 'error', message: `The export failed: ${err.message}`, hint: err.hint });
    } finally {
      setProgress(null);
    }
  };
  return (
    <details className="export-panel">
      <summary>Export</summary>
      <p className="muted">One .zip with the thumbnails, labels, metadata and the embeddings of every model it was indexed with; import it on another machine with "Import an exported collection" (no network needed).</p>
      <label>
        <input type="checkbox" checked={photos} onChange={(e) => setPhotos(e.target.checked)} disabled={meta.photoStorage === 'none'} data-testid="export-photos" /> Include the photos
      </label>{' '}
      <button type="button" onClick={() => void run()} disabled={Boolean(progress)} data-testid="export-collection">
        Export collection
      </button>
      {progress && (
        <span role="status">
          {' '}
          Writing… {progress.done} of {progress.total}
        </span>
      )}
    </details>
  );
}
