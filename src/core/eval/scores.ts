/**
 * Zero-shot scores from cached embeddings: image matrix [n, d] x class matrix [K, d] (the rows of
 * core/zeroshot's `buildClassifier`), logits = logitScale x cosine, softmax per row, exactly as
 * `classify` does for one photo (scaledDots: 10,000 x 512 x 7 in about 20 ms on one core,
 * bench/eval.mjs).
 */
import { AppError } from '../errors';

/** Check a row-major matrix's shape; returns its row count. */
export function rowsOf(m: Float32Array, dim: number, what: string): number {
  if (!Number.isInteger(dim) || dim < 1) throw new AppError('input-invalid', `The embedding size must be a positive integer, got ${dim}.`);
  if (m.length % dim !== 0) throw new AppError('input-invalid', `${what} has ${m.length} values, not a whole number of ${dim}-value rows.`);
  return m.length / dim;
}

/**
 * out[i, r] = scale x <a_i, b_r>, a: [n, dim], b: [k, dim] (row-major), out: [n, k]. Blocked two
 * rows of a by four rows of b (b zero-padded to a multiple of four, a copy only when k is not one), eight sums in registers: each
 * value loaded serves four or two products. Sums run in float64 in index order.
 */
export function scaledDots(a: Float32Array, b: Float32Array, dim: number, scale: number): Float32Array {
  const n = a.length / dim;
  const k = b.length / dim;
  const kp = Math.ceil(k / 4) * 4;
  let bp = b;
  if (kp !== k) (bp = new Float32Array(kp * dim)), bp.set(b);
  const out = new Float32Array(n * k);
  const s = new Float64Array(8);
  for (let i = 0; i < n; i += 2) {
    const a0 = i * dim;
    // an odd last row pairs with itself
    const a1 = i + 1 < n ? a0 + dim : a0;
    for (let r = 0; r < kp; r += 4) {
      const b0 = r * dim;
      const b1 = b0 + dim;
      const b2 = b1 + dim;
      const b3 = b2 + dim;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0; // prettier-ignore
      for (let j = 0; j < dim; j++) {
        const x = a[a0 + j];
        const y = a[a1 + j];
        const w0 = bp[b0 + j];
        const w1 = bp[b1 + j];
        const w2 = bp[b2 + j];
        const w3 = bp[b3 + j];
        s00 += x * w0;
        s01 += x * w1;
        s02 += x * w2;
        s03 += x * w3;
        s10 += y * w0;
        s11 += y * w1;
        s12 += y * w2;
        s13 += y * w3;
      }
      (s[0] = s00), (s[1] = s01), (s[2] = s02), (s[3] = s03), (s[4] = s10), (s[5] = s11), (s[6] = s12), (s[7] = s13);
      const m = Math.min(4, k - r);
      for (let q = 0; q < m; q++) out[i * k + r + q] = scale * s[q];
      if (i + 1 < n) for (let q = 0; q < m; q++) out[(i + 1) * k + r + q] = scale * s[4 + q];
    }
  }
  return out;
}

/** Softmax of each row of a row-major [n, k] matrix, in place (numerically stable). */
export function softmaxRows(m: Float32Array, k: number): Float32Array {
  for (let o = 0; o < m.length; o += k) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (m[o + c] > max) max = m[o + c];
    let sum = 0;
    for (let c = 0; c < k; c++) sum += m[o + c] = Math.exp(m[o + c] - max);
    for (let c = 0; c < k; c++) m[o + c] /= sum;
  }
  return m;
}

/**
 * Zero-shot class probabilities [n, K] for n image embeddings (unit rows) against K class rows
 * (unit rows, `buildClassifier(...).weights`).
 */
export function zeroShotProbs(images: Float32Array, classWeights: Float32Array, dim: number, logitScale: number): Float32Array {
  rowsOf(images, dim, 'The image embedding matrix');
  const k = rowsOf(classWeights, dim, 'The class matrix');
  if (k < 1) throw new AppError('input-invalid', 'The class matrix is empty.');
  if (!Number.isFinite(logitScale) || logitScale <= 0) throw new AppError('input-invalid', `The logit scale must be a positive number, got ${logitScale}.`);
  return softmaxRows(scaledDots(images, classWeights, dim, logitScale), k);
}
