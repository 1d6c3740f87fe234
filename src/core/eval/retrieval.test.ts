import { describe, expect, it } from 'vitest';
import { l2normalizeRows } from '../vectors';
import { mulberry32 } from '../random';
import { crossModalRetrieval, pairLabels, searchTopK } from './retrieval';

const random = mulberry32(5);
const matrix = (rows: number, dim: number) => l2normalizeRows(Float32Array.from({ length: rows * dim }, () => random() - 0.5), dim);

describe('top-k search', () => {
  it('returns the k best rows by cosine, best first, as a full sort would', () => {
    const dim = 16;
    const m = matrix(500, dim);
    const q = matrix(1, dim);
    const all = Array.from({ length: 500 }, (_, i) => ({ index: i, score: m.subarray(i * dim, (i + 1) * dim).reduce((s, v, j) => s + v * q[j], 0) }));
    all.sort((a, b) => b.score - a.score || a.index - b.index);
    const hits = searchTopK(q, m, dim, 20);
    expect(hits.map((h) => h.index)).toEqual(all.slice(0, 20).map((h) => h.index));
    hits.forEach((h, i) => expect(h.score).toBeCloseTo(all[i].score, 6));
    expect(searchTopK(q, m, dim, 1000)).toHaveLength(500);
  });

  it('photo->photos: the photo itself comes first unless excluded; ties go to the lower index', () => {
    const dim = 8;
    const m = matrix(50, dim);
    const q = m.slice(7 * dim, 8 * dim);
    expect(searchTopK(q, m, dim, 3)[0].index).toBe(7);
    expect(searchTopK(q, m, dim, 3, [7]).map((h) => h.index)).not.toContain(7);
    const same = new Float32Array(4 * 2).fill(Math.SQRT1_2);
    expect(searchTopK(Float32Array.from([Math.SQRT1_2, Math.SQRT1_2]), same, 2, 2).map((h) => h.index)).toEqual([0, 1]);
  });

  it('names bad input', () => {
    expect(() => searchTopK(new Float32Array(3), new Float32Array(8), 4, 1)).toThrow(/query has 3 values, the embeddings 4/);
    expect(() => searchTopK(new Float32Array(4), new Float32Array(8), 4, 0)).toThrow(/positive integer k/);
  });
});

describe('cross-modal retrieval', () => {
  it('identical pairs retrieve each other first', () => {
    const m = matrix(30, 12);
    const r = crossModalRetrieval(m, pairLabels(30), m, pairLabels(30), 12);
    expect(r.imageToText.recall).toEqual([{ k: 1, recall: 1 }, { k: 5, recall: 1 }, { k: 10, recall: 1 }]);
    expect(r.textToImage.meanRank).toBe(1);
    expect(r.textToImage.medianRank).toBe(1);
  });

  it('works across query blocks (a gallery big enough to split the queries)', () => {
    const dim = 4;
    const gallery = matrix(300_000, dim);
    const queries = gallery.slice(0, 40 * dim);
    const r = crossModalRetrieval(queries, pairLabels(40), gallery, Int32Array.from({ length: 300_000 }, (_, i) => (i < 40 ? i : -1)), dim);
    expect(r.imageToText.recall[0].recall).toBe(1);
    expect(r.imageToText.queries).toBe(40);
  });

  it('names mismatched labels', () => {
    expect(() => crossModalRetrieval(matrix(3, 4), [0, 1], matrix(3, 4), [0, 1, 2], 4)).toThrow(/Queries: 3 embeddings but 2 labels/);
  });
});
