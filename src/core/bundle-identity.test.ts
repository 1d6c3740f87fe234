import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundleIdentity, canonicalJson, shortIdentity } from './bundle-identity';

const demo = JSON.parse(readFileSync('public/models/demo-tiny/manifest.json', 'utf8'));

describe('bundle identity', () => {
  it('canonical JSON sorts keys at every level and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,{"y":null,"z":0}]},"b":1}');
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });
  it('the same manifest, however it is formatted, has the same identity', async () => {
    const a = await bundleIdentity(demo);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await bundleIdentity(JSON.parse(JSON.stringify(demo, null, 4)))).toBe(a);
    const reordered = Object.fromEntries(Object.entries(demo).reverse());
    expect(await bundleIdentity(reordered)).toBe(a);
    expect(shortIdentity(a)).toBe(a.slice(0, 12));
  });
  it('one changed file hash, preprocessing value or tokenizer setting gives another identity', async () => {
    const a = await bundleIdentity(demo);
    const file = Object.keys(demo.files)[0];
    const changes: ((m: any) => void)[] = [
      (m) => (m.files[file].sha256 = 'f'.repeat(64)),
      (m) => (m.image.mean[0] = 0.5),
      (m) => (m.tokenizer.contextLength = 64),
      (m) => (m.name = 'Another name'),
    ];
    for (const change of changes) {
      const m = structuredClone(demo);
      change(m);
      expect(await bundleIdentity(m)).not.toBe(a);
    }
  });
});
