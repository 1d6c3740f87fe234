import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { buildOntology } from './ontology';
import type { Label } from './prompts';
import {
  buildClassifier, classify, decodeF16, f16ToF32, l2normalizeRows, loadEmbeddingTable, LOW_CONFIDENCE_MARGIN, LOW_CONFIDENCE_TOP,
  lowConfidence, probsByNode, rankNodes, rollUp, softmax,
} from './zeroshot';

const BUNDLE = 'public/models/demo-tiny';

function f16Bytes(values: number[]): Uint8Array {
  // test encoder for exactly representable values via a search over all bit patterns
  const out = new Uint8Array(values.length * 2);
  values.forEach((v, i) => {
    let best = 0;
    for (let h = 0; h < 65536; h++) if (Math.abs(f16ToF32(h) - v) < Math.abs(f16ToF32(best) - v)) best = h;
    out[2 * i] = best & 255;
    out[2 * i + 1] = best >> 8;
  });
  return out;
}

describe('float16', () => {
  it('decodes bit patterns', () => {
    expect(f16ToF32(0x3c00)).toBe(1);
    expect(f16ToF32(0xc000)).toBe(-2);
    expect(f16ToF32(0x7bff)).toBe(65504);
    expect(f16ToF32(0x0001)).toBe(2 ** -24);
    expect(f16ToF32(0x3555)).toBeCloseTo(1 / 3, 3);
    expect(f16ToF32(0x7c00)).toBe(Infinity);
    expect(f16ToF32(0xfc00)).toBe(-Infinity);
    expect(f16ToF32(0x7e00)).toBeNaN();
    expect(Array.from(decodeF16(new Uint8Array([0x00, 0x3c, 0x00, 0xc0])))).toEqual([1, -2]);
  });
});

