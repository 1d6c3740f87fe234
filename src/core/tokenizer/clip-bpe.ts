/**
 * CLIP BPE tokenisation exactly as open_clip's `tokenize`: clean (see clean.ts), byte-level BPE
 * from an HF tokenizer.json (via @huggingface/tokenizers, no special tokens), then
 * [startId, first contextLength-2 BPE ids, endId] padded with padId to contextLength.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { AppError } from '../errors';
import { cleanOpenClip } from './clean';
import { packBatch, trimToLongest, type TextTokenizer, type TokenBatch } from './types';

export interface ClipBpeOptions {
  contextLength: number;
  padId: number;
  startId: number;
  endId: number;
  /** 'open_clip' (default): NFC, HTML unescape x2, whitespace collapse, lower case. 'none': as is. */
  clean?: string;
}

export class ClipBpeTokenizer implements TextTokenizer {
  readonly kind = 'clip-bpe' as const;
  readonly contextLength: number;
  private readonly cache = new Map<string, number[]>();

  private constructor(
    private readonly hf: Tokenizer,
    private readonly opts: Required<ClipBpeOptions>,
  ) {
    this.contextLength = opts.contextLength;
  }

  /** From a parsed tokenizer.json and the manifest's tokenizer record. */
  static fromJson(json: unknown, opts: ClipBpeOptions): ClipBpeTokenizer {
    const o = { clean: 'open_clip', ...opts };
    if (o.clean !== 'open_clip' && o.clean !== 'none') throw new AppError('tokenizer-invalid', `Unknown text cleaning "${o.clean}" in the bundle's tokenizer settings.`);
    if (!json || typeof json !== 'object' || !('model' in json)) throw new AppError('tokenizer-invalid', 'tokenizer.json is not a Hugging Face tokenizer file (no "model").');
    let hf: Tokenizer;
    try {
      hf = new Tokenizer(json, {});
    } catch (e) {
      throw new AppError('tokenizer-invalid', `tokenizer.json could not be loaded: ${(e as Error).message}`);
    }
    const t = new ClipBpeTokenizer(hf, o);
    const probe = t.bpe('a');
    if (probe.length !== 1) throw new AppError('tokenizer-invalid', 'tokenizer.json does not behave like the CLIP BPE tokenizer.');
    return t;
  }

  /** BPE ids of one text after cleaning, without start/end tokens (memoised). */
  bpe(text: string): number[] {
    let ids = this.cache.get(text);
    if (!ids) {
      const clean = this.opts.clean === 'open_clip' ? cleanOpenClip(text) : text;
      ids = clean ? this.hf.encode(clean, { add_special_tokens: false }).ids : [];
      if (this.cache.size > 5000) this.cache.clear();
      this.cache.set(text, ids);
    }
    return ids;
  }

  encode(texts: readonly string[]): TokenBatch {
    return packBatch(texts.map((t) => this.bpe(t)), this.opts);
  }

  trimToLongest(batch: TokenBatch): TokenBatch {
    return trimToLongest(batch);
  }
}
