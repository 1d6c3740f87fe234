import { toAppError } from '../../core/errors';
import type { useCaseDiagnosis } from '../../state/diagnosis';
import type { ModelView } from '../../state/model';
import { ConceptsView } from '../diagnose/ConceptsView';
import { Differential } from '../diagnose/Differential';

interface Props {
  title: string;
  view: ModelView;
  result: ReturnType<typeof useCaseDiagnosis>;
  topK: number;
  labelSetName: string;
  testId: string;
}

/** One model's answer: which model and variant ran, its differential and its concepts. */
export function ModelColumn({ title, view, result, topK, labelSetName, testId }: Props) {
  const m = view.data?.source.manifest;
  const ran = result.emb.data;
  const error = view.isError ? view.error : result.error;
  return (
    <section className="panel" aria-label={`Model ${title}`} data-testid={testId}>
      <h3>
        {title}: {m ? m.name : 'loading…'}
        {m?.demo && <span className="tag demo">demo, random weights</span>}
      </h3>
      <p className="muted" data-testid={`${testId}-variant`} data-variant={ran?.variant ?? ''}>
        {ran ? `Variant ${ran.variant} on ${ran.backend === 'webgpu' ? 'WebGPU' : 'WASM (CPU)'}${ran.fromCache ? ', embedding from cache' : ''}` : m ? 'Running…' : 'Loading the model…'}
      </p>
      {error != null && (
        <p className="notice" role="alert">
          {toAppError(error).message} <span className="hint">{toAppError(error).hint}</span>
        </p>
      )}
      {result.diagnosis && (
        <>
          <Differential items={result.diagnosis.ranked} topK={topK} lowConfidence={result.diagnosis.lowConfidence} labelSetName={labelSetName} headingId={`${testId}-diff-h`} />
          <ConceptsView items={result.diagnosis.concepts} headingId={`${testId}-conc-h`} />
        </>
      )}
    </section>
  );
}
