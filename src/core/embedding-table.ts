/**
 * The shipped text embeddings: rows of `text-embeddings.f16.bin` ([count, dim] little-endian f16,
 * each row L2-normalised before rounding) keyed by the exact prompt strings of prompts.json.
 * A float16 table stays float16 in memory (half the bytes of float32: 6.4 MB instead of 12.9 MB
 * for the full ontology's 6,290 prompts); `get` decodes one row into a new Float32Array and
 * re-normalises it (f16 rounding moves the norm by ~1e-4), with the same arithmetic as decoding the
 * whole table would (`normalizeInPlace` on the decoded row), so the values are identical.
 */
import { AppError } from './errors';
import { f16Lut } from './f16';
import { normalizeInPlace } from './vectors';

export interface EmbeddingTable {
  readonly dim: number;
  readonly size: number;
  /** The prompt's row (a new array the caller may keep), or undefined. */
  get(prompt: string): Float32Array | undefined;
  has(prompt: string): boolean;
  keys(): IterableIterator<string>;
}

export function loadEmbeddingTable(
  buffer: ArrayBuffer | Uint8Array,
  prompts: readonly string[],
  dim: number,
  dtype: 'float16' | 'float32' = 'float16',
): EmbeddingTable {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  const per = dtype === 'float16' ? 2 : 4;
  if (bytes.byteLength !== prompts.length * dim * per) {
    throw new AppError('file-corrupt', `The text embeddings file has ${bytes.byteLength} bytes, but ${prompts.length} prompts x ${dim} dims x ${per} bytes = ${prompts.length * dim * per}.`, 'The bundle is inconsistent: rebuild or re-download it.');
  }
  // Own copies (aligned, and not a view into a larger buffer the caller may reuse); f16 kept as bits.
  const half = dtype === 'float16' ? littleEndianU16(bytes) : null;
  const full = dtype === 'float16' ? null : new Float32Array(bytes.slice().buffer);
  const index = new Map<string, number>();
  prompts.forEach((p, i) => {
    if (!index.has(p)) index.set(p, i);
  });
  const row = (i: number): Float32Array => {
    const out = new Float32Array(dim);
    if (half) {
      const t = f16Lut();
      for (let k = 0, o = i * dim; k < dim; k++) out[k] = t[half[o + k]];
    } else out.set(full!.subarray(i * dim, (i + 1) * dim));
    return normalizeInPlace(out);
  };
  return {
    dim,
    size: index.size,
    get: (p) => {
      const i = index.get(p);
      return i === undefined ? undefined : row(i);
    },
    has: (p) => index.has(p),
    keys: () => index.keys(),
  };
}

/** Little-endian u16 values of `bytes`, in a new array. */
function littleEndianU16(bytes: Uint8Array): Uint16Array {
  const out = new Uint16Array(bytes.byteLength / 2);
  for (let i = 0; i < out.length; i++) out[i] = bytes[2 * i] | (bytes[2 * i + 1] << 8);
  return out;
}
