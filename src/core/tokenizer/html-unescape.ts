/**
 * A port of Python's `html.unescape` (what open_clip's text cleaning relies on): numeric
 * references `&#NN;` / `&#xHH;` (semicolon optional; C1 codes map through cp1252, NUL and
 * surrogates become U+FFFD, other invalid code points vanish) and named references from the full
 * HTML5 table (html-entities.json, 2125 names, 12 KB gzipped); the 106 legacy names also match
 * without a semicolon and as a prefix (`&ampx` -> `&x`). Unknown names are left as they are.
 */
import entities from './html-entities.json';

const NAMED = new Map<string, string>(Object.entries(entities.semicolon));
const LEGACY = new Map<string, string>(entities.legacy.map((n): [string, string] => [n, entities.semicolon[n as keyof typeof entities.semicolon]]));

// cp1252 for C1 code points 0x80..0x9f, as Python's html module maps them.
const CP1252 = '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178';

function invalidCodePoint(n: number): boolean {
  return (n >= 0x1 && n <= 0x8) || n === 0xb || (n >= 0xe && n <= 0x1f) || (n >= 0x7f && n <= 0x9f) || (n >= 0xfdd0 && n <= 0xfdef) || (n & 0xfffe) === 0xfffe;
}

function numeric(body: string): string {
  const hex = body[1] === 'x' || body[1] === 'X';
  const digits = body.slice(hex ? 2 : 1).replace(/;$/, '');
  const n = parseInt(digits, hex ? 16 : 10);
  if (n === 0) return '\ufffd';
  if (n === 0x0d) return '\r';
  if (n >= 0x80 && n <= 0x9f) return CP1252[n - 0x80];
  if ((n >= 0xd800 && n <= 0xdfff) || n > 0x10ffff || !Number.isFinite(n)) return '\ufffd';
  if (invalidCodePoint(n)) return '';
  return String.fromCodePoint(n);
}

function named(body: string): string {
  if (body.endsWith(';')) {
    const v = NAMED.get(body.slice(0, -1));
    if (v !== undefined) return v;
  }
  // Longest legacy prefix, as Python does for `&ampfoo` or `&amp` without ';'.
  for (let x = body.length - (body.endsWith(';') ? 1 : 0); x > 1; x--) {
    const v = LEGACY.get(body.slice(0, x));
    if (v !== undefined) return v + body.slice(x);
  }
  return `&${body}`;
}

const CHARREF = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/g;

export function htmlUnescape(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(CHARREF, (_m, body: string) => (body[0] === '#' ? numeric(body) : named(body)));
}
