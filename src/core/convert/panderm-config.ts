/**
 * DermLIP-PanDerm's open_clip_config.json (the Derm1M fork's shape) plus the text model's BERT
 * config.json -> the model record and preprocessing, read exactly as tools/model/panderm_config.py
 * reads them (same keys accepted, same notes, same refusals), and the state dict that model has
 * (tools/model/panderm.py's parameter names, which are the fork's).
 *
 * The fork hard-codes the vision tower (a CAE ViT-B/16, whatever vision_cfg says; its fork-only
 * `pretrain_path` is a file the fork's loader reads before the checkpoint replaces every weight:
 * not needed here, docs/bundle-format.md "The pretrain_path quirk"); the text tower's sizes come
 * from the BERT config.json of text_cfg.hf_model_name. A fixture config carries a top-level
 * "fixture" object instead (smaller vision sizes, and the BERT config it stands for).
 */
import { AppError } from '../errors';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** The manifest's `model` record of a DermLIP-PanDerm bundle (panderm_config.manifest_model). */
export interface PanDermRecord {
  family: 'dermlip-panderm';
  embedDim: number;
  vision: {
    kind: 'cae-vit'; activation: 'gelu'; width: number; layers: number; heads: number; mlpWidth: number; patchSize: number; imageSize: number;
    posEmbed: 'sincos-2d'; layerScale: true; pool: 'mean-patch-tokens'; lnEps: number;
  };
  text: {
    kind: 'bert'; activation: 'gelu'; width: number; layers: number; heads: number; mlpWidth: number; contextLength: number; vocabSize: number;
    maxPositions: number; padId: number; pool: 'mean-unmasked-tokens'; projection: [number, number, number]; lnEps: number;
  };
}

/** What the PanDerm reader gives beyond the record: BERT's token-type table size (a tensor's shape). */
export interface PanDermModel {
  record: PanDermRecord;
  typeVocabSize: number;
  notes: string[];
}

const CAE_BASE = { width: 768, layers: 12, heads: 12, patch_size: 16, image_size: 224 } as const;
const VISION_HEAD = 512;
const TOP_KEYS = ['embed_dim', 'vision_cfg', 'text_cfg', 'quick_gelu', 'custom_text', 'init_logit_scale', 'init_logit_bias', 'output_dict', 'cast_dtype'];
const VISION_KEYS = ['image_size', 'layers', 'width', 'patch_size', 'head_width', 'mlp_ratio', 'pretrain_path', 'patch_dropout'];
const TEXT_KEYS = ['context_length', 'hf_model_name', 'hf_tokenizer_name', 'hf_pooler_type', 'hf_proj_type', 'hf_model_pretrained', 'tokenizer_kwargs', 'vocab_size', 'width', 'heads', 'layers'];
/** Buffers some checkpoints carry (older transformers saved position_ids): not weights, dropped as open_clip does. */
export const PANDERM_NON_WEIGHT_KEYS = ['text.transformer.embeddings.position_ids', 'text.transformer.embeddings.token_type_ids'];

const show = (v: unknown) => JSON.stringify(v);

function fail(message: string, file = 'open_clip_config.json'): never {
  throw new AppError('input-invalid', `${file}: ${message}`, 'Pick the open_clip_config.json from the DermLIP-PanDerm model page and the config.json of the text model it names.');
}

function num(where: string, d: Obj, key: string, kind: 'int' | 'float', dflt?: number, file?: string): number {
  if (!(key in d)) {
    if (dflt === undefined) fail(`${where}.${key} is missing`, file);
    return dflt;
  }
  const v = d[key];
  if (kind === 'int' && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) fail(`${where}.${key} must be a positive integer, not ${show(v)}`, file);
  if (kind === 'float' && (typeof v !== 'number' || !(v > 0))) fail(`${where}.${key} must be a positive number, not ${show(v)}`, file);
  return v as number;
}

function unknownKeys(where: string, d: unknown, known: string[]): Obj {
  if (!isObj(d)) fail(`${where} must be an object`);
  for (const key of Object.keys(d)) {
    if (!known.includes(key)) fail(`${where}.${key}: unknown key (this toolchain builds the Derm1M fork's PanDerm CustomTextCLIP and cannot tell what '${key}' would change)`);
  }
  return d;
}

const BERT = 'config.json (the text model\'s)';

