/**
 * The bundle manifest (docs/bundle-format.md, schema version 1): a zod schema, the Manifest type,
 * and `parseManifest`, which throws an AppError('manifest-invalid') whose message names the first
 * bad field, e.g. `manifest.json: variants.fp16.image must be a string`.
 *
 * Beyond shapes it checks: every file the manifest names (variants, tokenizer, text embeddings,
 * references) is listed in `files`; file paths are relative and stay inside the bundle; the
 * embeddings file size matches count x embedDim x bytes per value. Unknown keys are ignored
 * (forward compatible); unknown variant names are dropped, since this app could not run them.
 */
import { z } from 'zod';
import type { PlanVariant, VariantName } from './backend-plan';
import { AppError } from './errors';
import { INTERPOLATIONS, RESIZE_MODES } from './preprocess/layout';

export type { VariantName };
export const VARIANT_NAMES: readonly VariantName[] = ['fp32', 'fp16', 'int8', 'q4'];

const ID_RE = /^[a-z0-9][a-z0-9._-]*$/;
const SHA_RE = /^[0-9a-f]{64}$/;
/** Control characters, and the bidirectional overrides that can make text read differently from what it is. */
const UNSAFE_TEXT_RE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A manifest is a few KB; one this large is not a model bundle's (refused before it is read). */
export const MAX_MANIFEST_BYTES = 1024 * 1024;
/** Files one manifest may list (a bundle has a few dozen). */
export const MAX_MANIFEST_FILES = 1000;
const MAX_ID_LENGTH = 100;
const MAX_NAME_LENGTH = 200;
const MAX_PATH_LENGTH = 255;

const str = z.string().min(1, 'must be a non-empty string');
const filePath = str.refine(isSafePath, 'must be a relative path inside the bundle (no "..", no leading "/", no "\\")');
/** Free text shown to the user (rendered as text, never markup): one line of reasonable length. */
const label = (max: number) => str.max(max, `must be at most ${max} characters`).refine((s) => !UNSAFE_TEXT_RE.test(s), 'must not contain control or text-direction characters');
const int = (min: number) => z.number().int('must be an integer').min(min, `must be at least ${min}`);
const rgb = z.array(z.number()).length(3, 'must be an array of 3 numbers');
const activation = z.enum(['gelu', 'quick_gelu']);

const variantSchema = z.object({
  image: filePath,
  /** The image graph's external weights (its initializers' `location`), when kept apart. */
  imageData: filePath.optional(),
  text: filePath,
  textData: filePath.optional(),
  dtype: str,
  requiredFeatures: z.array(z.string()).default([]),
  /**
   * How close this variant's embeddings are to the fp32 PyTorch model's, as the toolchain measured
   * them (worst cosine over its reference images and prompts), and on what.
   */
  fidelity: z.object({ image: z.number(), text: z.number(), measuredWith: z.string() }).optional(),
});

const fileEntry = z.object({
  bytes: int(0),
  sha256: z.string().regex(SHA_RE, 'must be 64 lowercase hex digits'),
});

