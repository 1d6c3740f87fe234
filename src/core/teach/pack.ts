/**
 * Teaching packs: a set of cases with their answers (a diagnosis from the ontology, the teacher's
 * notes, the photo's source and license), as one file: a zip holding `pack.json` and the photos.
 * This module is the schema and its checks (pure); zipping and storing are storage's.
 */
import { z } from 'zod';
import { AppError } from '../errors';

export const PACK_FORMAT = 'dermlip-teaching-pack';
export const PACK_VERSION = 1;
export const MAX_PACK_CASES = 500;
export const MAX_TEXT = 4000;

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);
const safeName = z
  .string()
  .min(1)
  .max(200)
  .refine((p) => /^photos\/[A-Za-z0-9._-]+$/.test(p) && !p.includes('..'), 'must be photos/<name> (letters, digits, ".", "_", "-")');

const packCase = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "_" or "-"'),
  photo: safeName,
  photoSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
  /** The answer: a leaf label of the ontology (its id and its name when the pack was made). */
  diagnosis: z.object({ labelId: text(200).min(1), name: text(300).min(1) }),
  question: text(500).default('What is the most likely diagnosis?'),
  notes: text(MAX_TEXT).default(''),
  source: text(500).min(1, 'must say where the photo comes from'),
  license: text(200).min(1, "must give the photo's license"),
  /** Square region to show, in original pixels; absent: the whole photo. */
  crop: z.object({ x: z.number().int().min(0), y: z.number().int().min(0), size: z.number().int().min(1) }).optional(),
});

export const packSchema = z.object({
  format: z.literal(PACK_FORMAT, { error: `must be "${PACK_FORMAT}"` }),
  version: z.literal(PACK_VERSION, { error: `must be ${PACK_VERSION} (this app reads teaching pack version ${PACK_VERSION})` }),
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1-64 lower case letters, digits, ".", "_" or "-"'),
  title: text(200).min(1, 'must not be empty'),
  description: text(MAX_TEXT).default(''),
  author: text(200).default(''),
  createdAt: z.string().min(1),
  cases: z.array(packCase).min(1, 'must hold at least one case').max(MAX_PACK_CASES, `must hold at most ${MAX_PACK_CASES} cases`),
});

export type Pack = z.infer<typeof packSchema>;
export type PackCase = z.infer<typeof packCase>;

function refuse(message: string): never {
  throw new AppError('input-invalid', `This teaching pack cannot be opened: ${message}.`, 'Export the pack again from DermLIP Explorer, or ask its author for a new copy.');
}

/**
 * Validate a parsed pack.json against the photos the file holds and the diagnoses this app knows:
 * every case's photo present, ids unique, every answer a known leaf label.
 */
export function parsePack(json: unknown, photos: ReadonlySet<string>, knownLabels: ReadonlySet<string>): Pack {
  const r = packSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    refuse(`pack.json ${issue.path.join('.') || '(root)'} ${issue.message}`);
  }
  const pack = r.data;
  const ids = new Set<string>();
  for (const c of pack.cases) {
    if (ids.has(c.id)) refuse(`two cases have the id "${c.id}"`);
    ids.add(c.id);
    if (!photos.has(c.photo)) refuse(`case "${c.id}" names ${c.photo}, which is not in the file`);
    if (!knownLabels.has(c.diagnosis.labelId)) refuse(`case "${c.id}" has the answer "${c.diagnosis.name}" (${c.diagnosis.labelId}), which is not a diagnosis of this app's ontology`);
  }
  return pack;
}
