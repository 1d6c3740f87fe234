/**
 * A collection as numbers for one model: the embedding matrix of its indexed photos (read from the
 * embedding cache once, then kept and topped up as indexing goes on), the class list its mapping
 * chooses, and each photo's class index under that mapping. Evaluation, search and the probe
 * (state/collection-eval.ts, state/collection-search.ts) start from here.
 */
import { refForBundle } from '../storage/manifests';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { imageKey } from '../core/cachekeys';
import { matrixRefreshPoint } from '../core/collections/progress';
import { datasetLabelSet, resolveMapping, type MappingOverrides, type ResolvedMapping } from '../core/collections/mapping';
import { embeddingModelKey, type CollectionEntry, type CollectionMeta } from '../core/collections/types';
import { AppError } from '../core/errors';
import { parseCustomLabels, type LabelSet } from '../core/labels';
import { getEmbeddings } from '../storage/embeddings';
import { commitEntries, entriesOf, useEntries } from './collections';
import { useIndexing } from './indexer';
import { BUILTIN_LABEL_SETS, ontologyTree } from './diagnosis';
import type { LoadedModel } from './model';

/** A class list by id: a built-in set, 'dataset' (the dataset's own labels), or 'custom' (the user's list). */
export function classList(labelSetId: string, datasetLabels: readonly string[], customText = ''): LabelSet {
  if (labelSetId === 'dataset') return datasetLabelSet(datasetLabels);
  if (labelSetId === 'custom') return parseCustomLabels(customText, 'Your class list');
  const set = BUILTIN_LABEL_SETS.find((s) => s.id === labelSetId);
  if (!set) throw new AppError('input-invalid', `The class list "${labelSetId}" is not available in this version of the app.`, 'Pick another class list.');
  return set;
}

/** The class list a collection's mapping names. */
export function classListFor(meta: CollectionMeta, labelSetId = meta.mapping.labelSetId): LabelSet {
  return classList(labelSetId, meta.labels.map((l) => l.label), meta.mapping.customText);
}

/** Dataset labels mapped onto a class list (automatic, then the user's decisions for that list). */
export function mapLabels(datasetLabels: readonly string[], classes: LabelSet, overrides: MappingOverrides): ResolvedMapping {
  return resolveMapping(datasetLabels, classes, overrides, ontologyTree);
}

/** The collection's labels mapped onto a class list. */
export function mappingFor(meta: CollectionMeta, classes: LabelSet): ResolvedMapping {
  return mapLabels(meta.labels.map((l) => l.label), classes, meta.mapping.overrides[classes.id] ?? {});
}

export interface CollectionMatrix {
  /** bundle/variant. */
  modelKey: string;
  dim: number;
  /** The photos with an embedding, in collection order (row i of `images`). */
  rows: CollectionEntry[];
  /** [rows, dim], unit rows. */
  images: Float32Array;
  /** Embeddings the cache no longer had (cleared or evicted): those photos need indexing again. */
  evicted: number;
}

const vectors = new Map<string, Map<number, Float32Array>>();

/** The embedding matrix of a collection's indexed photos for `bundleId`/`variant`. */
export async function loadMatrix(collectionId: string, bundleId: string, variant: string, dim: number): Promise<CollectionMatrix> {
  const mk = embeddingModelKey(bundleId, variant);
  const key = `${collectionId}|${mk}`;
  let have = vectors.get(key);
  if (!have) vectors.set(key, (have = new Map()));
  const entries = await entriesOf(collectionId);
  const wanted = entries.filter((e) => !e.problem && e.embedded.includes(mk) && e.tensors[bundleId]);
  const missing = wanted.filter((e) => !have.has(e.seq));
  const lost: CollectionEntry[] = [];
  for (let i = 0; i < missing.length; i += 1000) {
    const part = missing.slice(i, i + 1000);
    const ref = await refForBundle(bundleId);
    const found = await getEmbeddings('image', part.map((e) => imageKey(ref, variant, e.tensors[bundleId])));
    part.forEach((e, k) => {
      const v = found[k];
      if (v && v.length === dim) have.set(e.seq, v);
      else lost.push(e);
    });
  }
  if (lost.length) {
    for (const e of lost) e.embedded = e.embedded.filter((x) => x !== mk);
    await commitEntries(collectionId, lost);
  }
  const rows = wanted.filter((e) => have.has(e.seq));
  const images = new Float32Array(rows.length * dim);
  rows.forEach((e, i) => images.set(have.get(e.seq)!, i * dim));
  return { modelKey: mk, dim, rows, images, evicted: lost.length };
}

