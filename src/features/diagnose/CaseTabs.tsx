import { useObjectUrl } from '../../components/useObjectUrl';
import { useCases, type SavedCase } from '../../state/cases';

function Thumb({ c }: { c: SavedCase }) {
  const url = useObjectUrl(c.thumbnail);
  return <img src={url} alt="" width={48} height={48} />;
}

/** Open cases, one tab each; saved locally, deletable one by one or all. */
export function CaseTabs() {
  const cases = useCases((s) => s.cases);
  const activeId = useCases((s) => s.activeId);
  const select = useCases((s) => s.select);
  const remove = useCases((s) => s.remove);
  const removeAll = useCases((s) => s.removeAll);
  if (!cases.length) return null;
  return (
    <nav className="case-tabs" aria-label="Cases">
      <ul role="tablist">
        {cases.map((c) => (
          <li key={c.id} className={c.id === activeId ? 'active' : ''}>
            <button type="button" role="tab" aria-selected={c.id === activeId} onClick={() => select(c.id)} data-testid="case-tab">
              <Thumb c={c} />
              <span className="case-name">{c.name}</span>
            </button>
            <button type="button" className="dismiss" onClick={() => void remove(c.id)} aria-label={`Delete case ${c.name}`} data-testid="case-delete">
              ×
            </button>
          </li>
        ))}
      </ul>
      <button
        type="button"
        onClick={() => {
          if (confirm(`Delete all ${cases.length} saved cases from this device?`)) void removeAll();
        }}
      >
        Delete all cases
      </button>
    </nav>
  );
}
