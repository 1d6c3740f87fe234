/**
 * BERT WordPiece tokenisation as open_clip's HFTokenizer runs it for DermLIP-PanDerm (PubMedBERT,
 * 256 tokens): clean (`cleanWhitespace`, open_clip's 'whitespace'), the HF tokenizer.json through
 * @huggingface/tokenizers without special tokens (added tokens, BertNormalizer, BertPreTokenizer,
 * WordPiece), then [startId, first contextLength-2 pieces, endId] padded with padId.
 *
 * The reference is Hugging Face's Rust tokenizer (what transformers' AutoTokenizer runs upstream;
 * tools/model/wordpiece.py is the toolchain's copy of it). @huggingface/tokenizers' BertNormalizer
 * differs from it in three places, which `rustBertFixups` evens out on the raw text before the
 * library sees it (none of them touches ASCII, so added tokens such as [MASK] still match):
 * - Rust lower-cases each character on its own, so a final capital sigma becomes σ; JS's
 *   toLowerCase makes it ς: Σ is mapped to σ first;
 * - Rust puts spaces around the CJK ideographs above U+FFFF too; JS looks at UTF-16 units only;
 * - Rust's clean_text also drops unassigned code points (Cn); JS's does not.
 * The encoder computes its attention mask from the ids (ids != pad), so no mask is sent.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { AppError } from '../errors';
import { cleanWhitespace } from './clean';
import { packBatch, trimToLongest, type TextTokenizer, type TokenBatch } from './types';

export interface WordPieceOptions {
  contextLength: number;
  padId: number;
  startId: number;
  endId: number;
  /** 'whitespace' (default): open_clip's HFTokenizer cleaning. 'none': as is. */
  clean?: string;
}

interface BertNormalizerConfig {
  type: string;
  clean_text?: boolean;
  handle_chinese_chars?: boolean;
  lowercase?: boolean;
}

// Rust tokenizers' is_chinese_char ranges above the BMP (the BMP ones the JS library handles).
const ASTRAL_CJK = /[\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B920}-\u{2CEAF}\u{2F800}-\u{2FA1F}]/gu;
const UNASSIGNED = /\p{Cn}/gu;

/** The three Rust-vs-JS BertNormalizer differences (see the header), applied to raw text. */
export function rustBertFixups(text: string, norm: { cleanText: boolean; chinese: boolean; lowercase: boolean }): string {
  let t = text;
  if (norm.cleanText) t = t.replace(UNASSIGNED, '');
  if (norm.chinese) t = t.replace(ASTRAL_CJK, (c) => ` ${c} `);
  if (norm.lowercase) t = t.replaceAll('\u03a3', '\u03c3');
  return t;
}

function invalid(msg: string): AppError {
  return new AppError('tokenizer-invalid', `tokenizer.json ${msg}`, 'The bundle needs a BERT WordPiece tokenizer.json (as transformers saves one).');
}

export class WordPieceTokenizer implements TextTokenizer {
  readonly kind = 'wordpiece' as const;
  readonly contextLength: number;
  private readonly cache = new Map<string, number[]>();

  private constructor(
    private readonly hf: Tokenizer,
    private readonly opts: Required<WordPieceOptions>,
    private readonly norm: { cleanText: boolean; chinese: boolean; lowercase: boolean },
  ) {
    this.contextLength = opts.contextLength;
  }

  /** From a parsed tokenizer.json and the manifest's tokenizer record. */
  static fromJson(json: unknown, opts: WordPieceOptions): WordPieceTokenizer {
    const o = { clean: 'whitespace', ...opts };
    if (o.clean !== 'whitespace' && o.clean !== 'none') throw new AppError('tokenizer-invalid', `Unknown text cleaning "${o.clean}" for a WordPiece tokenizer in the bundle's tokenizer settings.`);
    if (!json || typeof json !== 'object') throw invalid('is not a JSON object.');
    const j = json as { model?: { type?: string; vocab?: Record<string, number> }; normalizer?: BertNormalizerConfig | null; pre_tokenizer?: { type?: string } | null };
    if (j.model?.type !== 'WordPiece') throw invalid(`has model type "${j.model?.type ?? 'none'}", not "WordPiece".`);
    if (j.normalizer?.type !== 'BertNormalizer') throw invalid(`has normalizer "${j.normalizer?.type ?? 'none'}", not "BertNormalizer".`);
    if (j.pre_tokenizer?.type !== 'BertPreTokenizer') throw invalid(`has pre-tokenizer "${j.pre_tokenizer?.type ?? 'none'}", not "BertPreTokenizer".`);
    const ids = new Set(Object.values(j.model.vocab ?? {}));
    for (const [name, id] of [['padId', o.padId], ['startId', o.startId], ['endId', o.endId]] as const) {
      if (!ids.has(id)) throw new AppError('tokenizer-invalid', `The manifest's tokenizer.${name} ${id} is not in the vocabulary of tokenizer.json.`);
    }
    let hf: Tokenizer;
    try {
      hf = new Tokenizer(json, {});
    } catch (e) {
      throw invalid(`could not be loaded: ${(e as Error).message}`);
    }
    const n = j.normalizer;
    return new WordPieceTokenizer(hf, o, { cleanText: n.clean_text ?? true, chinese: n.handle_chinese_chars ?? true, lowercase: n.lowercase ?? true });
  }

  /** WordPiece ids of one text after cleaning, without start/end tokens (memoised). */
  pieces(text: string): number[] {
    let ids = this.cache.get(text);
    if (!ids) {
      const clean = this.opts.clean === 'whitespace' ? cleanWhitespace(text) : text;
      ids = clean ? this.hf.encode(rustBertFixups(clean, this.norm), { add_special_tokens: false }).ids : [];
      if (this.cache.size > 5000) this.cache.clear();
      this.cache.set(text, ids);
    }
    return ids;
  }

  encode(texts: readonly string[]): TokenBatch {
    return packBatch(texts.map((t) => this.pieces(t)), this.opts);
  }

  trimToLongest(batch: TokenBatch): TokenBatch {
    return trimToLongest(batch);
  }
}