/** The model key (bundle/variant) a loaded model's image embeddings are stored under. */
export function modelKeyOf(model: LoadedModel | undefined): string | null {
  const v = model?.engine.choice?.variant;
  return model && v ? embeddingModelKey(model.source.manifest.id, v) : null;
}

/**
 * How long a query on a collection's matrix (the matrix itself, the evaluation, retrieval and
 * search keyed by its row count) stays cached once nothing shows it. Short: a cached query keeps
 * its query function, and with it the whole matrix it was made for (20 MB at 10,000 x 512), so
 * while indexing refreshes the matrix, long-kept queries held one matrix per refresh.
 */
export const MATRIX_QUERY_GC_MS = 5_000;

/** While indexing runs, the matrix is refreshed at most this often (a fast model indexes 70 photos a second). */
export const MATRIX_REFRESH_MS = 5_000;

/** `value`, but while `throttle` holds, changed at most every `ms` (the latest value, once the time has come). */
function useThrottled<T>(value: T, ms: number, throttle: boolean): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = throttle ? Math.max(0, last.current + ms - Date.now()) : 0;
    const t = setTimeout(() => {
      last.current = Date.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(t);
  }, [value, shown, ms, throttle]);
  return throttle ? shown : value;
}

/**
 * React hook: the matrix, refreshed as more photos get indexed: while indexing runs, at
 * matrixRefreshPoint's steps and at most every MATRIX_REFRESH_MS (not after every batch: each
 * refresh copies the whole matrix, and the evaluation and search built on it copy it again into
 * the worker), and old matrices are dropped a few seconds after a newer one replaces them (one
 * 10,000 x 512 matrix is 20 MB). Once indexing stops, every indexed photo at once.
 */
export function useCollectionMatrix(collectionId: string | undefined, model: LoadedModel | undefined) {
  const { entries, version } = useEntries(collectionId);
  const indexing = useIndexing((s) => (collectionId ? s.status[collectionId]?.state === 'running' : false));
  const mk = modelKeyOf(model);
  const exactPoint = useMemo(() => {
    if (!entries || !mk) return 0;
    let total = 0;
    let indexed = 0;
    for (const e of entries) {
      if (e.problem) continue;
      total++;
      if (e.embedded.includes(mk)) indexed++;
    }
    return matrixRefreshPoint(indexed, total, indexing);
  }, [entries, mk, version, indexing]);
  const point = useThrottled(exactPoint, MATRIX_REFRESH_MS, indexing);
  return useQuery({
    queryKey: ['collection-matrix', collectionId, mk, point],
    enabled: Boolean(collectionId && model && mk && entries),
    staleTime: Infinity,
    gcTime: MATRIX_QUERY_GC_MS,
    retry: false,
    placeholderData: (prev) => (prev && prev.modelKey === mk ? prev : undefined),
    queryFn: () => loadMatrix(collectionId!, model!.source.manifest.id, model!.engine.choice!.variant, model!.source.manifest.embedDim),
  });
}

/** Class index of each matrix row under a mapping (-1: no label, or a label left unmapped). */
export function truthOf(rows: readonly CollectionEntry[], mapping: ResolvedMapping): Int32Array {
  return Int32Array.from(rows, (e) => (e.label !== undefined ? (mapping.toClass.get(e.label) ?? -1) : -1));
}
