import { describe, expect, it } from 'vitest';
import { argsortDesc, balancedAccuracy, confusionMatrix, perClassRecall, topKAccuracy } from './metrics';

describe('metrics', () => {
  const truth = [0, 0, 0, 1, 2, 2];
  const pred = [0, 0, 1, 1, 2, 0];
  it('builds a confusion matrix', () => {
    expect(confusionMatrix(pred, truth, 3)).toEqual([[2, 1, 0], [0, 1, 0], [1, 0, 1]]);
    expect(() => confusionMatrix([3], [0], 3)).toThrow(/out of range/);
  });
  it('computes balanced accuracy like sklearn', () => {
    expect(balancedAccuracy(pred, truth, 3)).toBeCloseTo((2 / 3 + 1 + 1 / 2) / 3, 12);
    expect(balancedAccuracy([0, 1], [0, 0], 3)).toBe(0.5); // absent classes are not averaged
    expect(perClassRecall([[0, 0], [0, 0]]).every(Number.isNaN)).toBe(true);
  });
  it('computes top-k accuracy from rankings', () => {
    const rankings = [argsortDesc([0.1, 0.7, 0.2]), argsortDesc([0.5, 0.3, 0.2]), argsortDesc([0.2, 0.2, 0.6])];
    expect(rankings[2]).toEqual([2, 0, 1]);
    expect(topKAccuracy(rankings, [2, 0, 1], 1)).toBeCloseTo(1 / 3, 12);
    expect(topKAccuracy(rankings, [2, 0, 1], 2)).toBeCloseTo(2 / 3, 12);
    expect(topKAccuracy(rankings, [2, 0, 1], 3)).toBe(1);
  });
});
