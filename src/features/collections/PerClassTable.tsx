import type { ClassificationReport } from '../../core/eval/classification';
import type { LabelSet } from '../../core/labels';
import { pct, score } from './metrics-format';

/** Precision, recall, F1, support and AUROC per class (classes with no photo and no prediction hidden unless asked). */
export function PerClassTable({ report, classes, showAll }: { report: ClassificationReport; classes: LabelSet; showAll: boolean }) {
  return (
    <table className="metrics-table" data-testid="per-class">
      <caption>Per class</caption>
      <thead>
        <tr>
          <th scope="col">Class</th>
          <th scope="col">Photos</th>
          <th scope="col">Predicted</th>
          <th scope="col">Precision</th>
          <th scope="col">Recall</th>
          <th scope="col">F1</th>
          <th scope="col">AUROC</th>
        </tr>
      </thead>
      <tbody>
        {report.perClass.map((c, i) =>
          !showAll && !c.present ? null : (
            <tr key={classes.labels[i].id} data-testid="per-class-row" data-class={classes.labels[i].name} data-precision={c.precision} data-recall={c.recall}>
              <th scope="row">{classes.labels[i].name}</th>
              <td>{c.support}</td>
              <td>{c.predicted}</td>
              <td>{pct(c.precision)}</td>
              <td>{pct(c.recall)}</td>
              <td>{pct(c.f1)}</td>
              <td>{score(c.auroc)}</td>
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
}
