import type { CollectionMeta } from '../../core/collections/types';
import { BUILTIN_LABEL_SETS } from '../../state/diagnosis';

/** Which class list the collection is judged against (its mapping's target). */
export function ClassListSelect({ meta, value, onChange }: { meta: CollectionMeta; value: string; onChange(id: string): void }) {
  return (
    <label>
      Class list{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid="eval-class-list">
        <optgroup label="Your dataset">
          <option value="dataset">The dataset's own labels ({meta.labels.length})</option>
          {meta.mapping.customText && <option value="custom">My own class list</option>}
        </optgroup>
        <optgroup label="Benchmark class lists">
          {BUILTIN_LABEL_SETS.filter((s) => s.kind === 'preset').map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </optgroup>
        <optgroup label="Derm1M ontology">
          {BUILTIN_LABEL_SETS.filter((s) => s.kind === 'ontology').map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  );
}
