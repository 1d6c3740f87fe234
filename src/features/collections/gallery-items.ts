import type { CollectionEntry } from '../../state/collections';

export interface GalleryItem {
  entry: CollectionEntry;
  /** Class index under the mapping (-1: no label or unmapped; undefined: no evaluation yet). */
  truth?: number;
  predicted?: number;
  /** Probability of the predicted class. */
  prob?: number;
}

export interface GalleryFilter {
  truth: number | 'all' | 'none';
  predicted: number | 'all';
  result: 'all' | 'correct' | 'wrong';
}

export const NO_FILTER: GalleryFilter = { truth: 'all', predicted: 'all', result: 'all' };

/** Items in collection order with the evaluation's truth and prediction per photo. */
export function galleryItems(
  entries: readonly CollectionEntry[],
  evaluation: { rows: readonly CollectionEntry[]; predicted: ArrayLike<number>; probs: Float32Array; numClasses: number } | undefined,
  truthOf: (e: CollectionEntry) => number | undefined,
): GalleryItem[] {
  const row = new Map<number, number>();
  evaluation?.rows.forEach((e, i) => row.set(e.seq, i));
  return entries.map((entry) => {
    const i = row.get(entry.seq);
    const truth = truthOf(entry);
    if (i === undefined || !evaluation) return { entry, truth };
    const predicted = evaluation.predicted[i];
    return { entry, truth, predicted, prob: evaluation.probs[i * evaluation.numClasses + predicted] };
  });
}

export function applyFilter(items: readonly GalleryItem[], f: GalleryFilter): GalleryItem[] {
  if (f.truth === 'all' && f.predicted === 'all' && f.result === 'all') return items as GalleryItem[];
  return items.filter((it) => {
    if (f.truth === 'none' ? it.truth !== undefined && it.truth >= 0 : f.truth !== 'all' && it.truth !== f.truth) return false;
    if (f.predicted !== 'all' && it.predicted !== f.predicted) return false;
    if (f.result !== 'all') {
      if (it.predicted === undefined || it.truth === undefined || it.truth < 0) return false;
      if ((it.predicted === it.truth) !== (f.result === 'correct')) return false;
    }
    return true;
  });
}
