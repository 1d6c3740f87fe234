import { useMemo, useState } from 'react';
import type { MappingOverrides } from '../../core/collections/mapping';
import { toAppError } from '../../core/errors';
import type { LabelSet } from '../../core/labels';
import { classList, mapLabels } from '../../state/collection-data';
import { BUILTIN_LABEL_SETS } from '../../state/diagnosis';

export interface MappingEditorProps {
  labels: { label: string; count: number }[];
  labelSetId: string;
  customText?: string;
  overrides: MappingOverrides;
  onClassList(labelSetId: string, customText?: string): void;
  /** classId: a class label id, null = leave unmapped, undefined = back to automatic. */
  onOverride(datasetLabel: string, classId: string | null | undefined): void;
}

const HOW: Record<string, string> = { name: 'same name', synonym: 'dataset code', ontology: 'ontology', yours: 'your choice' };

/** The class list to judge against, and how each of the dataset's labels maps onto it. */
export function MappingEditor(p: MappingEditorProps) {
  const [draft, setDraft] = useState(p.customText ?? '');
  const raw = useMemo(() => p.labels.map((l) => l.label), [p.labels]);
  const result = useMemo((): { classes: LabelSet; error?: undefined } | { classes?: undefined; error: string } => {
    try {
      return { classes: classList(p.labelSetId, raw, p.customText) };
    } catch (e) {
      return { error: toAppError(e).message };
    }
  }, [p.labelSetId, raw, p.customText]);
  const classes = result.classes;
  const mapping = useMemo(() => (classes ? mapLabels(raw, classes, p.overrides) : null), [classes, raw, p.overrides]);
  const counts = new Map(p.labels.map((l) => [l.label, l.count]));
  const unmappedPhotos = mapping ? mapping.unmapped.reduce((n, l) => n + (counts.get(l) ?? 0), 0) : 0;
  return (
    <div className="mapping" data-testid="mapping-editor">
      <label>
        Class list{' '}
        <select value={p.labelSetId} onChange={(e) => p.onClassList(e.target.value)} data-testid="mapping-class-list">
          <optgroup label="Your dataset">
            <option value="dataset">The dataset's own labels ({p.labels.length})</option>
            <option value="custom">My own class list…</option>
          </optgroup>
          <optgroup label="Benchmark class lists">
            {BUILTIN_LABEL_SETS.filter((s) => s.kind === 'preset').map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.labels.length})
              </option>
            ))}
          </optgroup>
          <optgroup label="Derm1M ontology">
            {BUILTIN_LABEL_SETS.filter((s) => s.kind === 'ontology').map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.labels.length})
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      {p.labelSetId === 'custom' && (
        <div className="custom-labels">
          <label>
            One class per line ("a | b" gives one class two names)
            <textarea value={draft} onChange={(e) => setDraft(e.target.value)} data-testid="mapping-custom-text" />
          </label>
          <button type="button" onClick={() => p.onClassList('custom', draft)}>
            Use this list
          </button>
        </div>
      )}
      {result.error && (
        <p role="alert" className="notice">
          {result.error}
        </p>
      )}
      {classes && mapping && p.labels.length > 0 && (
        <>
          <p data-testid="mapping-summary" role="status">
            {raw.length - mapping.unmapped.length} of {raw.length} labels mapped to {classes.name} ({classes.labels.length} classes).
            {mapping.unmapped.length > 0 && (
              <>
                {' '}
                <strong>Not mapped:</strong> <span data-testid="mapping-unmapped">{mapping.unmapped.join(', ')}</span> ({unmappedPhotos} photos: kept, but counted in no metric).
              </>
            )}
          </p>
          <table className="mapping-table">
            <thead>
              <tr>
                <th scope="col">Dataset label</th>
                <th scope="col">Photos</th>
                <th scope="col">Class</th>
                <th scope="col">How</th>
              </tr>
            </thead>
            <tbody>
              {p.labels.map(({ label, count }) => {
                const i = mapping.toClass.get(label);
                const how = mapping.how.get(label);
                const value = i === undefined ? '' : classes.labels[i].id;
                return (
                  <tr key={label} data-testid="mapping-row" data-label={label} data-mapped={i !== undefined}>
                    <th scope="row">{label}</th>
                    <td>{count}</td>
                    <td>
                      <select
                        aria-label={`Class for ${label}`}
                        value={value}
                        onChange={(e) => p.onOverride(label, e.target.value === '' ? null : e.target.value)}
                      >
                        <option value="">— not mapped —</option>
                        {classes.labels.map((l) => (
                          <option key={l.id} value={l.id}>
                            {l.name}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="muted">
                      {how ? HOW[how] : 'no match'}
                      {Object.hasOwn(p.overrides, label) && (
                        <button type="button" className="link" onClick={() => p.onOverride(label, undefined)}>
                          automatic
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
