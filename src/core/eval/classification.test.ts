import { describe, expect, it } from 'vitest';
import { classificationReport } from './classification';
import { stratify } from './stratify';

// The values themselves are checked against scikit-learn in test/eval/sklearn.test.ts.
describe('classification report input checks', () => {
  const scores = Float32Array.from([0.9, 0.1, 0.2, 0.8, 0.6, 0.4]);
  it('evaluates a subset of samples, skipping unlabelled ones', () => {
    const r = classificationReport(scores, [0, -1, 1], 2, { indices: [0, 1] });
    expect(r.n).toBe(1);
    expect(r.accuracy).toBe(1);
    expect(r.confusion).toEqual([[1, 0], [0, 0]]);
    expect(classificationReport(scores, [0, -1, 0], 2, { indices: [2] }).confusion).toEqual([[1, 0], [0, 0]]);
    expect(classificationReport(scores, [0, -1, 1], 2, { indices: [2] }).confusion).toEqual([[0, 0], [1, 0]]);
    expect(classificationReport(scores, [-1, -1, -1], 2).accuracy).toBeNaN();
  });

  it('names every bad input', () => {
    expect(() => classificationReport(scores, [0, 1], 2)).toThrow(/6 values; 2 samples x 2 classes need 4/);
    expect(() => classificationReport(scores, [0, 1, 2], 2)).toThrow(/Sample 2 has label 2; labels must be class indices 0..1, or -1 for none/);
    expect(() => classificationReport(scores, [0, 1, 0.5], 2)).toThrow(/Sample 2 has label 0.5/);
    expect(() => classificationReport(Float32Array.from([0, NaN, 1, 0]), [0, 1], 2)).toThrow(/Score 1 of sample 0 is NaN/);
    expect(() => classificationReport(scores, [0, 1, 0], 1)).toThrow(/at least 2 classes/);
    expect(() => classificationReport(scores, [0, 1, 0], 2, { indices: [3] })).toThrow(/Sample index 3 is out of range 0..2/);
    expect(() => classificationReport(scores, [0, 1, 0], 2, { ks: [0] })).toThrow(/positive integer k, got 0/);
    expect(() => stratify(scores, [0, 1, 0], 2, { site: ['a'] })).toThrow(/Metadata column "site" has 1 values for 3 samples/);
  });

  it('groups metadata values naturally (2 before 10), numbers as text, blanks as missing', () => {
    const [s] = stratify(scores, [0, 1, 0], 2, { age: [10, '2', '  '] });
    expect(s.strata.map((g) => g.value)).toEqual(['2', '10', null]);
  });
});
