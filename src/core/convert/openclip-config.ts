/**
 * An open_clip `open_clip_config.json` ({"model_cfg", "preprocess_cfg"}) -> the model it describes
 * and its preprocessing, read exactly as tools/model/openclip_config.py reads it (same defaults,
 * same keys accepted, ignored or refused, same messages), so that the app converts a checkpoint
 * into what the toolchain would build from it.
 */
import { AppError } from '../errors';
import type { Interpolation, ResizeMode } from '../preprocess/layout';
import { isPanDermConfig, parsePanDermModel, type PanDermRecord } from './panderm-config';

export type Activation = 'gelu' | 'quick_gelu';

/** The manifest's `model` record (docs/bundle-format.md). */
export interface ModelRecord {
  family: 'open_clip-vit';
  embedDim: number;
  vision: { activation: Activation; width: number; layers: number; heads: number; mlpWidth: number; patchSize: number; imageSize: number };
  text: { activation: Activation; width: number; layers: number; heads: number; mlpWidth: number; contextLength: number; vocabSize: number };
}

/** The manifest's `image` preprocessing fields. */
export interface ImagePreprocess {
  size: number;
  resize: ResizeMode;
  interpolation: Interpolation;
  crop: 'center';
  fill: number;
  mean: number[];
  std: number[];
}

export interface ConfigSpec {
  model: ModelRecord | PanDermRecord;
  image: ImagePreprocess;
  notes: string[];
  /** DermLIP-PanDerm: BERT's token-type table rows (a tensor's shape the record does not hold). */
  typeVocabSize?: number;
}

const CLIP_VOCAB = 49408;
const OPENAI_MEAN = [0.48145466, 0.4578275, 0.40821073];
const OPENAI_STD = [0.26862954, 0.26130258, 0.27577711];
const VISION_USED = ['layers', 'width', 'head_width', 'mlp_ratio', 'patch_size', 'image_size'];
const TEXT_USED = ['context_length', 'vocab_size', 'width', 'heads', 'layers', 'mlp_ratio'];
const VISION_IGNORED = ['patch_dropout', 'attn_pooler_queries', 'attn_pooler_heads', 'timm_model_pretrained', 'timm_pool', 'timm_proj', 'timm_proj_bias', 'timm_drop', 'timm_drop_path'];
const TEXT_IGNORED = ['hf_model_pretrained', 'hf_proj_type', 'hf_pooler_type'];
type Fixed = Record<string, [unknown, string]>;
const VISION_FIXED: Fixed = {
  ls_init_value: [null, 'layer scale'], attentional_pool: [false, 'attentional pooling'], no_ln_pre: [false, 'a vision tower without ln_pre'],
  pos_embed_type: ['learnable', 'a fixed position embedding'], final_ln_after_pool: [false, 'ln_post after pooling'], pool_type: ['tok', 'another pooling than the class token'],
  output_tokens: [false, 'token outputs'], act_kwargs: [null, 'activation arguments'], norm_kwargs: [null, 'LayerNorm arguments'], timm_model_name: [null, 'a timm vision tower'],
  pretrain_path: [null, "the Derm1M fork's PanDerm vision tower (a CAE ViT, not open_clip's: use export_panderm.py)"],
};
const TEXT_FIXED: Fixed = {
  hf_model_name: [null, 'a Hugging Face text tower'], hf_tokenizer_name: [null, 'a Hugging Face tokenizer (this toolchain ships the CLIP BPE)'], tokenizer_kwargs: [null, 'tokenizer arguments'],
  ls_init_value: [null, 'layer scale'], embed_cls: [false, 'an appended CLS embedding'], pad_id: [0, 'a pad id other than 0'], no_causal_mask: [false, 'a text tower without the causal mask'],
  final_ln_after_pool: [false, 'ln_final after pooling'], pool_type: ['argmax', 'another pooling than the end token (argmax of the ids)'], proj_bias: [false, 'a text projection with bias'],
  proj_type: ['linear', 'another text projection'], output_tokens: [false, 'token outputs'], act_kwargs: [null, 'activation arguments'], norm_kwargs: [null, 'LayerNorm arguments'],
};
const TOP_USED = ['embed_dim', 'vision_cfg', 'text_cfg', 'quick_gelu'];
const TOP_IGNORED = ['init_logit_scale', 'output_dict', 'cast_dtype'];
const TOP_FIXED: Fixed = { init_logit_bias: [null, 'a SigLIP logit bias'], custom_text: [false, "open_clip's CustomTextCLIP"], multimodal_cfg: [null, 'a CoCa model'] };
const PREPROCESS_KEYS = ['size', 'mode', 'mean', 'std', 'interpolation', 'resize_mode', 'fill_color'];

function fail(message: string): never {
  throw new AppError('input-invalid', `open_clip_config.json: ${message}`, 'Pick the open_clip_config.json from the same model page as the checkpoint.');
}

