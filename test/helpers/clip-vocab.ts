/**
 * Test-only helpers (Node): a CLIP tokenizer.json built from the MIT BPE merges file in
 * data/derm1m/vocab, the way HF's CLIPTokenizerFast files are laid out, and an independent port of
 * open_clip's SimpleTokenizer.bpe to cross-check the @huggingface/tokenizers path.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

function bytesToUnicode(): Map<number, string> {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) if (!bs.includes(b)) (bs.push(b), cs.push(256 + n++));
  return new Map(bs.map((b, i) => [b, String.fromCodePoint(cs[i])]));
}

export interface ClipVocab {
  vocab: Map<string, number>;
  merges: [string, string][];
  byteEncoder: Map<number, string>;
}

let cached: ClipVocab | undefined;
export function loadClipVocab(path = 'data/derm1m/vocab/bpe_simple_vocab_16e6.txt.gz'): ClipVocab {
  if (cached) return cached;
  const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n');
  const merges = lines.slice(1, 49152 - 256 - 2 + 1).map((l) => l.split(' ') as [string, string]);
  const byteEncoder = bytesToUnicode();
  const base = [...byteEncoder.values()];
  const words = [...base, ...base.map((v) => `${v}</w>`), ...merges.map((m) => m.join('')), '<|startoftext|>', '<|endoftext|>'];
  cached = { vocab: new Map(words.map((w, i) => [w, i])), merges, byteEncoder };
  return cached;
}

const CLIP_PATTERN = "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

/** A tokenizer.json equivalent to HF openai/clip-vit-base-patch16's. */
export function clipTokenizerJson(): Record<string, unknown> {
  const { vocab, merges } = loadClipVocab();
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(49406, '<|startoftext|>'), special(49407, '<|endoftext|>')],
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }] },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: CLIP_PATTERN }, behavior: 'Removed', invert: true },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: { type: 'RobertaProcessing', sep: ['<|endoftext|>', 49407], cls: ['<|startoftext|>', 49406], trim_offsets: false, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE', dropout: null, unk_token: '<|endoftext|>', continuing_subword_prefix: '', end_of_word_suffix: '</w>',
      fuse_unk: false, byte_fallback: false, vocab: Object.fromEntries(vocab), merges: merges.map((m) => m.join(' ')),
    },
  };
}

/** open_clip SimpleTokenizer.encode on already-cleaned text (independent reference). */
export function referenceBpe(cleaned: string): number[] {
  const { vocab, merges, byteEncoder } = loadClipVocab();
  const ranks = rankCache ?? (rankCache = new Map(merges.map((m, i) => [m.join(' '), i])));
  const re = new RegExp(CLIP_PATTERN, 'giu');
  const out: number[] = [];
  for (const m of cleaned.matchAll(re)) {
    const token = [...new TextEncoder().encode(m[0])].map((b) => byteEncoder.get(b)!).join('');
    let word = [...token];
    word[word.length - 1] += '</w>';
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < word.length - 1; i++) {
        const r = ranks.get(`${word[i]} ${word[i + 1]}`);
        if (r !== undefined && r < bestRank) (bestRank = r), (best = i);
      }
      if (best < 0) break;
      const [a, b] = [word[best], word[best + 1]];
      const next: string[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i < word.length - 1 && word[i] === a && word[i + 1] === b) (next.push(a + b), i++);
        else next.push(word[i]);
      }
      word = next;
    }
    for (const w of word) out.push(vocab.get(w)!);
  }
  return out;
}
let rankCache: Map<string, number> | undefined;
