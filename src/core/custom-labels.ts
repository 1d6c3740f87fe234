/**
 * The user's own label list, pasted or typed: one label per line (or separated by commas or
 * semicolons); 'a | b' makes one label with two names (aliases), whose prompts are averaged.
 *
 * Every name goes through the text model once per prompt template (8 or 9), so the list is capped
 * where that work stays bounded: CUSTOM_LABEL_LIMITS (labels, names per label, names in all, name
 * length, text length), each refusal naming the label and the limit. Names are cleaned (Unicode
 * NFC, invisible and direction-control characters removed, whitespace collapsed); empty ones are
 * skipped; duplicates (case-insensitive) are dropped and counted. Names stay plain text: the app
 * renders them as text only, never as markup.
 */
import { AppError } from './errors';
import type { Label } from './prompts';

export const CUSTOM_LABEL_LIMITS = {
  /** Labels in one list. */
  labels: 1000,
  /** Names of one label (the label and its | aliases). */
  namesPerLabel: 20,
  /** Names in the whole list: each becomes one prompt per template (at most 9 templates). */
  names: 2000,
  /** Characters of one name (the text model reads at most 75 words). */
  nameLength: 200,
  /** Characters of the whole text. */
  textLength: 500_000,
} as const;

/** The most prompts a custom list can ask of the text model (the largest template set has 9). */
export const MAX_CUSTOM_PROMPTS = CUSTOM_LABEL_LIMITS.names * 9;

export interface CustomLabelList {
  labels: Label[];
  /** Names in all (labels and aliases). */
  names: number;
  /** Labels dropped because an earlier one has the same name (case-insensitive). */
  duplicates: number;
}

const n = (x: number) => x.toLocaleString('en-US');

/** Soft hyphen, zero-width space, direction marks/embeddings/overrides/isolates, word joiner, BOM. */
const INVISIBLE = /[\u00ad\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const VISIBLE = /[\p{L}\p{N}\p{S}\p{P}]/u;

/** One name as the app keeps it; '' when nothing visible is left. */
export function cleanLabelName(s: string): string {
  const t = s.normalize('NFC').replace(INVISIBLE, '').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  return VISIBLE.test(t) ? t : '';
}

function chars(s: string): number {
  let k = 0;
  for (const _ of s) k++;
  return k;
}

/** The start of a name for a message (40 characters at most). */
function preview(s: string): string {
  const cps = [...s.slice(0, 200)];
  return cps.length > 40 ? `${cps.slice(0, 40).join('')}…` : cps.join('');
}

function refuse(message: string, hint?: string): never {
  throw new AppError('input-invalid', message, hint);
}

export function parseCustomLabelList(text: string): CustomLabelList {
  const L = CUSTOM_LABEL_LIMITS;
  if (text.length > L.textLength) refuse(`The label list is ${n(text.length)} characters long; the limit is ${n(L.textLength)}.`, 'Paste a shorter list.');
  const seen = new Set<string>();
  const labels: Label[] = [];
  let names = 0;
  let duplicates = 0;
  for (const item of text.split(/[\n\r,;]+/)) {
    const aliases: string[] = [];
    const keys = new Set<string>();
    for (const part of item.split('|')) {
      const a = cleanLabelName(part);
      if (a && !keys.has(a.toLowerCase())) {
        keys.add(a.toLowerCase());
        aliases.push(a);
      }
    }
    if (aliases.length === 0) continue;
    const which = `Label ${n(labels.length + duplicates + 1)} ("${preview(aliases[0])}")`;
    const long = aliases.find((a) => chars(a) > L.nameLength);
    if (long) refuse(`${which}: the name "${preview(long)}" is ${n(chars(long))} characters long; the limit is ${L.nameLength} per name.`, 'Shorten it: the text model reads at most 75 words.');
    if (aliases.length > L.namesPerLabel) refuse(`${which} has ${n(aliases.length)} names (separated by |); the limit is ${L.namesPerLabel} per label.`, 'Keep the few names that matter most.');
    const key = aliases[0].toLowerCase();
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    if (labels.length === L.labels) refuse(`The list has more than ${n(L.labels)} labels; the limit is ${n(L.labels)}.`, 'Split it into smaller lists.');
    names += aliases.length;
    if (names > L.names) {
      refuse(
        `The list has more than ${n(L.names)} names (labels and their | aliases together, reached at ${which}); the limit is ${n(L.names)}, at most ${n(MAX_CUSTOM_PROMPTS)} prompts for the text model.`,
        'Use fewer aliases per label, or fewer labels.',
      );
    }
    labels.push({ id: `custom:${labels.length}`, name: aliases[0], aliases });
  }
  if (labels.length < 2) {
    refuse(labels.length === 0 ? 'The label list is empty.' : 'The label list has only one label; ranking needs at least two.', 'Enter one label per line, or separate them with commas or semicolons.');
  }
  return { labels, names, duplicates };
}
