// Every variant of demo-tiny vs the PyTorch fp32 reference embeddings, with onnxruntime-node.
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { Tokenizer } from '@huggingface/tokenizers';
import { bundlePath, cleanText, cosine, cropToTensor, manifest, readBundleFile, readJson, references } from './bundle-helpers';

import { NATIVE_BOUNDS as BOUNDS } from './bounds';

const S = manifest.image.size;
const D = manifest.embedDim;
const sessions: ort.InferenceSession[] = [];
async function session(rel: string) {
  // By path: onnxruntime-node finds the external weights file beside the graph.
  const s = await ort.InferenceSession.create(bundlePath(rel));
  sessions.push(s);
  return s;
}
afterAll(async () => { for (const s of sessions) await s.release(); });

function pixelBatch() {
  const n = references.images.length;
  const data = new Float32Array(n * 3 * S * S);
  references.images.forEach((img, i) => {
    data.set(cropToTensor(new Uint8Array(readBundleFile(img.crop)), S, manifest.image.mean, manifest.image.std), i * 3 * S * S);
  });
  return new ort.Tensor('float32', data, [n, 3, S, S]);
}

function idsTensor(rows: number[][]) {
  const L = rows[0].length;
  return new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, L]);
}

const row = (t: ort.Tensor, i: number) => (t.data as Float32Array).subarray(i * D, (i + 1) * D);

describe.each(Object.keys(manifest.variants))('variant %s', (variant) => {
  const v = manifest.variants[variant];
  const bound = BOUNDS[variant];

  it('image tower matches the reference embeddings', async () => {
    const s = await session(v.image);
    const out = (await s.run({ [manifest.image.input]: pixelBatch() }))[manifest.image.output];
    expect(out.dims).toEqual([references.images.length, D]);
    references.images.forEach((img, i) => {
      expect(cosine(row(out, i), img.embedding), `${variant} ${img.name}`).toBeGreaterThanOrEqual(bound.image);
    });
  });

  it('text tower matches the reference embeddings (ids padded to 77)', async () => {
    const s = await session(v.text);
    const out = (await s.run({ [manifest.text.input]: idsTensor(references.prompts.map((p) => p.ids)) }))[manifest.text.output];
    expect(out.dims).toEqual([references.prompts.length, D]);
    references.prompts.forEach((p, i) => {
      expect(cosine(row(out, i), p.embedding), `${variant} ${JSON.stringify(p.text)}`).toBeGreaterThanOrEqual(bound.text);
    });
  });
});

describe('dynamic text length', () => {
  it('a prompt cut right after its end token gives the same embedding as padded to 77', async () => {
    const s = await session(manifest.variants.fp32.text);
    for (const p of references.prompts) {
      const end = p.ids.indexOf(manifest.tokenizer.endId);
      const cut = p.ids.slice(0, end + 1);
      const short = (await s.run({ input_ids: idsTensor([cut]) })).text_embeds;
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
    const tok = new Tokenizer(readJson<object>(manifest.tokenizer.file), {});
    const { prompts } = readJson<{ prompts: string[] }>(manifest.textEmbeddings.prompts);
    const table = readBundleFile(manifest.textEmbeddings.file);
    const f16 = (h: number) => {
      const e = (h >> 10) & 0x1f, m = h & 0x3ff, s = h >> 15 ? -1 : 1;
      return e === 0 ? s * m * 2 ** -24 : s * (1 + m / 1024) * 2 ** (e - 15);
    };
    const s = await session(manifest.variants.fp32.text);
    const picks = [0, 1, 7, 100, 1234, Math.floor(prompts.length / 2), prompts.length - 1];
    for (const i of picks) {
      const bpe = tok.encode(cleanText(prompts[i]), { add_special_tokens: false }).ids.slice(0, 75);
      const out = (await s.run({ input_ids: idsTensor([[manifest.tokenizer.startId, ...bpe, manifest.tokenizer.endId]]) })).text_embeds;
      const stored = Array.from({ length: D }, (_, k) => f16(table.readUInt16LE((i * D + k) * 2)));
      expect(cosine(out.data as Float32Array, stored), prompts[i]).toBeGreaterThanOrEqual(0.9999);
    }
  });
});
