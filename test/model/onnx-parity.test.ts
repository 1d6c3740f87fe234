// Every variant of each committed tiny bundle (demo-tiny: QuickGELU, demo-tiny-gelu: GELU) vs its
// PyTorch fp32 reference embeddings, with onnxruntime-node.
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { Tokenizer } from '@huggingface/tokenizers';
import { BUNDLES, cleanText, cosine, cropToTensor, loadBundle, type Bundle } from './bundle-helpers';
import { nativeBounds } from './bounds';

const sessions: ort.InferenceSession[] = [];
afterAll(async () => { for (const s of sessions) await s.release(); });

function idsTensor(rows: number[][]) {
  const L = rows[0].length;
  return new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, L]);
}

describe.each(BUNDLES)('%s', (id) => {
  const b: Bundle = loadBundle(id);
  const { manifest, references } = b;
  const S = manifest.image.size;
  const D = manifest.embedDim;
  const row = (t: ort.Tensor, i: number) => (t.data as Float32Array).subarray(i * D, (i + 1) * D);
  async function session(rel: string) {
    // By path: onnxruntime-node finds the external weights file beside the graph.
    const s = await ort.InferenceSession.create(b.path(rel));
    sessions.push(s);
    return s;
  }
  function pixelBatch() {
    const n = references.images.length;
    const data = new Float32Array(n * 3 * S * S);
    references.images.forEach((img, i) => {
      data.set(cropToTensor(new Uint8Array(b.read(img.crop)), S, manifest.image.mean, manifest.image.std), i * 3 * S * S);
    });
    return new ort.Tensor('float32', data, [n, 3, S, S]);
  }

  describe.each(Object.keys(manifest.variants))('variant %s', (variant) => {
    const v = manifest.variants[variant];
    const bound = nativeBounds(id)[variant];

    it('image tower matches the reference embeddings', async () => {
      const s = await session(v.image);
      const out = (await s.run({ [manifest.image.input]: pixelBatch() }))[manifest.image.output];
      expect(out.dims).toEqual([references.images.length, D]);
      const cos = references.images.map((img, i) => cosine(row(out, i), img.embedding));
      console.log(`${id} ${variant} image: min cosine ${Math.min(...cos).toFixed(7)}`);
      cos.forEach((c, i) => expect(c, `${id} ${variant} ${references.images[i].name}`).toBeGreaterThanOrEqual(bound.image));
      // The fidelity the manifest states (and the model panel shows) is what this run measures.
      expect(Math.abs(v.fidelity.image - Math.min(...cos)), `${id} ${variant} manifest fidelity.image`).toBeLessThan(1e-3);
    });

    it('text tower matches the reference embeddings (ids padded to the context length)', async () => {
      const s = await session(v.text);
      const out = (await s.run({ [manifest.text.input]: idsTensor(references.prompts.map((p) => p.ids)) }))[manifest.text.output];
      expect(out.dims).toEqual([references.prompts.length, D]);
      const cos = references.prompts.map((p, i) => cosine(row(out, i), p.embedding));
      console.log(`${id} ${variant} text: min cosine ${Math.min(...cos).toFixed(7)}`);
      cos.forEach((c, i) => expect(c, `${id} ${variant} ${JSON.stringify(references.prompts[i].text)}`).toBeGreaterThanOrEqual(bound.text));
      expect(Math.abs(v.fidelity.text - Math.min(...cos)), `${id} ${variant} manifest fidelity.text`).toBeLessThan(1e-3);
    });
  });

  describe('dynamic text length', () => {
    it('a prompt cut right after its end token gives the same embedding as padded', async () => {
      const s = await session(manifest.variants.fp32.text);
      for (const p of references.prompts) {
        const end = p.ids.indexOf(manifest.tokenizer.endId);
        const short = (await s.run({ input_ids: idsTensor([p.ids.slice(0, end + 1)]) })).text_embeds;
        const full = (await s.run({ input_ids: idsTensor([p.ids]) })).text_embeds;
        expect(cosine(short.data as Float32Array, full.data as Float32Array)).toBeGreaterThanOrEqual(0.99999);
        expect(cosine(short.data as Float32Array, p.embedding)).toBeGreaterThanOrEqual(0.99999);
      }
    });

    it('a batch padded to its longest prompt matches the references', async () => {
      const s = await session(manifest.variants.fp32.text);
      const L = Math.max(...references.prompts.map((p) => p.ids.indexOf(manifest.tokenizer.endId) + 1));
      expect(L).toBeLessThan(manifest.tokenizer.contextLength + 1);
      const out = (await s.run({ input_ids: idsTensor(references.prompts.map((p) => p.ids.slice(0, L))) })).text_embeds;
      references.prompts.forEach((p, i) => expect(cosine(row(out, i), p.embedding)).toBeGreaterThanOrEqual(0.99999));
    });
  });

  describe('precomputed text embeddings', () => {
    it('rows match the fp32 text tower on their prompts (sampled)', async () => {
      const tok = new Tokenizer(b.json<object>(manifest.tokenizer.file), {});
      const { prompts } = b.json<{ prompts: string[] }>(manifest.textEmbeddings.prompts);
      const table = b.read(manifest.textEmbeddings.file);
      const f16 = (h: number) => {
        const e = (h >> 10) & 0x1f, m = h & 0x3ff, s = h >> 15 ? -1 : 1;
        return e === 0 ? s * m * 2 ** -24 : s * (1 + m / 1024) * 2 ** (e - 15);
      };
      const s = await session(manifest.variants.fp32.text);
      const keep = manifest.tokenizer.contextLength - 2;
      const picks = [0, 1, 7, 100, 1234, Math.floor(prompts.length / 2), prompts.length - 1];
      for (const i of picks) {
        const bpe = tok.encode(cleanText(prompts[i]), { add_special_tokens: false }).ids.slice(0, keep);
        const out = (await s.run({ input_ids: idsTensor([[manifest.tokenizer.startId, ...bpe, manifest.tokenizer.endId]]) })).text_embeds;
        const stored = Array.from({ length: D }, (_, k) => f16(table.readUInt16LE((i * D + k) * 2)));
        expect(cosine(out.data as Float32Array, stored), prompts[i]).toBeGreaterThanOrEqual(0.9999);
      }
    });
  });
});

describe('the two activations', () => {
  it('same weights, different activation: the fp32 graphs give different embeddings', async () => {
    const [q, g] = BUNDLES.map(loadBundle);
    expect(q.manifest.files['image.fp32.onnx.data'].sha256).toBe(g.manifest.files['image.fp32.onnx.data'].sha256);
    expect(q.manifest.files['image.fp32.onnx'].sha256).not.toBe(g.manifest.files['image.fp32.onnx'].sha256);
    const prompts = q.references.prompts;
    const ids = idsTensor(prompts.map((p) => p.ids));
    const [a, c] = await Promise.all([q, g].map(async (b) => {
      const s = await ort.InferenceSession.create(b.path(b.manifest.variants.fp32.text));
      sessions.push(s);
      return (await s.run({ input_ids: ids })).text_embeds.data as Float32Array;
    }));
    const D = q.manifest.embedDim;
    const cos = prompts.map((_, i) => cosine(a.subarray(i * D, (i + 1) * D), c.subarray(i * D, (i + 1) * D)));
    console.log(`QuickGELU vs GELU text tower, same weights: cosine ${Math.min(...cos).toFixed(6)} .. ${Math.max(...cos).toFixed(6)}`);
    // Every prompt differs by more than the export parity gate tolerates (0.99999).
    for (const c of cos) expect(c).toBeLessThan(0.99999);
  });
});
