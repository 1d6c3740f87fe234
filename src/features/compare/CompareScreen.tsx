import { useMemo, useState } from 'react';
import { Link } from 'wouter';
import type { Precision } from '../../core/backend-plan';
import { compareRankings } from '../../core/compare';
import { useAvailableBundles } from '../../state/bundles';
import { useCases } from '../../state/cases';
import { useCaseDiagnosis, useChosenLabelSet } from '../../state/diagnosis';
import { useCompareModel, useModel } from '../../state/model';
import { useSettings } from '../../state/settings';
import { LabelControls } from '../diagnose/LabelControls';
import { ComparisonView } from './ComparisonView';
import { ModelColumn } from './ModelColumn';

/**
 * The same photo (same crop) through two models: the settings' model (A) and a second one (B,
 * another bundle or the same one at the other precision), both differentials side by side, where
 * they agree and disagree, and their concept scores. The second model is freed when this screen closes.
 */
export function CompareScreen() {
  const cases = useCases((s) => s.cases);
  const activeId = useCases((s) => s.activeId);
  const settings = useSettings();
  const [caseId, setCaseId] = useState<string | null>(null);
  const c = cases.find((x) => x.id === (caseId ?? activeId)) ?? cases.at(-1) ?? null;
  const bundles = useAvailableBundles();
  const [bUrl, setBUrl] = useState<string | null>(null);
  const [bPrecision, setBPrecision] = useState<Precision | null>(null);
  const otherPrecision: Precision = settings.precision === 'exact' ? 'fast' : 'exact';
  const urlB = bUrl ?? settings.bundleUrl;
  const precisionB = bPrecision ?? otherPrecision;
  const prefB = { backend: settings.backend, numThreads: settings.numThreads, precision: precisionB };
  const sameAsA = urlB === settings.bundleUrl && precisionB === settings.precision;

  const a = useModel();
  const b = useCompareModel(sameAsA ? null : urlB, prefB);
  const labelSet = useChosenLabelSet();
  const da = useCaseDiagnosis(c, a.data, labelSet);
  const db = useCaseDiagnosis(c, sameAsA ? undefined : b.data, labelSet, { save: false });
  const comparison = useMemo(
    () => (da.diagnosis && db.diagnosis ? compareRankings(da.diagnosis.ranked, db.diagnosis.ranked, settings.topK) : null),
    [da.diagnosis, db.diagnosis, settings.topK],
  );

  if (!c) {
    return (
      <section className="panel" data-testid="compare-empty">
        <h2>Compare two models</h2>
        <p>
          There is no photo yet. <Link href="/">Open a photo on Diagnose</Link>, then come back to run it through two models.
        </p>
      </section>
    );
  }
  return (
    <div className="compare" data-testid="compare">
      <section className="panel">
        <h2>Compare two models</h2>
        <div className="controls">
          <label>
            Photo{' '}
            <select value={c.id} onChange={(e) => setCaseId(e.target.value)} data-testid="compare-case">
              {cases.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Second model{' '}
            <select value={urlB} onChange={(e) => setBUrl(e.target.value)} data-testid="compare-model-b">
              {(bundles.data ?? []).map((x) => (
                <option key={x.baseUrl} value={x.baseUrl}>
                  {x.name}
                  {x.demo ? ' (demo)' : ''}
                </option>
              ))}
            </select>
          </label>
          <label>
            Its precision{' '}
            <select value={precisionB} onChange={(e) => setBPrecision(e.target.value as Precision)} data-testid="compare-precision-b">
              <option value="fast">Fast (quantized)</option>
              <option value="exact">Exact (not quantized)</option>
            </select>
          </label>
        </div>
        <p className="muted">
          Same photo, same crop ({c.crop ? `${c.crop.size} px square at ${c.crop.x}, ${c.crop.y}` : 'centre crop'}), same labels and templates for both. The first model is the one chosen in <Link href="/settings">Settings</Link>.
        </p>
        {sameAsA && (
          <p className="notice warning" role="status" data-testid="compare-same">
            The second model is the first one at the same precision: choose another model or the other precision.
          </p>
        )}
        <LabelControls />
      </section>
      <div className="compare-columns">
        <ModelColumn title="A" view={a} result={da} topK={settings.topK} labelSetName={labelSet.name} testId="compare-a" />
        <ModelColumn title="B" view={sameAsA ? { data: undefined, isError: false, error: null } : b} result={db} topK={settings.topK} labelSetName={labelSet.name} testId="compare-b" />
      </div>
      {comparison && da.diagnosis && db.diagnosis && <ComparisonView comparison={comparison} conceptsA={da.diagnosis.concepts} conceptsB={db.diagnosis.concepts} />}
    </div>
  );
}
