"""CLIP BPE tokenizer: a port of open_clip's SimpleTokenizer, and an HF tokenizer.json writer.

Cleaning (open_clip's 'lower' clean): ftfy.fix_text, html.unescape twice, strip, collapse
whitespace, strip, lower case. ftfy is not available here, so ftfy.fix_text is replaced by
fix_text_lite: the parts of ftfy's defaults that change real prompts (curly quotes uncurled,
latin ligatures and full-width forms expanded, control characters removed) and NFC. The app's
cleaning (src/core/tokenizer/clean.ts) is the same, character for character. NOT replicated:
ftfy's mojibake repair, which plain prompts never need.
"""
import functools
import gzip
import html
import json
import os
import unicodedata

import regex

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BPE_PATH = os.path.join(REPO, "data", "derm1m", "vocab", "bpe_simple_vocab_16e6.txt.gz")

START, END, PAD = 49406, 49407, 0
CONTEXT_LENGTH = 77
NUM_MERGES = 49152 - 256 - 2  # 48894
# open_clip's pattern (its special tokens are spelled <start_of_text>/<end_of_text>)
PATTERN = (r"""<start_of_text>|<end_of_text>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]"""
           r"""|[^\s\p{L}\p{N}]+""")


@functools.lru_cache()
def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) \
        + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


_SINGLE_QUOTES = regex.compile("[\u02bc\u2018-\u201b]")
_DOUBLE_QUOTES = regex.compile("[\u201c-\u201f]")
_LIGATURES = {
    "\u0132": "IJ", "\u0133": "ij", "\u0149": "\u02bcn", "\u01c7": "LJ", "\u01c8": "Lj", "\u01c9": "lj",
    "\u01ca": "NJ", "\u01cb": "Nj", "\u01cc": "nj", "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl",
    "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "\u017ft", "\ufb06": "st",
}
_LIGATURE_RE = regex.compile("[\u0132\u0133\u0149\u01c7-\u01cc\ufb00-\ufb06]")
_WIDE_RE = regex.compile("[\u3000\uff01-\uff5e\uffe0-\uffee]")
_CONTROL_RE = regex.compile("[\x00-\x08\x0b\x0e-\x1b\x7f\u206a-\u206f\ufeff\ufff9-\ufffc]")


def fix_text_lite(s: str) -> str:
    """The parts of ftfy.fix_text (default config) that change real prompts; see the header."""
    s = _CONTROL_RE.sub("", s)
    s = _LIGATURE_RE.sub(lambda m: _LIGATURES[m.group()], s)
    s = _WIDE_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), s)
    s = _SINGLE_QUOTES.sub("'", s)
    s = _DOUBLE_QUOTES.sub('"', s)
    return unicodedata.normalize("NFC", s)


def clean(text: str) -> str:
    text = fix_text_lite(text)
    text = html.unescape(html.unescape(text)).strip()
    text = regex.sub(r"\s+", " ", text).strip()
    return text.lower()


@functools.lru_cache()
def load_vocab():
    """-> (vocab list in id order, merges list of (a, b))."""
    with gzip.open(BPE_PATH, "rt", encoding="utf-8") as f:
        lines = f.read().split("\n")
    merges = [tuple(m.split()) for m in lines[1:NUM_MERGES + 1]]
    vocab = list(bytes_to_unicode().values())
    vocab = vocab + [v + "</w>" for v in vocab]
    vocab += ["".join(m) for m in merges]
    vocab += ["<start_of_text>", "<end_of_text>"]
    assert len(vocab) == 49408, len(vocab)
    return vocab, merges


class SimpleTokenizer:
    def __init__(self):
        vocab, merges = load_vocab()
        self.byte_encoder = bytes_to_unicode()
        self.encoder = {v: i for i, v in enumerate(vocab)}
        self.bpe_ranks = {m: i for i, m in enumerate(merges)}
        self.cache = {"<start_of_text>": "<start_of_text>", "<end_of_text>": "<end_of_text>"}
        self.pat = regex.compile(PATTERN, regex.IGNORECASE)

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = tuple(token[:-1]) + (token[-1] + "</w>",)
        while len(word) > 1:
            pairs = {(word[i], word[i + 1]) for i in range(len(word) - 1)}
            bigram = min(pairs, key=lambda p: self.bpe_ranks.get(p, float("inf")))
            if bigram not in self.bpe_ranks:
                break
            first, second = bigram
            new_word, i = [], 0
            while i < len(word):
                try:
                    j = word.index(first, i)
                except ValueError:
                    new_word.extend(word[i:])
                    break
                new_word.extend(word[i:j])
                i = j
                if word[i] == first and i < len(word) - 1 and word[i + 1] == second:
                    new_word.append(first + second)
                    i += 2
                else:
                    new_word.append(word[i])
                    i += 1
            word = tuple(new_word)
        out = " ".join(word)
        self.cache[token] = out
        return out

    def encode(self, text):
        """BPE ids of the cleaned text, without start/end tokens."""
        ids = []
        for token in regex.findall(self.pat, clean(text)):
            token = "".join(self.byte_encoder[b] for b in token.encode("utf-8"))
            ids.extend(self.encoder[t] for t in self.bpe(token).split(" "))
        return ids

    def tokenize(self, text, context_length=CONTEXT_LENGTH):
        """open_clip's tokenize(): start + ids cut to context_length-2 + end, padded with 0."""
        ids = [START] + self.encode(text)[:context_length - 2] + [END]
        return ids + [PAD] * (context_length - len(ids))


def hf_tokenizer_json() -> dict:
    """HF tokenizer.json (structure of openai/clip-vit-base-patch32's) for this vocab.

    Expects text cleaned as in clean() (the app does it: html-unescape is not expressible here).
    Post-processor adds start/end tokens; truncation/padding are the caller's (open_clip rules)."""
    vocab, merges = load_vocab()
    special = [("<start_of_text>", START), ("<end_of_text>", END)]
    split = PATTERN.replace("<start_of_text>|<end_of_text>|", "")
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": i, "content": c, "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": True, "special": True} for c, i in special],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"},
            {"type": "Replace", "pattern": {"Regex": r"\s+"}, "content": " "},
            {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": split}, "behavior": "Removed", "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
             "use_regex": False}]},
        "post_processor": {"type": "RobertaProcessing", "sep": ["<end_of_text>", END],
                           "cls": ["<start_of_text>", START], "trim_offsets": False,
                           "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                    "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<end_of_text>",
                  "continuing_subword_prefix": "", "end_of_word_suffix": "</w>",
                  "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": {v: i for i, v in enumerate(vocab)},
                  "merges": [f"{a} {b}" for a, b in merges]},
    }


def tokenizer_json_bytes() -> bytes:
    return json.dumps(hf_tokenizer_json(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
