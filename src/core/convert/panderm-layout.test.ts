import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertAsset, fileSource, pandermFixtureCheckpoint } from '../../../test/helpers/checkpoints';
import { BundleAssembler } from './assemble';
import { openCheckpoint } from './checkpoint';
import { parseLayout } from './layout';

const BUNDLE = 'public/models/demo-panderm-tiny';
const layout = () => parseLayout(JSON.parse(new TextDecoder().decode(convertAsset('demo-panderm-tiny', 'layout.json'))));

describe('the DermLIP-PanDerm tiny fixture\'s checkpoint, written with its shipped layout, gives the toolchain\'s bundle files byte for byte', () => {
  for (const format of ['bin', 'safetensors'] as const) {
    it(format, async () => {
      const ck = pandermFixtureCheckpoint();
      const l = layout();
      expect(Object.keys(l.derived ?? {}).length).toBeGreaterThan(0); // the folded qkv biases and token-type row
      const src = fileSource(format === 'bin' ? ck.bin : ck.safetensors);
      const index = await openCheckpoint(src);
      expect([...index.tensors.keys()].sort()).toEqual(Object.keys(l.tensors).sort());
      for (const [k, t] of index.tensors) expect(t.shape, k).toEqual(l.tensors[k]);
      const asm = new BundleAssembler(src, index, l);
      await asm.checkEqualGroups();
      expect(l.files.length).toBe(16);
      for (const f of l.files) {
        const parts: Uint8Array[] = [];
        for await (const c of asm.file(f, f.kind === 'graph' ? convertAsset('demo-panderm-tiny', f.name) : undefined)) parts.push(c);
        const got = Buffer.concat(parts);
        const want = readFileSync(`${BUNDLE}/${f.name}`);
        expect(got.length, f.name).toBe(want.length);
        expect(got.equals(want), `${f.name} differs`).toBe(true);
      }
      expect(await asm.modelLogitScale()).toBe(JSON.parse(readFileSync(`${BUNDLE}/manifest.json`, 'utf8')).modelLogitScale);
    }, 60_000);
  }
});

describe('a layout\'s derived tensors are checked', () => {
  it('refuses a part naming a tensor the architecture does not have, or a row it does not have', () => {
    const l = JSON.parse(new TextDecoder().decode(convertAsset('demo-panderm-tiny', 'layout.json')));
    const name = Object.keys(l.derived).find((k: string) => k.endsWith('qkv_bias'))!;
    expect(() => parseLayout({ ...l, derived: { ...l.derived, [name]: [{ key: 'visual.nope' }] } })).toThrow(/visual\.nope, which is not a tensor/);
    const row = Object.keys(l.derived).find((k: string) => k.endsWith('[0]'))!;
    const key = l.derived[row][0].key;
    expect(() => parseLayout({ ...l, derived: { ...l.derived, [row]: [{ key, row: 99 }] } })).toThrow(/has no row 99/);
  });
});
