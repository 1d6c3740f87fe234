import type { ConvertStatus } from '../../state/convert';
import { formatBytes } from '../../components/format';

const STEPS = ['Check the files', 'Fingerprint the checkpoint (sha256)', 'Write the model files (4 variants x 2 encoders)', 'Compute the prompt table', 'Store and select the model'] as const;

const stepOf = (s: ConvertStatus | null) => (!s || s.phase === 'checking' ? 0 : s.phase === 'hashing' ? 1 : s.phase === 'writing' ? 2 : s.done < s.total ? 3 : 4);

function detail(s: ConvertStatus | null): string {
  if (!s || s.phase === 'checking') return 'reading the config and checking every tensor name and shape…';
  if (s.phase === 'hashing') return `${Math.floor((100 * s.loaded) / Math.max(1, s.total))} % of ${formatBytes(s.total)}`;
  if (s.phase === 'writing') return `file ${s.index + 1} of ${s.count}: ${s.file}, ${formatBytes(s.bytes)} of ${formatBytes(s.fileBytes)}`;
  const eta = s.etaS === null ? '' : s.etaS > 0 ? `, about ${s.etaS >= 90 ? `${Math.round(s.etaS / 60)} min` : `${s.etaS} s`} left` : '';
  return `${s.done} of ${s.total} prompts${eta} (a reload resumes here)`;
}

/** Where the conversion is: its steps, the current one with its progress. */
export function ConvertProgress({ status }: { status: ConvertStatus | null }) {
  const at = stepOf(status);
  return (
    <ol className="convert-steps" data-testid="convert-progress" data-step={at} data-done={status?.phase === 'prompts' ? status.done : undefined} data-text-weights={status?.phase === 'prompts' ? status.textWeights : undefined} aria-live="polite">
      {STEPS.map((label, i) => (
        <li key={label} className={i < at ? 'done' : i === at ? 'current' : 'todo'}>
          {label}
          {i < at && ' ✓'}
          {i === at && <span className="muted"> · {detail(status)}</span>}
        </li>
      ))}
    </ol>
  );
}