describe('embedding table', () => {
  it('looks rows up by prompt, renormalised', () => {
    const t = loadEmbeddingTable(f16Bytes([3, 4, 0, 2]), ['a', 'b'], 2);
    expect(Array.from(t.get('a')!)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(Array.from(t.get('b')!)).toEqual([0, 1]);
    expect(t.get('c')).toBeUndefined();
    expect(t.size).toBe(2);
    expect(() => loadEmbeddingTable(new Uint8Array(6), ['a', 'b'], 2)).toThrow(AppError);
  });
  it('keeps f16 rows and gives each lookup its own array, equal to decoding the whole table', () => {
    const bytes = f16Bytes([3, 4, 0, 2, -1, 0.5]);
    const t = loadEmbeddingTable(bytes, ['a', 'b', 'c'], 2);
    const whole = l2normalizeRows(decodeF16(bytes), 2);
    expect(Array.from(t.get('c')!)).toEqual(Array.from(whole.subarray(4, 6)));
    const a = t.get('a')!;
    a.fill(9); // the caller's copy: the table does not change
    expect(Array.from(t.get('a')!)).toEqual(Array.from(whole.subarray(0, 2)));
    bytes.fill(0); // nor does it follow the buffer it was read from
    expect(Array.from(t.get('b')!)).toEqual([0, 1]);
  });
  it('reads a float32 table too', () => {
    const t = loadEmbeddingTable(new Uint8Array(Float32Array.from([3, 4, 0, 2]).buffer), ['a', 'b'], 2, 'float32');
    expect(Array.from(t.get('a')!)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(Array.from(t.get('b')!)).toEqual([0, 1]);
  });
  it('matches the PyTorch text embeddings of the demo bundle', (ctx) => {
    if (!existsSync(`${BUNDLE}/prompts.json`)) return ctx.skip();
    const prompts = JSON.parse(readFileSync(`${BUNDLE}/prompts.json`, 'utf8')).prompts as string[];
    const t = loadEmbeddingTable(new Uint8Array(readFileSync(`${BUNDLE}/text-embeddings.f16.bin`)), prompts, 512);
    const refs = JSON.parse(readFileSync(`${BUNDLE}/references/references.json`, 'utf8')).prompts as { text: string; embedding: number[] }[];
    let n = 0;
    let worst = 1;
    for (const r of refs) {
      const v = t.get(r.text);
      if (!v) continue;
      const ref = l2normalizeRows(Float32Array.from(r.embedding), 512);
      let cos = 0;
      for (let i = 0; i < 512; i++) cos += v[i] * ref[i];
      worst = Math.min(worst, cos);
      n++;
    }
    console.log(`shipped vs reference text embeddings: ${n} prompts, min cosine ${worst.toFixed(6)}`);
    expect(n).toBeGreaterThan(0);
    expect(worst).toBeGreaterThan(0.9999);
  });
});

const L = (id: string, aliases: string[], nodeId?: string): Label => ({ id, name: aliases[0], aliases, nodeId });

describe('classifier', () => {
  const emb: Record<string, number[]> = {
    'x a': [1, 0, 0], 'y a': [0, 2, 0], 'x b': [0, 0, 1], 'y b': [0, 0, 3], 'x c': [1, 1, 0], 'y c': [1, 1, 0],
  };
  const lookup = (p: string) => (emb[p] ? Float32Array.from(emb[p]) : undefined);

  it('averages normalised prompt embeddings and renormalises', () => {
    const c = buildClassifier([L('A', ['a']), L('B', ['b'])], ['x {}', 'y {}'], lookup);
    expect(c.dim).toBe(3);
    expect(Array.from(c.weights.subarray(0, 3))).toEqual([expect.closeTo(Math.SQRT1_2, 6), expect.closeTo(Math.SQRT1_2, 6), 0]);
    expect(Array.from(c.weights.subarray(3, 6))).toEqual([0, 0, 1]);
    expect(() => buildClassifier([L('Q', ['q'])], ['x {}'], lookup)).toThrow(/1 prompt embeddings are missing/);
  });
  it('ranks by softmax(scale * cosine)', () => {
    const c = buildClassifier([L('A', ['a']), L('B', ['b']), L('C', ['c'])], ['x {}', 'y {}'], lookup);
    const r = classify(Float32Array.from([0, 0, 1]), c, 100);
    expect(r.ranked[0].label.id).toBe('B');
    expect(r.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(r.logits[1]).toBeCloseTo(100, 4);
    expect(r.ranked[1].prob).toBeCloseTo(Math.exp(-100), 30);
    expect(() => classify(new Float32Array(2), c, 100)).toThrow(AppError);
  });
  it('has a stable softmax', () => {
    expect(Array.from(softmax([1000, 1000]))).toEqual([0.5, 0.5]);
    expect(Array.from(softmax([-1e9, 0]))).toEqual([0, 1]);
  });
  it('flags low confidence', () => {
    expect(LOW_CONFIDENCE_TOP).toBe(0.35);
    expect(LOW_CONFIDENCE_MARGIN).toBe(0.1);
    expect(lowConfidence([{ prob: 0.3 }, { prob: 0.1 }])).toBe(true);
    expect(lowConfidence([{ prob: 0.5 }, { prob: 0.45 }])).toBe(true);
    expect(lowConfidence([{ prob: 0.5 }, { prob: 0.3 }])).toBe(false);
    expect(lowConfidence([{ prob: 1 }])).toBe(false);
  });
  it('is fast: 400 labels x 512 dims', () => {
    const n = 400, d = 512;
    const weights = l2normalizeRows(Float32Array.from({ length: n * d }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1), d);
    const labels = Array.from({ length: n }, (_, i) => L(`l${i}`, [`l${i}`]));
    const img = l2normalizeRows(Float32Array.from({ length: d }, (_, i) => Math.cos(i)), d);
    const c = { labels, dim: d, weights };
    for (let i = 0; i < 20; i++) classify(img, c, 100);
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) classify(img, c, 100);
    console.log(`classify 400 x 512: ${((performance.now() - t0) / 100).toFixed(3)} ms per call`);
  });
});

describe('roll-up', () => {
  const tree = buildOntology({ root: ['p', 'q'], p: ['b', 'm'], b: ['nevus', 'sk'], m: ['melanoma'], q: ['eczema'] });
  it('sums children up to the root', () => {
    const leaf = new Map([['p/b/nevus', 0.2], ['p/b/sk', 0.1], ['p/m/melanoma', 0.6], ['q/eczema', 0.1]]);
    const r = rollUp(leaf, tree);
    expect(r.get('p/b')).toBeCloseTo(0.3, 9);
    expect(r.get('p')).toBeCloseTo(0.9, 9);
    expect(r.get('root')).toBeCloseTo(1, 9);
    expect(rankNodes(r, ['p/b', 'p/m'])).toEqual([{ nodeId: 'p/m', prob: expect.closeTo(0.6, 9) }, { nodeId: 'p/b', prob: expect.closeTo(0.3, 9) }]);
  });
  it('maps a classification onto nodes', () => {
    const labels = [L('a', ['a'], 'p/b/nevus'), L('b', ['b'], 'p/b/nevus'), L('c', ['c'])];
    const res = { probs: new Float32Array([0.5, 0.3, 0.2]), logits: new Float32Array(3), ranked: labels.map((label, index) => ({ label, index, prob: [0.5, 0.3, 0.2][index], logit: 0 })) };
    expect(probsByNode(res).get('p/b/nevus')).toBeCloseTo(0.8, 6);
  });
  it('shares a merged label equally among its nodes', () => {
    const labels = [{ ...L('a', ['a'], 'p/b/nevus'), nodeIds: ['p/b/nevus', 'q/eczema'] }, L('b', ['b'], 'p/m/melanoma')];
    const res = { probs: new Float32Array([0.6, 0.4]), logits: new Float32Array(2), ranked: labels.map((label, index) => ({ label, index, prob: [0.6, 0.4][index], logit: 0 })) };
    const byNode = probsByNode(res);
    expect(byNode.get('p/b/nevus')).toBeCloseTo(0.3, 12);
    expect(byNode.get('q/eczema')).toBeCloseTo(0.3, 12);
    const r = rollUp(byNode, tree);
    expect(r.get('root')).toBeCloseTo(1, 12);
    expect(r.get('p')).toBeCloseTo(0.7, 12);
  });
});
