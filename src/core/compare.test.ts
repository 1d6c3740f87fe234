import { describe, expect, it } from 'vitest';
import { compareRankings, type Scored } from './compare';

const list = (ids: string[], probs: number[]): Scored[] => ids.map((id, i) => ({ id, name: id.toUpperCase(), prob: probs[i] }));

describe('compareRankings', () => {
  it('identical rankings agree everywhere', () => {
    const a = list(['mel', 'nev', 'bcc', 'sk'], [0.5, 0.3, 0.15, 0.05]);
    const c = compareRankings(a, a, 3);
    expect(c).toMatchObject({ topAgree: true, overlap: 3, k: 3, spearman: 1 });
    expect(c.rows.map((r) => r.id)).toEqual(['mel', 'nev', 'bcc']);
  });
  it('reversed rankings disagree: rho -1, no top agreement', () => {
    const a = list(['mel', 'nev', 'bcc', 'sk'], [0.4, 0.3, 0.2, 0.1]);
    const b = list(['sk', 'bcc', 'nev', 'mel'], [0.4, 0.3, 0.2, 0.1]);
    const c = compareRankings(a, b, 2);
    expect(c.topAgree).toBe(false);
    expect(c.overlap).toBe(0);
    expect(c.spearman).toBeCloseTo(-1, 12);
    // Union of both top-2, by the larger probability, each with both ranks.
    expect(c.rows).toEqual([
      { id: 'mel', name: 'MEL', a: 0.4, b: 0.1, rankA: 1, rankB: 4 },
      { id: 'sk', name: 'SK', a: 0.1, b: 0.4, rankA: 4, rankB: 1 },
      { id: 'bcc', name: 'BCC', a: 0.2, b: 0.3, rankA: 3, rankB: 2 },
      { id: 'nev', name: 'NEV', a: 0.3, b: 0.2, rankA: 2, rankB: 3 },
    ]);
  });
  it('one swap in five gives rho 0.9', () => {
    const a = list(['a', 'b', 'c', 'd', 'e'], [0.3, 0.25, 0.2, 0.15, 0.1]);
    const b = list(['a', 'c', 'b', 'd', 'e'], [0.3, 0.25, 0.2, 0.15, 0.1]);
    expect(compareRankings(a, b, 5).spearman).toBeCloseTo(1 - (6 * 2) / (5 * 24), 12);
  });
});
