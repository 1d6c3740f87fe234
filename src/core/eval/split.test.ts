import { describe, expect, it } from 'vitest';
import { mulberry32, shuffleInPlace } from '../random';
import { stratifiedSplit } from './split';

// 0: 10 samples, 1: 5, 2: 1, 3: none; two unlabelled
const labels = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, -1, -1]);

describe('seeded PRNG', () => {
  it('is mulberry32: same seed, same sequence; floats in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    // the reference implementation's first output for seed 42 (t = seed + 0x6D2B79F5 ...)
    expect(mulberry32(42)()).toBeCloseTo(0.6011037519201636, 15);
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / 1000 - 0.5)).toBeLessThan(0.03);
    expect(() => mulberry32(1.5)).toThrow(/seed must be an integer/);
  });

  it('shuffles to a permutation', () => {
    const a = shuffleInPlace(Int32Array.from({ length: 50 }, (_, i) => i), mulberry32(1));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...a]).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});

describe('stratified split', () => {
  it('k shots per class, at most m - 1 so each class keeps a test sample; singletons train', () => {
    const s = stratifiedSplit(labels, 4, { kind: 'shots', shots: 5 }, 3);
    expect(s.trainPerClass).toEqual([5, 4, 1, 0]);
    expect(s.testPerClass).toEqual([5, 1, 0, 0]);
    expect(s.train.length + s.test.length).toBe(16);
    const all = new Set([...s.train, ...s.test]);
    expect(all.size).toBe(16);
    expect(all.has(16) || all.has(17)).toBe(false);
    expect([...s.train]).toEqual([...s.train].sort((a, b) => a - b));
  });

  it('a fraction: max(1, floor(m x p)) per class (the Derm1M loader rule)', () => {
    const s = stratifiedSplit(labels, 4, { kind: 'fraction', fraction: 0.25 }, 3);
    expect(s.trainPerClass).toEqual([2, 1, 1, 0]);
    const one = stratifiedSplit(labels, 4, { kind: 'fraction', fraction: 0.01 }, 3);
    expect(one.trainPerClass).toEqual([1, 1, 1, 0]);
  });

  it('same seed, same split; another seed, another split', () => {
    const a = stratifiedSplit(labels, 4, { kind: 'shots', shots: 3 }, 11);
    expect(stratifiedSplit(labels, 4, { kind: 'shots', shots: 3 }, 11)).toEqual(a);
    const others = [12, 13, 14].map((seed) => [...stratifiedSplit(labels, 4, { kind: 'shots', shots: 3 }, seed).train].join());
    expect(others.some((t) => t !== [...a.train].join())).toBe(true);
  });

  it('names bad specs and labels', () => {
    expect(() => stratifiedSplit(labels, 4, { kind: 'shots', shots: 0 }, 1)).toThrow(/Shots per class must be a positive integer, got 0/);
    expect(() => stratifiedSplit(labels, 4, { kind: 'fraction', fraction: 1 }, 1)).toThrow(/between 0 and 1/);
    expect(() => stratifiedSplit([0, 5], 4, { kind: 'shots', shots: 1 }, 1)).toThrow(/Sample 1 has label 5/);
    expect(() => stratifiedSplit([-1, -1], 4, { kind: 'shots', shots: 1 }, 1)).toThrow(/No labelled samples/);
  });
});
