import { useMemo } from 'react';
import { useObjectUrl } from '../../components/useObjectUrl';
import { buildCaseExport, caseExportFileName } from '../../core/case-export';
import { checkpointOf } from '../../core/manifest';
import { toAppError } from '../../core/errors';
import { buildTree, openPath } from '../../core/hierarchy-tree';
import { templateSetById } from '../../core/prompts';
import { useCases, type SavedCase } from '../../state/cases';
import { ontologyTree, useCaseDiagnosis, useChosenLabelSet } from '../../state/diagnosis';
import type { LoadedModel } from '../../state/model';
import { useSettings } from '../../state/settings';
import { useTextProgress } from '../../state/text-progress';
import { SimilarCases } from '../collections/SimilarCases';
import { ConceptsView } from './ConceptsView';
import { CropEditor } from './CropEditor';
import { Differential } from './Differential';
import { HierarchyView } from './HierarchyView';
import { LabelControls } from './LabelControls';


function download(name: string, text: string) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export function DiagnoseView({ model, c }: { model: LoadedModel; c: SavedCase }) {
  const s = useSettings();
  const setCrop = useCases((st) => st.setCrop);
  const photoUrl = useObjectUrl(c.preview ?? c.photo);
  const labelSet = useChosenLabelSet();
  const { emb, classifier, diagnosis: d, error } = useCaseDiagnosis(c, model, labelSet);
  // Keyed on the roll-up only: a label-set change must not rebuild (or re-render) the hierarchy.
  const rolled = d?.rolled;
  const tree = useMemo(() => (rolled ? buildTree(ontologyTree, rolled) : []), [rolled]);
  const open = useMemo(() => (rolled ? openPath(ontologyTree, rolled) : new Set<string>()), [rolled]);
  const m = model.source.manifest;
  const textProgress = useTextProgress((st) => st.progress);

  const exportJson = () => {
    if (!d || !emb.data) return;
    const templates = templateSetById(s.templateSetId).templates;
    const data = buildCaseExport({
      caseName: c.name,
      createdAt: c.createdAt,
      bundleId: m.id,
      bundleName: m.name,
      demo: m.demo,
      checkpoint: checkpointOf(m),
      variant: emb.data.variant,
      backend: emb.data.backend,
      photoSha256: c.photoSha256,
      tensorSha256: emb.data.tensorSha256,
      photoSize: { width: c.width, height: c.height },
      crop: c.crop ?? null,
      embedding: emb.data.embedding,
      logitScale: m.logitScale,
      labelSet: { id: labelSet.id, name: labelSet.name },
      templateSet: { id: s.templateSetId, templates },
      ranked: d.ranked,
      concepts: d.concepts,
    });
    download(caseExportFileName({ caseName: c.name }), JSON.stringify(data, null, 2));
  };

  return (
    <div className="workspace">
      <section className="panel" aria-label="Photo">
        <CropEditor src={photoUrl} width={c.width} height={c.height} crop={c.crop} minSize={Math.min(m.image.size, c.width, c.height)} onChange={(crop) => setCrop(c.id, crop)} uncropped={m.image.resize === 'longest' ? 'padded' : m.image.resize === 'squash' ? 'squashed' : 'centre'} />
        <p className="muted" data-testid="case-caption">
          {c.name}: {c.width} × {c.height} px
          {emb.data && ` · ${emb.data.fromCache ? 'embedding from cache' : 'encoded now'} (${emb.data.variant}, ${emb.data.backend})`}
        </p>
        <div className="crop-tools">
          <button type="button" onClick={exportJson} disabled={!d} data-testid="export-json">
            Export case (JSON)
          </button>
          <button type="button" onClick={() => window.print()} disabled={!d}>
            Print summary
          </button>
        </div>
      </section>
      <div>
        <LabelControls />
        {error && (
          <p className="notice" role="alert" data-testid="diagnosis-error">
            {toAppError(error).message} <span className="hint">{toAppError(error).hint}</span>
          </p>
        )}
        {!d && !error && (
          <p role="status" className="muted" data-testid="diagnosis-pending">
            {emb.isFetching
              ? 'Running the image model…'
              : classifier.isFetching
                ? textProgress
                  ? `Encoding the labels' new prompts with the text model: ${textProgress.done.toLocaleString('en-US')} of ${textProgress.total.toLocaleString('en-US')}…`
                  : 'Preparing the labels…'
                : 'Waiting for the model…'}
          </p>
        )}
        {d && (
          <div className="results">
            <div className="panel">
              <Differential items={d.ranked} topK={s.topK} lowConfidence={d.lowConfidence} labelSetName={labelSet.name} ranBy={emb.data ? `${m.name}, ${emb.data.variant} on ${emb.data.backend === 'webgpu' ? 'WebGPU' : 'WASM'}` : undefined} />
            </div>
            <div className="panel">
              <ConceptsView items={d.concepts} />
            </div>
            <div className="panel wide">
              <HierarchyView roots={tree} openIds={open} />
            </div>
            {emb.data && <SimilarCases model={model} embedding={emb.data.embedding} tensorSha256={emb.data.tensorSha256} />}
          </div>
        )}
      </div>
    </div>
  );
}