function bertSizes(hf: unknown) {
  const w = 'hf_text_config';
  if (!isObj(hf)) fail(`${w} must be an object (the text model's config.json)`, BERT);
  if (hf.model_type !== 'bert') fail(`${w}.model_type = ${show(hf.model_type ?? null)}: only BERT text towers are built`, BERT);
  for (const [key, want] of [['hidden_act', 'gelu'], ['position_embedding_type', 'absolute']] as const) {
    if ((hf[key] ?? want) !== want) fail(`${w}.${key} = ${show(hf[key])}: only "${want}" is built`, BERT);
  }
  const width = num(w, hf, 'hidden_size', 'int', undefined, BERT);
  const heads = num(w, hf, 'num_attention_heads', 'int', undefined, BERT);
  if (width % heads) fail(`${w}.num_attention_heads = ${heads} does not divide hidden_size ${width}`, BERT);
  const pad = hf.pad_token_id ?? 0;
  if (typeof pad !== 'number' || !Number.isInteger(pad) || pad < 0) fail(`${w}.pad_token_id must be an integer >= 0, not ${show(pad)}`, BERT);
  return {
    width, heads, layers: num(w, hf, 'num_hidden_layers', 'int', undefined, BERT), intermediate: num(w, hf, 'intermediate_size', 'int', undefined, BERT),
    vocabSize: num(w, hf, 'vocab_size', 'int', undefined, BERT), maxPositions: num(w, hf, 'max_position_embeddings', 'int', undefined, BERT),
    typeVocabSize: num(w, hf, 'type_vocab_size', 'int', 2, BERT), lnEps: num(w, hf, 'layer_norm_eps', 'float', 1e-12, BERT), padId: pad,
  };
}

/** A config the fork builds as PanDerm: a Hugging Face text tower (the CLIP configs have none). */
export function isPanDermConfig(json: Obj): boolean {
  const mc = json.model_cfg;
  return isObj(mc) && isObj(mc.text_cfg) && typeof mc.text_cfg.hf_model_name === 'string';
}

/** The text model's hub repository a PanDerm config names (where its config.json and tokenizer come from). */
export function pandermTextRepo(json: Obj): string {
  const tc = (json.model_cfg as Obj).text_cfg as Obj;
  return String(tc.hf_tokenizer_name ?? tc.hf_model_name);
}

/** The fixture's own BERT config (a fixture config's `fixture.hf_text_config`), if any. */
export function fixtureTextConfig(json: Obj): unknown {
  return isObj(json.fixture) ? json.fixture.hf_text_config : undefined;
}

/** panderm_config.parse: config (parsed open_clip_config.json, preprocess_cfg aside) + the BERT config.json. */
export function parsePanDermModel(config: Obj, hfTextConfig: unknown): PanDermModel {
  const notes: string[] = [];
  const mc = unknownKeys('model_cfg', config.model_cfg, TOP_KEYS);
  const vc = unknownKeys('model_cfg.vision_cfg', mc.vision_cfg ?? {}, VISION_KEYS);
  const tc = unknownKeys('model_cfg.text_cfg', mc.text_cfg ?? {}, TEXT_KEYS);
  if (mc.init_logit_bias !== undefined && mc.init_logit_bias !== null) fail('model_cfg.init_logit_bias: a SigLIP logit bias is not built by this toolchain');
  if (mc.quick_gelu) notes.push('model_cfg.quick_gelu has no effect here: the CAE vision tower and the BERT text tower use exact GELU whatever it says (as upstream)');
  const fixture = isObj(config.fixture) ? config.fixture : {};
  const fv = isObj(fixture.vision) ? fixture.vision : null;
  const vision: Obj = { ...CAE_BASE, ...(fv ?? {}) };
  const head = (vision.head as number | undefined) ?? VISION_HEAD;
  const embed = num('model_cfg', mc, 'embed_dim', 'int');
  if (embed !== head) fail(`model_cfg.embed_dim = ${embed}: the fork's PanDerm vision head has ${head} outputs, so the text projection must too`);
  if (!fv) {
    for (const key of ['width', 'layers', 'patch_size', 'image_size'] as const) {
      if (key in vc && vc[key] !== CAE_BASE[key]) notes.push(`model_cfg.vision_cfg.${key} = ${show(vc[key])} is ignored: the fork builds PanDerm-base with ${key} ${CAE_BASE[key]}`);
    }
  }
  if ('pretrain_path' in vc) notes.push(`model_cfg.vision_cfg.pretrain_path = ${show(vc.pretrain_path)} (fork-only): open_clip of the fork torch.loads it before the checkpoint replaces every weight; not needed here`);
  for (const [key, want] of [['hf_pooler_type', 'mean_pooler'], ['hf_proj_type', 'mlp']] as const) {
    if ((tc[key] ?? want) !== want) fail(`model_cfg.text_cfg.${key} = ${show(tc[key])}: only "${want}" is built`);
  }
  if (tc.tokenizer_kwargs !== undefined && tc.tokenizer_kwargs !== null && !(isObj(tc.tokenizer_kwargs) && !Object.keys(tc.tokenizer_kwargs).length)) {
    fail("model_cfg.text_cfg.tokenizer_kwargs: tokenizer arguments are not supported (open_clip's HFTokenizer defaults: clean 'whitespace', no sep stripping)");
  }
  const hf = hfTextConfig ?? fixtureTextConfig(config);
  if (hf === undefined) {
    throw new AppError('input-invalid', `DermLIP-PanDerm also needs the config.json of its text model, ${pandermTextRepo(config)}.`, `Download config.json and tokenizer.json (or vocab.txt) from https://huggingface.co/${pandermTextRepo(config)} and pick them with the checkpoint and open_clip_config.json.`);
  }
  const context = num('model_cfg.text_cfg', tc, 'context_length', 'int', 77);
  const s = bertSizes(hf);
  if (context > s.maxPositions) fail(`model_cfg.text_cfg.context_length = ${context} exceeds the BERT's max_position_embeddings (${s.maxPositions})`);
  const width = num('fixture.vision', vision, 'width', 'int');
  const heads = num('fixture.vision', vision, 'heads', 'int');
  if (width % heads || width % 4) fail(`vision width ${width} must be divisible by its heads (${heads}) and by 4 (sin-cos)`);
  return {
    record: {
      family: 'dermlip-panderm',
      embedDim: embed,
      vision: {
        kind: 'cae-vit', activation: 'gelu', width, layers: num('fixture.vision', vision, 'layers', 'int'), heads, mlpWidth: width * 4,
        patchSize: vision.patch_size as number, imageSize: vision.image_size as number, posEmbed: 'sincos-2d', layerScale: true, pool: 'mean-patch-tokens', lnEps: 1e-6,
      },
      text: {
        kind: 'bert', activation: 'gelu', width: s.width, layers: s.layers, heads: s.heads, mlpWidth: s.intermediate, contextLength: context, vocabSize: s.vocabSize,
        maxPositions: s.maxPositions, padId: s.padId, pool: 'mean-unmasked-tokens', projection: [s.width, Math.floor((s.width + embed) / 2), embed], lnEps: s.lnEps,
      },
    },
    typeVocabSize: s.typeVocabSize,
    notes,
  };
}

