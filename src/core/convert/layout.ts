/**
 * layout.json (written by tools/model/convert_assets.py, shipped gzipped in public/convert/<arch>/):
 * for every graph and weights file of a bundle, which initializer goes where (offset, length) and
 * how its bytes are made from the checkpoint (open_clip key, transposed or not, recipe). Graph
 * files are the shipped skeleton with the small inline initializers written in place; weights
 * files are the writes at their offsets, zeros between (alignment padding). A write's key is a
 * checkpoint tensor, or one of `derived`: an initializer torch's exporter folded from several
 * tensors (DermLIP-PanDerm: CAE's qkv bias = q_bias, zeros, v_bias; BERT's token-type row 0),
 * made by concatenating its parts (a whole tensor flattened, one row of a 2-D tensor, or zeros).
 */
import { z } from 'zod';
import { AppError } from '../errors';
import { RECIPES } from './recipes';

const nat = z.number().int().min(0);

const writeSchema = z.object({
  name: z.string(),
  key: z.string(),
  transpose: z.boolean(),
  recipe: z.enum(RECIPES),
  dtype: z.enum(['float32', 'float16', 'int8', 'uint8']),
  dims: z.array(nat),
  offset: nat,
  length: nat,
});

const partSchema = z.union([z.strictObject({ key: z.string(), row: nat.optional() }), z.strictObject({ zeros: nat })]);

const fileSchema = z.object({
  name: z.string().regex(/^(image|text)\.(fp32|fp16|int8|q4)\.onnx(\.data)?$/),
  kind: z.enum(['graph', 'data']),
  bytes: nat,
  skeletonSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  writes: z.array(writeSchema),
});

const layoutSchema = z.object({
  format: z.literal(1),
  architecture: z.string(),
  model: z.looseObject({ family: z.string(), embedDim: nat }),
  tensors: z.record(z.string(), z.array(nat)),
  equal: z.array(z.array(z.string())),
  files: z.array(fileSchema),
  derived: z.record(z.string(), z.array(partSchema).min(1)).optional(),
});

export type LayoutWrite = z.infer<typeof writeSchema>;
export type LayoutFile = z.infer<typeof fileSchema>;
export type ConvertLayout = z.infer<typeof layoutSchema>;
export type DerivedPart = z.infer<typeof partSchema>;

function broken(why: string): never {
  throw new AppError('internal', `The converter's layout file is broken: ${why}.`, 'Reload the app (it may be half updated).');
}

/** Validate a parsed layout.json: shapes, and every write inside its file, in order, without overlap. */
export function parseLayout(json: unknown): ConvertLayout {
  const r = layoutSchema.safeParse(json);
  if (!r.success) broken(`${r.error.issues[0].path.join('.')} ${r.error.issues[0].message}`);
  const layout = r.data;
  for (const [name, parts] of Object.entries(layout.derived ?? {})) {
    if (Object.hasOwn(layout.tensors, name)) broken(`derived ${name} has the name of a tensor`);
    for (const p of parts) {
      if (!('key' in p)) continue;
      const shape = Object.hasOwn(layout.tensors, p.key) ? layout.tensors[p.key] : null;
      if (!shape) broken(`derived ${name} is made from ${p.key}, which is not a tensor of the architecture`);
      if (p.row !== undefined && (shape.length !== 2 || p.row >= shape[0])) broken(`derived ${name}: ${p.key} has no row ${p.row}`);
    }
  }
  for (const f of layout.files) {
    let at = 0;
    for (const w of [...f.writes].sort((a, b) => a.offset - b.offset)) {
      if (w.offset < at || w.offset + w.length > f.bytes) broken(`${f.name}: ${w.name} overlaps or lies outside the file`);
      if (!Object.hasOwn(layout.tensors, w.key) && !Object.hasOwn(layout.derived ?? {}, w.key)) broken(`${f.name}: ${w.name} comes from ${w.key}, which is not a tensor of the architecture`);
      at = w.offset + w.length;
    }
    if (f.kind === 'graph' && !f.skeletonSha256) broken(`${f.name} has no skeleton sha256`);
  }
  return layout;
}
