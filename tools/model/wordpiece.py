"""BERT WordPiece tokenization as Hugging Face's fast tokenizer does it, from a tokenizer.json.

DermLIP-PanDerm's text tower is PubMedBERT; open_clip's HFTokenizer (the Derm1M fork,
src/open_clip/tokenizer.py) runs `AutoTokenizer` (the Rust `tokenizers` BertTokenizerFast) on
text cleaned by `_clean_whitespace` and pads/truncates to the context length (256). Debian has
neither `tokenizers` nor `transformers`, so this is this toolchain's own implementation of what
they do for a BERT tokenizer.json:

- open_clip's clean ('whitespace'): ftfy.fix_text (here tokenizer.fix_text_lite, as for CLIP),
  html.unescape twice, strip, " ".join(text.split()). No lower-casing: the normalizer does it.
- added tokens ([PAD], [CLS], ... with normalized=false) are matched in the raw text first
  (leftmost, longest) and become their ids as they are;
- BertNormalizer, in the Rust order: clean_text (drop NUL, U+FFFD and every Cc/Cf/Cn/Co/Cs char
  but \\t \\n \\r; White_Space -> ' '), spaces around CJK ideographs, strip accents (NFD, drop
  Mn; on by default when lower-casing), lower-case each character on its own (so a final capital
  sigma becomes σ, never ς);
- BertPreTokenizer: split on White_Space, every punctuation char (Unicode P* or ASCII
  punctuation) a word of its own;
- WordPiece: a word longer than max_input_chars_per_word (100) chars is [UNK]; else greedy
  longest match from the left, continuation pieces with the `##` prefix, [UNK] for the whole word
  when some part matches nothing;
- [CLS] + the first context_length - 2 pieces + [SEP], padded with the pad id (0).
"""
import html
import json
import unicodedata

from tokenizer import fix_text_lite

# Rust char::is_whitespace (Unicode White_Space) plus \t \n \r
WHITE_SPACE = set("\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | {
    chr(c) for c in range(0x2000, 0x200B)}