/** Python's json.dumps for the values a config holds (for messages that read like the toolchain's). */
const show = (v: unknown) => JSON.stringify(v, null, 1).replace(/\n\s*/g, ' ').replace(/\[ /g, '[').replace(/ \]/g, ']').replace(/\{ /g, '{').replace(/ \}/g, '}');
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function checkKeys(section: string, cfg: unknown, used: string[], ignored: string[], fixed: Fixed): Obj {
  if (!isObj(cfg)) fail(`${section} must be an object, not ${show(cfg)}`);
  for (const [key, value] of Object.entries(cfg)) {
    if (used.includes(key) || ignored.includes(key)) continue;
    if (!Object.hasOwn(fixed, key)) fail(`${section}.${key}: unknown key (this toolchain builds open_clip's CLIP ViT with the CLIP text transformer and cannot tell what '${key}' would change)`);
    const [want, what] = fixed[key];
    if (!same(value, want) && !(want === null && same(value, {}))) fail(`${section}.${key} = ${show(value)}: ${what} is not built by this toolchain (only ${show(want)})`);
  }
  return cfg;
}

function int(where: string, v: unknown, minimum = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < minimum) fail(`${where} must be an integer >= ${minimum}, not ${show(v)}`);
  return v;
}

function ratio(where: string, v: unknown): number {
  if (typeof v !== 'number' || !(v > 0)) fail(`${where} must be a positive number, not ${show(v)}`);
  return v;
}

function rgb(where: string, v: unknown, dflt: number[]): number[] {
  if (v === undefined || v === null) return dflt;
  const list = typeof v === 'number' ? [v, v, v] : v;
  if (!Array.isArray(list) || list.length !== 3 || !list.every((x) => typeof x === 'number')) fail(`${where} must be 3 numbers, not ${show(v)}`);
  return list as number[];
}

function parseModel(mc: unknown): ModelRecord {
  const top = checkKeys('model_cfg', mc, TOP_USED, TOP_IGNORED, TOP_FIXED);
  for (const key of ['embed_dim', 'vision_cfg', 'text_cfg']) if (!(key in top)) fail(`model_cfg.${key} is missing`);
  const v: Obj = { layers: 12, width: 768, head_width: 64, mlp_ratio: 4.0, patch_size: 16, image_size: 224, ...checkKeys('model_cfg.vision_cfg', top.vision_cfg, VISION_USED, VISION_IGNORED, VISION_FIXED) };
  const t: Obj = { context_length: 77, vocab_size: 49408, width: 512, heads: 8, layers: 12, mlp_ratio: 4.0, ...checkKeys('model_cfg.text_cfg', top.text_cfg, TEXT_USED, TEXT_IGNORED, TEXT_FIXED) };
  if (Array.isArray(v.layers)) fail(`model_cfg.vision_cfg.layers = ${show(v.layers)}: a ResNet vision tower (open_clip's ModifiedResNet) is not built by this toolchain`);
  const quick = top.quick_gelu ?? false;
  if (typeof quick !== 'boolean') fail(`model_cfg.quick_gelu must be true or false, not ${show(quick)}`);
  const width = int('model_cfg.vision_cfg.width', v.width);
  const headWidth = int('model_cfg.vision_cfg.head_width', v.head_width);
  const heads = Math.floor(width / headWidth);
  if (heads < 1 || width % heads) fail(`model_cfg.vision_cfg.head_width = ${headWidth}: width ${width} // head_width gives ${heads} heads, which do not divide the width`);
  const tWidth = int('model_cfg.text_cfg.width', t.width);
  const tHeads = int('model_cfg.text_cfg.heads', t.heads);
  if (tWidth % tHeads) fail(`model_cfg.text_cfg.heads = ${tHeads} does not divide text width ${tWidth}`);
  const vocab = int('model_cfg.text_cfg.vocab_size', t.vocab_size);
  if (vocab < CLIP_VOCAB) fail(`model_cfg.text_cfg.vocab_size = ${vocab}: the CLIP BPE tokenizer needs ${CLIP_VOCAB}`);
  let size = v.image_size;
  if (Array.isArray(size)) {
    if (size.length !== 2 || size[0] !== size[1]) fail(`model_cfg.vision_cfg.image_size = ${show(size)}: only square images are built (the app's preprocessing makes a square)`);
    size = size[0];
  }
  const imageSize = int('model_cfg.vision_cfg.image_size', size);
  const patch = int('model_cfg.vision_cfg.patch_size', v.patch_size);
  if (patch > imageSize) fail(`model_cfg.vision_cfg.patch_size = ${patch} is larger than the image (${imageSize})`);
  const activation: Activation = quick ? 'quick_gelu' : 'gelu';
  return {
    family: 'open_clip-vit',
    embedDim: int('model_cfg.embed_dim', top.embed_dim),
    vision: { activation, width, layers: int('model_cfg.vision_cfg.layers', v.layers), heads, mlpWidth: Math.trunc(width * ratio('model_cfg.vision_cfg.mlp_ratio', v.mlp_ratio)), patchSize: patch, imageSize },
    text: {
      activation, width: tWidth, layers: int('model_cfg.text_cfg.layers', t.layers), heads: tHeads, mlpWidth: Math.trunc(tWidth * ratio('model_cfg.text_cfg.mlp_ratio', t.mlp_ratio)),
      contextLength: int('model_cfg.text_cfg.context_length', t.context_length, 3), vocabSize: vocab,
    },
  };
}

