/**
 * The files the user picked for a conversion, told apart by name and content: the checkpoint,
 * open_clip_config.json, and for DermLIP-PanDerm the text model's hub files (its BERT config.json,
 * and tokenizer.json or vocab.txt with tokenizer_config.json). The tokenizer a PanDerm bundle
 * ships is made here from those (as the toolchain makes it) and checked against the model.
 */
import { bundleTokenizer, type WordPieceIds } from '../core/convert/hub-tokenizer';
import type { ConfigSpec } from '../core/convert/openclip-config';
import { AppError } from '../core/errors';

export interface PickedFiles {
  checkpoint: File;
  config: File;
  configText: string;
  /** The text model's config.json (DermLIP-PanDerm). */
  textConfigText: string | null;
  tokenizerJson?: string;
  vocabTxt?: string;
  tokenizerConfig?: string;
}

const TWO = 'the checkpoint (open_clip_model.safetensors or open_clip_pytorch_model.bin) and open_clip_config.json';

type Kind = 'openclip' | 'bert' | 'tokenizer' | 'tokenizer-config';

function jsonKind(text: string): Kind | null {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    return null;
  }
  if (!j || typeof j !== 'object' || Array.isArray(j)) return null;
  const o = j as Record<string, unknown>;
  if ('model_cfg' in o) return 'openclip';
  if (o.model && typeof o.model === 'object' && 'type' in (o.model as object)) return 'tokenizer';
  if ('model_type' in o || 'hidden_size' in o) return 'bert';
  if ('do_lower_case' in o || 'tokenizer_class' in o || 'model_max_length' in o) return 'tokenizer-config';
  return null;
}

/** Sort the picked files; refuses a set that is not one checkpoint, one open_clip_config.json and at most the text model's files. */
export async function sortPicked(files: readonly File[]): Promise<PickedFiles> {
  const names = files.map((f) => f.name).join(', ') || 'nothing';
  const checkpoints = files.filter((f) => !/\.(json|txt)$/i.test(f.name));
  const found: Partial<Record<Kind, { file: File; text: string }[]>> = {};
  let vocab: { file: File; text: string } | null = null;
  for (const f of files) {
    if (/\.txt$/i.test(f.name)) {
      if (vocab) throw new AppError('input-invalid', `Pick one vocab.txt, not two (${vocab.file.name}, ${f.name}).`);
      vocab = { file: f, text: await f.text() };
    } else if (/\.json$/i.test(f.name)) {
      const text = await f.text();
      const kind = jsonKind(text);
      if (!kind) throw new AppError('input-invalid', `${f.name} is none of the JSON files a conversion uses (open_clip_config.json; for DermLIP-PanDerm also the text model's config.json, tokenizer.json, tokenizer_config.json).`, `Pick ${TWO}.`);
      (found[kind] ??= []).push({ file: f, text });
    }
  }
  const configs = found.openclip ?? [];
  if (checkpoints.length !== 1 || configs.length !== 1) throw new AppError('input-invalid', `Pick one checkpoint and one open_clip_config.json: ${TWO} (for DermLIP-PanDerm also its text model's config.json and tokenizer). You picked: ${names}.`);
  for (const k of ['bert', 'tokenizer', 'tokenizer-config'] as const) {
    if ((found[k]?.length ?? 0) > 1) throw new AppError('input-invalid', `Two files of the same kind were picked: ${found[k]!.map((x) => x.file.name).join(', ')}.`, `Pick ${TWO}, and for DermLIP-PanDerm one config.json and one tokenizer of its text model.`);
  }
  return {
    checkpoint: checkpoints[0],
    config: configs[0].file,
    configText: configs[0].text,
    textConfigText: found.bert?.[0].text ?? null,
    tokenizerJson: found.tokenizer?.[0].text,
    vocabTxt: vocab?.text,
    tokenizerConfig: found['tokenizer-config']?.[0].text,
  };
}

/** A CLIP model takes no text-model files; a PanDerm one needs its tokenizer: made here, checked against the model. */
export function pickedTokenizer(p: PickedFiles, spec: ConfigSpec): { text: string; ids: WordPieceIds } | null {
  const extra = p.textConfigText !== null || p.tokenizerJson !== undefined || p.vocabTxt !== undefined || p.tokenizerConfig !== undefined;
  if (spec.model.family !== 'dermlip-panderm') {
    if (extra) throw new AppError('input-invalid', 'This open_clip_config.json describes a CLIP model (DermLIP-B/16), which needs no text-model files: pick only the checkpoint and open_clip_config.json.');
    return null;
  }
  if (p.tokenizerJson === undefined && p.vocabTxt === undefined) {
    throw new AppError('input-invalid', 'DermLIP-PanDerm also needs its text model\'s tokenizer: tokenizer.json (or vocab.txt) from neuml/pubmedbert-base-embeddings.', 'Pick it with the checkpoint, open_clip_config.json and the text model\'s config.json.');
  }
  const tok = bundleTokenizer(p);
  const t = spec.model.text;
  if (tok.ids.topId >= t.vocabSize) throw new AppError('input-invalid', `The tokenizer has id ${tok.ids.topId}, the text model only ${t.vocabSize} embeddings: they are not of the same model.`, 'Pick the tokenizer and config.json from the same text model page.');
  if (tok.ids.padId !== t.padId) throw new AppError('input-invalid', `The tokenizer pads with id ${tok.ids.padId}, the text model masks id ${t.padId} (config.json pad_token_id).`, 'Pick the tokenizer and config.json from the same text model page.');
  return tok;
}
