import type { Stratification } from '../../core/eval/stratify';
import { pct, score } from './metrics-format';

/** Every headline metric per value of a metadata column (Fitzpatrick type, body site...). */
export function StrataTable({ s, compare }: { s: Stratification; compare?: Stratification }) {
  const other = new Map(compare?.strata.map((x) => [x.value, x]));
  return (
    <table className="metrics-table" data-testid="strata">
      <caption>
        By {s.column}
        {compare && ' (zero-shot / probe, on the test photos)'}
      </caption>
      <thead>
        <tr>
          <th scope="col">{s.column}</th>
          <th scope="col">Photos</th>
          <th scope="col">Evaluated</th>
          <th scope="col">Accuracy</th>
          <th scope="col">Balanced accuracy</th>
          <th scope="col">Macro F1</th>
          <th scope="col">AUROC</th>
        </tr>
      </thead>
      <tbody>
        {s.strata.map((x) => {
          const y = other.get(x.value);
          const two = (f: (r: typeof x.report) => string) => (y ? `${f(x.report)} / ${f(y.report)}` : f(x.report));
          return (
            <tr key={x.value ?? '\u0000'} data-testid="stratum" data-value={x.value ?? ''} data-n={x.n} data-accuracy={x.report.accuracy}>
              <th scope="row">{x.value ?? '(empty)'}</th>
              <td>{x.samples}</td>
              <td>{x.n}</td>
              <td>{two((r) => pct(r.accuracy))}</td>
              <td>{two((r) => pct(r.balancedAccuracy))}</td>
              <td>{two((r) => pct(r.macroF1))}</td>
              <td>{two((r) => score(r.auroc.value))}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
