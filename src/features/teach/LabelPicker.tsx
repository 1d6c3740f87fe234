import { useId, useMemo, useState } from 'react';
import { ancestry, getNode } from '../../core/ontology';
import { searchLabels } from '../../core/teach/search';
import { ontologyTree } from '../../state/diagnosis';
import { LEAF_LABELS } from '../../state/teach';

function pathOf(nodeId: string | undefined): string {
  if (!nodeId) return '';
  return ancestry(ontologyTree, nodeId)
    .slice(0, -1)
    .map((id) => getNode(ontologyTree, id).displayName)
    .join(' › ');
}

/**
 * A diagnosis from the ontology's leaf labels: type to search (names and aliases), then pick from
 * the list with the arrow keys. Each entry shows its branch, so near namesakes are told apart.
 */
export function LabelPicker({ value, onChange, caseName }: { value: string; onChange: (labelId: string) => void; caseName: string }) {
  const [query, setQuery] = useState('');
  const id = useId();
  const options = useMemo(() => {
    const found = searchLabels(LEAF_LABELS, query, 40);
    const chosen = LEAF_LABELS.find((l) => l.id === value);
    return chosen && !found.includes(chosen) ? [chosen, ...found] : found;
  }, [query, value]);
  return (
    <div className="label-picker">
      <label htmlFor={`${id}-q`}>Diagnosis (search {LEAF_LABELS.length} diagnoses of the ontology)</label>
      <input id={`${id}-q`} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="e.g. nevus, melanoma, psoriasis" data-testid="label-search" />
      <select size={6} value={value} onChange={(e) => onChange(e.target.value)} aria-label={`Diagnosis of ${caseName}`} data-testid="label-select">
        {/* Chosen when nothing is: without it, the list would show its first entry as chosen. */}
        <option value="">(no diagnosis chosen yet)</option>
        {options.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
            {l.nodeId ? ` (${pathOf(l.nodeId)})` : ''}
          </option>
        ))}
      </select>
      {options.length === 0 && <p className="muted">No diagnosis matches “{query}”.</p>}
    </div>
  );
}
