"""The toolchain's BERT WordPiece tokenizer (wordpiece.py) and vocabulary builder (wordpiece_vocab.py).

The first cases are the hand-checked examples of Google BERT's tokenization_test.py (basic
tokenizer: lower case, accents, punctuation, CJK; WordPiece: greedy longest match, [UNK]); the
rest are what Hugging Face's Rust tokenizer does beyond them and open_clip's HFTokenizer around it.
"""
import json
import os
import subprocess

import pytest

import panderm_bundle
import prompts
import references
import wordpiece
import wordpiece_vocab as wv

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(os.path.dirname(HERE))
BERT_TEST_VOCAB = ["[UNK]", "[CLS]", "[SEP]", "want", "##want", "##ed", "wa", "un", "runn", "##ing"]


def tok_for(tokens, **kw):
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = {t: i for i, t in enumerate(specials + [t for t in tokens if t not in specials])}
    return wordpiece.WordPieceTokenizer(wv.tokenizer_json(vocab, **kw))


def words(tok, text):
    return tok.pre_tokenize(tok.normalize(text))


def test_bert_basic_tokenizer_examples():
    tok = tok_for(BERT_TEST_VOCAB)
    assert words(tok, " \tHeLLo!how  \n Are yoU?  ") == ["hello", "!", "how", "are", "you", "?"]
    assert words(tok, "H\u00e9llo") == ["hello"]
    assert words(tok, "ah\u535a\u63a8zz") == ["ah", "\u535a", "\u63a8", "zz"]
    cased = tok_for(BERT_TEST_VOCAB, lowercase=False)
    assert words(cased, " \tHeLLo!how  \n Are yoU?  ") == ["HeLLo", "!", "how", "Are", "yoU", "?"]


def test_bert_wordpiece_examples():
    tok = tok_for(BERT_TEST_VOCAB)
    assert tok.tokens("") == []
    assert tok.tokens("unwanted running") == ["un", "##want", "##ed", "runn", "##ing"]
    assert tok.tokens("unwantedX running") == ["[UNK]", "runn", "##ing"]
    assert tok.tokens("UNwant\u00e9d,running") == ["un", "##want", "##ed", "[UNK]", "runn", "##ing"]  # ',' unknown


def test_control_whitespace_and_punctuation_classes():
    assert wordpiece.is_control("\u0005") and wordpiece.is_control("\u200b") and wordpiece.is_control("\u0378")
    assert not wordpiece.is_control("A") and not wordpiece.is_control("\t") and not wordpiece.is_control("\r")
    for c in "-$`.~^+=<>|":  # ASCII symbols count as punctuation; Unicode P* too
        assert wordpiece.is_punctuation(c)
    assert wordpiece.is_punctuation("\u00ab") and wordpiece.is_punctuation("\u2026") and not wordpiece.is_punctuation("A")
    assert "\u2003" in wordpiece.WHITE_SPACE and "\u200b" not in wordpiece.WHITE_SPACE


def test_rust_normalizer_details():
    tok = tok_for(BERT_TEST_VOCAB)
    assert tok.normalize("\u03a3\u039f\u03a6\u0399\u0391\u03a3") == "\u03c3\u03bf\u03c6\u03b9\u03b1\u03c3"  # no final ς
    assert tok.normalize("\u0130stanbul") == "istanbul"
    assert tok.normalize("a\u200bb\u0378c\x00d\ufffde") == "abcde"  # Cf, Cn, NUL, U+FFFD dropped
    assert words(tok, "x\U00020000y ab\U0002b820cd") == ["x", "\U00020000", "y", "ab\U0002b820cd"]  # Rust's CJK ranges
    assert words(tok, "a\u00a0b\u3000c\td") == ["a", "b", "c", "d"]


def test_word_length_limit_and_unknown_words():
    tok = tok_for(["a", "##a", "b"])
    assert tok.tokens("a" * 100) == ["a"] + ["##a"] * 99
    assert tok.tokens("a" * 101) == ["[UNK]"]
    assert tok.tokens("ab ba") == ["[UNK]", "b", "##a"]  # no "##b": the whole word "ab" is [UNK]


def test_added_tokens_match_in_the_raw_text():
    tok = tok_for(["a", "mask", "[", "]"])
    ids = tok.encode("a [MASK][CLS] [mask]")
    assert ids == [tok.vocab[t] for t in ("a", "[MASK]", "[CLS]", "[", "mask", "]")]


