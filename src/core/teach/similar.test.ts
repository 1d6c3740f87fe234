import { describe, expect, it } from 'vitest';
import { topSimilar } from './similar';

const rows = (...vs: number[][]) => Float32Array.from(vs.flat());

describe('topSimilar', () => {
  const a = { items: ['a0', 'a1', 'a2'], images: rows([1, 0, 0], [0, 1, 0], [0.6, 0.8, 0]), dim: 3 };
  const b = { items: ['b0', 'b1'], images: rows([2, 2, 0], [0, 0, 5]), dim: 3 };

  it('ranks by cosine over every source, best first, whatever the rows’ lengths', () => {
    const hits = topSimilar(Float32Array.of(1, 1, 0), [a, b], 3);
    expect(hits.map((h) => h.item)).toEqual(['b0', 'a2', 'a0']);
    expect(hits[0].score).toBeCloseTo(1, 6);
    expect(hits[1].score).toBeCloseTo(1.4 / Math.SQRT2, 6);
    expect(hits[2].score).toBeCloseTo(1 / Math.SQRT2, 6);
  });

  it('keeps k, breaks ties by order, leaves out skipped and zero rows', () => {
    const tie = { items: ['t0', 'z', 't1'], images: rows([0, 3, 0], [0, 0, 0], [0, 1, 0]), dim: 3 };
    expect(topSimilar(Float32Array.of(0, 1, 0), [tie, a], 2).map((h) => h.item)).toEqual(['t0', 't1']);
    expect(topSimilar(Float32Array.of(0, 1, 0), [tie, a], 5, (x) => x === 't0').map((h) => h.item)).toEqual(['t1', 'a1', 'a2', 'a0']);
    expect(topSimilar(Float32Array.of(0, 0, 0), [a], 2)).toEqual([]);
    expect(topSimilar(Float32Array.of(1, 0, 0), [], 2)).toEqual([]);
    expect(topSimilar(Float32Array.of(1, 0, 0), [a], 0)).toEqual([]);
  });

  it('agrees with a full sort on random data', () => {
    let seed = 5;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const dim = 16;
    const src = { items: Array.from({ length: 200 }, (_, i) => i), images: Float32Array.from({ length: 200 * dim }, rnd), dim };
    const q = Float32Array.from({ length: dim }, rnd);
    const cos = (i: number) => {
      let d = 0, n = 0, m = 0;
      for (let j = 0; j < dim; j++) {
        d += q[j] * src.images[i * dim + j];
        n += q[j] ** 2;
        m += src.images[i * dim + j] ** 2;
      }
      return d / Math.sqrt(n * m);
    };
    const expected = src.items.slice().sort((x, y) => cos(y) - cos(x)).slice(0, 7);
    expect(topSimilar(q, [src], 7).map((h) => h.item)).toEqual(expected);
  });

  it('refuses embeddings of another dimension (another model)', () => {
    expect(() => topSimilar(Float32Array.of(1, 0), [a], 2)).toThrow('dimension 3');
  });
});