/** The state dict of panderm.py's module (the fork's names), weights only. */
export function pandermTensors(m: PanDermRecord, typeVocabSize: number): Map<string, number[]> {
  const v = m.vision;
  const t = m.text;
  const W = v.width;
  const grid = Math.floor(v.imageSize / v.patchSize);
  const out = new Map<string, number[]>([
    ['logit_scale', []],
    ['visual.patch_embed.proj.weight', [W, 3, v.patchSize, v.patchSize]],
    ['visual.patch_embed.proj.bias', [W]],
    ['visual.cls_token', [1, 1, W]],
    ['visual.pos_embed', [1, grid * grid + 1, W]],
  ]);
  for (let i = 0; i < v.layers; i++) {
    const b = `visual.blocks.${i}.`;
    const rows: [string, number[]][] = [
      ['norm1.weight', [W]], ['norm1.bias', [W]], ['attn.qkv.weight', [3 * W, W]], ['attn.q_bias', [W]], ['attn.v_bias', [W]], ['attn.proj.weight', [W, W]], ['attn.proj.bias', [W]],
      ['norm2.weight', [W]], ['norm2.bias', [W]], ['mlp.fc1.weight', [v.mlpWidth, W]], ['mlp.fc1.bias', [v.mlpWidth]], ['mlp.fc2.weight', [W, v.mlpWidth]], ['mlp.fc2.bias', [W]],
      ['gamma_1', [W]], ['gamma_2', [W]],
    ];
    for (const [k, s] of rows) out.set(b + k, s);
  }
  out.set('visual.norm.weight', [W]).set('visual.norm.bias', [W]).set('visual.head.weight', [m.embedDim, W]).set('visual.head.bias', [m.embedDim]);
  const T = t.width;
  const e = 'text.transformer.embeddings.';
  out.set(`${e}word_embeddings.weight`, [t.vocabSize, T]).set(`${e}position_embeddings.weight`, [t.maxPositions, T]);
  out.set(`${e}token_type_embeddings.weight`, [typeVocabSize, T]).set(`${e}LayerNorm.weight`, [T]).set(`${e}LayerNorm.bias`, [T]);
  for (let i = 0; i < t.layers; i++) {
    const b = `text.transformer.encoder.layer.${i}.`;
    for (const k of ['query', 'key', 'value']) out.set(`${b}attention.self.${k}.weight`, [T, T]).set(`${b}attention.self.${k}.bias`, [T]);
    out.set(`${b}attention.output.dense.weight`, [T, T]).set(`${b}attention.output.dense.bias`, [T]);
    out.set(`${b}attention.output.LayerNorm.weight`, [T]).set(`${b}attention.output.LayerNorm.bias`, [T]);
    out.set(`${b}intermediate.dense.weight`, [t.mlpWidth, T]).set(`${b}intermediate.dense.bias`, [t.mlpWidth]);
    out.set(`${b}output.dense.weight`, [T, t.mlpWidth]).set(`${b}output.dense.bias`, [T]);
    out.set(`${b}output.LayerNorm.weight`, [T]).set(`${b}output.LayerNorm.bias`, [T]);
  }
  const [, hidden, embed] = t.projection;
  out.set('text.proj.0.weight', [hidden, T]).set('text.proj.2.weight', [embed, hidden]);
  return out;
}
