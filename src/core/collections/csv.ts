/**
 * CSV reading for dataset label files (HAM10000 metadata, ISIC exports, the user's own sheets):
 * RFC 4180 quoting (a quoted field may hold the separator, "" for a quote, and line breaks), LF or
 * CRLF line ends, a UTF-8 byte order mark, and comma, semicolon or tab separators (detected from
 * the header line, as spreadsheet exports differ by locale). Every malformed line is named.
 */
import { AppError } from '../errors';

export interface CsvTable {
  /** Column names, trimmed, as in the header line. */
  columns: string[];
  /** One array of fields per data line, each as long as `columns`. */
  rows: string[][];
  separator: ',' | ';' | '\t';
}

/** Label files larger than this are refused (HAM10000's metadata is 0.6 MB; ISIC's full export ~ 60 MB). */
export const MAX_CSV_CHARS = 200_000_000;

/** The separator of the header line: the candidate that occurs most often outside quotes. */
export function detectSeparator(text: string): CsvTable['separator'] {
  const counts: Record<CsvTable['separator'], number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && (c === ',' || c === ';' || c === '\t')) counts[c]++;
  }
  if (counts['\t'] > counts[','] && counts['\t'] >= counts[';']) return '\t';
  if (counts[';'] > counts[',']) return ';';
  return ',';
}

/** Split CSV text into records of raw fields (no header handling). */
function records(text: string, sep: string, name: string): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  let fieldWasQuoted = false;
  const endField = () => {
    fields.push(fieldWasQuoted ? field : field.trim());
    field = '';
    fieldWasQuoted = false;
  };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === '')) out.push({ fields, line: startLine });
    fields = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (field.trim() !== '') throw new AppError('input-invalid', `${name}, line ${line}: a quote (") in the middle of a field; quote the whole field instead.`);
      field = '';
      quoted = true;
      fieldWasQuoted = true;
    } else if (c === sep) endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      startLine = line;
    } else if (fieldWasQuoted) {
      if (c !== ' ') throw new AppError('input-invalid', `${name}, line ${line}: text after a closing quote.`);
    } else field += c;
  }
  if (quoted) throw new AppError('input-invalid', `${name}: a quoted field opened on line ${startLine} is never closed.`);
  if (field !== '' || fields.length > 0 || fieldWasQuoted) endRecord();
  return out;
}

/** Parse a CSV file's text. `name` is used in error messages. */
export function parseCsv(text: string, name = 'The CSV file'): CsvTable {
  if (text.length > MAX_CSV_CHARS) throw new AppError('input-invalid', `${name} is too large (${(text.length / 1e6).toFixed(0)} million characters; the limit is ${MAX_CSV_CHARS / 1e6} million).`);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const sep = detectSeparator(text);
  const recs = records(text, sep, name);
  if (recs.length === 0) throw new AppError('input-invalid', `${name} is empty.`);
  const columns = recs[0].fields.map((c) => c.trim());
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (!c) throw new AppError('input-invalid', `${name}: column ${i + 1} of the header line has no name.`);
    if (seen.has(c)) throw new AppError('input-invalid', `${name}: the header names the column "${c}" twice.`);
    seen.add(c);
  });
  const rows: string[][] = [];
  for (const r of recs.slice(1)) {
    if (r.fields.length !== columns.length) {
      throw new AppError('input-invalid', `${name}, line ${r.line}: ${r.fields.length} fields, but the header has ${columns.length} columns.`, 'Check for a missing or extra separator on that line.');
    }
    rows.push(r.fields);
  }
  return { columns, rows, separator: sep };
}
