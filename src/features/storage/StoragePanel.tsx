import { useState } from 'react';
import { formatBytes } from '../../components/format';
import { deleteModel, useRefreshBundles } from '../../state/bundles';
import { clearEmbeddingCache, deleteEverything, useStorageReport } from '../../state/storage';


/** Everything stored on this device, with sizes, and the ways to delete it. */
export function StoragePanel() {
  const report = useStorageReport();
  const refresh = useRefreshBundles();
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
                    <button type="button" onClick={() => void deleteModel(b.bundleId).then(refresh)} data-testid="storage-bundle-delete" aria-label={`Delete model ${b.bundleId}`}>
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
                  <button type="button" onClick={() => void clearEmbeddingCache().then(refresh)}>
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
              <tr data-testid="storage-collections">
                <td>Collections</td>
                <td>
                  {r.collections.collections} collections, {r.collections.photos} photos copied, {formatBytes(r.collections.bytes)} (copies and thumbnails)
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
            void deleteEverything()
              .then(() => setWiped(true))
              .then(refresh);
          }}
        >
          Delete all data
        </button>{' '}
        <button type="button" onClick={() => void refresh()}>
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
