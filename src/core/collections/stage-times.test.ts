import { describe, expect, it } from 'vitest';
import { StageTimes } from './stage-times';

describe('StageTimes', () => {
  it('sums, counts and bounds each stage, in first-seen order', () => {
    const t = new StageTimes(() => 0);
    t.add('encode', 30);
    t.add('wait', 5);
    t.add('encode', 10);
    const r = t.report();
    expect(Object.keys(r)).toEqual(['encode', 'wait']);
    expect(r.encode).toEqual({ count: 2, totalMs: 40, minMs: 10, maxMs: 30, meanMs: 20 });
    expect(r.wait.meanMs).toBe(5);
  });

  it('ignores negative and non-finite times', () => {
    const t = new StageTimes(() => 0);
    t.add('x', -1);
    t.add('x', NaN);
    t.add('x', Infinity);
    expect(t.report()).toEqual({});
  });

  it('times async work with the given clock, even when it throws', async () => {
    let clock = 0;
    const now = () => clock;
    const t = new StageTimes(now);
    const v = await t.time('ok', async () => ((clock += 7), 42));
    expect(v).toBe(42);
    await expect(t.time('bad', () => ((clock += 3), Promise.reject(new Error('no'))))).rejects.toThrow('no');
    expect(t.report().ok.totalMs).toBe(7);
    expect(t.report().bad.totalMs).toBe(3);
    t.reset();
    expect(t.report()).toEqual({});
  });
});
