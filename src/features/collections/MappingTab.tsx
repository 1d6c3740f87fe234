import type { CollectionMeta } from '../../core/collections/types';
import { setMappingChoice, setMappingOverride } from '../../state/collections';
import { MappingEditor } from './MappingEditor';

/** The collection's label mapping, editable at any time (evaluation follows at once). */
export function MappingTab({ meta }: { meta: CollectionMeta }) {
  if (meta.labels.length === 0) return <p className="muted">This collection has no labels.</p>;
  const setId = meta.mapping.labelSetId;
  return (
    <MappingEditor
      labels={meta.labels}
      labelSetId={setId}
      customText={meta.mapping.customText}
      overrides={meta.mapping.overrides[setId] ?? {}}
      onClassList={(id, customText) => void setMappingChoice(meta.id, id, customText)}
      onOverride={(label, classId) => void setMappingOverride(meta.id, setId, label, classId)}
    />
  );
}
