import { useState } from 'react';
import { clearEmbeddings } from '../../storage/embeddings';
import { deleteBundleFiles } from '../../storage/weights';
import { deleteAllData } from '../../storage/wipe';
import { useCases } from '../../state/cases';
import { useRefreshStorage, useStorageReport } from '../../state/storage-report';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** Everything stored on this device, with sizes, and the ways to delete it. */
export function StoragePanel() {
  const report = useStorageReport();
  const refresh = useRefreshStorage();
  const r = report.data;
  const [wiped, setWiped] = useState(false);
  return (
    <section className="storage" aria-labelledby="storage-h" data-testid="storage-panel">
      <h2 id="storage-h">Storage on this device</h2>
      {!r && <p className="muted">Measuring…</p>}
      {r && (
        <>
          <p data-testid="storage-estimate">
            {r.estimate ? `Used ${formatBytes(r.estimate.usage)} of ${formatBytes(r.estimate.quota)} allowed.` : 'The browser does not report its quota.'}{' '}
            {r.persisted ? 'Storage is persistent (the browser will not evict it).' : 'Storage is not persistent: the browser may evict it when space runs low.'}
          </p>
          <table>
            <tbody>
              {r.bundles.map((b) => (
                <tr key={b.bundleId} data-testid="storage-bundle" data-bytes={b.bytes}>
                  <td>Model {b.bundleId}</td>
                  <td>
                    {b.files} files, {formatBytes(b.bytes)}
                  </td>
                  <td>
                    <button type="button" onClick={() => void deleteBundleFiles(b.bundleId).then(refresh)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
              <tr data-testid="storage-embeddings">
                <td>Cached embeddings</td>
                <td>
                  {r.embeddings.image.count} images, {r.embeddings.text.count} prompts, {formatBytes(r.embeddings.image.bytes + r.embeddings.text.bytes)}
                </td>
                <td>
                  <button type="button" onClick={() => void clearEmbeddings().then(refresh)}>
                    Clear
                  </button>
                </td>
              </tr>
              <tr data-testid="storage-cases">
                <td>Saved cases</td>
                <td>
                  {r.cases.count} cases, {formatBytes(r.cases.bytes)}
                </td>
                <td />
              </tr>
            </tbody>
          </table>
        </>
      )}
      <p>
        <button
          type="button"
          data-testid="delete-all-data"
          onClick={() => {
            if (!confirm('Delete everything this app stored on this device: models, cached embeddings, saved cases and settings?')) return;
            void deleteAllData()
              .then(() => useCases.getState().removeAll())
              .then(() => setWiped(true))
              .then(refresh);
          }}
        >
          Delete all data
        </button>{' '}
        <button type="button" onClick={refresh}>
          Refresh
        </button>
      </p>
      {wiped && (
        <p role="status" data-testid="wiped">
          Everything this app stored on this device was deleted. <button type="button" onClick={() => window.location.reload()}>Reload to start fresh</button>
        </p>
      )}
    </section>
  );
}
