import { Link, useLocation } from 'wouter';
import { formatBytes } from '../../components/format';
import { discardDraft, importDraft, setDraft, setDraftLabels, useImportDraft } from '../../state/import-draft';
import { LabelSourceControls } from './LabelSourceControls';
import { MappingEditor } from './MappingEditor';
import { SkippedFiles } from './SkippedFiles';
import { storageText } from './storage-text';

/** Setting up a new collection: what was found, where the labels come from, how they map; then import. */
export function ImportDraftScreen() {
  const draft = useImportDraft((s) => s.draft);
  const [, navigate] = useLocation();
  if (!draft) {
    return (
      <section className="panel">
        <h2>New collection</h2>
        <p>
          Nothing is being imported. <Link href="/collections">Choose photos on the collections screen.</Link>
        </p>
      </section>
    );
  }
  const { source, plan, mapping } = draft;
  const bytes = source.plan.photos.reduce((n, p) => n + p.size, 0);
  const overrides = mapping.overrides[mapping.labelSetId] ?? {};
  const start = async () => {
    const id = await importDraft();
    if (id) navigate(`/collections/${id}`);
  };
  return (
    <div className="collections">
      <h2>New collection</h2>
      <section className="panel" aria-labelledby="draft-found-h">
        <h3 id="draft-found-h">Found in {source.name}</h3>
        <p data-testid="draft-summary">
          {source.plan.photos.length} photos ({formatBytes(bytes)}), {source.csvs.length} label file(s). The collection keeps {storageText(source.photoStorage)}.
        </p>
        <SkippedFiles skipped={source.plan.skipped} total={source.plan.skipped.length} />
        <p className="muted">Photos are also checked by their content during the import: a file that is not a readable photo is listed and skipped.</p>
      </section>
      <section className="panel" aria-labelledby="draft-labels-h">
        <h3 id="draft-labels-h">Labels and classes</h3>
        <LabelSourceControls source={source} choice={draft.labels} onChange={setDraftLabels} />
        {plan.notes.map((n) => (
          <p key={n} className="muted" data-testid="label-note">
            {n}
          </p>
        ))}
        {plan.metadataColumns.length > 0 && <p className="muted">Kept as metadata (for stratified metrics): {plan.metadataColumns.join(', ')}.</p>}
        {plan.labels.length > 0 ? (
          <MappingEditor
            labels={plan.labels}
            labelSetId={mapping.labelSetId}
            customText={mapping.customText}
            overrides={overrides}
            onClassList={(labelSetId, customText) => setDraft({ mapping: { ...mapping, labelSetId, customText: customText ?? mapping.customText } })}
            onOverride={(label, classId) => {
              const next = { ...overrides };
              if (classId === undefined) delete next[label];
              else next[label] = classId;
              setDraft({ mapping: { ...mapping, overrides: { ...mapping.overrides, [mapping.labelSetId]: next } } });
            }}
          />
        ) : (
          <p className="muted">No labels: search works, evaluation needs labels.</p>
        )}
      </section>
      <section className="panel">
        <label>
          Name{' '}
          <input value={draft.name} onChange={(e) => setDraft({ name: e.target.value })} data-testid="draft-name" />
        </label>{' '}
        <button type="button" className="primary" onClick={() => void start()} disabled={source.plan.photos.length === 0} data-testid="draft-import">
          Import {source.plan.photos.length} photos
        </button>{' '}
        <button
          type="button"
          onClick={() => {
            discardDraft();
            navigate('/collections');
          }}
        >
          Cancel
        </button>
      </section>
    </div>
  );
}
