import { useObjectUrl } from '../../components/useObjectUrl';
import type { Score } from '../../core/teach/quiz';
import type { PackCase, StoredPack } from '../../state/teach';

function Mistake({ c, photo, chosen }: { c: PackCase; photo: Blob; chosen: string }) {
  const url = useObjectUrl(photo);
  return (
    <li className="quiz-mistake" data-testid="quiz-mistake" data-case={c.id}>
      <img src={url} alt={`Case ${c.id}`} width={120} height={120} />
      <div>
        <p>
          You chose <strong>{chosen}</strong>; the answer is <strong>{c.diagnosis.name}</strong>.
        </p>
        {c.notes && <p className="muted">{c.notes.split(/\n{2,}/)[0]}</p>}
      </div>
    </li>
  );
}

/** The score at the end of a quiz and a review of the mistakes. */
export function QuizReview({ stored, score, nameOf }: { stored: StoredPack; score: Score; nameOf: (labelId: string) => string }) {
  const pct = score.total ? Math.round((100 * score.correct) / score.total) : 0;
  return (
    <div className="quiz-review" data-testid="quiz-review">
      <p className="quiz-final" data-testid="quiz-final" data-correct={score.correct} data-total={score.total}>
        Score: {score.correct} of {score.total} correct ({pct} %).
      </p>
      {score.mistakes.length === 0 ? (
        <p>No mistakes.</p>
      ) : (
        <>
          <h3>Review of your mistakes</h3>
          <ul className="quiz-mistakes">
            {score.mistakes.map((m) => {
              const c = stored.pack.cases.find((x) => x.id === m.caseId);
              return c ? <Mistake key={m.caseId} c={c} photo={stored.photos[c.photo]} chosen={nameOf(m.chosen)} /> : null;
            })}
          </ul>
        </>
      )}
    </div>
  );
}
