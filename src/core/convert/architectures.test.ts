import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { convertAsset } from '../../../test/helpers/checkpoints';
import { ARCHITECTURES, expectedTensors, HUB_MODELS, sameModel } from './architectures';
import { parseLayout } from './layout';
import { assembleTable, etaSeconds, planBatches } from './prompt-table';

describe('the shipped graphs and layouts (public/convert/<id>/) are what the architecture table says', () => {
  for (const arch of ARCHITECTURES) {
    it(arch.id, () => {
      const layout = parseLayout(JSON.parse(new TextDecoder().decode(convertAsset(arch.id, 'layout.json'))));
      expect(sameModel(layout.model, arch.model)).toBe(true);
      const want = expectedTensors(arch.model);
      expect(Object.keys(layout.tensors).sort()).toEqual([...want.keys()].sort());
      for (const [k, s] of want) expect(layout.tensors[k], k).toEqual(s);
      // Real-size graphs merge nothing (every tensor of a trained checkpoint differs).
      if (!arch.fixture) expect(layout.equal).toEqual([]);
      expect(layout.files.map((f) => f.name).sort()).toHaveLength(16);
      for (const f of layout.files.filter((x) => x.kind === 'graph')) {
        const skeleton = convertAsset(arch.id, f.name);
        expect(skeleton.length, f.name).toBe(f.bytes);
        expect(createHash('sha256').update(skeleton).digest('hex'), f.name).toBe(f.skeletonSha256);
        // No weight ships with the app: every place a weight goes in a graph is zeros.
        for (const w of f.writes) expect(skeleton.subarray(w.offset, w.offset + w.length).every((b) => b === 0), `${f.name} ${w.name}`).toBe(true);
      }
      // Every weight of the state dict is written into every variant of its tower (logit_scale is metadata).
      const derived = layout.derived ?? {};
      const used = new Set(layout.files.flatMap((f) => f.writes.flatMap((w) => (Object.hasOwn(derived, w.key) ? derived[w.key].flatMap((p) => ('key' in p ? [p.key] : [])) : [w.key]))));
      const merged = new Set(layout.equal.flatMap((g) => g.slice(1)));
      expect([...want.keys()].filter((k) => !used.has(k) && !merged.has(k))).toEqual(['logit_scale']);
    });
  }
  it('DermLIP-B/16\'s checkpoint size comes from its tensors (149.6 M parameters, fp32)', () => {
    expect(HUB_MODELS[0].checkpointBytes).toBe(4 * 149_620_737);
    expect(HUB_MODELS.map((m) => m.url)).toEqual(['https://huggingface.co/redlessone/DermLIP_ViT-B-16', 'https://huggingface.co/redlessone/DermLIP_PanDerm-base-w-PubMed-256']);
  });
});

describe('prompt table', () => {
  it('plans batches by token length, then position, deterministically', () => {
    expect(planBatches([5, 3, 5, 1, 3], 2)).toEqual([[3, 1], [4, 0], [2]]);
  });
  it('puts each batch\'s rows back in prompt order', () => {
    const rows = [Uint8Array.from([3, 3, 1, 1]), Uint8Array.from([4, 4, 0, 0]), Uint8Array.from([2, 2])];
    expect([...assembleTable(5, 1, [[3, 1], [4, 0], [2]], rows)]).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(() => assembleTable(5, 1, [[3, 1]], [Uint8Array.from([1])])).toThrow(/batch 0 has 1 bytes, expected 4/);
  });
  it('estimates the time left from the rate so far', () => {
    expect(etaSeconds(0, 100, 1000)).toBeNull();
    expect(etaSeconds(25, 100, 10_000)).toBe(30);
  });
});
