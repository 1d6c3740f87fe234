/**
 * Image preprocessing on decoded pixels, identical to open_clip's eval transform on a PIL image:
 * Resize(S) (shortest side to S, bicubic, Pillow's resampler) -> CenterCrop(S) -> RGB -> ToTensor
 * -> Normalize(mean, std), as Float32 NCHW [1, 3, S, S].
 *
 * Pillow details replicated: RGBA is resized with premultiplied alpha and then unpremultiplied
 * (Convert.c rgbA2rgba / rgba2rgbA), and alpha is dropped by convert('RGB') after the crop, so
 * fully transparent pixels come out black; an image already at the target size is not resampled
 * (PIL returns a copy), so its colours pass through untouched. A palette PNG is resized by PIL
 * with NEAREST, but the browser hands us RGBA, so such an image is resampled bicubic here: the
 * only known divergence.
 *
 * Optional user crop: a square {x, y, size} in source pixels is cut first (PIL `crop`), then the
 * same transform runs on it.
 *
 * Cost grows with the source size (a 12 MP photo reads every pixel once per tap: about 0.1-0.3 s).
 * Callers should decode big photos already downscaled (createImageBitmap with resizeWidth/Height,
 * keeping the short side well above S, e.g. 1344 px): then the result differs from PIL on the
 * original file only by the browser's first downscale. The resize itself is correct for any size.
 */
import { AppError } from '../errors';
import { precomputeCoeffs, resampleHorizontal, resampleVertical } from './pil-resample';

export interface RgbaImage {
  /** Row-major RGBA, 4 bytes per pixel, not premultiplied (what getImageData returns). */
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** A square region in source pixels (integers). */
export interface CropRegion {
  x: number;
  y: number;
  size: number;
}

export interface NormalizeSpec {
  size: number;
  mean: readonly number[];
  std: readonly number[];
}

/** torchvision Resize(int) output size: shortest side -> size, the other int(size * long / short). */
export function resizedSize(width: number, height: number, size: number): { width: number; height: number } {
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  const newLong = Math.floor((size * long) / short);
  return width <= height ? { width: size, height: newLong } : { width: newLong, height: size };
}

/** Python's round() (half to even), as torchvision's CenterCrop uses it. */
export function pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** torchvision CenterCrop offset: int(round((length - size) / 2.0)). */
export function centerCropOffset(length: number, size: number): number {
  return pyRound((length - size) / 2);
}

function checkImage(img: RgbaImage): void {
  const { width, height, data } = img;
  if (!(width >= 1 && height >= 1 && Number.isInteger(width) && Number.isInteger(height)) || data.length !== width * height * 4) {
    throw new AppError('image-decode', `The decoded image is inconsistent (${width} x ${height} pixels, ${data.length} bytes).`, 'Try another copy of the photo.');
  }
}

function checkCrop(c: CropRegion, img: RgbaImage): void {
  const ok = [c.x, c.y, c.size].every(Number.isInteger) && c.size >= 1 && c.x >= 0 && c.y >= 0 && c.x + c.size <= img.width && c.y + c.size <= img.height;
  if (!ok) throw new AppError('input-invalid', `The crop ${c.size} px at (${c.x}, ${c.y}) does not fit in the ${img.width} x ${img.height} photo.`, 'Reset the crop to the centre.');
}

function isOpaque(d: Uint8Array, stride: number, x0: number, y0: number, w: number, h: number): boolean {
  for (let y = 0; y < h; y++) {
    const end = (y0 + y) * stride + (x0 + w) * 4;
    for (let p = (y0 + y) * stride + x0 * 4 + 3; p < end; p += 4) if (d[p] !== 255) return false;
  }
  return true;
}

/** Pillow rgbA2rgba (premultiply) of a region into a new [h, w, 4] buffer. */
function premultiply(d: Uint8Array, stride: number, x0: number, y0: number, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h * 4);
  let o = 0;
  for (let y = 0; y < h; y++) {
    let p = (y0 + y) * stride + x0 * 4;
    for (let x = 0; x < w; x++, p += 4, o += 4) {
      const a = d[p + 3];
      for (let c = 0; c < 3; c++) {
        const t = d[p + c] * a + 128;
        out[o + c] = ((t >> 8) + t) >> 8;
      }
      out[o + 3] = a;
    }
  }
  return out;
}

