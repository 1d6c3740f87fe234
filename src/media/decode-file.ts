/**
 * Turns a user's file into RGBA pixels the way the browser shows it (EXIF orientation applied),
 * refusing what cannot be a photo with a precise message first. The header says the photo's size
 * before anything is decoded (core/image-sniff.ts), and core/decode-plan.ts decides how:
 * - a large JPEG is decoded at n/8 scale by the JPEG decoder itself (media/jpeg-scaled.ts), so a
 *   phone's 200 MP photo never exists in memory at full size;
 * - HEIC/HEIF with libheif, imported only when a HEIC photo arrives (media/heic-decode.ts);
 * - everything else in full by the browser, downscaled on the way (up to the decode budget).
 * Runs in the photo worker (media/photo.worker.ts), or in the page where workers cannot.
 */
import { planDecode, type DecodeMethod } from '../core/decode-plan';
import { AppError } from '../core/errors';
import { DECODABLE, sniffImage, type ImageKind, type SniffResult } from '../core/image-sniff';
import type { RgbaImage } from '../core/preprocess';
import { exactFrame } from './exact-frame';
import { decodeJpegScaled, scaledJpegSupported } from './jpeg-scaled';
import { releaseCanvas } from './canvas';

/** Shortest side of the working image: 6x DermLIP-B/16's 224 px input keeps every crop sharp. */
export const WORKING_SHORT_SIDE = 1344;

export interface DecodedPhoto {
  name: string;
  kind: ImageKind;
  /** Oriented size of the original file. */
  width: number;
  height: number;
  /** Working pixels (possibly downscaled), oriented. */
  pixels: RgbaImage;
  /** working pixels per original pixel */
  scale: number;
  /** How the pixels were made (for diagnostics and the decode benchmark). */
  method: DecodeMethod;
}

export interface DecodeOptions {
  /** 'bitmap': never decode a JPEG at reduced scale (the decode benchmark's baseline). */
  jpeg?: 'auto' | 'bitmap';
  /** createImageBitmap's resize filter for photos decoded in full (default 'high'; the benchmark tries others). */
  resizeQuality?: ResizeQuality;
}

const KIND_NAMES: Partial<Record<ImageKind, string>> = { pdf: 'a PDF document', tiff: 'a TIFF image' };

/**
 * What the bytes are, or a specific error when they cannot be a photo this app reads (empty, not
 * an image, PDF/TIFF, cut short). Cheap: reads headers only (collections check every file with it).
 */
export function checkPhotoBytes(bytes: Uint8Array, name: string): SniffResult {
  if (bytes.length === 0) throw new AppError('image-decode', `"${name}" is empty (0 bytes).`, 'Choose the photo again; the copy may have failed.');
  const info = sniffImage(bytes);
  if (!DECODABLE.has(info.kind)) {
    const what = KIND_NAMES[info.kind];
    if (what) throw new AppError('image-unsupported', `"${name}" is ${what}, which this browser cannot read as a photo.`, 'Save or export it as a JPEG or PNG image first.');
    throw new AppError('image-unsupported', `"${name}" is not an image this app can read.`, 'Use a JPEG, PNG, WebP, GIF, BMP, AVIF or HEIC photo.');
  }
  if (!info.complete) throw new AppError('image-decode', `"${name}" is incomplete: the ${info.kind.toUpperCase()} file was cut short (truncated download or copy).`, 'Copy or download the photo again.');
  return info;
}

export async function decodeFile(file: Blob, name: string, opts: DecodeOptions = {}): Promise<DecodedPhoto> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const info = checkPhotoBytes(bytes, name);
  const scaledJpeg = opts.jpeg !== 'bitmap' && info.kind === 'jpeg' && (await scaledJpegSupported());
  const plan = planDecode(info, name, { workingShortSide: WORKING_SHORT_SIDE, scaledJpeg });
  const base = { name, kind: info.kind, method: plan.method };

  if (plan.method === 'heic') {
    const { decodeHeic } = await import('./heic-decode');
    const r = await decodeHeic(bytes, name, info.orientation, WORKING_SHORT_SIDE);
    return { ...base, width: r.width, height: r.height, pixels: r.pixels, scale: r.pixels.width / r.width };
  }
  const blob = file.type ? file : new Blob([bytes]);
  const pixels = plan.method === 'jpeg-scaled' ? await decodeJpegScaled(blob, plan, info.orientation, name) : await decodeBitmap(blob, plan.workingWidth, plan.workingHeight, plan.width, info.kind, name, opts.resizeQuality);
  return { ...base, width: plan.width, height: plan.height, pixels, scale: pixels.width / plan.width };
}

/** The browser's own decoder, in full, downscaled to the working size on the way. */
async function decodeBitmap(blob: Blob, width: number, height: number, fullWidth: number, kind: ImageKind, name: string, resizeQuality: ResizeQuality = 'high'): Promise<RgbaImage> {
  // WebP at full size: its unpremultiplied colours as stored (media/exact-frame.ts).
  const exact = kind === 'webp' && width === fullWidth ? await exactFrame(blob, 'image/webp') : null;
  if (exact && exact.width === width && exact.height === height) return exact;
  let bitmap: ImageBitmap;
  try {
    const opts: ImageBitmapOptions = { imageOrientation: 'from-image', colorSpaceConversion: 'none', premultiplyAlpha: 'default' };
    if (width < fullWidth) Object.assign(opts, { resizeWidth: width, resizeHeight: height, resizeQuality });
    bitmap = await createImageBitmap(blob, opts);
  } catch {
    throw new AppError('image-decode', `"${name}" could not be decoded: the file is damaged or not really a ${kind.toUpperCase()} image.`, 'Try another copy of the photo.');
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  try {
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new AppError('image-decode', 'This browser cannot read image pixels (no 2D canvas).');
    ctx.drawImage(bitmap, 0, 0);
    return { data: ctx.getImageData(0, 0, bitmap.width, bitmap.height).data, width: bitmap.width, height: bitmap.height };
  } finally {
    bitmap.close();
    releaseCanvas(canvas);
  }
}
