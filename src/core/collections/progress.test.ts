import { describe, expect, it } from 'vitest';
import { formatDuration, matrixRefreshPoint, RateMeter } from './progress';

describe('RateMeter', () => {
  it('measures over a sliding window and estimates time left', () => {
    const m = new RateMeter(10_000);
    expect(m.rate()).toBeNull();
    m.add(0, 0);
    m.add(100, 1);
    expect(m.rate()).toBeNull(); // too short to say
    m.add(1000, 10);
    expect(m.rate()).toBeCloseTo(10);
    expect(m.eta(50)).toBeCloseTo(5);
    // a fast stretch later: the old samples leave the window
    for (let t = 2000; t <= 30_000; t += 1000) m.add(t, 10 + ((t - 1000) / 1000) * 40);
    expect(m.rate()).toBeCloseTo(40);
    expect(m.eta(0)).toBe(0);
    m.reset();
    expect(m.eta(10)).toBeNull();
  });
  it('formats durations', () => {
    expect(formatDuration(12.4)).toBe('12 s');
    expect(formatDuration(250)).toBe('4 min 10 s');
    expect(formatDuration(3900)).toBe('1 h 05 min');
  });
});

describe('matrixRefreshPoint', () => {
  it('rounds down to two significant digits while indexing runs', () => {
    expect(matrixRefreshPoint(4321, 10_000, true)).toBe(4300);
    expect(matrixRefreshPoint(4399, 10_000, true)).toBe(4300);
    expect(matrixRefreshPoint(150, 10_000, true)).toBe(150);
    expect(matrixRefreshPoint(157, 10_000, true)).toBe(150);
    expect(matrixRefreshPoint(1000, 10_000, true)).toBe(1000);
    expect(matrixRefreshPoint(1099, 10_000, true)).toBe(1000);
    expect(matrixRefreshPoint(12_345, 20_000, true)).toBe(12_000);
  });

  it('is exact below 100, when indexing stops or when every photo is in', () => {
    expect(matrixRefreshPoint(99, 10_000, true)).toBe(99);
    expect(matrixRefreshPoint(0, 10_000, true)).toBe(0);
    expect(matrixRefreshPoint(4321, 10_000, false)).toBe(4321);
    expect(matrixRefreshPoint(9_999, 9_999, true)).toBe(9_999);
  });

  it('changes about 180 times over a 10,000-photo run', () => {
    const points = new Set<number>();
    for (let i = 0; i <= 10_000; i += 8) points.add(matrixRefreshPoint(i, 10_000, true));
    expect(points.size).toBeGreaterThan(150);
    expect(points.size).toBeLessThan(300);
  });
});
