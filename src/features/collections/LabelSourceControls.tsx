import type { LabelChoice } from '../../state/collection-import';
import type { ScannedSource } from '../../state/collection-sources';

/** Where the labels come from: which CSV and which two of its columns, the folders, or none. */
export function LabelSourceControls({ source, choice, onChange }: { source: ScannedSource; choice: LabelChoice; onChange(c: LabelChoice): void }) {
  const readable = source.csvs.filter((c) => c.table);
  const csv = choice.kind === 'csv' ? readable.find((c) => c.path === choice.csvPath) : undefined;
  const columns = csv?.table?.columns ?? [];
  const pickCsv = (path: string) => {
    const t = readable.find((c) => c.path === path)?.table;
    if (t) onChange({ kind: 'csv', csvPath: path, idColumn: t.columns[0], labelColumn: t.columns[1] ?? t.columns[0] });
  };
  return (
    <fieldset className="label-source">
      <legend>Labels</legend>
      <div className="crop-tools">
        <label>
          From{' '}
          <select
            value={choice.kind === 'csv' ? `csv:${choice.csvPath}` : choice.kind}
            onChange={(e) => (e.target.value.startsWith('csv:') ? pickCsv(e.target.value.slice(4)) : onChange({ kind: e.target.value as 'folders' | 'none' }))}
            data-testid="label-source"
          >
            {readable.map((c) => (
              <option key={c.path} value={`csv:${c.path}`}>
                {c.path} (CSV)
              </option>
            ))}
            <option value="folders">the folder each photo is in</option>
            <option value="none">no labels</option>
          </select>
        </label>
        {choice.kind === 'csv' && (
          <>
            <label>
              Photo column{' '}
              <select value={choice.idColumn} onChange={(e) => onChange({ ...choice, idColumn: e.target.value })} data-testid="label-id-column">
                {columns.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <label>
              Label column{' '}
              <select value={choice.labelColumn} onChange={(e) => onChange({ ...choice, labelColumn: e.target.value })} data-testid="label-column">
                {columns.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
          </>
        )}
      </div>
      {source.csvs
        .filter((c) => c.error)
        .map((c) => (
          <p key={c.path} className="notice warning" role="alert">
            {c.path} could not be read: {c.error}
          </p>
        ))}
    </fieldset>
  );
}
