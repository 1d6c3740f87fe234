/**
 * The manifest of a bundle converted in the browser: the same record bundle.py writes for an
 * export (model, preprocessing, tokenizer, variants, prompt table, every file's bytes and sha256),
 * with `demo: false` and a source naming the checkpoint (file name and sha256) and the weights'
 * license. The bundle id carries the checkpoint's sha256, so two checkpoints never share one.
 */
import type { FileEntry } from '../manifest';
import { WEIGHTS_LICENSE, type ShippedArchitecture } from './architectures';
import type { WordPieceIds } from './hub-tokenizer';
import type { ConfigSpec } from './openclip-config';

export const CONFIG_FILE = 'open_clip_config.json';
export const TOKENIZER_FILE = 'tokenizer.json';
export const PROMPTS_FILE = 'prompts.json';
export const TABLE_FILE = 'text-embeddings.f16.bin';
const VARIANTS = ['fp32', 'fp16', 'int8', 'q4'] as const;
const FEATURES: Record<(typeof VARIANTS)[number], string[]> = { fp32: [], fp16: ['shader-f16'], int8: [], q4: [] };
/** sha256 of zero bytes: the prompt table's entry before it is computed. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface CheckpointSource {
  file: string;
  sha256: string;
  bytes: number;
}

export function convertedBundleId(arch: ShippedArchitecture, checkpointSha256: string): string {
  return `${arch.bundlePrefix}-${checkpointSha256.slice(0, 8)}`;
}

export interface ConvertedManifestInput {
  arch: ShippedArchitecture;
  /** layout.json's architecture name (open_clip's naming: ViT-B-16, ViT-B-16-quickgelu). */
  architecture: string;
  spec: ConfigSpec;
  checkpoint: CheckpointSource;
  modelLogitScale: number;
  /** Every file written so far. Without the prompt table: a draft for computing it (count 0). */
  files: Record<string, FileEntry>;
  promptCount: number;
  /** DermLIP-PanDerm: the ids of the WordPiece tokenizer made from the text model's files. */
  wordpiece?: WordPieceIds | null;
}

function tokenizerRecord(c: ConvertedManifestInput) {
  const contextLength = c.spec.model.text.contextLength;
  if (c.spec.model.family !== 'dermlip-panderm') return { kind: 'clip-bpe', file: TOKENIZER_FILE, contextLength, padId: 0, startId: 49406, endId: 49407, clean: 'open_clip' };
  if (!c.wordpiece) throw new Error('converter: a DermLIP-PanDerm manifest needs its tokenizer\'s ids');
  const { padId, startId, endId } = c.wordpiece;
  return { kind: 'wordpiece', file: TOKENIZER_FILE, contextLength, padId, startId, endId, clean: 'whitespace' };
}

export function convertedManifest(c: ConvertedManifestInput): Record<string, unknown> {
  const m = c.spec.model;
  const hasTable = Object.hasOwn(c.files, TABLE_FILE) && c.files[TABLE_FILE].bytes > 0;
  const files: Record<string, FileEntry> = { ...c.files };
  if (!hasTable) files[TABLE_FILE] = { bytes: 0, sha256: EMPTY_SHA256 };
  return {
    schemaVersion: 1,
    id: convertedBundleId(c.arch, c.checkpoint.sha256),
    name: `${c.arch.title}, converted from ${c.checkpoint.file}`,
    demo: false,
    license: { weights: WEIGHTS_LICENSE, data: 'Prompts built from the Derm1M ontology: CC BY-NC 4.0 (non-commercial)' },
    source: { kind: 'checkpoint', file: c.checkpoint.file, sha256: c.checkpoint.sha256, bytes: c.checkpoint.bytes, converter: 'in-browser', architecture: c.arch.id, config: CONFIG_FILE },
    architecture: c.architecture,
    model: m,
    embedDim: m.embedDim,
    logitScale: 100,
    modelLogitScale: c.modelLogitScale,
    image: { ...c.spec.image, input: 'pixel_values', output: 'image_embeds' },
    text: { input: 'input_ids', output: 'text_embeds', dynamicLength: true },
    tokenizer: tokenizerRecord(c),
    variants: Object.fromEntries(
      VARIANTS.map((v) => [v, { image: `image.${v}.onnx`, imageData: `image.${v}.onnx.data`, text: `text.${v}.onnx`, textData: `text.${v}.onnx.data`, dtype: v, requiredFeatures: FEATURES[v] }]),
    ),
    textEmbeddings: { file: TABLE_FILE, prompts: PROMPTS_FILE, dtype: 'float16', count: hasTable ? c.promptCount : 0, sourceVariant: 'fp32', normalized: true },
    files: Object.fromEntries(Object.keys(files).sort().map((k) => [k, files[k]])),
  };
}