function parsePreprocess(raw: unknown, imageSize: number, notes: string[]): ImagePreprocess {
  if (!isObj(raw)) fail(`preprocess_cfg must be an object, not ${show(raw)}`);
  const pc = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null)); // open_clip's merge drops None
  for (const key of Object.keys(pc)) if (!PREPROCESS_KEYS.includes(key)) fail(`preprocess_cfg.${key}: unknown key (open_clip's PreprocessCfg has ${[...PREPROCESS_KEYS].sort().join(', ')})`);
  if ((pc.mode ?? 'RGB') !== 'RGB') fail(`preprocess_cfg.mode = ${show(pc.mode)}: open_clip accepts only "RGB"`);
  if ('size' in pc && !same(pc.size, imageSize) && !same(pc.size, [imageSize, imageSize])) notes.push(`preprocess_cfg.size ${show(pc.size)} is ignored: open_clip uses the vision tower's image_size (${imageSize})`);
  let interp = pc.interpolation ?? 'bicubic';
  if (interp === 'random') interp = 'bicubic';
  if (interp !== 'bicubic' && interp !== 'bilinear') fail(`preprocess_cfg.interpolation = ${show(interp)}: open_clip accepts bicubic, bilinear or random`);
  const resize = pc.resize_mode ?? 'shortest';
  if (resize !== 'shortest' && resize !== 'longest' && resize !== 'squash') fail(`preprocess_cfg.resize_mode = ${show(resize)}: open_clip accepts shortest, longest, squash`);
  const fill = pc.fill_color ?? 0;
  if (typeof fill !== 'number' || !Number.isInteger(fill) || fill < 0 || fill > 255) fail(`preprocess_cfg.fill_color must be an integer 0..255, not ${show(fill)}`);
  const std = rgb('preprocess_cfg.std', pc.std, OPENAI_STD);
  if (std.some((s) => s <= 0)) fail(`preprocess_cfg.std must be positive, not ${show(std)}`);
  return { size: imageSize, resize, interpolation: interp, crop: 'center', fill, mean: rgb('preprocess_cfg.mean', pc.mean, OPENAI_MEAN), std };
}

/** A config file's JSON (an object), or a refusal naming the file. */
export function parseJsonObject(text: string, file: string): Obj {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('input-invalid', `${file} is not valid JSON.`, `Pick the ${file} from the model page (a small text file).`);
  }
  if (!isObj(json)) throw new AppError('input-invalid', `${file} must be a JSON object.`, `Pick the ${file} from the model page.`);
  return json;
}

/**
 * Parse the config file's text; throws an AppError naming the key it cannot build. A DermLIP-PanDerm
 * config (a Hugging Face text tower) is read as panderm_config.py reads it, with the text model's
 * BERT config.json (`textConfigText`; a fixture config carries its own).
 */
export function parseOpenClipConfig(text: string, textConfigText?: string | null): ConfigSpec {
  const json = parseJsonObject(text, 'open_clip_config.json');
  if (!('model_cfg' in json)) throw new AppError('input-invalid', 'open_clip_config.json must be an object with model_cfg (and preprocess_cfg).', 'Pick the open_clip_config.json from the model page.');
  const panderm = isPanDermConfig(json);
  const extra = Object.keys(json).filter((k) => k !== 'model_cfg' && k !== 'preprocess_cfg' && !(panderm && k === 'fixture')).sort();
  if (extra.length) fail(`${extra[0]}: unknown top-level key (expected model_cfg, preprocess_cfg)`);
  const notes: string[] = [];
  if (panderm) {
    const p = parsePanDermModel(json, textConfigText ? parseJsonObject(textConfigText, 'config.json') : undefined);
    const image = parsePreprocess(json.preprocess_cfg ?? {}, p.record.vision.imageSize, p.notes);
    return { model: p.record, image, notes: p.notes, typeVocabSize: p.typeVocabSize };
  }
  const model = parseModel(json.model_cfg);
  return { model, image: parsePreprocess(json.preprocess_cfg ?? {}, model.vision.imageSize, notes), notes };
}
