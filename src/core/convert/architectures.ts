/**
 * What the in-browser converter can build: the models on the hub (what to download, where, how
 * big, under which license) and the architectures it ships graphs for (public/convert/<id>/),
 * each with the exact model record its graphs were exported for. A checkpoint's config picks the
 * architecture (exact match of every size and the activation); its tensors must then have the
 * names and shapes that architecture's state dict has.
 *
 * Families: `open_clip-vit` (open_clip's CLIP ViT + CLIP text transformer: DermLIP-B/16) and
 * `dermlip-panderm` (the Derm1M fork's CAE ViT + BERT: DermLIP-PanDerm; its config reader and
 * tensor table are in panderm-config.ts).
 */
import { AppError } from '../errors';
import type { ModelRecord } from './openclip-config';
import { pandermTensors, type PanDermRecord } from './panderm-config';
import { FLOAT_DTYPES, fmtShape, numel, type CheckpointIndex } from './tensors';

export const WEIGHTS_LICENSE =
  'DermLIP weights: released by the Derm1M authors for non-commercial research use only (a third party reports the model card as CC BY-NC-ND 4.0: no derivatives may be shared). Converted on this device from your own download: do not share or host the converted files.';

export interface HubModel {
  title: string;
  repo: string;
  url: string;
  /** What to download from the page: the checkpoint (either format) and its config. */
  files: string[];
  /** fp32 checkpoint size, computed from the architecture's tensors (the .bin adds a few kB). */
  checkpointBytes: number;
  about: string;
  /** Files from a second page the model needs (DermLIP-PanDerm: its text model's config and tokenizer, a few hundred kB; its weights are in the checkpoint). */
  textModel?: { repo: string; url: string; files: string[] };
}

export interface ShippedArchitecture {
  /** Its folder under public/convert/. */
  id: string;
  title: string;
  model: ModelRecord | PanDermRecord;
  /** The converted bundle's id: `<prefix>-<first 8 hex of the checkpoint's sha256>`. */
  bundlePrefix: string;
  /** A test fixture: converted like the others, but not offered in the panel. */
  fixture: boolean;
}

const vitB16 = (activation: 'gelu' | 'quick_gelu'): ModelRecord => ({
  family: 'open_clip-vit',
  embedDim: 512,
  vision: { activation, width: 768, layers: 12, heads: 12, mlpWidth: 3072, patchSize: 16, imageSize: 224 },
  text: { activation, width: 512, layers: 12, heads: 8, mlpWidth: 2048, contextLength: 77, vocabSize: 49408 },
});

const tiny = (activation: 'gelu' | 'quick_gelu'): ModelRecord => ({
  family: 'open_clip-vit',
  embedDim: 512,
  vision: { activation, width: 64, layers: 2, heads: 2, mlpWidth: 256, patchSize: 16, imageSize: 224 },
  text: { activation, width: 32, layers: 2, heads: 2, mlpWidth: 128, contextLength: 77, vocabSize: 49408 },
});

type Sizes = { width: number; layers: number; heads: number; mlpWidth: number };

/**
 * A DermLIP-PanDerm model record as panderm_config.manifest_model writes it: the sizes vary, the
 * rest (CAE ViT with sin-cos positions and layer scale, BERT with mean pooling, 256 tokens) is the fork's.
 */
const panderm = (embedDim: number, vision: Sizes, text: Sizes & { vocabSize: number; maxPositions: number; projection: [number, number, number] }): PanDermRecord => ({
  family: 'dermlip-panderm',
  embedDim,
  vision: { kind: 'cae-vit', activation: 'gelu', ...vision, patchSize: 16, imageSize: 224, posEmbed: 'sincos-2d', layerScale: true, pool: 'mean-patch-tokens', lnEps: 1e-6 },
  text: { kind: 'bert', activation: 'gelu', ...text, contextLength: 256, padId: 0, pool: 'mean-unmasked-tokens', lnEps: 1e-12 },
});

/** tools/model/configs/panderm-tiny.json. */
const pandermTiny = panderm(32, { width: 64, layers: 2, heads: 2, mlpWidth: 256 }, { width: 64, layers: 2, heads: 2, mlpWidth: 256, vocabSize: 2335, maxPositions: 256, projection: [64, 48, 32] });

/** DermLIP-PanDerm at its real size: the fork's CAE ViT-B/16 + PubMedBERT-base (neuml/pubmedbert-base-embeddings' config.json). */
const pandermBase = panderm(512, { width: 768, layers: 12, heads: 12, mlpWidth: 3072 }, { width: 768, layers: 12, heads: 12, mlpWidth: 3072, vocabSize: 30522, maxPositions: 512, projection: [768, 640, 512] });