/**
 * The u8 RGB crop [size, size, 3] the model sees (before normalising): open_clip's Resize +
 * CenterCrop on the image, or on the user's square crop region when given.
 */
export function resizeToCrop(img: RgbaImage, crop?: CropRegion, size = 224): Uint8Array {
  checkImage(img);
  if (crop) checkCrop(crop, img);
  const x0 = crop?.x ?? 0;
  const y0 = crop?.y ?? 0;
  const w = crop?.size ?? img.width;
  const h = crop?.size ?? img.height;
  const stride = img.width * 4;
  // One concrete array type keeps the hot loops monomorphic (no copy).
  const d = new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  const rs = resizedSize(w, h, size);
  const left = centerCropOffset(rs.width, size);
  const top = centerCropOffset(rs.height, size);
  const out = new Uint8Array(size * size * 3);

  if (rs.width === w && rs.height === h) {
    // No resampling (PIL returns a copy): crop and drop alpha, colours untouched.
    for (let y = 0; y < size; y++) {
      let p = (y0 + top + y) * stride + (x0 + left) * 4;
      let o = y * size * 3;
      for (let x = 0; x < size; x++, p += 4, o += 3) (out[o] = d[p]), (out[o + 1] = d[p + 1]), (out[o + 2] = d[p + 2]);
    }
    return out;
  }

  const cx = precomputeCoeffs(w, rs.width, left, size);
  const cy = precomputeCoeffs(h, rs.height, top, size);
  const row0 = cy.start[0];
  const rows = cy.start[size - 1] + cy.count[size - 1] - row0;
  const opaque = isOpaque(d, stride, x0, y0, w, h);

  if (opaque) {
    const tmp = new Uint8Array(rows * size * 3);
    resampleHorizontal(d, y0 * stride + x0 * 4, stride, 4, row0, rows, cx, 3, tmp);
    resampleVertical(tmp, row0, size, 3, cy, out);
    return out;
  }

  const pre = premultiply(d, stride, x0, y0, w, h);
  const tmp = new Uint8Array(rows * size * 4);
  resampleHorizontal(pre, 0, w * 4, 4, row0, rows, cx, 4, tmp);
  const rgba = new Uint8Array(size * size * 4);
  resampleVertical(tmp, row0, size, 4, cy, rgba);
  // Pillow rgba2rgbA (unpremultiply), then convert('RGB') drops alpha.
  for (let i = 0, o = 0; i < rgba.length; i += 4, o += 3) {
    const a = rgba[i + 3];
    for (let c = 0; c < 3; c++) {
      const v = rgba[i + c];
      out[o + c] = a === 255 || a === 0 ? v : Math.min(255, Math.floor((255 * v) / a));
    }
  }
  return out;
}

/**
 * ToTensor + Normalize on a u8 [S, S, 3] crop: (v / 255 - mean) / std in float32, channels first,
 * rounded exactly as torch computes it in float32.
 */
export function normalizeCrop(crop: Uint8Array, size: number, mean: readonly number[], std: readonly number[]): Float32Array {
  const plane = size * size;
  if (crop.length !== plane * 3) throw new AppError('input-invalid', `A ${size} x ${size} RGB crop has ${plane * 3} bytes, not ${crop.length}.`);
  const out = new Float32Array(3 * plane);
  const f = Math.fround;
  for (let c = 0; c < 3; c++) {
    const lut = new Float32Array(256);
    const m = f(mean[c]);
    const s = f(std[c]);
    for (let v = 0; v < 256; v++) lut[v] = f(f(f(v / 255) - m) / s);
    const base = c * plane;
    for (let i = 0; i < plane; i++) out[base + i] = lut[crop[i * 3 + c]];
  }
  return out;
}

/** Decoded pixels (+ optional square crop) -> the model input, Float32 NCHW [1, 3, S, S]. */
export function preprocess(img: RgbaImage, crop: CropRegion | undefined, spec: NormalizeSpec): Float32Array {
  return normalizeCrop(resizeToCrop(img, crop, spec.size), spec.size, spec.mean, spec.std);
}
