// WordPiece (BERT) tokenisation: the hand-checked examples of Google BERT's tokenization_test.py,
// then what Hugging Face's Rust tokenizer does beyond them (tools/model/tests/test_wordpiece.py
// checks the toolchain's tokenizer on the same cases).
import { describe, expect, it } from 'vitest';
import { createTokenizer, rowOf } from './index';
import { rustBertFixups, WordPieceTokenizer } from './wordpiece';

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

/** A BERT tokenizer.json (as BertTokenizerFast saves one) for the given tokens after the specials. */
function bertJson(tokens: string[], lowercase = true) {
  const vocab: Record<string, number> = {};
  for (const t of [...SPECIALS, ...tokens]) vocab[t] ??= Object.keys(vocab).length;
  const special = (t: string) => ({ id: t, ids: [vocab[t]], tokens: [t] });
  return {
    version: '1.0', truncation: null, padding: null,
    added_tokens: SPECIALS.map((t) => ({ id: vocab[t], content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: { '[CLS]': special('[CLS]'), '[SEP]': special('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

const SPEC = { contextLength: 256, padId: 0, startId: 2, endId: 3, clean: 'whitespace' };

function pieces(tokens: string[], text: string, lowercase = true): string[] {
  const json = bertJson(tokens, lowercase);
  const names = Object.fromEntries(Object.entries(json.model.vocab).map(([t, i]) => [i, t]));
  return WordPieceTokenizer.fromJson(json, SPEC).pieces(text).map((i) => names[i]);
}

const BERT_TEST_VOCAB = ['want', '##want', '##ed', 'wa', 'un', 'runn', '##ing'];

describe('WordPieceTokenizer: Google BERT test cases', () => {
  it('basic tokenizer: lower case, accents, punctuation, CJK', () => {
    const v = ['hello', 'how', 'are', 'you', '!', '?', 'ah', 'zz', '\u535a', '\u63a8'];
    expect(pieces(v, ' \tHeLLo!how  \n Are yoU?  ')).toEqual(['hello', '!', 'how', 'are', 'you', '?']);
    expect(pieces(v, 'H\u00e9llo')).toEqual(['hello']);
    expect(pieces(v, 'ah\u535a\u63a8zz')).toEqual(['ah', '\u535a', '\u63a8', 'zz']);
    expect(pieces(['HeLLo', 'how'], 'HeLLo how', false)).toEqual(['HeLLo', 'how']);
  });
  it('wordpiece: greedy longest match, [UNK] for a word with an unmatched part', () => {
    expect(pieces(BERT_TEST_VOCAB, '')).toEqual([]);
    expect(pieces(BERT_TEST_VOCAB, 'unwanted running')).toEqual(['un', '##want', '##ed', 'runn', '##ing']);
    expect(pieces(BERT_TEST_VOCAB, 'unwantedX running')).toEqual(['[UNK]', 'runn', '##ing']);
  });
});

describe('WordPieceTokenizer: Hugging Face (Rust) details', () => {
  it('words of more than 100 characters are [UNK]', () => {
    expect(pieces(['a', '##a'], 'a'.repeat(100))).toEqual(['a', ...Array(99).fill('##a')]);
    expect(pieces(['a', '##a'], 'a'.repeat(101))).toEqual(['[UNK]']);
  });
  it('added tokens are matched in the raw text, before lower-casing', () => {
    expect(pieces(['a', 'mask', '[', ']'], 'a [MASK][CLS] [mask]')).toEqual(['a', '[MASK]', '[CLS]', '[', 'mask', ']']);
  });
  it('ASCII symbols and Unicode punctuation are words of their own', () => {
    expect(pieces(['$', '5', '+', '^', '_', '|', '\u00ab', 'x', '\u00bb'], '$5+^_| \u00abx\u00bb')).toEqual(['$', '5', '+', '^', '_', '|', '\u00ab', 'x', '\u00bb']);
  });
  it('cleans as open_clip (HTML entities, whitespace) and drops control and format characters', () => {
    expect(pieces(["beau", "'", 's', 'lines'], "  Beau&amp;#39;s\u00a0\t LINES ")).toEqual(['beau', "'", 's', 'lines']);
    expect(pieces(['zerowidth', 'ab'], 'zero\u200bwidth a\x07b')).toEqual(['zerowidth', 'ab']);
  });
  it('final capital sigma, dotted capital I, astral CJK and unassigned code points as Rust does them', () => {
    expect(pieces(['\u03bf\u03b4\u03bf\u03c3', 'istanbul'], '\u039f\u0394\u039f\u03a3 \u0130stanbul')).toEqual(['\u03bf\u03b4\u03bf\u03c3', 'istanbul']);
    expect(pieces(['x', 'y', '\u{20000}', 'ab'], 'x\u{20000}y ab\u{2b820}')).toEqual(['x', '\u{20000}', 'y', '[UNK]']);
    expect(pieces(['ab'], 'a\u0378b')).toEqual(['ab']);
    const norm = { cleanText: true, chinese: true, lowercase: true };
    expect(rustBertFixups('\u03a3\u0378\u{20000}[MASK]', norm)).toBe('\u03c3 \u{20000} [MASK]');
    expect(rustBertFixups('\u03a3\u0378\u{20000}', { cleanText: false, chinese: false, lowercase: false })).toBe('\u03a3\u0378\u{20000}');
  });
  it('[CLS] + 254 pieces + [SEP] at 256, padded with the pad id', () => {
    const tok = createTokenizer({ ...SPEC, kind: 'wordpiece' }, bertJson(['lesion']));
    const b = tok.encode([Array(300).fill('lesion').join(' '), 'lesion', '']);
    const lesion = 5;
    expect(b.length).toBe(256);
    expect(rowOf(b, 0)).toEqual([2, ...Array(254).fill(lesion), 3]);
    expect(rowOf(b, 1)).toEqual([2, lesion, 3, ...Array(253).fill(0)]);
    expect(rowOf(b, 2).slice(0, 3)).toEqual([2, 3, 0]);
    expect(Array.from(b.lengths)).toEqual([256, 3, 2]);
    expect(tok.trimToLongest(tok.encode(['lesion', ''])).length).toBe(3);
  });
  it('refuses what it cannot run, naming the part', () => {
    const good = bertJson(['a']);
    expect(() => WordPieceTokenizer.fromJson({ ...good, model: { ...good.model, type: 'BPE' } }, SPEC)).toThrow(/model type "BPE", not "WordPiece"/);
    expect(() => WordPieceTokenizer.fromJson({ ...good, normalizer: null }, SPEC)).toThrow(/normalizer "none", not "BertNormalizer"/);
    expect(() => WordPieceTokenizer.fromJson({ ...good, pre_tokenizer: { type: 'Whitespace' } }, SPEC)).toThrow(/pre-tokenizer "Whitespace"/);
    expect(() => WordPieceTokenizer.fromJson(good, { ...SPEC, endId: 999 })).toThrow(/tokenizer.endId 999 is not in the vocabulary/);
    expect(() => WordPieceTokenizer.fromJson(good, { ...SPEC, clean: 'lower' })).toThrow(/Unknown text cleaning "lower"/);
  });
});
