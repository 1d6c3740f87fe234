/** Files left out of a collection, each with its reason. */
export function SkippedFiles({ skipped, total }: { skipped: { path: string; reason: string }[]; total: number }) {
  if (total === 0) return null;
  return (
    <details className="skipped" data-testid="skipped-files">
      <summary>
        {total} file{total === 1 ? '' : 's'} skipped{total > skipped.length ? ` (first ${skipped.length} listed)` : ''}
      </summary>
      <ul>
        {skipped.map((s) => (
          <li key={s.path} data-testid="skipped-file">
            <code>{s.path}</code>: {s.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
