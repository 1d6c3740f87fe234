/**
 * open_clip's text cleaning (`_clean_lower`): ftfy.fix_text, HTML-unescape twice, collapse
 * whitespace, trim, lower case.
 *
 * ftfy is not available to either side, so both (this file and tools/model/tokenizer.py, which
 * made the shipped embeddings) use `fixText`: the parts of ftfy's defaults that change real
 * prompts (curly quotes: `sweet’s syndrome` -> `sweet's syndrome`, which tokenises as `'s`;
 * ligatures; full-width forms; control characters) and NFC. Not replicated: mojibake repair. Whitespace follows Python: the collapse uses the `regex` module's `\s` (Unicode
 * White_Space, with U+0085, without U+FEFF), strip() uses str.isspace (also U+001C..U+001F).
 */
import { htmlUnescape } from './html-unescape';

const SINGLE_QUOTES = /[\u02bc\u2018-\u201b]/g;
const DOUBLE_QUOTES = /[\u201c-\u201f]/g;
const LIGATURES: Record<string, string> = {
  '\u0132': 'IJ', '\u0133': 'ij', '\u0149': "\u02bcn", '\u01c7': 'LJ', '\u01c8': 'Lj', '\u01c9': 'lj', '\u01ca': 'NJ', '\u01cb': 'Nj', '\u01cc': 'nj',
  '\ufb00': 'ff', '\ufb01': 'fi', '\ufb02': 'fl', '\ufb03': 'ffi', '\ufb04': 'ffl', '\ufb05': '\u017ft', '\ufb06': 'st',
};
const LIGATURE_RE = /[\u0132\u0133\u0149\u01c7-\u01cc\ufb00-\ufb06]/g;
const WIDE_RE = /[\u3000\uff01-\uff5e\uffe0-\uffee]/g;
const CONTROL_RE = /[\x00-\x08\x0b\x0e-\x1b\x7f\u206a-\u206f\ufeff\ufff9-\ufffc]/g;
// `regex.sub(r"\s+", " ")` in tools/model: Unicode White_Space (no U+001C..U+001F)
const PY_WS = /[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
// str.strip(): str.isspace, which adds U+001C..U+001F
const PY_WS_EDGE = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** The parts of ftfy.fix_text that matter for prompts (see the header). */
export function fixText(s: string): string {
  return s
    .replace(CONTROL_RE, '')
    .replace(LIGATURE_RE, (c) => LIGATURES[c] ?? c)
    .replace(WIDE_RE, (c) => c.normalize('NFKC'))
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .normalize('NFC');
}

export function pyStrip(s: string): string {
  return s.replace(PY_WS_EDGE, '');
}

/** open_clip `_clean_lower`: whitespace_clean(basic_clean(text)).lower(). */
export function cleanOpenClip(text: string): string {
  const basic = pyStrip(htmlUnescape(htmlUnescape(fixText(text))));
  return pyStrip(basic.replace(PY_WS, ' ')).toLowerCase();
}

// str.split() with no argument splits on str.isspace characters (the PY_WS_EDGE class)
const PY_SPACE_RUN = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;

/**
 * open_clip `_clean_whitespace` (HFTokenizer's default, DermLIP-PanDerm): basic_clean (ftfy, HTML
 * unescape twice, strip) then `" ".join(text.split())`. No lower-casing: the BERT normalizer does it.
 */
export function cleanWhitespace(text: string): string {
  const basic = pyStrip(htmlUnescape(htmlUnescape(fixText(text))));
  return pyStrip(basic.replace(PY_SPACE_RUN, ' '));
}
