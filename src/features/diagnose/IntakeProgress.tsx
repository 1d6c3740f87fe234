import { useIntake } from '../../state/intake';

/** "Opening photo 3 of 30" while several photos are being opened, with a progress bar. */
export function IntakeProgress() {
  const { total, done, failed, current } = useIntake();
  if (total < 2 || done >= total) return null;
  const n = Math.min(done + 1, total);
  return (
    <div className="intake-progress" role="status" aria-live="polite" data-testid="intake-progress">
      <progress max={total} value={done} aria-label="Photos opened" />{' '}
      <span>
        Opening photo {n} of {total}
        {current ? `: ${current}` : ''}
        {failed ? ` (${failed} could not be opened)` : ''}
      </span>
    </div>
  );
}
