/** IEEE 754 half precision -> float32 (the shipped text-embeddings file is little-endian f16). */

/** One f16 bit pattern -> its value (subnormals, infinities and NaN included). */
export function f16ToF32(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

let lut: Float32Array | undefined;

/** Every f16 bit pattern's value, by index (built once, 256 KB). */
export function f16Lut(): Float32Array {
  if (!lut) {
    lut = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) lut[i] = f16ToF32(i);
  }
  return lut;
}

/** Decode little-endian f16 bytes into a Float32Array (table lookup: about 1 ns per value). */
export function decodeF16(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 2) throw new Error('f16 data must have an even number of bytes');
  const n = bytes.byteLength / 2;
  const out = new Float32Array(n);
  const t = f16Lut();
  for (let i = 0; i < n; i++) out[i] = t[bytes[2 * i] | (bytes[2 * i + 1] << 8)];
  return out;
}
