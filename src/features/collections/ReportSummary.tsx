import type { ClassificationReport } from '../../core/eval/classification';
import { pct, score } from './metrics-format';

/** The headline metrics of one evaluation, as a definition list (side by side when several). */
export function ReportSummary({ report, title, testId }: { report: ClassificationReport; title: string; testId: string }) {
  return (
    <div className="report" data-testid={testId} data-accuracy={report.accuracy} data-balanced={report.balancedAccuracy} data-macro-f1={report.macroF1} data-auroc={report.auroc.value} data-n={report.n}>
      <h4>{title}</h4>
      <dl className="facts">
        <dt>Photos evaluated</dt>
        <dd>{report.n}</dd>
        <dt>Accuracy</dt>
        <dd>{pct(report.accuracy)}</dd>
        <dt>Balanced accuracy</dt>
        <dd>{pct(report.balancedAccuracy)}</dd>
        <dt>Macro F1</dt>
        <dd>{pct(report.macroF1)}</dd>
        {report.topK
          .filter((t) => t.k > 1)
          .map((t) => (
            <div key={t.k} className="fact">
              <dt>Top-{t.k} accuracy</dt>
              <dd>{pct(t.accuracy)}</dd>
            </div>
          ))}
        <dt>AUROC ({report.auroc.kind === 'binary' ? 'binary' : `one-vs-rest, macro over ${report.auroc.classesUsed} classes`})</dt>
        <dd>{score(report.auroc.value)}</dd>
      </dl>
    </div>
  );
}