export const ARCHITECTURES: readonly ShippedArchitecture[] = [
  { id: 'vit-b-16', title: 'DermLIP-B/16 (ViT-B/16, GELU)', model: vitB16('gelu'), bundlePrefix: 'dermlip-vit-b-16', fixture: false },
  { id: 'vit-b-16-quickgelu', title: 'DermLIP-B/16 (ViT-B/16, QuickGELU)', model: vitB16('quick_gelu'), bundlePrefix: 'dermlip-vit-b-16-quickgelu', fixture: false },
  { id: 'panderm-base', title: 'DermLIP-PanDerm (PanDerm-base + PubMedBERT)', model: pandermBase, bundlePrefix: 'dermlip-panderm-base', fixture: false },
  { id: 'demo-tiny', title: 'demo-tiny fixture (QuickGELU)', model: tiny('quick_gelu'), bundlePrefix: 'converted-demo-tiny', fixture: true },
  { id: 'demo-tiny-gelu', title: 'demo-tiny-gelu fixture (GELU)', model: tiny('gelu'), bundlePrefix: 'converted-demo-tiny-gelu', fixture: true },
  { id: 'demo-panderm-tiny', title: 'demo-panderm-tiny fixture (DermLIP-PanDerm)', model: pandermTiny, bundlePrefix: 'converted-demo-panderm-tiny', fixture: true },
];

/** The state dict (names and shapes) of a model; typeVocabSize: BERT's token-type rows (ConfigSpec.typeVocabSize). */
export function expectedTensors(m: ModelRecord | PanDermRecord, typeVocabSize = 2): Map<string, number[]> {
  return m.family === 'dermlip-panderm' ? pandermTensors(m, typeVocabSize) : openClipVitTensors(m);
}

/** The state dict of an open_clip CLIP ViT (open_clip's names; tools/model/model.py has the same). */
function openClipVitTensors(m: ModelRecord): Map<string, number[]> {
  const v = m.vision;
  const t = m.text;
  const grid = Math.floor(v.imageSize / v.patchSize);
  const out = new Map<string, number[]>([
    ['positional_embedding', [t.contextLength, t.width]],
    ['text_projection', [t.width, m.embedDim]],
    ['logit_scale', []],
    ['visual.class_embedding', [v.width]],
    ['visual.positional_embedding', [grid * grid + 1, v.width]],
    ['visual.proj', [v.width, m.embedDim]],
    ['visual.conv1.weight', [v.width, 3, v.patchSize, v.patchSize]],
    ['visual.ln_pre.weight', [v.width]],
    ['visual.ln_pre.bias', [v.width]],
  ]);
  const blocks = (prefix: string, width: number, layers: number, mlp: number) => {
    for (let i = 0; i < layers; i++) {
      const b = `${prefix}transformer.resblocks.${i}.`;
      const rows: [string, number[]][] = [
        ['ln_1.weight', [width]], ['ln_1.bias', [width]], ['attn.in_proj_weight', [3 * width, width]], ['attn.in_proj_bias', [3 * width]],
        ['attn.out_proj.weight', [width, width]], ['attn.out_proj.bias', [width]], ['ln_2.weight', [width]], ['ln_2.bias', [width]],
        ['mlp.c_fc.weight', [mlp, width]], ['mlp.c_fc.bias', [mlp]], ['mlp.c_proj.weight', [width, mlp]], ['mlp.c_proj.bias', [width]],
      ];
      for (const [k, s] of rows) out.set(b + k, s);
    }
  };
  blocks('visual.', v.width, v.layers, v.mlpWidth);
  out.set('visual.ln_post.weight', [v.width]);
  out.set('visual.ln_post.bias', [v.width]);
  out.set('token_embedding.weight', [t.vocabSize, t.width]);
  blocks('', t.width, t.layers, t.mlpWidth);
  out.set('ln_final.weight', [t.width]);
  out.set('ln_final.bias', [t.width]);
  return out;
}

export const HUB_MODELS: readonly HubModel[] = [
  {
    title: 'DermLIP-B/16',
    repo: 'redlessone/DermLIP_ViT-B-16',
    url: 'https://huggingface.co/redlessone/DermLIP_ViT-B-16',
    files: ['open_clip_model.safetensors (or open_clip_pytorch_model.bin)', 'open_clip_config.json'],
    checkpointBytes: [...openClipVitTensors(vitB16('gelu')).values()].reduce((n, s) => n + 4 * numel(s), 0),
    about: 'ViT-B/16 image encoder + CLIP text transformer (77 tokens)',
  },
  {
    title: 'DermLIP-PanDerm',
    repo: 'redlessone/DermLIP_PanDerm-base-w-PubMed-256',
    url: 'https://huggingface.co/redlessone/DermLIP_PanDerm-base-w-PubMed-256',
    files: ['open_clip_model.safetensors (or open_clip_pytorch_model.bin)', 'open_clip_config.json'],
    checkpointBytes: [...pandermTensors(pandermBase, 2).values()].reduce((n, s) => n + 4 * numel(s), 0),
    about: 'PanDerm-base image encoder + PubMedBERT text encoder (256 WordPiece tokens)',
    textModel: {
      repo: 'neuml/pubmedbert-base-embeddings',
      url: 'https://huggingface.co/neuml/pubmedbert-base-embeddings',
      files: ['config.json', 'tokenizer.json (or vocab.txt with tokenizer_config.json)'],
    },
  },
];

