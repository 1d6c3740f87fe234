import { describe, expect, it } from 'vitest';
import { imageKey, imageKeyFor, keyString, sha256Hex, textKey } from './cachekeys';

describe('cache keys', () => {
  it('hashes with WebCrypto', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
  const W1 = '1'.repeat(64);
  const W2 = '2'.repeat(64);
  const demo = { id: 'demo-tiny', identity: W1 };
  it('keys images by bundle, identity, variant and tensor hash', async () => {
    const t = new Float32Array([1, 2, 3]);
    const a = await imageKeyFor(demo, 'fp32', t);
    expect(a[3]).toMatch(/^[0-9a-f]{64}$/);
    expect(await imageKeyFor(demo, 'fp32', new Float32Array([1, 2, 3]))).toEqual(a);
    expect(await imageKeyFor(demo, 'fp32', new Float32Array([1, 2, 4]))).not.toEqual(a);
    const keys = [a, await imageKeyFor(demo, 'int8', t), await imageKeyFor({ id: 'dermlip-b16', identity: W1 }, 'fp32', t)].map(keyString);
    expect(new Set(keys).size).toBe(3);
    expect(() => imageKey(demo, 'fp32', 'nothex')).toThrow();
  });
  it('another bundle reusing the id (other weights, other identity) never shares an entry', async () => {
    const t = new Float32Array([1, 2, 3]);
    const reused = { id: 'demo-tiny', identity: W2 };
    expect(keyString(await imageKeyFor(reused, 'int8', t))).not.toBe(keyString(await imageKeyFor(demo, 'int8', t)));
    expect(keyString(textKey(reused, 'int8', 'melanoma'))).not.toBe(keyString(textKey(demo, 'int8', 'melanoma')));
    expect(() => textKey({ id: 'demo-tiny', identity: '' }, 'int8', 'melanoma')).toThrow(/identity/);
  });
  it('uses an injected hasher', async () => {
    const k = await imageKeyFor({ id: 'b', identity: W1 }, 'v', new Float32Array(2), async (bytes) => (bytes.length === 8 ? 'f'.repeat(64) : ''));
    expect(k).toEqual(['b', W1, 'v', 'f'.repeat(64)]);
  });
  it('keys texts by bundle, identity, variant and prompt', () => {
    const a = { id: 'a', identity: W1 };
    const keys = [textKey(a, 'fp32', 'melanoma'), textKey(a, 'fp16', 'melanoma'), textKey({ id: 'b', identity: W1 }, 'fp32', 'melanoma'), textKey(a, 'fp32', 'nevus')].map(keyString);
    expect(new Set(keys).size).toBe(4);
    expect(keyString(textKey(a, 'b', 'c'))).not.toBe(keyString(textKey({ id: 'a,b', identity: W1 }, '', 'c')));
  });
});
