import { useState } from 'react';
import { toAppError } from '../../core/errors';
import type { ProbeComparison } from '../../core/eval/evaluate';
import type { SplitSpec } from '../../core/eval/split';
import type { LabelSet } from '../../core/labels';
import type { Classifier } from '../../core/zeroshot';
import type { CollectionMatrix } from '../../state/collection-data';
import { runProbe } from '../../state/collection-eval';
import type { LoadedModel } from '../../state/model';
import { PerClassTable } from './PerClassTable';
import { ReportSummary } from './ReportSummary';
import { StrataTable } from './StrataTable';

export interface ProbeRun {
  result: ProbeComparison;
  ms: number;
  spec: SplitSpec;
  seed: number;
  /** The matrix and truth it ran on (for the per-photo CSV). */
  matrix: CollectionMatrix;
}

/**
 * The few-shot linear probe: k photos per class (or a share of the labels) chosen with a seed, a
 * logistic regression trained on their embeddings in the worker, and zero-shot beside it on the
 * same test photos.
 */
export function ProbePanel(p: { model: LoadedModel; matrix: CollectionMatrix; truth: Int32Array; classifier: Classifier; classes: LabelSet; stratifyBy: string | null; run: ProbeRun | null; onRun(r: ProbeRun | null): void }) {
  const [kind, setKind] = useState<'shots' | 'fraction'>('shots');
  const [shots, setShots] = useState(4);
  const [percent, setPercent] = useState(10);
  const [seed, setSeed] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const train = async () => {
    setBusy(true);
    setError(null);
    const spec: SplitSpec = kind === 'shots' ? { kind, shots } : { kind, fraction: percent / 100 };
    try {
      const { result, ms } = await runProbe(p.model, p.matrix, p.truth, p.classifier, { split: spec, seed }, p.stratifyBy);
      p.onRun({ result, ms, spec, seed, matrix: p.matrix });
    } catch (e) {
      const err = toAppError(e);
      setError(`${err.message}${err.hint ? ` ${err.hint}` : ''}`);
    } finally {
      setBusy(false);
    }
  };
  const r = p.run?.result;
  return (
    <section className="panel" aria-labelledby="probe-h" data-testid="probe">
      <h3 id="probe-h">Few-shot linear probe</h3>
      <div className="controls">
        <label>
          Training photos{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as 'shots' | 'fraction')} data-testid="probe-kind">
            <option value="shots">per class</option>
            <option value="fraction">share of the labels</option>
          </select>
        </label>
        {kind === 'shots' ? (
          <label>
            Shots per class <input type="number" min={1} max={1000} value={shots} onChange={(e) => setShots(Number(e.target.value))} data-testid="probe-shots" />
          </label>
        ) : (
          <label>
            Percent <input type="number" min={0.1} max={99} step={0.1} value={percent} onChange={(e) => setPercent(Number(e.target.value))} data-testid="probe-percent" />
          </label>
        )}
        <label>
          Seed <input type="number" value={seed} onChange={(e) => setSeed(Math.trunc(Number(e.target.value)))} data-testid="probe-seed" />
        </label>
        <button type="button" onClick={() => void train()} disabled={busy} data-testid="probe-train">
          {busy ? 'Training…' : 'Train the probe'}
        </button>
      </div>
      <p className="muted">Multinomial logistic regression (L2, C = 1) on the image embeddings, trained in the background worker; the same metrics on the photos left for testing.</p>
      {error && (
        <p role="alert" className="notice">
          {error}
        </p>
      )}
      {r && p.run && (
        <div data-testid="probe-result">
          <p className="muted" data-testid="probe-split">
            Seed {p.run.seed}: {r.split.train.length} training photos ({r.split.trainPerClass.join(' / ')} per class), {r.split.test.length} test photos; trained in {p.run.ms.toFixed(0)} ms ({r.probe.iterations} iterations
            {r.probe.converged ? '' : ', not converged'}).
          </p>
          <div className="side-by-side">
            {r.zeroShot && <ReportSummary report={r.zeroShot.report} title="Zero-shot (test photos)" testId="probe-zeroshot-report" />}
            <ReportSummary report={r.probe.report} title="Linear probe (test photos)" testId="probe-report" />
          </div>
          <details>
            <summary>Probe per class</summary>
            <PerClassTable report={r.probe.report} classes={p.classes} showAll={false} />
          </details>
          {r.zeroShot && r.zeroShot.strata.map((s, i) => <StrataTable key={s.column} s={s} compare={r.probe.strata[i]} />)}
        </div>
      )}
    </section>
  );
}
