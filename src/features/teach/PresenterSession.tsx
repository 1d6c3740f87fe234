import { useEffect, useMemo, useRef, useState } from 'react';
import { formatProb } from '../../components/ProbabilityBar';
import { useObjectUrl } from '../../components/useObjectUrl';
import { presenterKey, START, type PresenterState } from '../../core/teach/presenter';
import { quizChoices } from '../../core/teach/quiz';
import { seedOf } from '../../core/random';
import { ontologyTree } from '../../state/diagnosis';
import type { LoadedModel } from '../../state/model';
import { LEAF_LABELS, useEmbeddingDiagnosis, usePresenterTheme, type PreparedCase, type StoredPack } from '../../state/teach';
import { ModelView } from './ModelView';
import { SimilarStrip } from './SimilarStrip';

/** Choices shown to the room (the truth, the model's confusions, relatives from its branch). */
const ROOM_CHOICES = 4;

/**
 * One teaching session on the projector. Every reveal is a matrix product over the embedding
 * prepared before the session: the image encoder never runs here.
 */
export function PresenterSession({ stored, prepared, model, onLeave }: { stored: StoredPack; prepared: Record<string, PreparedCase>; model: LoadedModel; onLeave: () => void }) {
  const { pack } = stored;
  const [s, setS] = useState<PresenterState>(START);
  const theme = usePresenterTheme((t) => t.theme);
  const toggleTheme = usePresenterTheme((t) => t.toggle);
  const c = pack.cases[s.index];
  const { diagnosis: d } = useEmbeddingDiagnosis(model, prepared[c.id]?.embedding);
  const photoUrl = useObjectUrl(stored.photos[c.photo]);
  const root = useRef<HTMLDivElement>(null);
  const choices = useMemo(
    () => (d ? quizChoices({ truth: c.diagnosis.labelId, modelRanked: d.ranked, labels: LEAF_LABELS, tree: ontologyTree, n: ROOM_CHOICES, seed: seedOf(`${pack.id}/${c.id}`) }) : []),
    [d, c, pack.id],
  );
  const probOf = useMemo(() => new Map(d?.ranked.map((r, i) => [r.id, { prob: r.prob, rank: i + 1 }])), [d]);
  const total = pack.cases.length;

  useEffect(() => root.current?.focus(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const a = presenterKey(s, e.key, total, choices.length);
      if (!a) return;
      e.preventDefault();
      if (a.kind === 'leave') onLeave();
      else if (a.kind === 'theme') toggleTheme();
      else setS(a.state);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [s, total, choices.length, onLeave, toggleTheme]);

  const pick = s.picks[s.index];
  const truthRank = probOf.get(c.diagnosis.labelId)?.rank;
  const roomRight = pick !== undefined && choices[pick]?.labelId === c.diagnosis.labelId;
  const stageText = s.stage === 0 ? 'the question' : s.stage === 1 ? 'what the model sees' : 'the answer';

  return (
    <div ref={root} tabIndex={-1} className={`presenter theme-${theme}`} data-testid="presenter" data-index={s.index} data-stage={s.stage}>
      <header className="presenter-bar">
        <h1>{pack.title}</h1>
        <span data-testid="presenter-position">
          Case {s.index + 1} of {total}
        </span>
        <span className="presenter-keys" aria-hidden="true">
          ← → cases · Space reveal · 1–{choices.length || ROOM_CHOICES} room’s choice · T theme · Esc leave
        </span>
      </header>
      <p className="sr-only" aria-live="polite">
        Case {s.index + 1} of {total}, showing {stageText}.
      </p>
      {model.source.manifest.demo && <p className="presenter-demo">Demo model with random weights: its answers mean nothing.</p>}
      <div className="presenter-body">
        <figure className="presenter-photo">
          <img src={photoUrl} alt={`Case ${s.index + 1}`} />
          <figcaption>
            {c.source} · {c.license}
          </figcaption>
        </figure>
        <div className="presenter-text">
          <h2>{c.question}</h2>
          <ol className="room-choices">
            {choices.map((ch, i) => {
              const p = probOf.get(ch.labelId);
              const isTruth = s.stage === 2 && ch.labelId === c.diagnosis.labelId;
              return (
                <li key={ch.labelId} className={`${pick === i ? 'picked' : ''} ${isTruth ? 'truth' : ''}`} data-testid="presenter-choice" data-picked={pick === i} data-label={ch.labelId}>
                  <span className="choice-key">{i + 1}</span>
                  <span className="choice-name">{ch.name}</span>
                  {pick === i && <span className="choice-tag">room’s choice</span>}
                  {isTruth && <span className="choice-tag">✓ answer</span>}
                  {s.stage >= 1 && p && <span className="choice-prob">model {formatProb(p.prob)}</span>}
                </li>
              );
            })}
          </ol>
          {s.stage === 1 && d && <ModelView d={d} idPrefix="presenter" />}
          {s.stage === 1 && <SimilarStrip items={prepared[c.id]?.similar ?? []} />}
          {s.stage === 2 && (
            <section className="presenter-answer" aria-labelledby="answer-h" data-testid="presenter-answer">
              <h3 id="answer-h">
                Answer: <span data-testid="presenter-truth">{c.diagnosis.name}</span>
              </h3>
              <p>
                {pick === undefined ? 'The room did not choose.' : roomRight ? 'The room got it right.' : `The room chose ${choices[pick].name}.`}{' '}
                {d && truthRank && `The model’s top answer was ${d.ranked[0].name} (${formatProb(d.ranked[0].prob)}); it ranked the answer ${truthRank === 1 ? 'first' : `#${truthRank}`} of ${d.ranked.length}.`}
              </p>
              {c.notes && (
                <div className="presenter-notes" data-testid="presenter-notes">
                  {c.notes.split(/\n{2,}/).map((para, i) => (
                    <p key={i}>{para}</p>
                  ))}
                </div>
              )}
            </section>
          )}
        </div>
      </div>
    </div>
  );
}
