import { useState } from 'react';
import { formatBytes } from '../../components/format';
import { toAppError } from '../../core/errors';
import { deleteModel, useRefreshBundles } from '../../state/bundles';
import { clearEmbeddingCache, deleteEverything, deleteUnlistedFiles, useStorageReport } from '../../state/storage';
import { Persistence } from './Persistence';


/** Everything stored on this device, with sizes, and the ways to delete it. */
export function StoragePanel() {
  const report = useStorageReport();
  const refresh = useRefreshBundles();
  const r = report.data;
  const [wiped, setWiped] = useState(false);
  return (
    <section className="storage" aria-labelledby="storage-h" data-testid="storage-panel">
      <h2 id="storage-h">Storage on this device</h2>
      {!r && !report.error && <p className="muted">Measuring…</p>}
      {report.error && !report.isFetching && (
        <p role="alert" className="notice" data-testid="storage-error">
          Storage could not be measured: {toAppError(report.error).message} <span className="hint">{toAppError(report.error).hint}</span>
        </p>
      )}
      {r && (
        <>
          <p data-testid="storage-estimate">
            {r.estimate ? `Used ${formatBytes(r.estimate.usage)} of ${formatBytes(r.estimate.quota)} allowed.` : 'The browser does not report its quota.'}
          </p>
          <Persistence persisted={r.persisted} />
          <table>
            <tbody>
              {r.models.map((b) => (
                <tr key={b.baseUrl} data-testid="storage-bundle" data-url={b.baseUrl} data-bytes={b.bytes} data-files={b.files}>
                  <td>
                    Model {b.bundleId} <span className="muted">({b.imported ? 'imported' : 'served'}, {b.identity})</span>
                  </td>
                  <td>
                    {b.files} files, {formatBytes(b.bytes)}
                    {b.shared > 0 && <span className="muted"> ({b.shared} shared with another stored bundle: they stay when this one is deleted)</span>}
                  </td>
                  <td>
                    <button type="button" onClick={() => void deleteModel(b.baseUrl).then(refresh)} data-testid="storage-bundle-delete" aria-label={`Delete model ${b.bundleId} (${b.imported ? 'imported' : 'served'})`}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
              {r.unlisted.map((u) => (
                <tr key={`unlisted:${u.bundleId}`} data-testid="storage-unlisted" data-bytes={u.bytes}>
                  <td>Files of {u.bundleId} that no stored bundle lists</td>
                  <td>
                    {u.keys.length} files, {formatBytes(u.bytes)} <span className="muted">(from an older version of the bundle; no model uses them)</span>
                  </td>
                  <td>
                    <button type="button" onClick={() => void deleteUnlistedFiles(u).then(refresh)} aria-label={`Delete unused files of ${u.bundleId}`}>
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
