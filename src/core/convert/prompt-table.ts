/**
 * Computing the shipped prompt table of a converted bundle, as the toolchain does
 * (bundle.py: text_embeddings): prompts sorted by token length (then by position), in batches
 * each cut to its longest prompt, every embedding L2-normalised and stored as float16 in the
 * prompts' own order. The plan is deterministic, so a reload resumes at the first batch not done.
 */
import { toF16Bytes } from './recipes';

/** Prompt indices per batch: sorted by (token length, index), `size` at a time. */
export function planBatches(lengths: ArrayLike<number>, size: number): number[][] {
  const order = Array.from({ length: lengths.length }, (_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += size) out.push(order.slice(i, i + size));
  return out;
}

/** One batch's normalised embeddings as float16 rows (bytes, row after row, in the batch's order). */
export function batchRowsF16(vectors: readonly Float32Array[]): Uint8Array {
  const dim = vectors[0]?.length ?? 0;
  const all = new Float32Array(vectors.length * dim);
  vectors.forEach((v, i) => all.set(v, i * dim));
  return toF16Bytes(all);
}

/** The table file (little-endian f16, [count, dim]) from every batch's rows. */
export function assembleTable(count: number, dim: number, batches: readonly number[][], rows: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(count * dim * 2);
  const rowBytes = dim * 2;
  batches.forEach((b, k) => {
    const r = rows[k];
    if (!r || r.byteLength !== b.length * rowBytes) throw new Error(`prompt table: batch ${k} has ${r?.byteLength ?? 0} bytes, expected ${b.length * rowBytes}`);
    b.forEach((p, j) => out.set(r.subarray(j * rowBytes, (j + 1) * rowBytes), p * rowBytes));
  });
  return out;
}

/** Seconds left at the rate seen so far (null until there is a rate). */
export function etaSeconds(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || elapsedMs <= 0) return null;
  return Math.round(((total - done) * elapsedMs) / done / 1000);
}
