/** A metric as a percentage with one decimal; undefined metrics (no samples) as a dash. */
export function pct(v: number): string {
  return Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '—';
}

/** An AUROC or other 0..1 score with three decimals. */
export function score(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : '—';
}
