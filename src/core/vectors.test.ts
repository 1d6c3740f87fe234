import { describe, expect, it } from 'vitest';
import { cosine, dot, normalize, normalizeRows } from './vectors';

describe('vectors', () => {
  it('normalises rows to unit length', () => {
    const rows = normalizeRows(new Float32Array([3, 4, 0, 0, 0, 2]), 2, 3);
    expect(rows[0][0]).toBeCloseTo(0.6, 6);
    expect(rows[0][1]).toBeCloseTo(0.8, 6);
    expect(rows[0][2]).toBe(0);
    expect(Math.hypot(...rows[1])).toBeCloseTo(1, 6);
  });
  it('keeps a zero vector zero', () => {
    expect(Array.from(normalize([0, 0]))).toEqual([0, 0]);
  });
  it('computes dot and cosine', () => {
    expect(dot([1, 2], [3, 4])).toBe(11);
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([2, 0], [5, 0])).toBe(1);
  });
});
