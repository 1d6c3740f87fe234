import type { ClassificationReport } from '../../core/eval/classification';
import type { LabelSet } from '../../core/labels';

/**
 * The confusion matrix as a heatmap: rows are true classes, columns predictions, each cell shaded
 * by its share of the row (so rare classes show as clearly as common ones). Classes with no photo
 * and no prediction are left out.
 */
export function ConfusionHeatmap({ report, classes }: { report: ClassificationReport; classes: LabelSet }) {
  const shown = report.perClass.map((c, i) => (c.present ? i : -1)).filter((i) => i >= 0);
  if (shown.length > 60) return <p className="muted">The confusion matrix has {shown.length} classes in use; download the per-photo CSV to study it.</p>;
  return (
    <div className="heatmap-wrap">
      <table className="heatmap" data-testid="confusion">
        <caption>Confusion matrix (rows: true class, columns: predicted; shade = share of the row)</caption>
        <thead>
          <tr>
            <td />
            {shown.map((j) => (
              <th key={j} scope="col" className="heat-col">
                <span>{classes.labels[j].name}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((i) => {
            const row = report.confusion[i];
            const total = row.reduce((a, b) => a + b, 0);
            return (
              <tr key={i}>
                <th scope="row">{classes.labels[i].name}</th>
                {shown.map((j) => {
                  const n = row[j];
                  const share = total ? n / total : 0;
                  return (
                    <td
                      key={j}
                      className={i === j ? 'diag' : undefined}
                      style={{ background: `rgba(11, 92, 173, ${share.toFixed(3)})`, color: share > 0.5 ? '#fff' : undefined }}
                      title={`true ${classes.labels[i].name}, predicted ${classes.labels[j].name}: ${n} (${(share * 100).toFixed(0)} % of the row)`}
                      data-testid="confusion-cell"
                      data-true={i}
                      data-pred={j}
                    >
                      {n || ''}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
