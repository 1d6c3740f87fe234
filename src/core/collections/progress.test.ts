import { describe, expect, it } from 'vitest';
import { formatDuration, RateMeter } from './progress';

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
