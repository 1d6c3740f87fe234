import { useState } from 'react';
import { downloadBlob } from '../../components/download';
import { metricsJson, perPhotoCsv } from '../../core/collections/report';
import type { CollectionMeta } from '../../core/collections/types';
import { toAppError } from '../../core/errors';
import { promptsForLabel, TEMPLATE_SETS, templateSetById } from '../../core/prompts';
import { modelIdentity, useCollectionEvaluation } from '../../state/collection-eval';
import { setMappingChoice } from '../../state/collections';
import type { LoadedModel } from '../../state/model';
import { useSettings } from '../../state/settings';
import { ConfusionHeatmap } from './ConfusionHeatmap';
import { PerClassTable } from './PerClassTable';
import { ProbePanel, type ProbeRun } from './ProbePanel';
import { ReportSummary } from './ReportSummary';
import { RetrievalTable } from './RetrievalTable';
import { StrataTable } from './StrataTable';
import { ClassListSelect } from './ClassListSelect';

const APP = 'DermLIP Explorer';

/** Zero-shot evaluation on the collection's labels, stratified, with the few-shot probe beside it, and the downloads. */
export function EvaluateTab({ meta, model }: { meta: CollectionMeta; model: LoadedModel | undefined }) {
  const [templateSetId, setTemplateSetId] = useState(useSettings.getState().templateSetId);
  const [stratifyBy, setStratifyBy] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  const [probe, setProbe] = useState<ProbeRun | null>(null);
  const ev = useCollectionEvaluation(meta, model, { labelSetId: meta.mapping.labelSetId, templateSetId, stratifyBy });
  const z = ev.zeroShot.data;
  const m = ev.matrix.data;
  if (meta.labels.length === 0) return <p className="muted">This collection has no labels: evaluation needs them (search works without).</p>;
  const probeOk = probe && m && probe.matrix === m ? probe : null;

  const downloadCsv = () => {
    if (!z || !ev.truth) return;
    const split = probeOk ? new Uint8Array(z.rows.length) : undefined;
    if (split && probeOk) {
      for (const i of probeOk.result.split.train) split[i] = 1;
      for (const i of probeOk.result.split.test) split[i] = 2;
    }
    const text = perPhotoCsv({
      rows: z.rows,
      classNames: z.classes.labels.map((l) => l.name),
      truth: ev.truth,
      probs: z.evaluation.probs,
      predicted: z.evaluation.predicted,
      metadataColumns: meta.metadataColumns,
      split,
      probeProbs: probeOk?.result.probe.probs,
      probePredicted: probeOk?.result.probe.predicted,
    });
    downloadBlob(`${meta.name}-per-photo.csv`, new Blob([text], { type: 'text/csv' }));
  };
  const downloadJson = () => {
    if (!z || !model || !ev.mapping) return;
    const templates = templateSetById(templateSetId).templates;
    const mapping = Object.fromEntries(meta.labels.map(({ label }) => [label, ev.mapping!.toClass.has(label) ? z.classes.labels[ev.mapping!.toClass.get(label)!].name : null]));
    const r = probeOk?.result;
    const text = metricsJson({
      collection: { name: meta.name, photos: meta.count, evaluated: z.evaluation.report.n, unmapped: ev.mapping.unmapped, labelSource: meta.labelSource },
      model: modelIdentity(model),
      classList: { id: z.classes.id, name: z.classes.name, classes: z.classes.labels.map((l) => ({ name: l.name, prompts: promptsForLabel(l, templates) })) },
      templates: { id: templateSetId, templates },
      mapping,
      zeroShot: { report: z.evaluation.report, strata: z.evaluation.strata },
      probe: r && probeOk ? { spec: probeOk.spec, seed: probeOk.seed, trainPerClass: r.split.trainPerClass, testPerClass: r.split.testPerClass, report: r.probe.report, zeroShotOnTest: r.zeroShot!.report, strata: r.probe.strata, iterations: r.probe.iterations, converged: r.probe.converged } : undefined,
      retrieval: ev.retrieval.data,
      date: new Date(),
      app: APP,
    });
    downloadBlob(`${meta.name}-metrics.json`, new Blob([text], { type: 'application/json' }));
  };

  return (
    <div className="evaluate">
      <div className="controls">
        <ClassListSelect meta={meta} value={meta.mapping.labelSetId} onChange={(id) => void setMappingChoice(meta.id, id).then(() => setProbe(null))} />
        <label>
          Prompt templates{' '}
          <select value={templateSetId} onChange={(e) => setTemplateSetId(e.target.value)} data-testid="eval-templates">
            {Object.values(TEMPLATE_SETS).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Stratify by{' '}
          <select value={stratifyBy ?? ''} onChange={(e) => setStratifyBy(e.target.value || null)} data-testid="eval-stratify">
            <option value="">(nothing)</option>
            {meta.metadataColumns.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
      </div>
      {ev.classesError !== null && <p className="notice">{toAppError(ev.classesError).message}</p>}
      {(ev.zeroShot.error || ev.classifier.error || ev.matrix.error) && (
        <p role="alert" className="notice">
          {toAppError(ev.zeroShot.error ?? ev.classifier.error ?? ev.matrix.error).message}
        </p>
      )}
      {m && m.rows.length === 0 && <p className="muted">No photo is indexed with this model yet.</p>}
      {!z && m && m.rows.length > 0 && !ev.zeroShot.error && <p role="status">Evaluating…</p>}
      {z && ev.mapping && (
        <>
          <p className="muted" data-testid="eval-summary" data-ms={z.ms}>
            {z.evaluation.report.n} of {meta.count} photos evaluated against {z.classes.name} ({z.classes.labels.length} classes) with {templateSetById(templateSetId).name}; computed from
            cached embeddings in {z.ms.toFixed(0)} ms.
            {ev.mapping.unmapped.length > 0 && ` Not mapped (left out): ${ev.mapping.unmapped.join(', ')}.`}
            {m && m.rows.length < meta.count && ` ${meta.count - m.rows.length} photos are not indexed (yet).`}
          </p>
          <div className="side-by-side">
            <ReportSummary report={z.evaluation.report} title="Zero-shot" testId="zeroshot-report" />
            {ev.retrieval.data && <RetrievalTable r={ev.retrieval.data} classListName={z.classes.name} />}
          </div>
          <div className="crop-tools">
            <button type="button" onClick={downloadCsv} data-testid="download-csv">
              Per-photo CSV
            </button>
            <button type="button" onClick={downloadJson} data-testid="download-json">
              Metrics JSON
            </button>
            <label>
              <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> Show classes with no photo
            </label>
          </div>
          {z.evaluation.strata.map((s) => (
            <StrataTable key={s.column} s={s} />
          ))}
          <ConfusionHeatmap report={z.evaluation.report} classes={z.classes} />
          <PerClassTable report={z.evaluation.report} classes={z.classes} showAll={showAll} />
        </>
      )}
      {model && m && ev.truth && ev.classifier.data && ev.classes && (
        <ProbePanel model={model} matrix={m} truth={ev.truth} classifier={ev.classifier.data} classes={ev.classes} stratifyBy={stratifyBy} run={probeOk} onRun={setProbe} />
      )}
    </div>
  );
}
