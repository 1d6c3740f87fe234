"""What a DermLIP-PanDerm bundle holds beyond the B/16 one: its Arch (bundle.py) and tokenizer."""
import bundle
import panderm
import panderm_config
import prompts as prompts_mod
import references as references_mod
import wordpiece
import wordpiece_vocab

# Reference prompts beyond the B/16 ones, for what WordPiece does differently: truncation at 256
# (the [SEP] kept), added tokens written in the text, a 100 / 101 char word, a final capital sigma
# and a dotted capital I, an astral CJK ideograph, an unassigned code point, a zero-width space,
# ASCII symbols BERT counts as punctuation, non-ASCII punctuation.
WORDPIECE_PROMPTS = [
    " ".join(["lesion"] * 300),
    "a [MASK] on the [CLS] skin, not a [mask]",
    "y" * 100 + " " + "z" * 101,
    "ΣΟΦΙΑΣ ΟΔΟΣ and İstanbul",
    "astral x\U00020000y and ab\U0002B820cd",  # CJK Ext B (spaced) and U+2B820 (not CJK for Rust)
    "unassigned \u0378 code point",
    "zero\u200bwidth space",
    "[brackets] {braces} $5 + 3 = 8 ^_^ `code` |pipe| ~tilde",
    "«guillemets» — em dash … ellipsis ¿qué? ¡sí!",
]
REF_PROMPTS = references_mod.PROMPTS + WORDPIECE_PROMPTS


def fixture_tokenizer():
    """The fixtures' WordPiece tokenizer: a vocab built from the shipped prompt table."""
    return wordpiece.WordPieceTokenizer(wordpiece_vocab.fixture_tokenizer_json(prompts_mod.build_prompts()))


def check_tokenizer(tok, cfg: panderm.PanDermConfig):
    """The tokenizer's ids must exist in the model's embedding table and its pad id be the model's."""
    top = max(max(tok.vocab.values()), max(tok.added.values(), default=0))
    if top >= cfg.vocab_size:
        raise wordpiece.TokenizerError(f"the tokenizer has id {top}, the text model only {cfg.vocab_size} embeddings")
    if tok.pad_id != cfg.pad_id:
        raise wordpiece.TokenizerError(f"the tokenizer pads with {tok.pad_id}, the text model masks {cfg.pad_id} "
                                       "(hf_text_config.pad_token_id)")


def arch(cfg: panderm.PanDermConfig, tok: wordpiece.WordPieceTokenizer) -> bundle.Arch:
    check_tokenizer(tok, cfg)
    s, e, p = tok.start_id, tok.end_id, tok.pad_id
    a, b = sorted(set(tok.vocab.values()) - {s, e, p})[10:12]
    example = [[s, a, b, a, b, e, p], [s, a, e, p, p, p, p]]
    return bundle.Arch(panderm.DermLIPPanDerm.ARCHITECTURE, panderm_config.manifest_model(cfg), tok, example,
                       REF_PROMPTS)
