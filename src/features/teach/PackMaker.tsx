import { useState } from 'react';
import { useObjectUrl } from '../../components/useObjectUrl';
import { draftProblems } from '../../core/teach/draft';
import { toAppError } from '../../core/errors';
import { useCases, type SavedCase } from '../../state/cases';
import { notify } from '../../state/notices';
import { makePack, type PackDraftCase } from '../../state/teach';
import { collectionPhoto } from '../../state/teach-collections';
import { CaseFields, EMPTY_ANSWER, type Answer } from './CaseFields';
import { CollectionPicker, type Pick } from './CollectionPicker';

function Thumb({ c }: { c: SavedCase }) {
  const url = useObjectUrl(c.thumbnail);
  return <img src={url} alt="" width={64} height={64} />;
}

type Picked = Pick & { answer: Answer };

/**
 * A pack from saved cases and collection photos: each chosen photo gets its diagnosis, notes,
 * source and license (a collection photo's are prefilled from its true label and metadata).
 */
export function PackMaker({ onMade }: { onMade: () => void }) {
  const cases = useCases((s) => s.cases);
  const [title, setTitle] = useState('');
  const [author, setAuthor] = useState('');
  const [description, setDescription] = useState('');
  const [drafts, setDrafts] = useState<Record<string, Answer>>({});
  const [picked, setPicked] = useState<Picked[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const patch = (id: string, p: Partial<Answer>) => setDrafts((d) => ({ ...d, [id]: { ...d[id], ...p } }));
  const patchPicked = (key: string, p: Partial<Answer>) => setPicked((all) => all.map((x) => (x.key === key ? { ...x, answer: { ...x.answer, ...p } } : x)));
  const toggle = (id: string, on: boolean) =>
    setDrafts((d) => {
      const next = { ...d };
      if (on) next[id] = d[id] ?? EMPTY_ANSWER;
      else delete next[id];
      return next;
    });
  const togglePicked = (p: Pick, prefill: Omit<Answer, 'notes'> | null) =>
    setPicked((all) => (prefill ? [...all.filter((x) => x.key !== p.key), { ...p, answer: { ...prefill, notes: '' } }] : all.filter((x) => x.key !== p.key)));
  const chosen: PackDraftCase[] = [
    ...cases
      .filter((c) => drafts[c.id])
      .map((c) => ({ name: c.name, type: c.photo.type, photoSha256: c.photoSha256, crop: c.crop, photo: () => Promise.resolve(c.photo), ...drafts[c.id] })),
    ...picked.map((p) => ({ name: p.entry.name, type: '', photoSha256: p.entry.photoSha256, photo: () => collectionPhoto(p.entry, p.collection.name), ...p.answer })),
  ];

  const save = async () => {
    const p = draftProblems(title, chosen);
    setErrors(p);
    if (p.length) return;
    setSaving(true);
    try {
      const pack = await makePack({ title: title.trim(), author: author.trim(), description: description.trim(), cases: chosen });
      notify({ level: 'info', message: `Saved the teaching pack "${pack.title}" (${pack.cases.length} cases).` });
      setTitle('');
      setDescription('');
      setDrafts({});
      setPicked([]);
      onMade();
    } catch (e) {
      setErrors([toAppError(e).message]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="panel pack-maker" aria-labelledby="maker-h" data-testid="pack-maker">
      <h2 id="maker-h">Make a pack</h2>
      <p className="muted">
        Choose cases saved on the Diagnose screen or photos from a collection, give each its diagnosis from the ontology, your notes for the reveal, and
        where the photo comes from with its license (a pack is meant to be shared: use only photos you may share).
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
      <h3>Saved cases</h3>
      {cases.length === 0 && <p data-testid="no-saved-cases">No saved cases yet: add photos on the Diagnose screen.</p>}
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
              {d && <CaseFields name={c.name} answer={d} onChange={(p) => patch(c.id, p)} />}
            </li>
          );
        })}
      </ul>
      <h3>Photos from a collection</h3>
      <CollectionPicker chosen={new Set(picked.map((p) => p.key))} onToggle={togglePicked} />
      {picked.length > 0 && (
        <>
          <h4>Chosen collection photos ({picked.length})</h4>
          <ul className="maker-cases">
            {picked.map((p) => (
              <li key={p.key} data-testid="maker-picked" data-name={p.entry.name}>
                <p className="maker-picked-name">
                  “{p.entry.name}” from “{p.collection.name}”{p.entry.label !== undefined && ` (true label: ${p.entry.label})`}{' '}
                  <button type="button" onClick={() => togglePicked(p, null)} aria-label={`Remove “${p.entry.name}” from the pack`} data-testid="maker-picked-remove">
                    Remove
                  </button>
                </p>
                <CaseFields name={p.entry.name} answer={p.answer} onChange={(x) => patchPicked(p.key, x)} />
              </li>
            ))}
          </ul>
        </>
      )}
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
