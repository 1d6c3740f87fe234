import { useState } from 'react';
import { parseCustomLabels } from '../../core/labels';
import { TEMPLATE_SETS } from '../../core/prompts';
import { toAppError } from '../../core/errors';
import { BUILTIN_LABEL_SETS } from '../../state/diagnosis';
import { useSettings } from '../../state/settings';

const groups = [
  { name: 'Derm1M ontology', kind: 'ontology' },
  { name: 'Benchmark class lists', kind: 'preset' },
] as const;

/** Which labels to rank against, with which prompt templates; plus the user's own list. */
export function LabelControls() {
  const s = useSettings();
  const [draft, setDraft] = useState(s.customLabels);
  const [error, setError] = useState<string | null>(null);
  const applyCustom = () => {
    try {
      parseCustomLabels(draft);
      setError(null);
      s.update({ customLabels: draft, labelSetId: 'custom' });
    } catch (e) {
      const err = toAppError(e);
      setError(`${err.message}${err.hint ? ` ${err.hint}` : ''}`);
    }
  };
  return (
    <div className="controls">
      <label>
        Label set
        <select value={s.labelSetId} onChange={(e) => s.update({ labelSetId: e.target.value })} data-testid="label-set">
          {groups.map((g) => (
            <optgroup key={g.kind} label={g.name}>
              {BUILTIN_LABEL_SETS.filter((l) => l.kind === g.kind).map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name} ({l.labels.length})
                </option>
              ))}
            </optgroup>
          ))}
          {s.customLabels && (
            <optgroup label="Yours">
              <option value="custom">My labels</option>
            </optgroup>
          )}
        </select>
      </label>
      <label>
        Prompt templates
        <select value={s.templateSetId} onChange={(e) => s.update({ templateSetId: e.target.value })} data-testid="template-set">
          {Object.values(TEMPLATE_SETS).map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Show top
        <select value={s.topK} onChange={(e) => s.update({ topK: Number(e.target.value) })}>
          {[3, 5, 10, 20].map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <details className="custom-labels">
        <summary>My own labels</summary>
        <label>
          One label per line (or separated by commas); "a | b" gives one label two names.
          <textarea value={draft} onChange={(e) => setDraft(e.target.value)} data-testid="custom-labels" placeholder={'melanoma\nnevus\nseborrheic keratosis'} />
        </label>
        <button type="button" onClick={applyCustom} data-testid="custom-apply">
          Rank with these labels
        </button>
        {error && (
          <p role="alert" className="notice">
            {error}
          </p>
        )}
      </details>
    </div>
  );
}
