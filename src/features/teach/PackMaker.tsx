import { useState } from 'react';
import { useObjectUrl } from '../../components/useObjectUrl';
import { toAppError } from '../../core/errors';
import { useCases, type SavedCase } from '../../state/cases';
import { notify } from '../../state/notices';
import { makePackFromCases } from '../../state/teach';
import { LabelPicker } from './LabelPicker';

interface Draft {
  labelId: string;
  notes: string;
  source: string;
  license: string;
}

const EMPTY: Draft = { labelId: '', notes: '', source: '', license: '' };

function Thumb({ c }: { c: SavedCase }) {
  const url = useObjectUrl(c.thumbnail);
  return <img src={url} alt="" width={64} height={64} />;
}

/** What is missing before a pack can be saved (sentences), in form order. */
function problems(title: string, chosen: [SavedCase, Draft][]): string[] {
  const out: string[] = [];
  if (!title.trim()) out.push('Give the pack a title.');
  if (!chosen.length) out.push('Choose at least one saved case.');
  for (const [c, d] of chosen) {
    if (!d.labelId) out.push(`Choose the diagnosis of “${c.name}”.`);
    if (!d.source.trim()) out.push(`Say where the photo “${c.name}” comes from.`);
    if (!d.license.trim()) out.push(`Give the license of the photo “${c.name}”.`);
  }
  return out;
}

/** A pack from saved cases: each chosen case gets its answer, notes, source and license. */
export function PackMaker({ onMade }: { onMade: () => void }) {
  const cases = useCases((s) => s.cases);
  const [title, setTitle] = useState('');
  const [author, setAuthor] = useState('');
  const [description, setDescription] = useState('');
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [errors, setErrors] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const chosen = cases.filter((c) => drafts[c.id]).map((c): [SavedCase, Draft] => [c, drafts[c.id]]);
  const patch = (id: string, p: Partial<Draft>) => setDrafts((d) => ({ ...d, [id]: { ...d[id], ...p } }));
  const toggle = (id: string, on: boolean) =>
    setDrafts((d) => {
      const next = { ...d };
      if (on) next[id] = d[id] ?? EMPTY;
      else delete next[id];
      return next;
    });

  const save = async () => {
    const p = problems(title, chosen);
    setErrors(p);
    if (p.length) return;
    setSaving(true);
    try {
      const pack = await makePackFromCases({ title: title.trim(), author: author.trim(), description: description.trim(), cases: chosen.map(([c, d]) => ({ c, ...d })) });
      notify({ level: 'info', message: `Saved the teaching pack "${pack.title}" (${pack.cases.length} cases).` });
      setTitle('');
      setDescription('');
      setDrafts({});
      onMade();
    } catch (e) {
      setErrors([toAppError(e).message]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="panel pack-maker" aria-labelledby="maker-h" data-testid="pack-maker">
      <h2 id="maker-h">Make a pack from saved cases</h2>
      <p className="muted">
        Choose cases saved on the Diagnose screen, give each its diagnosis from the ontology, your notes for the reveal, and where the photo comes
        from with its license (a pack is meant to be shared: use only photos you may share).
      </p>
      <div className="maker-fields">
        <label>
          Title
          <input value={title} onChange={(e) => setTitle(e.target.value)} data-testid="pack-title" />
        </label>
        <label>
          Author
          <input value={author} onChange={(e) => setAuthor(e.target.value)} data-testid="pack-author" />
        </label>
        <label className="wide">
          Description
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
        </label>
      </div>
      {cases.length === 0 && <p data-testid="no-saved-cases">No saved cases yet: add photos on the Diagnose screen first.</p>}
      <ul className="maker-cases">
        {cases.map((c) => {
          const d = drafts[c.id];
          return (
            <li key={c.id} data-testid="maker-case">
              <label className="maker-include">
                <input type="checkbox" checked={Boolean(d)} onChange={(e) => toggle(c.id, e.target.checked)} data-testid="maker-include" />
                <Thumb c={c} />
                <span>Include “{c.name}”</span>
              </label>
              {d && (
                <fieldset className="maker-case-fields">
                  <legend className="sr-only">Answer for {c.name}</legend>
                  <LabelPicker value={d.labelId} onChange={(labelId) => patch(c.id, { labelId })} caseName={c.name} />
                  <label>
                    Notes for the reveal
                    <textarea value={d.notes} onChange={(e) => patch(c.id, { notes: e.target.value })} rows={3} data-testid="maker-notes" />
                  </label>
                  <label>
                    Source of the photo
                    <input value={d.source} onChange={(e) => patch(c.id, { source: e.target.value })} data-testid="maker-source" placeholder="e.g. my clinic, with consent" />
                  </label>
                  <label>
                    License of the photo
                    <input value={d.license} onChange={(e) => patch(c.id, { license: e.target.value })} data-testid="maker-license" placeholder="e.g. CC BY 4.0" />
                  </label>
                </fieldset>
              )}
            </li>
          );
        })}
      </ul>
      {errors.length > 0 && (
        <div className="notice" role="alert" data-testid="maker-errors">
          <ul className="maker-errors">
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      <button type="button" onClick={() => void save()} disabled={saving} data-testid="pack-save">
        {saving ? 'Saving…' : 'Save the pack'}
      </button>
    </section>
  );
}
