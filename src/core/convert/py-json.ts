/**
 * JSON as Python's json module reads and writes it, for files the converter must give back byte
 * for byte as the toolchain writes them: objects keep their keys in file order (a JS object puts
 * integer-like keys such as a vocabulary's "0".."9" first), and `pyDumps` writes
 * json.dumps(value, ensure_ascii=False, separators=(",", ":")): compact, non-ASCII as is, ints
 * as ints, floats as Python's repr.
 */

/** An object with its keys in order (a repeated key keeps its first place and takes the last value, as a dict does). */
export class PyObject {
  readonly entries: [string, PyValue][] = [];

  get(key: string): PyValue | undefined {
    return this.entries.find(([k]) => k === key)?.[1];
  }

  has(key: string): boolean {
    return this.entries.some(([k]) => k === key);
  }

  set(key: string, value: PyValue): this {
    const e = this.entries.find(([k]) => k === key);
    if (e) e[1] = value;
    else this.entries.push([key, value]);
    return this;
  }
}

/** A float (a number written with '.' or an exponent), kept apart from ints as Python does. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyValue = null | boolean | number | string | PyFloat | PyValue[] | PyObject;

/** Parse JSON text; throws a SyntaxError on anything that is not JSON. */
export function pyLoads(text: string): PyValue {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at character ${i}`);
  };
  const value = (): PyValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const o = new PyObject();
      ws();
      if (text[i] === '}') return i++, o;
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const k = str();
        ws();
        if (text[i++] !== ':') fail('expected ":"');
        o.set(k, value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return i++, o;
        else fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const a: PyValue[] = [];
      ws();
      if (text[i] === ']') return i++, a;
      for (;;) {
        a.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return i++, a;
        else fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) return (i += word.length), v;
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (!m) fail('unexpected character');
    i += m![0].length;
    return m![1] || m![2] ? new PyFloat(Number(m![0])) : Number(m![0]);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const v = value();
  ws();
  if (i !== text.length) fail('extra data');
  return v;
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

const pyStr = (s: string) => `"${s.replace(/["\\\u0000-\u001f]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;

/** Python's float repr: shortest round-trip digits, fixed notation for 1e-4 <= |x| < 1e16, else d.ddde±XX. */
function pyFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  const a = Math.abs(x);
  if (a === 0 || (a >= 1e-4 && a < 1e16)) {
    const s = String(x);
    return /[.e]/.test(s) ? s : `${s}.0`;
  }
  return x.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
}

export function pyDumps(v: PyValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return pyStr(v);
  if (v instanceof PyFloat) return pyFloat(v.value);
  if (Array.isArray(v)) return `[${v.map(pyDumps).join(',')}]`;
  return `{${v.entries.map(([k, x]) => `${pyStr(k)}:${pyDumps(x)}`).join(',')}}`;
}
