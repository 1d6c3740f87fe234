import type { LabelSet } from '../../core/labels';
import type { GalleryFilter } from './gallery-items';

/** Filter the gallery by true class, predicted class, and right or wrong. */
export function GalleryFilters({ classes, filter, onChange, shown, total }: { classes: LabelSet | null; filter: GalleryFilter; onChange(f: GalleryFilter): void; shown: number; total: number }) {
  const num = (v: string) => (v === 'all' || v === 'none' ? v : Number(v));
  return (
    <div className="controls gallery-filters">
      <label>
        True class{' '}
        <select value={String(filter.truth)} onChange={(e) => onChange({ ...filter, truth: num(e.target.value) as GalleryFilter['truth'] })} data-testid="filter-truth">
          <option value="all">All</option>
          <option value="none">No label, or not mapped</option>
          {classes?.labels.map((l, i) => (
            <option key={l.id} value={i}>
              {l.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Predicted{' '}
        <select value={String(filter.predicted)} onChange={(e) => onChange({ ...filter, predicted: num(e.target.value) as GalleryFilter['predicted'] })} data-testid="filter-predicted">
          <option value="all">All</option>
          {classes?.labels.map((l, i) => (
            <option key={l.id} value={i}>
              {l.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Result{' '}
        <select value={filter.result} onChange={(e) => onChange({ ...filter, result: e.target.value as GalleryFilter['result'] })} data-testid="filter-result">
          <option value="all">All</option>
          <option value="correct">Correct</option>
          <option value="wrong">Wrong</option>
        </select>
      </label>
      <span className="muted" role="status" data-testid="gallery-count">
        {shown === total ? `${total} photos` : `${shown} of ${total} photos`}
      </span>
    </div>
  );
}
