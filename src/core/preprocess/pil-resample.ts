/**
 * A faithful port of Pillow's 8-bit separable resampling (src/libImaging/Resample.c,
 * ImagingResample with the BICUBIC filter, a = -0.5, or the BILINEAR (triangle) filter): per output
 * pixel, filter weights over a support of (2 for bicubic, 1 for bilinear) x max(1, downscale) input
 * pixels on each side (antialiasing), normalised to sum 1, converted to
 * fixed point with PRECISION_BITS = 22 (rounded half away from zero), accumulated in integers
 * from a 0.5 bias and clipped to uint8. Horizontal pass first, then vertical, with uint8 rounding
 * in between, exactly as Pillow does.
 *
 * Only a window of the output is computed (the centre crop that follows the resize): each output
 * pixel depends only on its own coefficients, so the window equals the same pixels of the full
 * resize, bit for bit, at a fraction of the cost.
 */

export const PRECISION_BITS = 22;

export function bicubic(x: number): number {
  const a = -0.5;
  if (x < 0) x = -x;
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

export function bilinear(x: number): number {
  if (x < 0) x = -x;
  return x < 1 ? 1 - x : 0;
}

/** Pillow's filters: support (in input pixels at scale 1) and kernel. */
export interface Filter {
  support: number;
  kernel: (x: number) => number;
}

export const FILTERS: Readonly<Record<'bicubic' | 'bilinear', Filter>> = {
  bicubic: { support: 2, kernel: bicubic },
  bilinear: { support: 1, kernel: bilinear },
};

export interface Coeffs {
  /** Taps per output pixel (the stride of `k`). */
  ksize: number;
  /** Per output pixel: first input index and number of taps. */
  start: Int32Array;
  count: Int32Array;
  /** Fixed-point weights, [outCount, ksize]. */
  k: Int32Array;
}

/**
 * Pillow's precompute_coeffs + normalize_coeffs_8bpc for output pixels [outFirst, outFirst+outCount)
 * of a resize of input span [0, inSize) to outSize pixels.
 */
export function precomputeCoeffs(inSize: number, outSize: number, outFirst: number, outCount: number, filter: Filter): Coeffs {
  const support0 = filter.support;
  const kernel = filter.kernel;
  // Pillow: scale = (double)(in1 - in0) / outSize, where in0/in1 are C floats (exact here).
  const scale = inSize / outSize;
  const filterscale = Math.max(1, scale);
  const support = support0 * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outCount);
  const count = new Int32Array(outCount);
  const k = new Int32Array(outCount * ksize);
  const w = new Float64Array(ksize);
  const ss = 1 / filterscale;
  const one = 1 << PRECISION_BITS;
  for (let i = 0; i < outCount; i++) {
    const xx = outFirst + i;
    const center = (xx + 0.5) * scale;
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const v = kernel((x + xmin - center + 0.5) * ss);
      w[x] = v;
      ww += v;
    }
    for (let x = 0; x < xmax; x++) {
      const v = ww !== 0 ? w[x] / ww : w[x];
      k[i * ksize + x] = v < 0 ? Math.trunc(-0.5 + v * one) : Math.trunc(0.5 + v * one);
    }
    start[i] = xmin;
    count[i] = xmax;
  }
  return { ksize, start, count, k };
}

const clip8 = (ss: number): number => {
  const v = ss >> PRECISION_BITS;
  return v < 0 ? 0 : v > 255 ? 255 : v;
};

/**
 * Horizontal pass over `rows` source rows starting at `row0`.
 * src: interleaved pixels with `srcChannels` per pixel and `srcStride` elements per row, the region
 * origin at `srcOffset`. Writes `channels` (<= srcChannels) per output pixel into dst
 * [rows, cx.count.length, channels].
 */
export function resampleHorizontal(
  src: Uint8Array, srcOffset: number, srcStride: number, srcChannels: number,
  row0: number, rows: number, cx: Coeffs, channels: number, dst: Uint8Array,
): void {
  const outW = cx.start.length;
  const half = 1 << (PRECISION_BITS - 1);
  const { k, ksize, start, count } = cx;
  for (let y = 0; y < rows; y++) {
    const rowBase = srcOffset + (row0 + y) * srcStride;
    let o = y * outW * channels;
    for (let xx = 0; xx < outW; xx++) {
      const kb = xx * ksize;
      const n = count[xx];
      let p = rowBase + start[xx] * srcChannels;
      let s0 = half, s1 = half, s2 = half, s3 = half;
      if (channels === 3) {
        for (let x = 0; x < n; x++, p += srcChannels) {
          const kv = k[kb + x];
          s0 += src[p] * kv;
          s1 += src[p + 1] * kv;
          s2 += src[p + 2] * kv;
        }
      } else {
        for (let x = 0; x < n; x++, p += srcChannels) {
          const kv = k[kb + x];
          s0 += src[p] * kv;
          s1 += src[p + 1] * kv;
          s2 += src[p + 2] * kv;
          s3 += src[p + 3] * kv;
        }
        dst[o + 3] = clip8(s3);
      }
      dst[o] = clip8(s0);
      dst[o + 1] = clip8(s1);
      dst[o + 2] = clip8(s2);
      o += channels;
    }
  }
}

/**
 * Vertical pass: src is [srcRows, width, channels] whose row 0 is input row `row0`; cy holds the
 * coefficients of the wanted output rows. Writes dst [cy.count.length, width, channels].
 */
export function resampleVertical(src: Uint8Array, row0: number, width: number, channels: number, cy: Coeffs, dst: Uint8Array): void {
  const half = 1 << (PRECISION_BITS - 1);
  const { k, ksize, start, count } = cy;
  const stride = width * channels;
  for (let yy = 0; yy < start.length; yy++) {
    const kb = yy * ksize;
    const n = count[yy];
    const base = (start[yy] - row0) * stride;
    const o = yy * stride;
    for (let i = 0; i < stride; i++) {
      let s = half;
      let p = base + i;
      for (let y = 0; y < n; y++, p += stride) s += src[p] * k[kb + y];
      dst[o + i] = clip8(s);
    }
  }
}