/** JSON with sorted keys: two records equal whatever their key order. */
const canonical = (v: unknown): string =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`
    : JSON.stringify(v);

export const sameModel = (a: unknown, b: unknown) => canonical(a) === canonical(b);

const describeModel = (m: ModelRecord | PanDermRecord) =>
  m.family === 'dermlip-panderm'
    ? `DermLIP-PanDerm: CAE vision width ${m.vision.width}, ${m.vision.layers} layers, ${m.vision.heads} heads, patch ${m.vision.patchSize}, ${m.vision.imageSize} px; BERT width ${m.text.width}, ${m.text.layers} layers, ${m.text.heads} heads, vocabulary ${m.text.vocabSize}, ${m.text.contextLength} tokens; embedding ${m.embedDim}`
    : `vision width ${m.vision.width}, ${m.vision.layers} layers, ${m.vision.heads} heads, patch ${m.vision.patchSize}, ${m.vision.imageSize} px; text width ${m.text.width}, ${m.text.layers} layers, ${m.text.heads} heads, ${m.text.contextLength} tokens; embedding ${m.embedDim}; ${m.vision.activation === 'quick_gelu' ? 'QuickGELU' : 'GELU'}`;

/** "a", "a and b", "a, b and c". */
const listed = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/** The shipped architecture a config's model is; refuses, naming what it describes, when there is none. */
export function architectureFor(m: ModelRecord | PanDermRecord): ShippedArchitecture {
  const a = ARCHITECTURES.find((x) => sameModel(x.model, m));
  if (a) return a;
  throw new AppError(
    'input-invalid',
    `This open_clip_config.json describes a model the app cannot convert: ${describeModel(m)}. The app has graphs for ${listed(ARCHITECTURES.filter((x) => !x.fixture).map((x) => x.title))}.`,
    'Pick the config of a supported model, or convert this one with the Python toolchain (README, "Model toolchain").',
  );
}

/** A few words on what a checkpoint holds, for messages about one that does not fit. */
export function describeCheckpoint(index: CheckpointIndex): string {
  const t = index.tensors;
  const shape = (k: string) => (t.has(k) ? fmtShape(t.get(k)!.shape) : null);
  const blocks = (prefix: string) => new Set([...t.keys()].map((k) => new RegExp(`^${prefix}transformer\\.resblocks\\.(\\d+)\\.`).exec(k)?.[1]).filter(Boolean)).size;
  const conv = shape('visual.conv1.weight');
  const tok = shape('token_embedding.weight');
  const patch = shape('visual.patch_embed.proj.weight');
  const words = shape('text.transformer.embeddings.word_embeddings.weight');
  if (!conv && !tok && (patch || words)) {
    const count = (re: RegExp) => new Set([...t.keys()].map((k) => re.exec(k)?.[1]).filter(Boolean)).size;
    return `${t.size} tensors (DermLIP-PanDerm names); visual.patch_embed.proj.weight ${patch ?? 'missing'}, ${count(/^visual\.blocks\.(\d+)\./)} vision blocks; text word embeddings ${words ?? 'missing'}, ${count(/^text\.transformer\.encoder\.layer\.(\d+)\./)} text layers`;
  }
  if (!conv && !tok) return `${t.size} tensors, none with open_clip's names (first: ${[...t.keys()].slice(0, 4).join(', ')})`;
  return `${t.size} tensors; visual.conv1.weight ${conv ?? 'missing'}, ${blocks('visual\\.')} vision blocks; token_embedding.weight ${tok ?? 'missing'}, ${blocks('')} text blocks`;
}

/** The checkpoint has exactly the tensors the architecture needs, with their shapes, in a float dtype. */
export function checkTensors(index: CheckpointIndex, expected: ReadonlyMap<string, readonly number[]>, arch: ShippedArchitecture): void {
  const problems: string[] = [];
  for (const [name, shape] of expected) {
    const got = index.tensors.get(name);
    if (!got) problems.push(`missing tensor ${name} (expected shape ${fmtShape(shape)})`);
    else if (fmtShape(got.shape) !== fmtShape(shape)) problems.push(`tensor ${name} has shape ${fmtShape(got.shape)}, expected ${fmtShape(shape)}`);
    else if (!FLOAT_DTYPES.includes(got.dtype)) problems.push(`tensor ${name} is ${got.dtype}, expected a float type (F32, F16 or BF16)`);
  }
  for (const [name, t] of index.tensors) if (!expected.has(name)) problems.push(`unexpected tensor ${name} ${fmtShape(t.shape)}`);
  if (!problems.length) return;
  const more = problems.length > 6 ? ` and ${problems.length - 6} more` : '';
  throw new AppError(
    'input-invalid',
    `The checkpoint does not fit ${arch.title}, which its open_clip_config.json describes: ${problems.slice(0, 6).join('; ')}${more}. Found: ${describeCheckpoint(index)}.`,
    'Pick the checkpoint and the open_clip_config.json from the same model page.',
  );
}
