import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../core/cachekeys';
import { QUICK_SPAN, quickKey } from './quick-key';

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => ((i + seed) * 2654435761) >>> 24);

describe('quickKey', () => {
  it('is equal for equal bytes whatever the Blob', async () => {
    const b = bytes(300_000, 1);
    expect(await quickKey(new Blob([b]), sha256Hex)).toBe(await quickKey(new Blob([b.slice(0, 1000), b.slice(1000)]), sha256Hex));
  });

  it('sees the size, the head and the tail', async () => {
    const b = bytes(300_000, 1);
    const key = await quickKey(new Blob([b]), sha256Hex);
    const head = b.slice();
    head[10] ^= 1;
    const tail = b.slice();
    tail[b.length - 10] ^= 1;
    expect(await quickKey(new Blob([head]), sha256Hex)).not.toBe(key);
    expect(await quickKey(new Blob([tail]), sha256Hex)).not.toBe(key);
    expect(await quickKey(new Blob([b.slice(0, -1)]), sha256Hex)).not.toBe(key);
  });

  it('does not see the middle (why the full sha256 must confirm it)', async () => {
    const b = bytes(300_000, 1);
    const middle = b.slice();
    middle[150_000] ^= 1;
    expect(await quickKey(new Blob([middle]), sha256Hex)).toBe(await quickKey(new Blob([b]), sha256Hex));
  });

  it('small files are hashed whole, without reading a byte twice', async () => {
    const b = bytes(QUICK_SPAN + 10, 3);
    const changed = b.slice();
    changed[QUICK_SPAN + 5] ^= 1;
    expect(await quickKey(new Blob([changed]), sha256Hex)).not.toBe(await quickKey(new Blob([b]), sha256Hex));
    expect(await quickKey(new Blob([bytes(100, 2)]), sha256Hex)).toMatch(/^100:[0-9a-f]{64}$/);
  });
});
