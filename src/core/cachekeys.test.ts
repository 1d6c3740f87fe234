import { describe, expect, it } from 'vitest';
import { imageKey, imageKeyFor, keyString, sha256Hex, textKey } from './cachekeys';

describe('cache keys', () => {
  it('hashes with WebCrypto', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
  it('keys images by bundle, variant and tensor hash', async () => {
    const t = new Float32Array([1, 2, 3]);
    const a = await imageKeyFor('demo-tiny', 'fp32', t);
    expect(a[2]).toMatch(/^[0-9a-f]{64}$/);
    expect(await imageKeyFor('demo-tiny', 'fp32', new Float32Array([1, 2, 3]))).toEqual(a);
    expect(await imageKeyFor('demo-tiny', 'fp32', new Float32Array([1, 2, 4]))).not.toEqual(a);
    const keys = [a, await imageKeyFor('demo-tiny', 'int8', t), await imageKeyFor('dermlip-b16', 'fp32', t)].map(keyString);
    expect(new Set(keys).size).toBe(3);
    expect(() => imageKey('x', 'fp32', 'nothex')).toThrow();
  });
  it('uses an injected hasher', async () => {
    const k = await imageKeyFor('b', 'v', new Float32Array(2), async (bytes) => (bytes.length === 8 ? 'f'.repeat(64) : ''));
    expect(k).toEqual(['b', 'v', 'f'.repeat(64)]);
  });
  it('keys texts by bundle, variant and prompt', () => {
    const keys = [textKey('a', 'fp32', 'melanoma'), textKey('a', 'fp16', 'melanoma'), textKey('b', 'fp32', 'melanoma'), textKey('a', 'fp32', 'nevus')].map(keyString);
    expect(new Set(keys).size).toBe(4);
    expect(keyString(textKey('a', 'b', 'c'))).not.toBe(keyString(textKey('a,b', '', 'c')));
  });
});
