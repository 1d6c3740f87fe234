import { useNotices } from '../../state/notices';

/** Problems with the user's input or storage: specific, dismissible, never blocking. */
export function Notices() {
  const notices = useNotices((s) => s.notices);
  const dismiss = useNotices((s) => s.dismiss);
  if (!notices.length) return null;
  return (
    <div className="notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.level}`} role={n.level === 'error' ? 'alert' : 'status'} data-testid={`notice-${n.level}`}>
          <span>{n.message}</span>
          {n.hint && <span className="hint"> {n.hint}</span>}
          <button type="button" className="dismiss" onClick={() => dismiss(n.id)} aria-label="Dismiss this message">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
