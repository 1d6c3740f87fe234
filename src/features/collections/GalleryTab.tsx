import { useMemo, useState } from 'react';
import { useSearch } from 'wouter';
import type { CollectionMeta } from '../../core/collections/types';
import { toAppError } from '../../core/errors';
import { useCollectionEvaluation } from '../../state/collection-eval';
import { useEntries } from '../../state/collections';
import type { LoadedModel } from '../../state/model';
import { useSettings } from '../../state/settings';
import { Gallery } from './Gallery';
import { GalleryFilters } from './GalleryFilters';
import { applyFilter, galleryItems, NO_FILTER, type GalleryFilter } from './gallery-items';
import { PhotoPanel } from './PhotoPanel';

/** The gallery: every photo with its label and zero-shot prediction, filters, and the selected photo. */
export function GalleryTab({ meta, model }: { meta: CollectionMeta; model: LoadedModel | undefined }) {
  const { entries, version } = useEntries(meta.id);
  const templateSetId = useSettings((s) => s.templateSetId);
  const ev = useCollectionEvaluation(meta, model, { labelSetId: meta.mapping.labelSetId, templateSetId, stratifyBy: null });
  const z = ev.zeroShot.data;
  const mapping = ev.mapping;
  const [filter, setFilter] = useState<GalleryFilter>(NO_FILTER);
  const query = new URLSearchParams(useSearch());
  const [selected, setSelected] = useState<number | null>(query.has('photo') ? Number(query.get('photo')) : null);
  const items = useMemo(
    () =>
      entries
        ? galleryItems(
            entries,
            z ? { rows: z.rows, predicted: z.evaluation.predicted, probs: z.evaluation.probs, numClasses: z.classes.labels.length } : undefined,
            (e) => (mapping ? (e.label !== undefined ? (mapping.toClass.get(e.label) ?? -1) : -1) : undefined),
          )
        : [],
    [entries, version, z, mapping],
  );
  const shown = useMemo(() => applyFilter(items, filter), [items, filter]);
  const current = selected === null ? undefined : items.find((it) => it.entry.seq === selected);
  return (
    <div>
      <GalleryFilters classes={ev.classes} filter={filter} onChange={setFilter} shown={shown.length} total={items.length} />
      {ev.classesError !== null && <p className="notice">{toAppError(ev.classesError).message}</p>}
      {ev.zeroShot.error && <p className="notice">{toAppError(ev.zeroShot.error).message}</p>}
      <div className={current ? 'gallery-layout with-panel' : 'gallery-layout'}>
        <Gallery items={shown} classes={ev.classes} selected={selected} onSelect={setSelected} />
        {current && <PhotoPanel item={current} classes={ev.classes} matrix={ev.matrix.data} model={model} canOpen={meta.photoStorage !== 'none'} />}
      </div>
    </div>
  );
}
