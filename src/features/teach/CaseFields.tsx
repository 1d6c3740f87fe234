import { LabelPicker } from './LabelPicker';

/** The teacher's answer for one photo of a pack. */
export interface Answer {
  labelId: string;
  notes: string;
  source: string;
  license: string;
}

export const EMPTY_ANSWER: Answer = { labelId: '', notes: '', source: '', license: '' };

/** Diagnosis, notes, source and license of one chosen photo. */
export function CaseFields({ name, answer, onChange }: { name: string; answer: Answer; onChange: (patch: Partial<Answer>) => void }) {
  return (
    <fieldset className="maker-case-fields">
      <legend className="sr-only">Answer for {name}</legend>
      <LabelPicker value={answer.labelId} onChange={(labelId) => onChange({ labelId })} caseName={name} />
      <label>
        Notes for the reveal
        <textarea value={answer.notes} onChange={(e) => onChange({ notes: e.target.value })} rows={3} data-testid="maker-notes" />
      </label>
      <label>
        Source of the photo
        <input value={answer.source} onChange={(e) => onChange({ source: e.target.value })} data-testid="maker-source" placeholder="e.g. my clinic, with consent" />
      </label>
      <label>
        License of the photo
        <input value={answer.license} onChange={(e) => onChange({ license: e.target.value })} data-testid="maker-license" placeholder="e.g. CC BY 4.0" />
      </label>
    </fieldset>
  );
}
