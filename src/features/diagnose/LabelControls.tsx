import { useState } from 'react';
import { CUSTOM_LABEL_LIMITS as LIMITS, MAX_CUSTOM_PROMPTS, parseCustomLabelList } from '../../core/custom-labels';
import { TEMPLATE_SETS, templateSetById } from '../../core/prompts';
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
  // A saved list this version refuses (e.g. over the limits) says so at once; the leaves are ranked instead.
  const [error, setError] = useState<string | null>(() => (s.labelSetId === 'custom' ? check(s.customLabels).error : null));
  const [summary, setSummary] = useState<string | null>(null);
  const applyCustom = () => {
    const r = check(draft);
    setError(r.error);
    if (r.error) return;
    const prompts = r.names * templateSetById(s.templateSetId).templates.length;
    setSummary(`${r.labels} labels, ${r.names} names, ${prompts} prompts${r.duplicates ? `; ${r.duplicates} duplicate ${r.duplicates === 1 ? 'label' : 'labels'} dropped` : ''}.`);
    s.update({ customLabels: draft, labelSetId: 'custom' });
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
      <details className="custom-labels" open={error ? true : undefined}>
        <summary>My own labels</summary>
        <label>
          One label per line (or separated by commas); "a | b" gives one label two names.
          <textarea value={draft} onChange={(e) => setDraft(e.target.value)} data-testid="custom-labels" dir="auto" placeholder={'melanoma\nnevus\nseborrheic keratosis'} />
        </label>
        <p className="muted" data-testid="custom-limits">
          Up to {LIMITS.labels.toLocaleString('en-US')} labels and {LIMITS.names.toLocaleString('en-US')} names in all (a label and each of its aliases count), {LIMITS.namesPerLabel} names per label, {LIMITS.nameLength} characters per name: at most{' '}
          {MAX_CUSTOM_PROMPTS.toLocaleString('en-US')} prompts for the text model. Names that are not in the model's precomputed list are encoded on this device (progress is shown).
        </p>
        <button type="button" onClick={applyCustom} data-testid="custom-apply">
          Rank with these labels
        </button>
        {error && (
          <p role="alert" className="notice" data-testid="custom-error">
            {error}
          </p>
        )}
        {!error && summary && (
          <p role="status" className="muted" data-testid="custom-summary">
            Ranking with {summary}
          </p>
        )}
      </details>
    </div>
  );
}

/** The list's counts, or why it is refused (the message and its hint). */
function check(text: string): { error: string | null; labels: number; names: number; duplicates: number } {
  try {
    const r = parseCustomLabelList(text);
    return { error: null, labels: r.labels.length, names: r.names, duplicates: r.duplicates };
  } catch (e) {
    const err = toAppError(e);
    return { error: `${err.message}${err.hint ? ` ${err.hint}` : ''}`, labels: 0, names: 0, duplicates: 0 };
  }
}
