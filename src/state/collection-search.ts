/**
 * Search over collections: words to photos (the query's text embedding against every indexed
 * photo) and photo to photos ("similar cases": a photo's embedding against one collection or all
 * of them). Scores are cosine similarities; the ranking runs in the inference worker
 * (core/eval/retrieval.ts searchTopK).
 */
import { useQuery } from '@tanstack/react-query';
import type { CollectionEntry, CollectionMeta } from '../core/collections/types';
import { AppError } from '../core/errors';
import { loadMatrix, MATRIX_QUERY_GC_MS, modelKeyOf, useCollectionMatrix } from './collection-data';
import { useCollections } from './collections';
import { embedTexts } from './embed';
import type { LoadedModel } from './model';

export interface Hit {
  collection: CollectionMeta;
  entry: CollectionEntry;
  score: number;
}

export const MAX_QUERY_LENGTH = 300;

/** React hook: the photos of a collection that best match a text. */
export function useTextSearch(meta: CollectionMeta | undefined, model: LoadedModel | undefined, text: string, k: number) {
  const matrix = useCollectionMatrix(meta?.id, model);
  const m = matrix.data;
  const query = text.trim();
  const search = useQuery({
    queryKey: ['collection-text-search', meta?.id, m?.modelKey, m?.rows.length, query, k],
    enabled: Boolean(meta && model && m && m.rows.length > 0 && query),
    staleTime: Infinity,
    gcTime: MATRIX_QUERY_GC_MS,
    retry: false,
    queryFn: async ({ signal }) => {
      if (query.length > MAX_QUERY_LENGTH) throw new AppError('input-invalid', `The search text is ${query.length} characters long; the limit is ${MAX_QUERY_LENGTH}.`, 'The text encoder reads about 75 words at most.');
      const t0 = performance.now();
      const table = await embedTexts(model!, [query], { signal });
      const hits = await model!.engine.search({ query: table.get(query)!, matrix: m!.images, dim: m!.dim, k: Math.min(k, m!.rows.length) }, { signal });
      return { hits: hits.map((h): Hit => ({ collection: meta!, entry: m!.rows[h.index], score: h.score })), ms: performance.now() - t0 };
    },
  });
  return { matrix, search };
}

/**
 * The photos most like an image embedding, over every collection indexed with this model (or one
 * collection). `queryId` names the query (its tensor sha256); `skip` leaves out a photo (the query itself when it is in a collection).
 */
export function useSimilarPhotos(model: LoadedModel | undefined, embedding: Float32Array | undefined, opts: { k: number; queryId: string; collectionId?: string; skip?: { collectionId: string; seq: number } }) {
  const collections = useCollections((s) => s.collections);
  const mk = modelKeyOf(model);
  const scope = opts.collectionId ? collections.filter((c) => c.id === opts.collectionId) : collections;
  return useQuery({
    queryKey: ['similar-photos', mk, opts.queryId, scope.map((c) => `${c.id}:${c.count}`).join(','), opts.k, opts.skip?.collectionId, opts.skip?.seq],
    enabled: Boolean(model && mk && embedding && scope.length > 0),
    staleTime: 30_000,
    gcTime: 60_000,
    retry: false,
    queryFn: async ({ signal }) => {
      const m = model!.source.manifest;
      const variant = model!.engine.choice!.variant;
      const all: Hit[] = [];
      for (const c of scope) {
        const matrix = await loadMatrix(c.id, m.id, variant, m.embedDim);
        if (matrix.rows.length === 0) continue;
        const exclude = opts.skip?.collectionId === c.id ? matrix.rows.findIndex((e) => e.seq === opts.skip!.seq) : -1;
        const k = Math.min(opts.k, matrix.rows.length - (exclude >= 0 ? 1 : 0));
        if (k < 1) continue;
        const hits = await model!.engine.search({ query: embedding!, matrix: matrix.images, dim: matrix.dim, k, exclude: exclude >= 0 ? [exclude] : [] }, { signal });
        for (const h of hits) all.push({ collection: c, entry: matrix.rows[h.index], score: h.score });
      }
      return all.sort((a, b) => b.score - a.score).slice(0, opts.k);
    },
  });
}