def test_clean_whitespace_is_open_clips():
    assert wordpiece.clean_whitespace("  Beau&amp;#39;s \t LINES\u00a0x  ") == "Beau's LINES x"
    assert wordpiece.clean_whitespace("e\u0301 \u2019s \ufb01") == "\u00e9 's fi"


def test_tokenize_pads_and_truncates_to_256_keeping_sep():
    tok = panderm_bundle.fixture_tokenizer()
    ids = tok.tokenize(" ".join(["lesion"] * 300), 256)
    assert len(ids) == 256 and ids[0] == tok.start_id and ids[-1] == tok.end_id
    assert ids[1:255] == [tok.vocab["lesion"]] * 254
    short = tok.tokenize("melanoma", 256)
    assert short[:3] == [tok.start_id, tok.vocab["melanoma"], tok.end_id] and short[3:] == [0] * 253
    assert tok.tokenize("", 256)[:3] == [tok.start_id, tok.end_id, 0]


def test_tokenizer_json_variants_and_refusals():
    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a"])}
    tj = wv.tokenizer_json(vocab)
    old = {**tj, "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]}}
    assert wordpiece.WordPieceTokenizer(old).tokenize("a", 4) == [2, 4, 3, 0]
    with pytest.raises(wordpiece.TokenizerError, match="not 'WordPiece'"):
        wordpiece.WordPieceTokenizer({**tj, "model": {**tj["model"], "type": "BPE"}})
    with pytest.raises(wordpiece.TokenizerError, match="not BertNormalizer"):
        wordpiece.WordPieceTokenizer({**tj, "normalizer": {"type": "Lowercase"}})
    with pytest.raises(wordpiece.TokenizerError, match="only plain added tokens"):
        wordpiece.WordPieceTokenizer({**tj, "added_tokens": [{**tj["added_tokens"][0], "normalized": True}]})
    with pytest.raises(wordpiece.TokenizerError, match="no \\[CLS\\]"):
        wv.tokenizer_json({"[UNK]": 0, "[SEP]": 1})
    assert json.loads(wordpiece.WordPieceTokenizer({**tj, "padding": {"pad_id": 0}}).json_bytes())["padding"] is None


def test_vocab_txt(tmp_path):
    (tmp_path / "vocab.txt").write_text("[PAD]\n[UNK]\n[CLS]\n[SEP]\nskin\n##s\n", encoding="utf-8")
    tok = wordpiece.WordPieceTokenizer(wv.tokenizer_json(wv.read_vocab_txt(tmp_path / "vocab.txt")))
    assert tok.tokenize("Skins", 6) == [2, 4, 5, 3, 0, 0]


def test_fixture_vocab_is_deterministic_and_covers_the_prompts():
    texts = prompts.build_prompts()
    v = wv.build_vocab(texts)
    assert v == wv.build_vocab(list(texts))
    assert 2000 <= len(v) <= 5000 and list(v)[:5] == wv.SPECIALS
    tok = panderm_bundle.fixture_tokenizer()
    assert sum(tok.encode(t).count(tok.vocab["[UNK]"]) for t in texts) == 0
    assert any("##" in t for t in v)


def test_huggingface_tokenizers_js_gives_the_same_pieces(tmp_path):
    """@huggingface/tokenizers (the app's) on the bundle's tokenizer.json: the same ids for every
    shipped prompt and every reference prompt, except those only the app's Rust fix-ups
    (src/core/tokenizer/wordpiece.ts; checked in test/model) make equal."""
    tok = panderm_bundle.fixture_tokenizer()
    fixups = lambda t: any(c == "\u03a3" or (ord(c) > 0xFFFF and wordpiece.is_cjk(c))  # noqa: E731
                              or wordpiece.unicodedata.category(c) == "Cn" for c in t)
    texts = [t for t in prompts.build_prompts() + panderm_bundle.REF_PROMPTS if not fixups(t)]
    assert len(texts) > 6000
    cases = [{"clean": wordpiece.clean_whitespace(t), "ids": tok.encode(t)} for t in texts]
    (tmp_path / "tokenizer.json").write_bytes(tok.json_bytes())
    (tmp_path / "cases.json").write_text(json.dumps(cases))
    res = subprocess.run(["node", os.path.join(HERE, "check_tokenizer.mjs"), str(tmp_path / "tokenizer.json"),
                          str(tmp_path / "cases.json")], cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    assert json.loads(res.stdout)["checked"] == len(texts)
    assert sum(1 for t in panderm_bundle.REF_PROMPTS if fixups(t)) == 3
