/**
 * One small seeded pseudo-random generator (mulberry32: 32-bit state, period 2^32, passes
 * gjrand/PractRand to several GB; plenty for shuffling a few thousand items) and seeded shuffles:
 * the same seed gives the same sequence on every engine (reproducible splits, quiz choices).
 */
import { AppError } from './errors';

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

/** Fisher-Yates shuffle in place (arrays and typed arrays). */
export function shuffleInPlace<A extends { length: number; [i: number]: unknown }>(a: A, random: Random): A {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** A shuffled copy, from a seed. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  return shuffleInPlace([...items], mulberry32(seed));
}

/** A 32-bit seed from a string (FNV-1a), e.g. a case id. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
