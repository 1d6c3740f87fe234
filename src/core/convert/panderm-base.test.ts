/**
 * DermLIP-PanDerm at its real size: the hub's open_clip_config.json (the fork's, as committed in
 * data/derm1m) with PubMedBERT's config.json picks the shipped panderm-base graphs, and a
 * checkpoint is checked against that architecture's tensors. The checkpoint here is a synthetic
 * safetensors file (a real header, zero data served on demand: nothing of 790 MB is held).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { architectureFor, checkTensors, expectedTensors, HUB_MODELS } from './architectures';
import { openCheckpoint } from './checkpoint';
import { parseOpenClipConfig } from './openclip-config';
import type { ByteSource } from './source';
import { numel } from './tensors';

const hubConfig = JSON.stringify({ model_cfg: JSON.parse(readFileSync('data/derm1m/model_configs/PanDerm-base-w-PubMed-256.json', 'utf8')) });
/** neuml/pubmedbert-base-embeddings' config.json, as the full-size fixture records it. */
const bertConfig = JSON.stringify(JSON.parse(readFileSync('tools/model/configs/panderm-full.json', 'utf8')).fixture.hf_text_config);

/** A safetensors file of these F32 tensors (the safetensors layout), its data all zeros, read by ranges. */
function syntheticSafetensors(tensors: ReadonlyMap<string, readonly number[]>): ByteSource {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let at = 0;
  for (const [name, shape] of [...tensors].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const n = 4 * numel(shape);
    header[name] = { dtype: 'F32', shape, data_offsets: [at, at + n] };
    at += n;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const head = new Uint8Array(8 + json.length);
  new DataView(head.buffer).setUint32(0, json.length, true);
  head.set(new TextEncoder().encode(json), 8);
  return {
    name: 'open_clip_model.safetensors',
    size: head.length + at,
    read: async (offset, length) => {
      const out = new Uint8Array(length);
      if (offset < head.length) out.set(head.subarray(offset, Math.min(head.length, offset + length)));
      return out;
    },
  };
}

async function refusal(src: ByteSource): Promise<Error | null> {
  const spec = parseOpenClipConfig(hubConfig, bertConfig);
  const arch = architectureFor(spec.model);
  const index = await openCheckpoint(src);
  try {
    checkTensors(index, expectedTensors(spec.model, spec.typeVocabSize), arch);
    return null;
  } catch (e) {
    return e as Error;
  }
}

describe('DermLIP-PanDerm at its real size', () => {
  const spec = parseOpenClipConfig(hubConfig, bertConfig);
  const want = expectedTensors(spec.model, spec.typeVocabSize);

  it('the hub config with PubMedBERT\'s config.json picks the shipped panderm-base graphs', () => {
    expect(architectureFor(spec.model).id).toBe('panderm-base');
    expect(spec.model).toMatchObject({ embedDim: 512, vision: { width: 768, layers: 12 }, text: { width: 768, layers: 12, vocabSize: 30522, contextLength: 256 } });
  });

  it('its checkpoint size in the panel comes from its tensors (195.9 M parameters, fp32: 784 MB)', () => {
    const params = [...want.values()].reduce((n, s) => n + numel(s), 0);
    expect(params).toBe(195_912_449); // the sum over the shipped layout's tensors, as Python counts them
    expect(HUB_MODELS.find((m) => m.title === 'DermLIP-PanDerm')!.checkpointBytes).toBe(4 * params);
  });

  it('a checkpoint with every tensor at its shape passes', async () => {
    expect(await refusal(syntheticSafetensors(want))).toBeNull();
  });

  it('a tensor of the wrong shape is refused with its name, the shape found and the shape expected', async () => {
    // As if the text tower were BERT-base-cased (28,996 words) instead of PubMedBERT (30,522).
    const wrong = new Map(want).set('text.transformer.embeddings.word_embeddings.weight', [28996, 768]);
    const err = await refusal(syntheticSafetensors(wrong));
    expect(err?.message).toContain('The checkpoint does not fit DermLIP-PanDerm (PanDerm-base + PubMedBERT)');
    expect(err?.message).toContain('tensor text.transformer.embeddings.word_embeddings.weight has shape [28996, 768], expected [30522, 768]');
  });

  it('a vision block too many or missing is named', async () => {
    const extra = new Map(want).set('visual.blocks.12.gamma_1', [768]);
    extra.delete('visual.blocks.11.gamma_2');
    const err = await refusal(syntheticSafetensors(extra));
    expect(err?.message).toContain('missing tensor visual.blocks.11.gamma_2 (expected shape [768])');
    expect(err?.message).toContain('unexpected tensor visual.blocks.12.gamma_1 [768]');
  });
});
