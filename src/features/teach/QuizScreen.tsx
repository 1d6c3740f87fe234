import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'wouter';
import { useObjectUrl } from '../../components/useObjectUrl';
import { quizChoices, quizPosition, recordAnswer, scoreAnswers, type Answer } from '../../core/teach/quiz';
import { seedOf } from '../../core/random';
import { ontologyTree } from '../../state/diagnosis';
import { useModel, type LoadedModel } from '../../state/model';
import { notifyError } from '../../state/notices';
import { LEAF_LABELS, loadQuizProgress, storeQuizProgress, useEmbeddingDiagnosis, usePack, usePreparedPack, type PreparedCase, type StoredPack } from '../../state/teach';
import { ModelView } from './ModelView';
import { PrepareStatus } from './PrepareStatus';
import { QuizReview } from './QuizReview';
import './teach.css';

const CHOICES = 5;
const nameOf = (id: string) => LEAF_LABELS.find((l) => l.id === id)?.name ?? id;

/** One question: choose (click or digit), then see the truth, the model's view and the notes. */
function Question({ stored, index, prepared, model, answer, onAnswer, onNext }: { stored: StoredPack; index: number; prepared: Record<string, PreparedCase>; model: LoadedModel; answer: Answer | undefined; onAnswer: (labelId: string) => void; onNext: () => void }) {
  const { pack } = stored;
  const c = pack.cases[index];
  const { diagnosis: d } = useEmbeddingDiagnosis(model, prepared[c.id]?.embedding);
  const photoUrl = useObjectUrl(stored.photos[c.photo]);
  const next = useRef<HTMLButtonElement>(null);
  const choices = useMemo(
    () => (d ? quizChoices({ truth: c.diagnosis.labelId, modelRanked: d.ranked, labels: LEAF_LABELS, tree: ontologyTree, n: CHOICES, seed: seedOf(`${pack.id}/${c.id}`) }) : []),
    [d, c, pack.id],
  );
  useEffect(() => {
    if (answer) {
      next.current?.focus();
      return;
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || (e.target as HTMLElement).closest?.('input, textarea, select')) return;
      const i = /^[1-9]$/.test(e.key) ? Number(e.key) - 1 : -1;
      if (i < 0 || i >= choices.length) return;
      e.preventDefault();
      onAnswer(choices[i].labelId);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [answer, choices, onAnswer]);

  const right = answer && answer.chosen === answer.truth;
  const rank = d ? d.ranked.findIndex((r) => r.id === c.diagnosis.labelId) + 1 : 0;
  return (
    <div className="quiz-question" data-testid="quiz-question" data-case={c.id} data-answered={Boolean(answer)}>
      <figure className="quiz-photo">
        <img src={photoUrl} alt={`Case ${index + 1}`} />
        <figcaption className="muted">
          {c.source} · {c.license}
        </figcaption>
      </figure>
      <div>
        <h3>{c.question}</h3>
        {!d && <p className="muted">Preparing the choices…</p>}
        <ol className="quiz-choices">
          {choices.map((ch, i) => {
            const mine = answer?.chosen === ch.labelId;
            const truth = answer && ch.labelId === c.diagnosis.labelId;
            return (
              <li key={ch.labelId}>
                <button type="button" onClick={() => onAnswer(ch.labelId)} disabled={Boolean(answer)} className={`${mine ? 'mine' : ''} ${truth ? 'truth' : ''}`} data-testid="quiz-choice" data-label={ch.labelId}>
                  <span className="choice-key">{i + 1}</span> {ch.name}
                  {mine && <span className="choice-tag"> your answer</span>}
                  {truth && <span className="choice-tag"> ✓ correct answer</span>}
                </button>
              </li>
            );
          })}
        </ol>
        {!answer && choices.length > 0 && <p className="muted">Press 1–{choices.length} or choose with the mouse.</p>}
        {answer && (
          <section className="quiz-feedback" aria-labelledby="feedback-h" data-testid="quiz-feedback" data-correct={right}>
            <div role="status">
              <h3 id="feedback-h">{right ? 'Correct.' : `Not quite: it is ${c.diagnosis.name}.`}</h3>
            </div>
            {d && <p>The model ranked {c.diagnosis.name} {rank === 1 ? 'first' : `#${rank}`} of {d.ranked.length}.</p>}
            {d && <ModelView d={d} top={5} concepts={5} idPrefix="quiz" />}
            {c.notes && (
              <div className="quiz-notes" data-testid="quiz-notes">
                {c.notes.split(/\n{2,}/).map((p, i) => (
                  <p key={i}>{p}</p>
                ))}
              </div>
            )}
            <button ref={next} type="button" onClick={onNext} data-testid="quiz-next">
              {index + 1 < pack.cases.length ? 'Next case' : 'See the score'}
            </button>
          </section>
        )}
      </div>
    </div>
  );
}

/** Quiz mode for self-study: progress kept on this device across visits (resume or start over). */
export function QuizScreen({ packId }: { packId: string }) {
  const model = useModel().data;
  const packQ = usePack(packId);
  const stored = packQ.data;
  const { prepared, progress, error } = usePreparedPack(model, stored);
  const { tablesReady } = useEmbeddingDiagnosis(model, undefined);
  const [answers, setAnswers] = useState<Answer[] | null>(null);
  /** The case on screen; null: the overview (resume / score). */
  const [current, setCurrent] = useState<number | null>(null);

  useEffect(() => {
    loadQuizProgress(packId)
      .then((p) => setAnswers(p.answers))
      .catch((e: unknown) => {
        notifyError(e, 'warning');
        setAnswers([]);
      });
  }, [packId]);

  if (packQ.isPending || answers === null) return <p className="muted">Reading the pack…</p>;
  if (!stored) {
    return (
      <section className="panel" data-testid="pack-missing">
        <h2>No such teaching pack</h2>
        <p>
          There is no pack “{packId}” on this device. <Link href="/teach">Back to Teach</Link>.
        </p>
      </section>
    );
  }
  const ids = stored.pack.cases.map((c) => c.id);
  const pos = quizPosition(ids, answers);
  const score = scoreAnswers(pos.answered);
  const save = (next: Answer[]) => {
    setAnswers(next);
    storeQuizProgress({ packId, answers: next, updatedAt: Date.now() }).catch((e: unknown) => notifyError(e, 'warning'));
  };
  const ready = Boolean(model && prepared && tablesReady);

  return (
    <section className="panel quiz" aria-labelledby="quiz-h" data-testid="quiz">
      <h2 id="quiz-h">Quiz: {stored.pack.title}</h2>
      <p className="muted" data-testid="quiz-score">
        {score.total} of {ids.length} answered · {score.correct} correct
      </p>
      {!ready && <PrepareStatus progress={progress} total={ids.length} modelReady={Boolean(model)} tablesReady={tablesReady} error={error} />}
      {ready && current !== null && model && prepared && (
        <Question
          key={ids[current]}
          stored={stored}
          index={current}
          prepared={prepared}
          model={model}
          answer={pos.answered.find((a) => a.caseId === ids[current])}
          onAnswer={(labelId) => save(recordAnswer(answers, { caseId: ids[current], chosen: labelId, truth: stored.pack.cases[current].diagnosis.labelId }))}
          onNext={() => setCurrent(quizPosition(ids, answers).next)}
        />
      )}
      {ready && current === null && (
        <div className="quiz-overview" data-testid="quiz-overview">
          {pos.next !== null ? (
            <p>
              {score.total === 0 ? `${ids.length} cases. Choose the most likely diagnosis of each; then see what the model saw and the answer.` : `You answered ${score.total} of ${ids.length}; ${ids.length - score.total} to go.`}{' '}
              <button type="button" onClick={() => setCurrent(pos.next)} data-testid="quiz-resume" autoFocus>
                {score.total === 0 ? 'Start' : 'Resume'}
              </button>
            </p>
          ) : (
            <QuizReview stored={stored} score={score} nameOf={nameOf} />
          )}
          {score.total > 0 && (
            <p>
              <button
                type="button"
                onClick={() => {
                  save([]);
                  setCurrent(null);
                }}
                data-testid="quiz-restart"
                autoFocus={pos.next === null}
              >
                Start over
              </button>
            </p>
          )}
        </div>
      )}
      <p>
        <Link href="/teach">Back to Teach</Link>
      </p>
    </section>
  );
}
