"""WordPiece vocabularies and BERT tokenizer.json files.

The real PubMedBERT vocab (neuml/pubmedbert-base-embeddings) cannot be fetched here, so the
PanDerm fixtures use a vocabulary this module builds deterministically from the shipped prompt
table (prompts.py): the special tokens, every character seen (as a word start and as a `##`
continuation), the frequent whole words, frequent word starts and frequent `##` endings. Words
made of unseen characters (Greek, CJK, emoji) come out as [UNK], as they would for many
biomedical vocabularies. A real export takes the hub's tokenizer.json, or builds the same JSON
from its vocab.txt (`tokenizer_json(read_vocab_txt(path), lowercase=...)`).
"""
import collections
import json

import wordpiece

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]  # ids 0..4
ASCII = [chr(c) for c in range(0x21, 0x7F) if not chr(c).isupper()]


def tokenizer_json(vocab, lowercase=True, unk="[UNK]", cls="[CLS]", sep="[SEP]", max_chars=100):
    """An HF tokenizer.json for a BERT WordPiece vocab ({token: id}), shaped as
    BertTokenizerFast saves one (BertNormalizer, BertPreTokenizer, TemplateProcessing)."""
    for t in (unk, cls, sep):
        if t not in vocab:
            raise wordpiece.TokenizerError(f"the vocabulary has no {t}")
    specials = [t for t in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]") if t in vocab]
    one = lambda t: {"id": t, "ids": [vocab[t]], "tokens": [t]}  # noqa: E731
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": vocab[t], "content": t, "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": False, "special": True} for t in specials],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": lowercase},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": cls, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": sep, "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": cls, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": sep, "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": sep, "type_id": 1}}],
            "special_tokens": {cls: one(cls), sep: one(sep)},
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": unk, "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": max_chars, "vocab": vocab},
    }


def read_vocab_txt(path):
    """BERT's vocab.txt: one token a line, the id is the line number."""
    with open(path, encoding="utf-8") as f:
        tokens = f.read().split("\n")
    if tokens and tokens[-1] == "":
        tokens.pop()
    vocab = {}
    for i, t in enumerate(tokens):
        vocab.setdefault(t, i)
    return vocab


def build_vocab(texts, words=2000, starts=600, endings=900, min_count=2):
    """A deterministic WordPiece vocab ({token: id}) for texts (see the module doc)."""
    probe = wordpiece.WordPieceTokenizer(tokenizer_json({t: i for i, t in enumerate(SPECIALS)}))
    counts = collections.Counter()
    for t in texts:
        for seg, special in probe._split_added(wordpiece.clean_whitespace(t)):
            if special is None:
                counts.update(probe.pre_tokenize(probe.normalize(seg)))
    chars = sorted(set(ASCII) | {c for w in counts for c in w})
    tokens = list(SPECIALS) + chars + ["##" + c for c in chars]
    by_count = sorted(((n, w) for w, n in counts.items() if n >= min_count and len(w) > 1),
                      key=lambda x: (-x[0], x[1]))
    tokens += [w for _, w in by_count[:words]]
    known = set(tokens)
    start_counts, end_counts = collections.Counter(), collections.Counter()
    for w, n in counts.items():
        for k in range(2, min(len(w), 7)):
            start_counts[w[:k]] += n
            end_counts["##" + w[-k:]] += n
    for counter, limit in ((start_counts, starts), (end_counts, endings)):
        best = sorted(((n, p) for p, n in counter.items() if n >= min_count and p not in known),
                      key=lambda x: (-x[0], x[1]))[:limit]
        tokens += [p for _, p in best]
        known.update(p for _, p in best)
    return {t: i for i, t in enumerate(tokens)}


def fixture_tokenizer_json(texts):
    return tokenizer_json(build_vocab(texts), lowercase=True)


if __name__ == "__main__":
    import prompts
    v = build_vocab(prompts.build_prompts())
    print(len(v), "tokens;", json.dumps(list(v)[300:330]))
