/**
 * Cross-modal retrieval metrics and top-k search over unit-length embeddings (score = cosine).
 *
 * How the paper measures retrieval (Derm1M fork of open_clip, src/open_clip_train/train.py,
 * `get_clip_metrics`, run by script/cross_retrieval.sh on the Derm1M hold-out set and SkinCAP):
 * image i and caption i form a pair; every image ranks every caption by cosine (and every caption
 * every image); the ground truth's 0-based position in that ranking is its rank; R@k = the share
 * of queries whose rank < k (k = 1, 5, 10 in the paper's table); mean rank = mean(rank) + 1,
 * median rank = floor(median(rank)) + 1. The `label` column it loads plays no part in retrieval.
 *
 * Here relevance is by label: a gallery item is relevant to a query when their labels are equal,
 * and a query's rank is the position of its best-ranked relevant item. With one caption per photo
 * and labels 0..n-1 on both sides (`pairLabels`) this is exactly the paper's metric. For a
 * labelled collection without captions, the texts are the class-list rows (one per class, label =
 * class index): image->text R@k is then "the photo's class among the k best-matching class
 * texts", text->image R@k "a photo of the class among the k photos that best match its text".
 * Ties: a stable descending sort (`torch.argsort(descending=True, stable=True)`): an item tied
 * with the best relevant one ranks before it only if its index is lower. Queries with label -1, or
 * with no relevant item in the gallery (they could never hit), are skipped and counted.
 */
import { AppError } from '../errors';
import { rowsOf, scaledDots } from './scores';

export const RETRIEVAL_KS: readonly number[] = [1, 5, 10];

export interface RetrievalDirection {
  /** Queries scored. */
  queries: number;
  /** Queries skipped: no label, or no relevant item in the gallery. */
  skipped: number;
  recall: { k: number; recall: number }[];
  /** mean(rank) + 1 and floor(median(rank)) + 1, as the paper (1 = always first). */
  meanRank: number;
  medianRank: number;
}

export interface CrossModalRetrieval {
  imageToText: RetrievalDirection;
  textToImage: RetrievalDirection;
}

/** Labels 0..n-1: every item relevant only to its own pair (the paper's setting). */
export function pairLabels(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

function checkLabels(labels: ArrayLike<number>, rows: number, what: string): void {
  if (labels.length !== rows) throw new AppError('input-invalid', `${what}: ${rows} embeddings but ${labels.length} labels.`);
  for (let i = 0; i < labels.length; i++) if (!Number.isInteger(labels[i]) || labels[i] < -1) throw new AppError('input-invalid', `${what}: label ${labels[i]} at ${i} is not a class index or -1.`);
}

/** Queries ranked against a gallery, in blocks of queries so memory stays near 16 MB of scores. */
export function retrievalDirection(queries: Float32Array, queryLabels: ArrayLike<number>, gallery: Float32Array, galleryLabels: ArrayLike<number>, dim: number, ks: readonly number[] = RETRIEVAL_KS): RetrievalDirection {
  const nq = rowsOf(queries, dim, 'The query matrix');
  const ng = rowsOf(gallery, dim, 'The gallery matrix');
  checkLabels(queryLabels, nq, 'Queries');
  checkLabels(galleryLabels, ng, 'Gallery');
  for (const k of ks) if (!Number.isInteger(k) || k < 1) throw new AppError('input-invalid', `Recall@k needs a positive integer k, got ${k}.`);
  const present = new Set<number>();
  for (let j = 0; j < ng; j++) if (galleryLabels[j] >= 0) present.add(galleryLabels[j]);
  const ranks: number[] = [];
  let skipped = 0;
  const block = Math.max(1, Math.floor((4 << 20) / Math.max(1, ng)));
  for (let q0 = 0; q0 < nq; q0 += block) {
    const q1 = Math.min(nq, q0 + block);
    const s = scaledDots(queries.subarray(q0 * dim, q1 * dim), gallery, dim, 1);
    for (let q = q0; q < q1; q++) {
      const label = queryLabels[q];
      if (label < 0 || !present.has(label)) {
        skipped++;
        continue;
      }
      const o = (q - q0) * ng;
      let best = -Infinity;
      let bestIndex = -1;
      for (let j = 0; j < ng; j++) if (galleryLabels[j] === label && s[o + j] > best) (best = s[o + j]), (bestIndex = j);
      let rank = 0;
      for (let j = 0; j < ng; j++) if (s[o + j] > best || (s[o + j] === best && j < bestIndex)) rank++;
      ranks.push(rank);
    }
  }
  const n = ranks.length;
  const sorted = Float64Array.from(ranks).sort();
  const median = n === 0 ? NaN : n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return {
    queries: n,
    skipped,
    recall: ks.map((k) => ({ k, recall: n ? ranks.filter((r) => r < k).length / n : NaN })),
    meanRank: n ? ranks.reduce((a, b) => a + b, 0) / n + 1 : NaN,
    medianRank: Math.floor(median) + 1,
  };
}

/** Image->text and text->image R@k, as the paper's retrieval table (see the file doc). */
export function crossModalRetrieval(images: Float32Array, imageLabels: ArrayLike<number>, texts: Float32Array, textLabels: ArrayLike<number>, dim: number, ks: readonly number[] = RETRIEVAL_KS): CrossModalRetrieval {
  return {
    imageToText: retrievalDirection(images, imageLabels, texts, textLabels, dim, ks),
    textToImage: retrievalDirection(texts, textLabels, images, imageLabels, dim, ks),
  };
}

export interface SearchHit {
  /** Row of the matrix. */
  index: number;
  /** Cosine similarity (both sides unit length). */
  score: number;
}

/**
 * The k rows of `matrix` [n, dim] most similar to `query` (words->photos with a text embedding,
 * photo->photos with an image embedding), best first, ties by lower index; rows in `exclude`
 * (e.g. the query photo itself) are left out.
 */
export function searchTopK(query: Float32Array, matrix: Float32Array, dim: number, k: number, exclude: Iterable<number> = []): SearchHit[] {
  const n = rowsOf(matrix, dim, 'The embedding matrix');
  if (query.length !== dim) throw new AppError('input-invalid', `The query has ${query.length} values, the embeddings ${dim}.`);
  if (!Number.isInteger(k) || k < 1) throw new AppError('input-invalid', `Search needs a positive integer k, got ${k}.`);
  const skip = new Set(exclude);
  // a min-heap of the best k so far: worst at the top
  const heap: SearchHit[] = [];
  const worse = (a: SearchHit, b: SearchHit) => a.score < b.score || (a.score === b.score && a.index > b.index);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l], heap[m])) m = l;
      if (r < heap.length && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let i = 0; i < n; i++) {
    if (skip.has(i)) continue;
    const o = i * dim;
    let s0 = 0;
    let s1 = 0;
    let j = 0;
    for (; j + 2 <= dim; j += 2) (s0 += query[j] * matrix[o + j]), (s1 += query[j + 1] * matrix[o + j + 1]);
    if (j < dim) s0 += query[j] * matrix[o + j];
    const hit = { index: i, score: s0 + s1 };
    if (heap.length < k) {
      heap.push(hit);
      for (let c = heap.length - 1; c > 0; ) {
        const p = (c - 1) >> 1;
        if (!worse(heap[c], heap[p])) break;
        [heap[c], heap[p]] = [heap[p], heap[c]];
        c = p;
      }
    } else if (worse(heap[0], hit)) {
      heap[0] = hit;
      down(0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}
