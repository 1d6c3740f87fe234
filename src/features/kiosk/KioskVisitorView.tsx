import type { KioskVisitor } from '../../state/kiosk';
import type { LoadedModel } from '../../state/model';
import { useEmbeddingDiagnosis } from '../../state/teach';
import { ModelView } from '../teach/ModelView';
import { MedicalNotice } from './MedicalNotice';

/** One visitor's photo and what the model sees in it (Done is in the kiosk's footer). */
export function KioskVisitorView({ visitor, model }: { visitor: KioskVisitor; model: LoadedModel | undefined }) {
  const { diagnosis: d } = useEmbeddingDiagnosis(model, visitor.embedding);
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
          {visitor.phase === 'ready' && d && <ModelView d={d} top={5} concepts={4} branch={false} idPrefix="kiosk" level={2} />}
        </div>
      </div>
    </section>
  );
}
