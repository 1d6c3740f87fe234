/** Small dense-vector helpers: the one home of L2 normalisation, cosine and dot products. */

/** L2-normalise v in place (a zero vector stays zero). */
export function normalizeInPlace(v: Float32Array): Float32Array {
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += v[i] * v[i];
  if (ss > 0) {
    const inv = 1 / Math.sqrt(ss);
    for (let i = 0; i < v.length; i++) v[i] *= inv;
  }
  return v;
}

/** L2-normalise each row of a row-major [rows, dim] matrix, in place. */
export function l2normalizeRows(m: Float32Array, dim: number): Float32Array {
  for (let r = 0; r * dim < m.length; r++) normalizeInPlace(m.subarray(r * dim, (r + 1) * dim));
  return m;
}

/** Each row of a row-major [rows, dim] matrix as its own L2-normalised Float32Array. */
export function normalizeRows(data: Float32Array, rows: number, dim: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let r = 0; r < rows; r++) out.push(normalize(data.subarray(r * dim, (r + 1) * dim)));
  return out;
}

/** A new L2-normalised copy of v. */
export function normalize(v: ArrayLike<number>): Float32Array {
  return normalizeInPlace(Float32Array.from(v));
}
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const d = Math.sqrt(dot(a, a) * dot(b, b));
  return d > 0 ? dot(a, b) / d : 0;
}
