/**
 * Similar cases for a reveal: the photos of the collections on this device whose image embeddings
 * are nearest (cosine) to a case's. Pure; the prepare step runs it once per case, so a reveal
 * only shows what was ranked before the session.
 */

/** Embeddings of one collection for one model: row i of `images` ([rows, dim]) is `items[i]`. */
export interface SimilarSource<T> {
  items: readonly T[];
  images: Float32Array;
  dim: number;
}

export interface SimilarHit<T> {
  item: T;
  /** Cosine similarity to the query, in [-1, 1]. */
  score: number;
}

function norm(v: Float32Array, from: number, dim: number): number {
  let s = 0;
  for (let i = 0; i < dim; i++) s += v[from + i] * v[from + i];
  return Math.sqrt(s);
}

/**
 * The `k` rows nearest to `query` over every source, best first (ties keep source and row order).
 * Rows `skip` names (the case's own photo) and zero rows are left out; a source whose dimension is
 * not the query's (another model) is refused.
 */
export function topSimilar<T>(query: Float32Array, sources: readonly SimilarSource<T>[], k: number, skip: (item: T) => boolean = () => false): SimilarHit<T>[] {
  const dim = query.length;
  const qn = norm(query, 0, dim);
  if (k < 1 || qn === 0) return [];
  const best: SimilarHit<T>[] = [];
  for (const s of sources) {
    if (s.dim !== dim || s.images.length !== s.items.length * dim) throw new Error(`Similar cases: embeddings of dimension ${s.dim} (${s.items.length} rows) cannot be compared with a query of dimension ${dim}.`);
    for (let r = 0; r < s.items.length; r++) {
      const item = s.items[r];
      if (skip(item)) continue;
      const o = r * dim;
      const rn = norm(s.images, o, dim);
      if (rn === 0) continue;
      let dot = 0;
      for (let i = 0; i < dim; i++) dot += query[i] * s.images[o + i];
      const score = dot / (qn * rn);
      if (best.length === k && score <= best[k - 1].score) continue;
      let at = best.length;
      while (at > 0 && best[at - 1].score < score) at--;
      best.splice(at, 0, { item, score });
      if (best.length > k) best.pop();
    }
  }
  return best;
}
