import type { CrossModalRetrieval } from '../../core/eval/retrieval';

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}` : '—');

/** R@1/5/10 both ways, as the paper's retrieval table (texts = the class list's prompts). */
export function RetrievalTable({ r, classListName }: { r: CrossModalRetrieval; classListName: string }) {
  const ks = r.imageToText.recall.map((x) => x.k);
  return (
    <div>
      <table className="metrics-table" data-testid="retrieval-table">
        <caption>Retrieval by label against {classListName} (%)</caption>
        <thead>
          <tr>
            <th scope="col">Direction</th>
            {ks.map((k) => (
              <th key={k} scope="col">
                R@{k}
              </th>
            ))}
            <th scope="col">Median rank</th>
            <th scope="col">Queries</th>
          </tr>
        </thead>
        <tbody>
          {(
            [
              ['Photo → text', r.imageToText],
              ['Text → photo', r.textToImage],
            ] as const
          ).map(([name, d]) => (
            <tr key={name} data-testid="retrieval-row">
              <th scope="row">{name}</th>
              {d.recall.map((x) => (
                <td key={x.k} data-k={x.k} data-value={x.recall}>
                  {pct(x.recall)}
                </td>
              ))}
              <td>{Number.isFinite(d.medianRank) ? d.medianRank : '—'}</td>
              <td>
                {d.queries}
                {d.skipped > 0 && <span className="muted"> ({d.skipped} skipped)</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Photo → text: the photo's class among the k class texts it matches best. Text → photo: a photo of the class among the k photos that best match
        the class's text. Photos without a mapped label are skipped.
      </p>
    </div>
  );
}
