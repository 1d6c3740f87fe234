/**
 * The variants' weight recipes, bit for bit as tools/model/quantize.py makes them with numpy (one
 * recipe, two implementations; recipes.test.ts runs the Python one on the same tensors and
 * compares bytes):
 * - f16: numpy's float32 -> float16 cast (round to nearest even, subnormals, overflow to inf);
 * - int8 per column of W [K, N]: scale = amax / 127 (1 where amax is 0), q = clip(rint(w / scale), ±127);
 *   per row of a Gather table: the same on its transpose;
 * - q4 (MatMulNBits, block 32): per block of 32 rows of a column, vmin = min(min, 0), vmax =
 *   max(max, 0), scale = (vmax - vmin) / 15 (1 where 0), zp = clip(rint(-vmin / scale), 0, 15),
 *   q = clip(rint(w / scale) + zp, 0, 15), two per byte low nibble first, zero points packed the
 *   same way (padded with 8).
 * Every float operation is a float32 one in numpy: Math.fround after each (exact for + - * /).
 */

const fr = Math.fround;

/** numpy's rint: round half to even. */
export function rint(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** numpy's float32 -> float16 bits (npy_floatbits_to_halfbits), for finite values and infinities. */
export function f32BitsToF16(f: number): number {
  const sign = (f >>> 16) & 0x8000;
  const exp = f & 0x7f800000;
  if (exp >= 0x47800000) {
    if (exp === 0x7f800000 && f & 0x007fffff) return sign | 0x7e00; // NaN (refused before this is reached)
    return sign | 0x7c00; // overflow: infinity
  }
  if (exp <= 0x38000000) {
    if (exp < 0x33000000) return sign; // underflow to zero
    let sig = 0x00800000 + (f & 0x007fffff);
    sig >>>= 113 - (exp >>> 23);
    if ((sig & 0x3fff) !== 0x1000 || f & 0x7ff) sig += 0x1000;
    return sign + (sig >>> 13);
  }
  let sig = f & 0x007fffff;
  if ((sig & 0x3fff) !== 0x1000) sig += 0x1000;
  return sign + ((exp - 0x38000000) >>> 13) + (sig >>> 13);
}

export function toF16Bytes(a: Float32Array): Uint8Array {
  const bits = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const out = new Uint16Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = f32BitsToF16(bits[i]);
  return new Uint8Array(out.buffer);
}

/** [rows, cols] row-major -> its transpose [cols, rows]. */
export function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

export interface Int8Quantized {
  q: Int8Array;
  scale: Float32Array;
}

/** Symmetric int8 per column of w [K, N] (quantize.py: quantize_int8_columns). */
export function quantizeInt8Columns(w: Float32Array, k: number, n: number): Int8Quantized {
  const amax = new Float32Array(n);
  for (let r = 0; r < k; r++) for (let c = 0; c < n; c++) amax[c] = Math.max(amax[c], Math.abs(w[r * n + c]));
  const scale = new Float32Array(n);
  for (let c = 0; c < n; c++) scale[c] = amax[c] > 0 ? fr(amax[c] / 127) : 1;
  const q = new Int8Array(k * n);
  for (let r = 0; r < k; r++) for (let c = 0; c < n; c++) q[r * n + c] = Math.min(127, Math.max(-127, rint(fr(w[r * n + c] / scale[c]))));
  return { q, scale };
}

/** Symmetric int8 per row of a Gather table t [V, D] (quantize.py: quantize_int8_rows). */
export function quantizeInt8Rows(t: Float32Array, v: number, d: number): Int8Quantized {
  const scale = new Float32Array(v);
  const q = new Int8Array(v * d);
  for (let r = 0; r < v; r++) {
    let amax = 0;
    for (let c = 0; c < d; c++) amax = Math.max(amax, Math.abs(t[r * d + c]));
    const s = amax > 0 ? fr(amax / 127) : 1;
    scale[r] = s;
    for (let c = 0; c < d; c++) q[r * d + c] = Math.min(127, Math.max(-127, rint(fr(t[r * d + c] / s))));
  }
  return { q, scale };
}

export interface Q4Quantized {
  /** [N, blocks, block / 2] */
  packed: Uint8Array;
  /** [N * blocks] */
  scales: Float32Array;
  /** [N * ceil(blocks / 2)] */
  zp: Uint8Array;
}

/** Asymmetric 4-bit blocks of w [K, N] in MatMulNBits' layout (quantize.py: quantize_q4_blocks). */
export function quantizeQ4Blocks(w: Float32Array, k: number, n: number, block = 32): Q4Quantized {
  const blocks = Math.ceil(k / block);
  const zpPerCol = Math.ceil(blocks / 2);
  const packed = new Uint8Array(n * blocks * (block / 2));
  const scales = new Float32Array(n * blocks);
  const zp = new Uint8Array(n * zpPerCol).fill(0x88);
  const q = new Uint8Array(block);
  for (let c = 0; c < n; c++) {
    for (let b = 0; b < blocks; b++) {
      let vmin = 0;
      let vmax = 0;
      for (let j = 0; j < block; j++) {
        const r = b * block + j;
        const x = r < k ? w[r * n + c] : 0;
        if (x < vmin) vmin = x;
        if (x > vmax) vmax = x;
      }
      let s = fr(fr(vmax - vmin) / 15);
      if (!(s > 0)) s = 1;
      const z = Math.min(15, Math.max(0, rint(fr(-vmin / s))));
      for (let j = 0; j < block; j++) {
        const r = b * block + j;
        const x = r < k ? w[r * n + c] : 0;
        q[j] = Math.min(15, Math.max(0, rint(fr(x / s)) + z));
      }
      const at = (c * blocks + b) * (block / 2);
      for (let j = 0; j < block / 2; j++) packed[at + j] = q[2 * j] | (q[2 * j + 1] << 4);
      scales[c * blocks + b] = s;
      const zi = c * zpPerCol + (b >> 1);
      zp[zi] = b & 1 ? (zp[zi] & 0x0f) | (z << 4) : (zp[zi] & 0xf0) | z;
    }
  }
  return { packed, scales, zp };
}

export const RECIPES = ['f32', 'f16', 'int8col.q', 'int8col.scale', 'int8row.q', 'int8row.scale', 'q4.packed', 'q4.scales', 'q4.zp'] as const;
export type Recipe = (typeof RECIPES)[number];

const bytesOf = (a: Float32Array | Int8Array | Uint8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** A recipe's family: the q and scale of one source are made by one quantization. */
export const recipeFamily = (r: Recipe) => r.split('.')[0];

export type Quantized = Int8Quantized | Q4Quantized | Float32Array;

/** The quantization a recipe family needs, of a source matrix [rows, cols] (f32 / f16: the source itself). */
export function quantizeFor(recipe: Recipe, src: Float32Array, rows: number, cols: number): Quantized {
  const f = recipeFamily(recipe);
  if (f === 'int8col') return quantizeInt8Columns(src, rows, cols);
  if (f === 'int8row') return quantizeInt8Rows(src, rows, cols);
  if (f === 'q4') return quantizeQ4Blocks(src, rows, cols);
  return src;
}

/** The bytes a recipe writes, from quantizeFor's result for the same family. */
export function recipeBytes(recipe: Recipe, made: Quantized): Uint8Array {
  if (made instanceof Float32Array) return recipe === 'f16' ? toF16Bytes(made) : bytesOf(made);
  if ('q' in made) return bytesOf(recipe.endsWith('.q') ? made.q : made.scale);
  return bytesOf(recipe === 'q4.packed' ? made.packed : recipe === 'q4.scales' ? made.scales : made.zp);
}
