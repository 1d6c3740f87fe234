import { describe, expect, it } from 'vitest';
import { buildClassifier, classify } from '../zeroshot';
import { l2normalizeRows } from '../vectors';
import { mulberry32 } from '../random';
import { scaledDots, zeroShotProbs } from './scores';

const random = mulberry32(7);
const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const matrix = (rows: number, dim: number) => l2normalizeRows(Float32Array.from({ length: rows * dim }, gauss), dim);

describe('zero-shot scores from cached embeddings', () => {
  it('equal core/zeroshot classify() photo by photo, for every class count (blocking remainders)', () => {
    const dim = 24;
    for (const k of [1, 2, 3, 4, 5, 7, 9]) {
      const images = matrix(11, dim); // odd: the last row pairs with itself
      const labels = Array.from({ length: k }, (_, i) => ({ id: `c${i}`, name: `class ${i}`, aliases: [`class ${i}`] }));
      const table = new Map(labels.map((l, i) => [`a photo of ${l.name}`, matrix(1, dim).map((v) => v * (i + 1))]));
      const clf = buildClassifier(labels, ['a photo of {}'], (p) => table.get(p));
      const probs = zeroShotProbs(images, clf.weights, dim, 100);
      expect(probs.length).toBe(11 * k);
      for (let i = 0; i < 11; i++) {
        const one = classify(images.slice(i * dim, (i + 1) * dim), clf, 100);
        for (let c = 0; c < k; c++) expect(probs[i * k + c]).toBeCloseTo(one.probs[c], 6);
      }
    }
  });

  it('scaledDots: plain dot products, any shape', () => {
    const a = Float32Array.from([1, 2, 3, 4, 5, 6]); // 3 x 2
    const b = Float32Array.from([1, 0, 0, 1, 1, 1]); // 3 x 2
    expect([...scaledDots(a, b, 2, 2)]).toEqual([2, 4, 6, 6, 8, 14, 10, 12, 22]);
  });

  it('names what is wrong with its input', () => {
    expect(() => zeroShotProbs(new Float32Array(10), new Float32Array(8), 4, 100)).toThrow(/image embedding matrix has 10 values, not a whole number of 4-value rows/);
    expect(() => zeroShotProbs(new Float32Array(8), new Float32Array(8), 4, 0)).toThrow(/logit scale must be a positive number/);
    expect(() => zeroShotProbs(new Float32Array(8), new Float32Array(0), 4, 100)).toThrow(/class matrix is empty/);
  });
});
