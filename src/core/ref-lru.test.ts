import { describe, expect, it } from 'vitest';
import { RefLru } from './ref-lru';

function cache(keep: number) {
  const disposed: string[] = [];
  const c = new RefLru<string>(keep, (v) => disposed.push(v));
  return { c, disposed };
}

describe('RefLru', () => {
  it('evicts the least recently used values beyond `keep`', () => {
    const { c, disposed } = cache(2);
    c.set('a', 'A');
    c.set('b', 'B');
    c.get('a');
    c.set('c', 'C');
    expect(disposed).toEqual(['B']);
    expect(c.has('a') && c.has('c')).toBe(true);
    expect(c.size).toBe(2);
  });

  it('never disposes of a held value; evicts it once released', () => {
    const { c, disposed } = cache(2);
    c.set('a', 'A');
    c.hold('a');
    for (const k of ['b', 'c', 'd', 'e']) c.set(k, k.toUpperCase());
    expect(disposed).toEqual(['B', 'C', 'D']);
    expect(c.has('a')).toBe(true);
    c.release('a');
    c.set('f', 'F');
    expect(disposed).toEqual(['B', 'C', 'D', 'A']);
    expect(c.size).toBe(2);
  });

  it('keeps a hold taken before the value arrived, and counts holds', () => {
    const { c, disposed } = cache(1);
    c.hold('a');
    c.hold('a');
    c.set('a', 'A');
    c.set('b', 'B');
    c.set('c', 'C');
    expect(disposed).toEqual(['B', 'C']);
    c.release('a');
    c.set('d', 'D');
    expect(disposed).toEqual(['B', 'C', 'D']);
    c.release('a');
    expect(c.has('a')).toBe(true);
    c.set('e', 'E');
    expect(disposed).toEqual(['B', 'C', 'D', 'A']);
  });

  it('a hold released before the value arrives leaves nothing held', () => {
    const { c, disposed } = cache(1);
    c.hold('a');
    c.release('a');
    c.set('a', 'A');
    c.set('b', 'B');
    expect(disposed).toEqual(['A']);
  });

  it('disposes of a replaced value', () => {
    const { c, disposed } = cache(5);
    c.set('a', 'A1');
    c.set('a', 'A2');
    expect(disposed).toEqual(['A1']);
    expect(c.get('a')).toBe('A2');
  });
});
