/** A labelled probability bar; the number is in the text, the bar is decoration. */
export function ProbabilityBar({ value, max = 1 }: { value: number; max?: number }) {
  const pct = Math.max(0, Math.min(1, value / (max || 1))) * 100;
  return (
    <span className="prob-bar" aria-hidden="true">
      <span className="prob-fill" style={{ width: `${pct}%` }} />
    </span>
  );
}

export function formatProb(p: number): string {
  if (p >= 0.995) return '>99%';
  if (p < 0.001) return '<0.1%';
  return p < 0.1 ? `${(p * 100).toFixed(1)}%` : `${Math.round(p * 100)}%`;
}