CJK_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
              (0x2B740, 0x2B81F), (0x2B920, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


class TokenizerError(ValueError):
    pass


def clean_whitespace(text: str) -> str:
    """open_clip's `_clean_whitespace`: basic_clean (ftfy, html.unescape x2, strip) then
    whitespace_clean (" ".join(text.split()))."""
    text = html.unescape(html.unescape(fix_text_lite(text))).strip()
    return " ".join(text.split()).strip()


def is_control(c):
    return c not in "\t\n\r" and unicodedata.category(c)[0] == "C"


def is_cjk(c):
    cp = ord(c)
    return any(lo <= cp <= hi for lo, hi in CJK_RANGES)


def is_punctuation(c):
    return c in ASCII_PUNCT or unicodedata.category(c).startswith("P")


class WordPieceTokenizer:
    """A BERT tokenizer.json (WordPiece model, BertNormalizer, BertPreTokenizer, [CLS]/[SEP]
    post-processing). Anything else is refused with a TokenizerError naming the part."""
    kind = "wordpiece"
    clean_name = "whitespace"

    def __init__(self, tj: dict):
        if not isinstance(tj, dict) or not isinstance(tj.get("model"), dict):
            raise TokenizerError("tokenizer.json has no model")
        model = tj["model"]
        if model.get("type") != "WordPiece":
            raise TokenizerError(f"tokenizer.json model.type is {model.get('type')!r}, not 'WordPiece'")
        self.vocab = dict(model["vocab"])
        self.unk_token = model.get("unk_token", "[UNK]")
        if self.unk_token not in self.vocab:
            raise TokenizerError(f"the unknown token {self.unk_token!r} is not in the vocabulary")
        self.prefix = model.get("continuing_subword_prefix", "##")
        self.max_chars = model.get("max_input_chars_per_word", 100)
        norm = tj.get("normalizer") or {}
        if norm.get("type") != "BertNormalizer":
            raise TokenizerError(f"tokenizer.json normalizer is {norm.get('type')!r}, not BertNormalizer")
        self.clean_text = norm.get("clean_text", True)
        self.chinese = norm.get("handle_chinese_chars", True)
        self.lowercase = norm.get("lowercase", True)
        strip = norm.get("strip_accents")
        self.strip_accents = self.lowercase if strip is None else strip
        pre = tj.get("pre_tokenizer") or {}
        if pre.get("type") != "BertPreTokenizer":
            raise TokenizerError(f"tokenizer.json pre_tokenizer is {pre.get('type')!r}, not BertPreTokenizer")
        self.added = {}
        for t in tj.get("added_tokens") or []:
            if t.get("normalized") or t.get("lstrip") or t.get("rstrip") or t.get("single_word"):
                raise TokenizerError(f"added token {t.get('content')!r}: only plain added tokens "
                                     "(normalized, lstrip, rstrip, single_word all false) are supported")
            self.added[t["content"]] = t["id"]
        self.start_id, self.end_id = self._specials(tj.get("post_processor") or {})
        pad = tj.get("padding")
        if pad and "pad_id" in pad:
            self.pad_id = pad["pad_id"]
        elif "[PAD]" in self.vocab:
            self.pad_id = self.vocab["[PAD]"]
        else:
            raise TokenizerError("no pad id: tokenizer.json has no padding.pad_id and no [PAD] token")
        self._json = tj

    def _specials(self, post):
        kind = post.get("type")
        if kind == "BertProcessing":
            return post["cls"][1], post["sep"][1]
        if kind == "TemplateProcessing":
            single = post.get("single") or []
            shape = [next(iter(p)) for p in single]
            if shape != ["SpecialToken", "Sequence", "SpecialToken"]:
                raise TokenizerError(f"post_processor.single must be [CLS] $A [SEP], not {single}")
            ids = [post["special_tokens"][single[i]["SpecialToken"]["id"]]["ids"] for i in (0, 2)]
            if any(len(x) != 1 for x in ids):
                raise TokenizerError("post_processor special tokens must be one id each")
            return ids[0][0], ids[1][0]
        raise TokenizerError(f"tokenizer.json post_processor is {kind!r}, not TemplateProcessing or BertProcessing")

    @classmethod
    def from_file(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls(json.load(f))

    # ------------------------------------------------------------------ pipeline

    def normalize(self, text):
        if self.clean_text:
            text = "".join(" " if c in WHITE_SPACE else c for c in text
                           if c not in "\x00\ufffd" and not is_control(c))
        if self.chinese:
            text = "".join(f" {c} " if is_cjk(c) else c for c in text)
        if self.strip_accents:
            text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
        if self.lowercase:
            text = "".join(c.lower() for c in text)  # per character, as Rust's char::to_lowercase
        return text

    @staticmethod
    def pre_tokenize(text):
        words, cur = [], []
        for c in text:
            if c in WHITE_SPACE:
                if cur:
                    words.append("".join(cur))
                cur = []
            elif is_punctuation(c):
                if cur:
                    words.append("".join(cur))
                words.append(c)
                cur = []
            else:
                cur.append(c)
        if cur:
            words.append("".join(cur))
        return words

    def wordpiece(self, word):
        if len(word) > self.max_chars:
            return [self.unk_token]
        pieces, start = [], 0
        while start < len(word):
            end, piece = len(word), None
            while start < end:
                sub = word[start:end] if start == 0 else self.prefix + word[start:end]
                if sub in self.vocab:
                    piece = sub
                    break
                end -= 1
            if piece is None:
                return [self.unk_token]
            pieces.append(piece)
            start = end
        return pieces

    def _split_added(self, text):
        """[(segment, None) | (token, id)]: added tokens matched leftmost-longest in raw text."""
        out, i, last = [], 0, 0
        names = sorted(self.added, key=len, reverse=True)
        while i < len(text):
            hit = next((n for n in names if text.startswith(n, i)), None)
            if hit is None:
                i += 1
                continue
            if last < i:
                out.append((text[last:i], None))
            out.append((hit, self.added[hit]))
            i = last = i + len(hit)
        if last < len(text):
            out.append((text[last:], None))
        return out

    def tokens(self, cleaned):
        """Token strings of already-cleaned text, without [CLS]/[SEP]."""
        out = []
        for seg, special in self._split_added(cleaned):
            if special is not None:
                out.append(seg)
                continue
            for word in self.pre_tokenize(self.normalize(seg)):
                out.extend(self.wordpiece(word))
        return out

    def encode(self, text):
        """Piece ids of the cleaned text, without [CLS]/[SEP]."""
        return [self.added.get(t, self.vocab.get(t)) for t in self.tokens(clean_whitespace(text))]

    def tokenize(self, text, context_length=256):
        """open_clip's HFTokenizer: [CLS] + pieces cut to context_length - 2 + [SEP], padded."""
        ids = [self.start_id] + self.encode(text)[:context_length - 2] + [self.end_id]
        return ids + [self.pad_id] * (context_length - len(ids))

    # ------------------------------------------------------------------ bundle

    def json_bytes(self):
        """The tokenizer.json shipped in the bundle (truncation and padding are the app's)."""
        tj = {**self._json, "truncation": None, "padding": None}
        return json.dumps(tj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def manifest(self, context_length):
        return {"kind": "wordpiece", "file": "tokenizer.json", "contextLength": context_length,
                "padId": self.pad_id, "startId": self.start_id, "endId": self.end_id,
                "clean": self.clean_name}
