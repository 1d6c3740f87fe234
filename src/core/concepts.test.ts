import { describe, expect, it } from 'vitest';
import { CONCEPT_SCALE, conceptScores, pairSoftmax } from './concepts';
import { conceptPromptList, concepts } from './prompts';

describe('concept presence', () => {
  it('uses the MONET temperature', () => {
    expect(CONCEPT_SCALE).toBeCloseTo(98.93, 1);
    expect(pairSoftmax(0.3, 0.3)).toBe(0.5);
    expect(pairSoftmax(0.31, 0.3)).toBeCloseTo(1 / (1 + Math.exp(-0.01 * CONCEPT_SCALE)), 12);
    expect(pairSoftmax(1000, -1000)).toBe(1);
    expect(pairSoftmax(-1000, 1000)).toBe(0);
  });
  it('follows calculate_concept_presence_score on a hand example', () => {
    const list = [
      { id: 'red', displayName: 'Red', terms: ['red', 'erythema'] },
      { id: 'scale', displayName: 'Scale', terms: ['scale'] },
    ];
    const spec = { templates: ['T1 {}', 'T2 {}'], refs: [['R1'], ['R2a', 'R2b']] };
    const e: Record<string, number[]> = {
      'T1 red': [1, 0], 'T1 erythema': [0.6, 0.8], 'T1 scale': [0, 1], R1: [0.8, 0.6],
      'T2 red': [1, 0], 'T2 erythema': [1, 0], 'T2 scale': [0, 2], R2a: [0, 1], R2b: [1, 0],
    };
    const img = Float32Array.from([1, 0]);
    const res = conceptScores(img, (p) => (e[p] ? Float32Array.from(e[p]) : undefined), list, spec);
    const s = (a: number, b: number) => 1 / (1 + Math.exp((b - a) * CONCEPT_SCALE));
    const red = (s((1 + 0.6) / 2, 0.8) + s(1, 0.5)) / 2;
    const scale = (s(0, 0.8) + s(0, 0.5)) / 2;
    expect(res.map((r) => r.concept.id)).toEqual(['red', 'scale']);
    expect(res[0].score).toBeCloseTo(red, 6);
    expect(res[1].score).toBeCloseTo(scale, 6);
    expect(res[0].perTemplate.length).toBe(2);
    expect(() => conceptScores(img, () => undefined, list, spec)).toThrow(/missing/);
  });
  it('runs over all 64 Derm1M concepts', () => {
    const dim = 8;
    const vec = (p: string) => Float32Array.from({ length: dim }, (_, i) => Math.sin(p.length * (i + 1) + p.charCodeAt(0)));
    const all = new Set(conceptPromptList());
    const res = conceptScores(Float32Array.from({ length: dim }, (_, i) => i - 3), (p) => (all.has(p) ? vec(p) : undefined));
    expect(res.length).toBe(concepts().length);
    for (const r of res) expect(r.score).toBeGreaterThanOrEqual(0), expect(r.score).toBeLessThanOrEqual(1);
  });
});