export const manifestSchema = z.object({
  schemaVersion: z.literal(1, { error: 'must be 1 (this app reads bundle schema version 1)' }),
  id: z.string().max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`).regex(ID_RE, 'must match [a-z0-9][a-z0-9._-]* (lower case letters, digits, ".", "_", "-")'),
  name: label(MAX_NAME_LENGTH),
  demo: z.boolean(),
  license: z.object({ weights: str, data: str }),
  source: z.looseObject({
    /** fixture: seeded random weights; open_clip: exported by tools/model; checkpoint: converted in the browser. */
    kind: z.enum(['fixture', 'open_clip', 'checkpoint']),
    size: z.string().optional(),
    seed: z.number().optional(),
    hub: z.string().optional(),
    /** kind checkpoint: the checkpoint's file name and sha256 (lower-case hex). */
    file: z.string().optional(),
    sha256: z.string().regex(SHA_RE, 'must be 64 lowercase hex digits').optional(),
    /** The open_clip_config.json the bundle was built from (listed in files). */
    config: filePath.optional(),
  }),
  architecture: str,
  /** What the toolchain built, from the checkpoint's config (absent in bundles made before it). */
  model: z.looseObject({
    family: str,
    embedDim: int(1),
    vision: z.looseObject({ activation, width: int(1), layers: int(1), heads: int(1), mlpWidth: int(1), patchSize: int(1), imageSize: int(1) }),
    text: z.looseObject({ activation, width: int(1), layers: int(1), heads: int(1), mlpWidth: int(1), contextLength: int(1), vocabSize: int(1) }),
  }).optional(),
  embedDim: int(1),
  logitScale: z.number().positive('must be a positive number'),
  modelLogitScale: z.number().optional(),
  image: z.object({
    size: int(1),
    resize: z.enum(RESIZE_MODES),
    interpolation: z.enum(INTERPOLATIONS),
    crop: z.literal('center'),
    /** Padding value of every channel where resize 'longest' leaves the square uncovered. */
    fill: z.number().int('must be an integer').min(0, 'must be 0..255').max(255, 'must be 0..255').default(0),
    mean: rgb,
    std: rgb.refine((s) => s.every((v) => v > 0), 'must be 3 positive numbers'),
    input: str,
    output: str,
  }),
  text: z.object({ input: str, output: str, dynamicLength: z.boolean().default(false) }),
  tokenizer: z.object({
    kind: z.enum(['clip-bpe', 'wordpiece']),
    file: filePath,
    contextLength: int(3),
    padId: int(0),
    startId: int(0),
    endId: int(0),
    clean: z.string().default('open_clip'),
  }),
  variants: z.record(z.string(), z.unknown()),
  textEmbeddings: z.object({
    file: filePath,
    prompts: filePath,
    dtype: z.enum(['float16', 'float32']),
    count: int(0),
    sourceVariant: str,
    normalized: z.boolean(),
  }),
  references: filePath.optional(),
  files: z.record(z.string(), fileEntry),
});

export type Variant = z.infer<typeof variantSchema>;
type Parsed = z.infer<typeof manifestSchema>;
export type Manifest = Omit<Parsed, 'variants'> & { variants: Partial<Record<VariantName, Variant>> };
export type FileEntry = z.infer<typeof fileEntry>;

/**
 * A path that stays inside the bundle wherever it is used (a folder, a zip, a cache key): relative,
 * '/'-separated, no '.'/'..'/empty segment, no drive letter, no control characters, not too long.
 */
export function isSafePath(p: string): boolean {
  if (p.length === 0 || p.length > MAX_PATH_LENGTH || p.startsWith('/') || p.includes('\\') || /^[a-zA-Z]:/.test(p) || UNSAFE_TEXT_RE.test(p)) return false;
  return !p.split('/').some((s) => s === '..' || s === '.' || s === '');
}

function fail(path: string, msg: string): never {
  throw new AppError('manifest-invalid', `manifest.json: ${path ? `${path} ` : ''}${msg}`, 'The model bundle is broken or was made by an incompatible version of tools/model. Rebuild or re-download it.');
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let v = json;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

const A = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

function describeIssue(json: unknown, issue: z.core.$ZodIssue): string {
  const value = valueAt(json, issue.path);
  if (issue.code === 'invalid_type') {
    if (value === undefined && issue.path.length > 0) return 'is missing';
    const expected = issue.expected === 'int' ? 'integer' : issue.expected === 'record' ? 'object' : String(issue.expected);
    return `must be ${A(expected)}`;
  }
  if (issue.code === 'invalid_value') {
    if (value === undefined) return 'is missing';
    const vals = issue.values.map((v) => JSON.stringify(v));
    const base = vals.length === 1 ? `must be ${vals[0]}` : `must be one of ${vals.join(', ')}`;
    return issue.message.startsWith('must') ? `${issue.message} (got ${JSON.stringify(value)})` : `${base} (got ${JSON.stringify(value)})`;
  }
  return issue.message;
}

/** Validate a parsed manifest.json; throws AppError('manifest-invalid') naming the bad field. */
export function parseManifest(json: unknown): Manifest {
  const r = manifestSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    fail(pathText(issue.path), describeIssue(json, issue));
  }
  const m = r.data;
  const variants: Partial<Record<VariantName, Variant>> = {};
  for (const [name, raw] of Object.entries(m.variants)) {
    if (!(VARIANT_NAMES as readonly string[]).includes(name)) continue;
    const v = variantSchema.safeParse(raw);
    if (!v.success) {
      const issue = v.error.issues[0];
      fail(pathText(['variants', name, ...issue.path]), describeIssue(raw, issue));
    }
    variants[name as VariantName] = v.data;
  }
  if (Object.keys(variants).length === 0) fail('variants', `must name at least one of ${VARIANT_NAMES.join(', ')}`);

  const named: [string, string][] = [
    ['tokenizer.file', m.tokenizer.file],
    ['textEmbeddings.file', m.textEmbeddings.file],
    ['textEmbeddings.prompts', m.textEmbeddings.prompts],
  ];
  for (const [name, v] of Object.entries(variants)) {
    named.push([`variants.${name}.image`, v.image], [`variants.${name}.text`, v.text]);
    if (v.imageData) named.push([`variants.${name}.imageData`, v.imageData]);
    if (v.textData) named.push([`variants.${name}.textData`, v.textData]);
  }
  if (m.references) named.push(['references', m.references]);
  if (m.source.config) named.push(['source.config', m.source.config]);
  const listed = Object.keys(m.files);
  if (listed.length > MAX_MANIFEST_FILES) fail('files', `lists ${listed.length} files; a bundle may list at most ${MAX_MANIFEST_FILES}`);
  for (const [field, file] of named) if (!Object.hasOwn(m.files, file)) fail(field, `names "${file}", which is not listed in files`);
  for (const f of Object.keys(m.files)) if (!isSafePath(f)) fail(`files["${f}"]`, 'must be a relative path inside the bundle');

  const t = m.tokenizer;
  if (t.startId === t.endId) fail('tokenizer.endId', 'must differ from tokenizer.startId');
  if (m.model) {
    const agree: [string, number, string, number][] = [
      ['model.embedDim', m.model.embedDim, 'embedDim', m.embedDim],
      ['model.vision.imageSize', m.model.vision.imageSize, 'image.size', m.image.size],
      ['model.text.contextLength', m.model.text.contextLength, 'tokenizer.contextLength', t.contextLength],
    ];
    for (const [field, v, other, w] of agree) if (v !== w) fail(field, `is ${v} but ${other} is ${w}`);
  }
  const bytesPer = m.textEmbeddings.dtype === 'float16' ? 2 : 4;
  const want = m.textEmbeddings.count * m.embedDim * bytesPer;
  const got = m.files[m.textEmbeddings.file].bytes;
  if (got !== want) fail('textEmbeddings.count', `x embedDim x ${bytesPer} bytes = ${want}, but files["${m.textEmbeddings.file}"].bytes is ${got}`);
  return { ...m, variants };
}

/** A tower's graph file and, when its weights are kept apart, their file (the graph names it). */
export function towerFiles(v: Variant, tower: 'image' | 'text'): { graph: string; data?: string } {
  return tower === 'image' ? { graph: v.image, data: v.imageData } : { graph: v.text, data: v.textData };
}

/** The variant's record, or a manifest-invalid AppError when the bundle does not have it. */
export function variantOf(m: Manifest, name: VariantName): Variant {
  const v = m.variants[name];
  if (!v) throw new AppError('manifest-invalid', `The bundle "${m.id}" has no ${name} variant.`, `Choose one of: ${Object.keys(m.variants).join(', ')}.`);
  return v;
}

/** The bundle's variants with what each needs of a GPU, for the backend plan. */
export function variantsForPlan(m: Manifest): PlanVariant[] {
  return VARIANT_NAMES.flatMap((name) => {
    const v = m.variants[name];
    return v ? [{ name, requiredFeatures: v.requiredFeatures }] : [];
  });
}

/**
 * manifest.json's text -> its JSON value (what the bundle's identity is computed from) and the
 * validated manifest. `where` names it in messages (a path or URL).
 */
export function readManifest(text: string, where = 'manifest.json'): { json: unknown; manifest: Manifest } {
  if (text.length > MAX_MANIFEST_BYTES) throw new AppError('manifest-invalid', `${where} is ${text.length.toLocaleString('en')} characters long; a bundle manifest is at most ${MAX_MANIFEST_BYTES.toLocaleString('en')} bytes, so this is not one.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('manifest-invalid', `${where} is not valid JSON.`);
  }
  return { json, manifest: parseManifest(json) };
}

/** The checkpoint a bundle was converted from in the browser (named in every exported case), if it was. */
export function checkpointOf(m: Pick<Manifest, 'source'>): { file: string; sha256: string } | undefined {
  const { kind, file, sha256 } = m.source;
  return kind === 'checkpoint' && file && sha256 ? { file, sha256 } : undefined;
}
