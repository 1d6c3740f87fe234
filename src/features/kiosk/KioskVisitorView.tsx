import { useEffect, useRef } from 'react';
import type { KioskVisitor } from '../../state/kiosk';
import type { LoadedModel } from '../../state/model';
import { useEmbeddingDiagnosis } from '../../state/teach';
import { ModelView } from '../teach/ModelView';
import { MedicalNotice } from './MedicalNotice';

/** One visitor's photo and what the model sees in it; Done (or the idle time) wipes it. */
export function KioskVisitorView({ visitor, model, onDone, secondsLeft, idleSeconds }: { visitor: KioskVisitor; model: LoadedModel | undefined; onDone: () => void; secondsLeft: number | null; idleSeconds: number }) {
  const { diagnosis: d } = useEmbeddingDiagnosis(model, visitor.embedding);
  const done = useRef<HTMLButtonElement>(null);
  useEffect(() => done.current?.focus(), [visitor.id]);
  return (
    <section className="kiosk-result" aria-labelledby="kiosk-result-h" data-testid="kiosk-result" data-phase={visitor.phase}>
      <h1 id="kiosk-result-h">What the model sees in your photo</h1>
      <MedicalNotice />
      <div className="kiosk-result-body">
        {visitor.photoUrl && <img className="kiosk-photo" src={visitor.photoUrl} alt="Your photo" data-testid="kiosk-photo" />}
        <div>
          {visitor.phase === 'working' && (
            <p role="status" className="kiosk-working">
              The model is looking at your photo…
            </p>
          )}
          {visitor.phase === 'error' && visitor.error && (
            <p role="alert" className="kiosk-error" data-testid="kiosk-error">
              {visitor.error.message} {visitor.error.hint}
            </p>
          )}
          {visitor.phase === 'ready' && d && <ModelView d={d} top={5} concepts={5} branch={false} idPrefix="kiosk" level={2} />}
        </div>
      </div>
      <p className="kiosk-privacy">
        Your photo stays in this browser’s memory only. It is wiped when you press Done, or after {idleSeconds} seconds without a touch.
      </p>
      {secondsLeft !== null && (
        <p role="status" className="kiosk-countdown" data-testid="kiosk-countdown">
          Clearing in {secondsLeft} s: touch the screen to keep it.
        </p>
      )}
      <button ref={done} type="button" className="kiosk-done" onClick={onDone} data-testid="kiosk-done">
        Done
      </button>
    </section>
  );
}
