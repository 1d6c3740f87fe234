/**
 * A small seeded pseudo-random generator for reproducible splits: mulberry32 (32-bit state, period
 * 2^32, passes gjrand/PractRand to several GB; plenty for shuffling a few thousand indices).
 * Same seed, same sequence, on every engine.
 */
import { AppError } from '../errors';

export type Random = () => number;

/** Uniform floats in [0, 1) from a 32-bit integer seed. */
export function mulberry32(seed: number): Random {
  if (!Number.isInteger(seed)) throw new AppError('input-invalid', `The random seed must be an integer, got ${seed}.`);
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle in place. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(a: T, random: Random): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}
