/**
 * The shipped text embeddings: rows of `text-embeddings.f16.bin` ([count, dim] little-endian f16,
 * each row L2-normalised before rounding) keyed by the exact prompt strings of prompts.json.
 * Rows are decoded once into one Float32Array and re-normalised (f16 rounding moves the norm by
 * ~1e-4); `get` returns a view, no copy.
 */
import { AppError } from './errors';
import { decodeF16 } from './f16';
import { normalizeInPlace } from './vectors';

export interface EmbeddingTable {
  readonly dim: number;
  readonly size: number;
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
  const data = dtype === 'float16' ? decodeF16(bytes) : new Float32Array(bytes.slice().buffer);
  const index = new Map<string, number>();
  prompts.forEach((p, i) => {
    if (!index.has(p)) index.set(p, i);
  });
  for (let r = 0; r < prompts.length; r++) normalizeInPlace(data.subarray(r * dim, (r + 1) * dim));
  return {
    dim,
    size: index.size,
    get: (p) => {
      const i = index.get(p);
      return i === undefined ? undefined : data.subarray(i * dim, (i + 1) * dim);
    },
    has: (p) => index.has(p),
    keys: () => index.keys(),
  };
}
