/**
 * Image preprocessing on decoded pixels, identical to open_clip's eval transform on a PIL image,
 * for whatever the bundle's manifest says (its open_clip preprocess_cfg): resize mode 'shortest',
 * 'longest' or 'squash' (layout.ts), Pillow's BICUBIC or BILINEAR resampler (pil-resample.ts),
 * fill colour for the padding of 'longest' -> RGB -> ToTensor -> Normalize(mean, std), as
 * Float32 NCHW [1, 3, S, S]. Nothing here assumes a size, filter, mean or std.
 *
 * Pillow details replicated: RGBA is resized with premultiplied alpha and then unpremultiplied
 * (Convert.c rgbA2rgba / rgba2rgbA), and alpha is dropped by convert('RGB') after the crop, so
 * fully transparent pixels come out black; an image already at the target size is not resampled
 * (PIL returns a copy), so its colours pass through untouched; padding is the fill value in every
 * channel (alpha included, then dropped). A palette PNG is resized by PIL with NEAREST, but the
 * browser hands us RGBA, so such an image is resampled with the filter here: the only known
 * divergence.
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
import { checkResizeSpec, layout, type Layout, type ResizeSpec } from './layout';
import { FILTERS, precomputeCoeffs, resampleHorizontal, resampleVertical, type Filter } from './pil-resample';

export { centerCropOffset, keepRatioSize, layout, pyRound, resizedSize } from './layout';
export type { ResizeSpec } from './layout';

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

/** Everything preprocessing reads from the manifest's `image` record. */
export interface PreprocessSpec extends ResizeSpec {
  mean: readonly number[];
  std: readonly number[];
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

/** Resized pixels [wx0, wx0+cols) x [wy0, wy0+rows) of the source region (x0, y0, w, h) resized to l.width x l.height: u8 RGB [rows, cols, 3]. */
function resampleWindow(
  d: Uint8Array, stride: number, x0: number, y0: number, w: number, h: number,
  l: Layout, wx0: number, wy0: number, cols: number, rows: number, filter: Filter,
): Uint8Array {
  const win = new Uint8Array(rows * cols * 3);
  if (l.width === w && l.height === h) {
    // No resampling (PIL returns a copy): cut and drop alpha, colours untouched.
    for (let y = 0; y < rows; y++) {
      let p = (y0 + wy0 + y) * stride + (x0 + wx0) * 4;
      let o = y * cols * 3;
      for (let x = 0; x < cols; x++, p += 4, o += 3) (win[o] = d[p]), (win[o + 1] = d[p + 1]), (win[o + 2] = d[p + 2]);
    }
    return win;
  }
  const cx = precomputeCoeffs(w, l.width, wx0, cols, filter);
  const cy = precomputeCoeffs(h, l.height, wy0, rows, filter);
  const row0 = cy.start[0];
  const srcRows = cy.start[rows - 1] + cy.count[rows - 1] - row0;
  if (isOpaque(d, stride, x0, y0, w, h)) {
    const tmp = new Uint8Array(srcRows * cols * 3);
    resampleHorizontal(d, y0 * stride + x0 * 4, stride, 4, row0, srcRows, cx, 3, tmp);
    resampleVertical(tmp, row0, cols, 3, cy, win);
    return win;
  }
  const pre = premultiply(d, stride, x0, y0, w, h);
  const tmp = new Uint8Array(srcRows * cols * 4);
  resampleHorizontal(pre, 0, w * 4, 4, row0, srcRows, cx, 4, tmp);
  const rgba = new Uint8Array(rows * cols * 4);
  resampleVertical(tmp, row0, cols, 4, cy, rgba);
  // Pillow rgba2rgbA (unpremultiply), then convert('RGB') drops alpha.
  for (let i = 0, o = 0; i < rgba.length; i += 4, o += 3) {
    const a = rgba[i + 3];
    for (let c = 0; c < 3; c++) {
      const v = rgba[i + c];
      win[o + c] = a === 255 || a === 0 ? v : Math.min(255, Math.floor((255 * v) / a));
    }
  }
  return win;
}

/**
 * The u8 RGB crop [S, S, 3] the model sees (before normalising): open_clip's resize and crop (or
 * pad) for `spec`, on the image or on the user's square crop region when given.
 */
export function resizeToCrop(img: RgbaImage, crop: CropRegion | undefined, spec: ResizeSpec): Uint8Array {
  checkImage(img);
  checkResizeSpec(spec);
  if (crop) checkCrop(crop, img);
  const x0 = crop?.x ?? 0;
  const y0 = crop?.y ?? 0;
  const w = crop?.size ?? img.width;
  const h = crop?.size ?? img.height;
  // One concrete array type keeps the hot loops monomorphic (no copy).
  const d = new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  const s = spec.size;
  const l = layout(w, h, spec);
  // The part of the resized image that lands in the output; the rest is padding.
  const wx0 = Math.max(0, l.left);
  const wy0 = Math.max(0, l.top);
  const cols = Math.min(l.width, l.left + s) - wx0;
  const rows = Math.min(l.height, l.top + s) - wy0;
  const out = new Uint8Array(s * s * 3);
  if (cols < s || rows < s) out.fill(spec.fill ?? 0);
  if (cols <= 0 || rows <= 0) return out;
  const win = resampleWindow(d, img.width * 4, x0, y0, w, h, l, wx0, wy0, cols, rows, FILTERS[spec.interpolation]);
  const ox = wx0 - l.left;
  const oy = wy0 - l.top;
  if (cols === s && rows === s) return win;
  for (let y = 0; y < rows; y++) out.set(win.subarray(y * cols * 3, (y + 1) * cols * 3), ((oy + y) * s + ox) * 3);
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
export function preprocess(img: RgbaImage, crop: CropRegion | undefined, spec: PreprocessSpec): Float32Array {
  return normalizeCrop(resizeToCrop(img, crop, spec), spec.size, spec.mean, spec.std);
}
