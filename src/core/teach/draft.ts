/**
 * Making a pack (pure): each chosen photo, a saved case or a collection photo, with the answer the
 * teacher gave it becomes a pack case; a collection photo's answer, source and license are
 * prefilled from its true label (when it maps to an ontology leaf) and its metadata columns.
 */
import type { Label } from '../labels';
import { PACK_FORMAT, PACK_VERSION, type Pack, type PackCase } from './pack';

/** One chosen photo with the teacher's answer. */
export interface DraftCase {
  /** What the teacher sees (a file name), for messages. */
  name: string;
  /** The photo's MIME type ('' when unknown: the name's extension decides). */
  type: string;
  photoSha256: string;
  crop?: PackCase['crop'];
  labelId: string;
  notes: string;
  source: string;
  license: string;
}

export interface PackDraft {
  title: string;
  description: string;
  author: string;
  cases: readonly DraftCase[];
}

const EXT: Record<string, string> = { 'image/png': 'png', 'image/webp': 'webp', 'image/jpeg': 'jpg', 'image/heic': 'heic', 'image/heif': 'heif', 'image/avif': 'avif', 'image/bmp': 'bmp', 'image/gif': 'gif' };

/** The file extension of a photo in a pack: from its type, else its name, else jpg. */
export function photoExtension(type: string, name: string): string {
  const byType = EXT[type.toLowerCase()];
  if (byType) return byType;
  const m = /\.([A-Za-z0-9]{1,5})$/.exec(name);
  return m ? m[1].toLowerCase() : 'jpg';
}

/** A pack id from its title and the time it was made. */
export function packId(title: string, now: number): string {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'pack';
  return `${slug}-${now.toString(36)}`;
}

/**
 * The pack for a draft: case ids case-1..n, photos photos/case-i.<ext> (in draft order, so the
 * caller puts draft.cases[i]'s bytes at pack.cases[i].photo). Throws on an answer that is not a leaf.
 */
export function buildPack(draft: PackDraft, leaves: readonly Label[], now: number): Pack {
  const label = new Map(leaves.map((l) => [l.id, l]));
  const cases: PackCase[] = draft.cases.map((d, i) => {
    const l = label.get(d.labelId);
    if (!l) throw new Error(`Case "${d.name}": choose its diagnosis from the ontology.`);
    return {
      id: `case-${i + 1}`,
      photo: `photos/case-${i + 1}.${photoExtension(d.type, d.name)}`,
      photoSha256: d.photoSha256,
      diagnosis: { labelId: l.id, name: l.name },
      question: 'What is the most likely diagnosis?',
      notes: d.notes,
      source: d.source,
      license: d.license,
      ...(d.crop ? { crop: d.crop } : {}),
    };
  });
  return { format: PACK_FORMAT, version: PACK_VERSION, id: packId(draft.title, now), title: draft.title, description: draft.description, author: draft.author, createdAt: new Date(now).toISOString(), cases };
}

/** What a collection photo's answer starts as. */
export interface Prefill {
  labelId: string;
  source: string;
  license: string;
}

const LICENSE_COLUMN = /^(copyright[ _-]?)?licen[cs]e$/i;
const SOURCE_COLUMN = /^(attribution|source|credit|copyright)$/i;

function column(metadata: Readonly<Record<string, string>>, re: RegExp): string {
  for (const [k, v] of Object.entries(metadata)) if (re.test(k.trim()) && v.trim()) return v.trim();
  return '';
}

/**
 * A collection photo's prefill: the ontology leaf its true label maps to (`toLeaf`: dataset label
 * -> leaf label id; none when unlabelled or unmapped), the source from an attribution column or
 * else the collection and the photo's path, the license from a license column (else empty: the
 * teacher must say).
 */
export function collectionPrefill(
  entry: { path: string; label?: string; metadata: Readonly<Record<string, string>> },
  collectionName: string,
  toLeaf: ReadonlyMap<string, string>,
): Prefill {
  const attribution = column(entry.metadata, SOURCE_COLUMN);
  return {
    labelId: entry.label !== undefined ? (toLeaf.get(entry.label) ?? '') : '',
    source: attribution || `Collection “${collectionName}”: ${entry.path}`,
    license: column(entry.metadata, LICENSE_COLUMN),
  };
}

/** Dataset label -> leaf label id, from a mapping onto the leaf list (dataset label -> class index). */
export function leafOfLabels(toClass: ReadonlyMap<string, number>, leaves: readonly Label[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [raw, i] of toClass) if (leaves[i]) out.set(raw, leaves[i].id);
  return out;
}

/** What is missing before a pack can be saved (sentences), in form order. */
export function draftProblems(title: string, cases: readonly Pick<DraftCase, 'name' | 'labelId' | 'source' | 'license'>[]): string[] {
  const out: string[] = [];
  if (!title.trim()) out.push('Give the pack a title.');
  if (!cases.length) out.push('Choose at least one saved case or collection photo.');
  for (const c of cases) {
    if (!c.labelId) out.push(`Choose the diagnosis of “${c.name}”.`);
    if (!c.source.trim()) out.push(`Say where the photo “${c.name}” comes from.`);
    if (!c.license.trim()) out.push(`Give the license of the photo “${c.name}”.`);
  }
  return out;
}
